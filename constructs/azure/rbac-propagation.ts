import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from '../core/cdktf';
import { singletonProvider } from '../core/stack-providers';

/**
 * How long a new Azure role assignment is given before anything relies on it. Azure RBAC is
 * eventually consistent: Microsoft documents that a new assignment can take up to 10 minutes
 * to take effect (usually far less); azurerm returns as soon as the assignment is written, so
 * a resource in the same apply that needs the permission (the Application Gateway reading its
 * Key Vault certificate, the provider reading the state containers) can fail on the first apply.
 */
export const RBAC_PROPAGATION_WAIT = '300s';

/**
 * A `time_sleep` (hashicorp/time) after role assignments: make the resources that use the
 * permission depend on the returned wait. It waits on create only (first apply), and again
 * whenever one of the assignments is re-created (its id is a trigger); later applies do not wait.
 */
export function rbacPropagationWait(scope: Construct, id: string, assignments: RoleAssignment[], createDuration: string = RBAC_PROPAGATION_WAIT): Sleep {
  singletonProvider(scope, 'time', (stack) => new TimeProvider(stack, 'time'));
  return new Sleep(scope, id, {
    createDuration,
    triggers: Object.fromEntries(assignments.map((a, i) => [`role_assignment_${i}`, a.id])),
    dependsOn: assignments,
  });
}

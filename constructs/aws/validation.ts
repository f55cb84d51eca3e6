import { IConstruct } from '../core/cdktf';

/**
 * Throws the construct-time validation error every AWS construct uses: it names the
 * construct path, the field, the bad value and what is allowed, so a failing synth points
 * straight at the environment file entry to fix.
 */
export function invalidProp(scope: IConstruct, field: string, value: unknown, allowed: string): never {
  throw new Error(`${scope.node.path}: invalid ${field} ${JSON.stringify(value)}: ${allowed}`);
}

/** AWS resource names (IAM roles, log groups, WAF, ALB ...) are derived from this prefix. */
export function checkNamePrefix(scope: IConstruct, field: string, value: string, maxLength: number): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > maxLength) {
    invalidProp(scope, field, value, `use lowercase letters, digits and "-", at most ${maxLength} characters`);
  }
}

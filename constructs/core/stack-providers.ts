import { Construct, TerraformProvider, TerraformStack } from './cdktf';

/**
 * Returns the stack's provider of the given Terraform type, creating it with `create` the
 * first time. Several constructs need the same default provider (`tls`, `kubernetes`, `helm`)
 * and Terraform allows one default provider per type in a stack.
 */
export function singletonProvider<T extends TerraformProvider>(scope: Construct, terraformResourceType: string, create: (stack: TerraformStack) => T): T {
  const stack = TerraformStack.of(scope);
  const existing = stack.node
    .findAll()
    .find((c) => c instanceof TerraformProvider && (c as TerraformProvider).terraformResourceType === terraformResourceType && !(c as TerraformProvider).alias);
  return (existing as T | undefined) ?? create(stack);
}

import { Construct, TerraformProvider, TerraformStack } from '../core/cdktf';

/**
 * The stack's default (un-aliased) provider of a Terraform type, created on first use.
 * Terraform allows one default provider per type in a stack and several constructs need the
 * same one (tls, konnect), whoever comes first.
 */
export function defaultProvider<T extends TerraformProvider>(scope: Construct, terraformType: string, create: (stack: TerraformStack) => T): T {
  const stack = TerraformStack.of(scope);
  const existing = stack.node
    .findAll()
    .find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformResourceType === terraformType && !c.alias);
  return (existing as T | undefined) ?? create(stack);
}

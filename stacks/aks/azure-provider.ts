import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Construct, TerraformVariable } from '../../constructs/core/cdktf';

/** Name of the Terraform variable that may carry the subscription id. */
export const SUBSCRIPTION_VARIABLE = 'azure_subscription_id';

/**
 * The stack's default azurerm provider. The subscription is never in source: it comes from
 * `TF_VAR_azure_subscription_id` (or `-var azure_subscription_id=...`), and when that is unset
 * (null) the provider falls back to `ARM_SUBSCRIPTION_ID`. Credentials come from the usual
 * azurerm sources (Azure CLI login, OIDC federation in CI, managed identity).
 */
export function createAzurermProvider(scope: Construct): AzurermProvider {
  const subscription = new TerraformVariable(scope, SUBSCRIPTION_VARIABLE, {
    type: 'string',
    nullable: true,
    description: 'Azure subscription id; when null (unset), the provider reads ARM_SUBSCRIPTION_ID',
  });
  // Optional without a default in source: null means "not set", so the provider's own
  // ARM_SUBSCRIPTION_ID fallback applies (an empty string would override it).
  subscription.addOverride('default', null);
  return new AzurermProvider(scope, 'azurerm', {
    features: [{}],
    subscriptionId: subscription.stringValue,
    // Data-plane calls (blob containers) with Entra ID: storage accounts here have shared keys off.
    storageUseAzuread: true,
  });
}

/** Azure tags of every resource of a stack (Azure tag names must not contain "/"). */
export function azureTags(environment: string, stackId: string, extra: Record<string, string>): Record<string, string> {
  return { ...extra, 'kong-platform-environment': environment, 'kong-platform-stack': stackId, ManagedBy: 'terraform' };
}

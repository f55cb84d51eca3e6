import { Construct, TerraformStack, TerraformVariable } from '../core/cdktf';
import { KonnectRegion, konnectServerUrl } from './endpoints';
import { KonnectProvider } from './provider/konnect-provider';
import { singletonProvider } from '../core/stack-providers';

/** Name of the sensitive Terraform variable carrying the Konnect token. */
export const KONNECT_TOKEN_VARIABLE = 'konnect_token';

/** Where the Konnect provider gets its token. */
export type KonnectTokenSource = 'variable' | 'environment';

/** Options of {@link konnectProviderFor}. */
export interface KonnectApiOptions {
  /** Konnect region of the organization. */
  readonly region: KonnectRegion;
  /**
   * `variable`: the sensitive variable `konnect_token` (`TF_VAR_konnect_token`); a plan without it
   * stops with Terraform's "No value for required variable" and the variable's description.
   * `environment`: the provider reads `KONNECT_TOKEN` / `KONNECT_SPAT` itself.
   * @default variable
   */
  readonly tokenSource?: KonnectTokenSource;
}

/**
 * The stack's Konnect provider, created on first use. The token never appears in the
 * synthesized JSON: only a reference to the sensitive variable does.
 */
export function konnectProviderFor(scope: Construct, options: KonnectApiOptions): KonnectProvider {
  const tokenSource = options.tokenSource ?? 'variable';
  const provider = singletonProvider(scope, KonnectProvider.tfResourceType, (stack) => {
    const serverUrl = konnectServerUrl(options.region);
    if (tokenSource === 'environment') return new KonnectProvider(stack, 'konnect-provider', { serverUrl });
    const token = konnectTokenVariable(stack);
    // kpat_ tokens go to personal_access_token, spat_ tokens to system_account_access_token.
    const isSystemAccount = `startswith(${token}, "spat_")`;
    return new KonnectProvider(stack, 'konnect-provider', {
      serverUrl,
      personalAccessToken: `\${${isSystemAccount} ? null : ${token}}`,
      systemAccountAccessToken: `\${${isSystemAccount} ? ${token} : null}`,
    });
  });
  const expectedUrl = konnectServerUrl(options.region);
  const actualUrl = provider.serverUrl;
  if (actualUrl !== undefined && actualUrl !== expectedUrl) {
    throw new Error(
      `${scope.node.path}: the stack's Konnect provider already targets ${actualUrl}, this construct needs ${expectedUrl}; ` +
        'one stack serves one Konnect region (use an aliased KonnectProvider for a second one)',
    );
  }
  return provider;
}

/** Expression reference to the token variable, creating it once per stack. */
function konnectTokenVariable(stack: TerraformStack): string {
  const existing = stack.node.tryFindChild(KONNECT_TOKEN_VARIABLE);
  if (!existing) {
    const variable = new TerraformVariable(stack, KONNECT_TOKEN_VARIABLE, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description:
        'Kong Konnect access token: a system account token (spat_..., for CI) or a personal access token (kpat_...). ' +
        'Set it in the environment as TF_VAR_konnect_token; never write it in a file. See docs/konnect.md.',
      validation: [
        {
          condition: `\${can(regex("^(kpat|spat)_[A-Za-z0-9]{20,}$", var.${KONNECT_TOKEN_VARIABLE}))}`,
          errorMessage:
            'konnect_token must be a Konnect personal access token (kpat_...) or system account token (spat_...). ' +
            'Create one in Konnect (Organization > System accounts, or Personal access tokens) and export TF_VAR_konnect_token.',
        },
      ],
    });
    // A stable, documented name (TF_VAR_konnect_token) regardless of where the construct sits.
    variable.overrideLogicalId(KONNECT_TOKEN_VARIABLE);
  }
  return `var.${KONNECT_TOKEN_VARIABLE}`;
}

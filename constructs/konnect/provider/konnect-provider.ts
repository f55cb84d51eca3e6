import { Construct, TerraformProvider, stringToTerraform } from '../../core/cdktf';
import { KONNECT_GENERATOR_METADATA, KONNECT_PROVIDER_SOURCE } from './provider-metadata';

/**
 * Configuration of the `konnect` provider. Every credential is optional: when none is set the
 * provider reads `KONNECT_TOKEN` (personal access token) or `KONNECT_SPAT` (system account
 * access token) from its environment, and `KONNECT_SERVER_URL` for the server URL.
 */
export interface KonnectProviderConfig {
  /**
   * Regional Konnect API, e.g. `https://eu.api.konghq.com`. Control planes are regional
   * entities, so this must be the region the organization's control planes live in.
   * @default the provider's own default (global API); set it, the global API does not serve control planes
   */
  readonly serverUrl?: string;
  /**
   * Personal access token (`kpat_...`). Sensitive: pass a Terraform variable or leave unset.
   * @default unset (the provider reads `KONNECT_TOKEN`)
   */
  readonly personalAccessToken?: string;
  /**
   * System account access token (`spat_...`), the right credential for CI. Sensitive.
   * @default unset (the provider reads `KONNECT_SPAT`)
   */
  readonly systemAccountAccessToken?: string;
  /** Provider alias, for a second Konnect organization or region in the same stack. @default none */
  readonly alias?: string;
}

/** The `kong/konnect` Terraform provider (Kong Konnect SaaS API). */
export class KonnectProvider extends TerraformProvider {
  public static readonly tfResourceType = 'konnect';

  private readonly config: KonnectProviderConfig;

  constructor(scope: Construct, id: string, config: KonnectProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: KonnectProvider.tfResourceType,
      terraformGeneratorMetadata: KONNECT_GENERATOR_METADATA,
      terraformProviderSource: KONNECT_PROVIDER_SOURCE,
    });
    this.config = config;
    this.alias = config.alias;
  }

  /** The configured `server_url`, if any. */
  public get serverUrl(): string | undefined {
    return this.config.serverUrl;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      alias: stringToTerraform(this.alias),
      server_url: stringToTerraform(this.config.serverUrl),
      personal_access_token: stringToTerraform(this.config.personalAccessToken),
      system_account_access_token: stringToTerraform(this.config.systemAccountAccessToken),
    };
  }
}

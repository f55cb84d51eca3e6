import { Construct, TerraformResource, stringToTerraform } from '../../core/cdktf';
import type { TerraformMetaArguments } from '../../core/cdktf';
import { konnectElementOptions } from './provider-metadata';

/** Inputs of `konnect_gateway_data_plane_client_certificate`. */
export interface GatewayDataPlaneClientCertificateConfig extends TerraformMetaArguments {
  /** `cert`: PEM certificate (public part only) the control plane pins. Forces replacement. */
  readonly cert: string;
  /** `control_plane_id`: UUID of the control plane. Forces replacement. */
  readonly controlPlaneId: string;
}

/**
 * `konnect_gateway_data_plane_client_certificate`: registers a data plane client certificate
 * with a control plane (pinned mode: the certificate itself; PKI mode: the issuing CA).
 * Schema (provider 3.7.0): `cert` and `control_plane_id` (both required, both force replacement);
 * `id`, `created_at`, `updated_at` computed. There is no `title` argument before provider 3.17.0:
 * do not add one while the pin is 3.7.0 (test/konnect/provider-schema.test.ts checks every key).
 */
export class GatewayDataPlaneClientCertificate extends TerraformResource {
  public static readonly tfResourceType = 'konnect_gateway_data_plane_client_certificate';

  private readonly config: GatewayDataPlaneClientCertificateConfig;

  constructor(scope: Construct, id: string, config: GatewayDataPlaneClientCertificateConfig) {
    super(scope, id, konnectElementOptions(GatewayDataPlaneClientCertificate.tfResourceType, config));
    this.config = config;
  }

  /** `id` (computed): the certificate entity's UUID. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      cert: stringToTerraform(this.config.cert),
      control_plane_id: stringToTerraform(this.config.controlPlaneId),
    };
  }
}

import { Construct, TerraformDataSource, stringToTerraform } from '../../core/cdktf';
import type { TerraformMetaArguments } from '../../core/cdktf';
import { konnectElementOptions } from './provider-metadata';

/** Inputs of the `konnect_gateway_control_plane` data source. */
export interface DataGatewayControlPlaneConfig extends TerraformMetaArguments {
  /** UUID of the existing control plane, sent as `filter.id.eq`. */
  readonly id: string;
}

/**
 * `konnect_gateway_control_plane` data source: reads an existing control plane (created in the
 * Konnect UI or by another team's stack) so data planes can join it.
 * Schema (provider 3.x): `filter` { `id` { `eq` } } in, `config.control_plane_endpoint` and
 * `config.telemetry_endpoint` out (docs/data-sources/gateway_control_plane.md). Provider 2.x
 * took a top-level `id` instead; the version pin in provider-metadata.ts guards this.
 */
export class DataGatewayControlPlane extends TerraformDataSource {
  public static readonly tfResourceType = 'konnect_gateway_control_plane';

  private readonly config: DataGatewayControlPlaneConfig;

  constructor(scope: Construct, id: string, config: DataGatewayControlPlaneConfig) {
    super(scope, id, konnectElementOptions(DataGatewayControlPlane.tfResourceType, config));
    this.config = config;
  }

  /** `id` (computed). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** `config.control_plane_endpoint` (computed). */
  public get controlPlaneEndpoint(): string {
    return this.getStringAttribute('config.control_plane_endpoint');
  }

  /** `config.telemetry_endpoint` (computed). */
  public get telemetryEndpoint(): string {
    return this.getStringAttribute('config.telemetry_endpoint');
  }

  /** `config.cluster_type` (computed). */
  public get clusterType(): string {
    return this.getStringAttribute('config.cluster_type');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      filter: { id: { eq: stringToTerraform(this.config.id) } },
    };
  }
}

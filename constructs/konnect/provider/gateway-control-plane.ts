import { Construct, TerraformResource, hashMapper, stringToTerraform } from '../../core/cdktf';
import type { TerraformMetaArguments } from '../../core/cdktf';
import { konnectElementOptions } from './provider-metadata';

/** Cluster types of `konnect_gateway_control_plane` this platform supports. */
export type KonnectClusterType = 'CLUSTER_TYPE_CONTROL_PLANE' | 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER';

/** How data planes authenticate to the control plane. */
export type KonnectAuthType = 'pinned_client_certs' | 'pki_client_certs';

/** Inputs of `konnect_gateway_control_plane`. */
export interface GatewayControlPlaneConfig extends TerraformMetaArguments {
  /** `name`: the control plane's name in Konnect. */
  readonly name: string;
  /** `description`. @default none */
  readonly description?: string;
  /** `cluster_type` (forces replacement). @default provider default (CLUSTER_TYPE_CONTROL_PLANE) */
  readonly clusterType?: KonnectClusterType;
  /** `auth_type`. @default provider default (pinned_client_certs) */
  readonly authType?: KonnectAuthType;
  /** `labels`: keys 1-63 characters, not starting with kong, konnect, mesh, kic or `_`. @default none */
  readonly labels?: { [key: string]: string };
}

/**
 * `konnect_gateway_control_plane`: a Kong Gateway control plane hosted by Konnect.
 * Schema: registry.terraform.io/providers/kong/konnect, docs/resources/gateway_control_plane.md.
 */
export class GatewayControlPlane extends TerraformResource {
  public static readonly tfResourceType = 'konnect_gateway_control_plane';

  private readonly config: GatewayControlPlaneConfig;

  constructor(scope: Construct, id: string, config: GatewayControlPlaneConfig) {
    super(scope, id, konnectElementOptions(GatewayControlPlane.tfResourceType, config));
    this.config = config;
  }

  /** `id` (computed): the control plane's UUID. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** `config.control_plane_endpoint` (computed), e.g. `https://1a2b3c4d5e.us.cp0.konghq.com`. */
  public get controlPlaneEndpoint(): string {
    // `config` is a single nested attribute (not a block list), so no `.0` index in the path.
    return this.getStringAttribute('config.control_plane_endpoint');
  }

  /** `config.telemetry_endpoint` (computed), e.g. `https://1a2b3c4d5e.us.tp0.konghq.com`. */
  public get telemetryEndpoint(): string {
    return this.getStringAttribute('config.telemetry_endpoint');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: stringToTerraform(this.config.name),
      description: stringToTerraform(this.config.description),
      cluster_type: stringToTerraform(this.config.clusterType),
      auth_type: stringToTerraform(this.config.authType),
      labels: hashMapper(stringToTerraform)(this.config.labels),
    };
  }
}

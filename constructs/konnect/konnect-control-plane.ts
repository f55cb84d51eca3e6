import { Construct } from '../core/cdktf';
import { KonnectRegion, endpointHostPortToken, endpointHostToken, konnectKicApiHostname } from './endpoints';
import { KonnectTokenSource, konnectProviderFor } from './konnect-api';
import { DataGatewayControlPlane } from './provider/data-gateway-control-plane';
import { GatewayControlPlane, KonnectAuthType, KonnectClusterType } from './provider/gateway-control-plane';
import { GatewayCustomPluginSchema } from './provider/gateway-custom-plugin-schema';
import { GatewayDataPlaneClientCertificate } from './provider/gateway-data-plane-client-certificate';
import { KonnectProvider } from './provider/konnect-provider';

/** Options of {@link KonnectControlPlane}. */
export interface KonnectControlPlaneProps {
  /** Konnect region of the organization. */
  readonly region: KonnectRegion;
  /** Control plane name (ignored with `existingId`). */
  readonly name: string;
  /** Description in Konnect. @default none */
  readonly description?: string;
  /** @default CLUSTER_TYPE_CONTROL_PLANE */
  readonly clusterType?: KonnectClusterType;
  /** @default pinned_client_certs */
  readonly authType?: KonnectAuthType;
  /** Labels on the control plane. @default none */
  readonly labels?: { [key: string]: string };
  /** UUID of an existing control plane to join instead of creating one. @default create one */
  readonly existingId?: string;
  /** Token source of the stack's Konnect provider (ignored when `provider` is given). @default variable */
  readonly tokenSource?: KonnectTokenSource;
  /** Refuse `terraform destroy` of the control plane (it holds all gateway configuration). @default false */
  readonly preventDestroy?: boolean;
  /** Konnect provider. @default the stack's provider for `region` (created if missing) */
  readonly provider?: KonnectProvider;
}

const RESERVED_LABEL_PREFIXES = ['kong', 'konnect', 'mesh', 'kic', '_'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A Kong Konnect gateway control plane (created, or an existing one looked up by id) and the
 * kong.conf values data planes need to reach it.
 */
export class KonnectControlPlane extends Construct {
  /** The Konnect provider its resources use. */
  public readonly provider: KonnectProvider;
  /** Control plane UUID (token). */
  public readonly controlPlaneId: string;
  /** `https://<id>.<region>.cp0.konghq.com` (token). */
  public readonly controlPlaneEndpoint: string;
  /** `https://<id>.<region>.tp0.konghq.com` (token). */
  public readonly telemetryEndpoint: string;
  /** kong.conf `cluster_control_plane`: endpoint host with `:443`. */
  public readonly clusterControlPlane: string;
  /** kong.conf `cluster_server_name`: endpoint host. */
  public readonly clusterServerName: string;
  /** kong.conf `cluster_telemetry_endpoint`: telemetry host with `:443`. */
  public readonly clusterTelemetryEndpoint: string;
  /** kong.conf `cluster_telemetry_server_name`: telemetry host. */
  public readonly clusterTelemetryServerName: string;
  /** Cluster type as configured. */
  public readonly clusterType: KonnectClusterType;
  /** Auth type as configured. */
  public readonly authType: KonnectAuthType;
  /** Host the Kong Ingress Controller pushes to in Konnect mode (`<region>.kic.api.konghq.com`). */
  public readonly kicApiHostname: string;
  /** The created control plane, when not joining an existing one. */
  public readonly resource?: GatewayControlPlane;

  constructor(scope: Construct, id: string, props: KonnectControlPlaneProps) {
    super(scope, id);
    this.clusterType = props.clusterType ?? 'CLUSTER_TYPE_CONTROL_PLANE';
    this.authType = props.authType ?? 'pinned_client_certs';
    this.validate(props);
    this.provider = props.provider ?? konnectProviderFor(this, { region: props.region, tokenSource: props.tokenSource });
    this.kicApiHostname = konnectKicApiHostname(props.region);

    if (props.existingId) {
      const existing = new DataGatewayControlPlane(this, 'existing', { provider: this.provider, id: props.existingId });
      this.controlPlaneId = existing.id;
      this.controlPlaneEndpoint = existing.controlPlaneEndpoint;
      this.telemetryEndpoint = existing.telemetryEndpoint;
    } else {
      this.resource = new GatewayControlPlane(this, 'resource', {
        provider: this.provider,
        name: props.name,
        description: props.description,
        clusterType: this.clusterType,
        authType: this.authType,
        labels: props.labels,
        // The control plane holds every gateway entity: in production a destroy must be deliberate.
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      });
      this.controlPlaneId = this.resource.id;
      this.controlPlaneEndpoint = this.resource.controlPlaneEndpoint;
      this.telemetryEndpoint = this.resource.telemetryEndpoint;
    }
    this.clusterControlPlane = endpointHostPortToken(this.controlPlaneEndpoint);
    this.clusterServerName = endpointHostToken(this.controlPlaneEndpoint);
    this.clusterTelemetryEndpoint = endpointHostPortToken(this.telemetryEndpoint);
    this.clusterTelemetryServerName = endpointHostToken(this.telemetryEndpoint);
  }

  /**
   * Registers a data plane certificate: the certificate itself (pinned mode) or its issuing CA
   * (PKI mode). Create-before-destroy, so a rotation registers the new one before the old goes.
   */
  public registerDataPlaneCertificate(id: string, certPem: string): GatewayDataPlaneClientCertificate {
    return new GatewayDataPlaneClientCertificate(this, id, {
      provider: this.provider,
      controlPlaneId: this.controlPlaneId,
      cert: certPem,
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Uploads a custom plugin's `schema.lua` so the plugin can be configured in Konnect. */
  public addCustomPluginSchema(pluginName: string, luaSchema: string): GatewayCustomPluginSchema {
    if (!/^[a-z0-9][a-z0-9-_]*$/.test(pluginName)) {
      throw new Error(`${this.node.path}: custom plugin name must be lowercase letters, digits, "-" or "_", got "${pluginName}"`);
    }
    if (!/\bname\s*=/.test(luaSchema) || !/\bfields\s*=/.test(luaSchema)) {
      throw new Error(`${this.node.path}: schema.lua of custom plugin "${pluginName}" must return a table with name and fields (Kong plugin schema)`);
    }
    return new GatewayCustomPluginSchema(this, `plugin-schema-${pluginName}`, {
      provider: this.provider,
      controlPlaneId: this.controlPlaneId,
      luaSchema,
    });
  }

  private validate(props: KonnectControlPlaneProps): void {
    const path = this.node.path;
    if (props.existingId !== undefined && !UUID.test(props.existingId)) {
      throw new Error(`${path}: existingId must be a control plane UUID (e.g. 9524ec7d-36d9-465d-a8c5-83a3c9390458), got "${props.existingId}"`);
    }
    if (props.existingId === undefined && (!props.name || props.name.length > 100)) {
      throw new Error(`${path}: name must be 1-100 characters, got "${props.name}"`);
    }
    for (const key of Object.keys(props.labels ?? {})) {
      if (key.length < 1 || key.length > 63 || RESERVED_LABEL_PREFIXES.some((p) => key.startsWith(p))) {
        throw new Error(`${path}: label key "${key}" is not allowed: keys are 1-63 characters and must not start with ${RESERVED_LABEL_PREFIXES.join(', ')}`);
      }
    }
  }
}

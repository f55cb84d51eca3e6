import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct, ITerraformDependable } from '../core/cdktf';
import { HelmValues } from '../core/platform-add-on';
import { mergeValues } from '../core/values-merge';
import { HelmReleaseOptions } from '../kubernetes/hardened-helm-release';
import { ContainerImage } from './container-image';
import { recordEscapeHatch } from '../policy/escape-hatches';
import { baseValues, KongChartOptions, kongChartRelease, resolveKongRelease } from './kong-chart';
import { DeploymentProfile, ResourceRequirements } from './profiles';
import { gatewayValues } from './values/gateway-values';

/** HorizontalPodAutoscaler settings of the gateway. */
export interface GatewayAutoscalingOptions {
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 6 */
  readonly maxReplicas?: number;
  /** Average CPU utilisation target, percent. @default 70 */
  readonly targetCpuUtilization?: number;
}

/** The Kubernetes Service in front of the proxy pods. */
export interface ProxyServiceOptions {
  /** @default "ClusterIP" (the edge load balancer reaches the pods directly) */
  readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  /** @default none */
  readonly annotations?: Record<string, string>;
  /** @default none */
  readonly loadBalancerSourceRanges?: string[];
}

/** Tunables of the gateway; everything has a profile default. */
export interface KongGatewayOptions {
  /** Fixed replica count (ignored with autoscaling). @default profile: 1 (dev), 3 (ha) */
  readonly replicas?: number;
  /** Use an HPA instead of a fixed count. @default none */
  readonly autoscaling?: GatewayAutoscalingOptions;
  /** @default profile */
  readonly resources?: ResourceRequirements;
  /** Kong response headers; `off` hides the version and latency headers. @default "off" */
  readonly headers?: 'off' | string[];
  /** CIDRs of the load balancer in front of Kong, trusted for `realIpHeader`. @default none */
  readonly trustedIps?: string[];
  /** @default "X-Forwarded-For" */
  readonly realIpHeader?: string;
  /** Seconds `kong quit` drains on shutdown. @default profile: 5 (dev), 30 (ha) */
  readonly drainTimeoutSeconds?: number;
  /** @default ClusterIP */
  readonly proxyService?: ProxyServiceOptions;
  /** Values merged last (layer 6 of docs/helm-values.md). @default none */
  readonly extraValues?: HelmValues;
  /** How `extraValues` is named to its user, in policy findings (`gateway.extraValues`). @default 'extraValues' */
  readonly escapeHatchField?: string;
}

export interface KongGatewayProps extends KongGatewayOptions {
  /** Namespace (must exist). */
  readonly namespace: string;
  /** @default "kong-gateway" */
  readonly releaseName?: string;
  /** Kong Gateway image. Must be pinned by digest when `production`. */
  readonly image: ContainerImage;
  /** Existing image pull secret in the namespace. @default none */
  readonly pullSecretName?: string;
  /** @default DeploymentProfile.DEV, or HA when production */
  readonly profile?: DeploymentProfile;
  /** Production: digest-pinned image and the HA profile are required. @default false */
  readonly production?: boolean;
  /**
   * The Admin API's mutual TLS material (see AdminApiMtls). Without it the Admin API only
   * listens on loopback inside the pod (no controller talks to it, e.g. Konnect data planes).
   * @default Admin API on loopback only
   */
  readonly adminApi?: {
    /** Secret (kubernetes.io/tls) with the Admin API server certificate; its `ca.crt` verifies the controller's client certificates. */
    readonly serverSecretName: string;
    /** Pod annotations that change when the certificate does (AdminApiMtls.gatewayPodAnnotations). @default none */
    readonly podAnnotations?: Record<string, string>;
  };
  /** Values from other constructs (plugins, add-ons), merged in order before `extraValues`. @default none */
  readonly additionalValues?: HelmValues[];
  /** @default kong chart 3.4.1 */
  readonly chart?: KongChartOptions;
  /** @default hardened release defaults */
  readonly release?: HelmReleaseOptions;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Kong Gateway data plane: a release of the kong chart with the controller off,
 * DB-less, hardened, the Admin API as a headless ClusterIP Service over mutual TLS, and
 * the availability settings of its profile.
 */
export class KongGateway extends Construct {
  public readonly releaseName: string;
  /** The Helm release, for `dependsOn`. */
  public readonly release: Release;
  /** The merged values, for review and tests. */
  public readonly values: HelmValues;

  constructor(scope: Construct, id: string, props: KongGatewayProps) {
    super(scope, id);
    const { profile, defaults } = resolveKongRelease(this, props);
    this.releaseName = props.releaseName ?? 'kong-gateway';
    const autoscaling = props.autoscaling
      ? { minReplicas: props.autoscaling.minReplicas ?? 2, maxReplicas: props.autoscaling.maxReplicas ?? 6, targetCpuUtilization: props.autoscaling.targetCpuUtilization ?? 70 }
      : undefined;
    const replicas = props.replicas ?? defaults.gatewayReplicas;
    if (autoscaling && autoscaling.minReplicas > autoscaling.maxReplicas) {
      throw new Error(`${this.node.path}: autoscaling.minReplicas (${autoscaling.minReplicas}) must not exceed maxReplicas (${autoscaling.maxReplicas})`);
    }
    const effectiveMin = autoscaling ? autoscaling.minReplicas : replicas;
    if (profile === DeploymentProfile.HA && effectiveMin < 2) {
      throw new Error(`${this.node.path}: ${autoscaling ? 'autoscaling.minReplicas' : 'replicas'} must be at least 2 in the ha profile, got ${effectiveMin}`);
    }
    const computed = gatewayValues({
      releaseName: this.releaseName,
      image: props.image,
      pullSecretName: props.pullSecretName,
      replicas,
      autoscaling,
      resources: props.resources ?? defaults.gatewayResources,
      initContainerResources: defaults.initContainerResources,
      // A PodDisruptionBudget with a single pod blocks node drains, and the chart refuses it.
      podDisruptionBudget: defaults.podDisruptionBudget && effectiveMin >= 2,
      zoneSpread: defaults.zoneSpread,
      drainTimeoutSeconds: props.drainTimeoutSeconds ?? defaults.drainTimeoutSeconds,
      headers: props.headers ?? 'off',
      trustedIps: props.trustedIps ?? [],
      realIpHeader: props.realIpHeader ?? 'X-Forwarded-For',
      adminServerSecretName: props.adminApi?.serverSecretName,
      adminPodAnnotations: props.adminApi?.podAnnotations,
      proxyService: {
        type: props.proxyService?.type ?? 'ClusterIP',
        annotations: props.proxyService?.annotations ?? {},
        loadBalancerSourceRanges: props.proxyService?.loadBalancerSourceRanges ?? [],
      },
    });
    const layers = [baseValues('kong-gateway.yaml'), computed, ...(props.additionalValues ?? []), props.extraValues];
    this.values = mergeValues(...layers);
    // Helm replaces lists, but every layer's secret volumes must be mounted (Admin API
    // certificate, cluster certificate, ...): the one list that is a union.
    const secretVolumes = [...new Set(layers.flatMap((l) => (Array.isArray(l?.secretVolumes) ? (l!.secretVolumes as string[]) : [])))];
    if (secretVolumes.length > 0) this.values.secretVolumes = secretVolumes;

    this.release = kongChartRelease(this, {
      releaseName: this.releaseName,
      namespace: props.namespace,
      values: this.values,
      chart: props.chart,
      release: props.release,
      dependsOn: props.dependsOn,
    });
    recordEscapeHatch(this.release, props.escapeHatchField ?? 'extraValues', props.extraValues);
  }
}

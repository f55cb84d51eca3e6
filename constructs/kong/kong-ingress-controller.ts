import { recordEscapeHatch } from '../policy/escape-hatches';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct, ITerraformDependable } from '../core/cdktf';
import { HelmValues } from '../core/platform-add-on';
import { mergeValues } from '../core/values-merge';
import { HelmReleaseOptions } from '../kubernetes/hardened-helm-release';
import { ContainerImage } from './container-image';
import { baseValues, KongChartOptions, kongChartRelease, resolveKongRelease } from './kong-chart';
import { DeploymentProfile, ResourceRequirements } from './profiles';
import { controllerValues } from './values/controller-values';

/** Tunables of the controller; everything has a profile default. */
export interface KongIngressControllerOptions {
  /** Replicas (one leader, the others on standby). @default profile: 1 (dev), 2 (ha) */
  readonly replicas?: number;
  /** @default profile */
  readonly resources?: ResourceRequirements;
  /** IngressClass the controller owns. @default "kong" */
  readonly ingressClass?: string;
  /** Namespaces watched; empty watches all. @default all */
  readonly watchNamespaces?: string[];
  /** Values merged last (layer 6 of docs/helm-values.md). @default none */
  readonly extraValues?: HelmValues;
  /** How `extraValues` is named to its user, in policy findings (`controller.extraValues`). @default 'extraValues' */
  readonly escapeHatchField?: string;
}

export interface KongIngressControllerProps extends KongIngressControllerOptions {
  readonly namespace: string;
  /** @default "kong-controller" */
  readonly releaseName?: string;
  /** Release name of the gateway whose pods the controller discovers and configures. */
  readonly gatewayReleaseName: string;
  /** KIC image. Must be pinned by digest when `production`. */
  readonly image: ContainerImage;
  /** The gateway's image (the chart renders it even with the gateway Deployment off). */
  readonly gatewayImage: ContainerImage;
  /** @default none */
  readonly pullSecretName?: string;
  /** @default DEV, or HA when production */
  readonly profile?: DeploymentProfile;
  /** @default false */
  readonly production?: boolean;
  /** Secret (kubernetes.io/tls) with the controller's Admin API client certificate. */
  readonly adminClientSecretName: string;
  /** Name in the Admin API server certificate. */
  readonly adminServerName: string;
  /** Pod annotations that change when the client certificate does (AdminApiMtls.controllerPodAnnotations). @default none */
  readonly adminPodAnnotations?: Record<string, string>;
  /** @default none */
  readonly additionalValues?: HelmValues[];
  /** @default kong chart 3.4.1 */
  readonly chart?: KongChartOptions;
  /** @default hardened release defaults */
  readonly release?: HelmReleaseOptions;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Kong Ingress Controller as its own release of the kong chart (gateway Deployment off),
 * discovering the gateway pods through their headless Admin API Service and talking to
 * them over mutual TLS, with the server certificate verified.
 */
export class KongIngressController extends Construct {
  public readonly releaseName: string;
  public readonly release: Release;
  public readonly values: HelmValues;

  constructor(scope: Construct, id: string, props: KongIngressControllerProps) {
    super(scope, id);
    const { profile, defaults } = resolveKongRelease(this, props);
    this.releaseName = props.releaseName ?? 'kong-controller';
    if (this.releaseName === props.gatewayReleaseName) {
      throw new Error(`${this.node.path}: releaseName must differ from gatewayReleaseName ("${props.gatewayReleaseName}")`);
    }
    const replicas = props.replicas ?? defaults.controllerReplicas;
    if (profile === DeploymentProfile.HA && replicas < 2) {
      throw new Error(`${this.node.path}: replicas must be at least 2 in the ha profile, got ${replicas}`);
    }
    const computed = controllerValues({
      releaseName: this.releaseName,
      namespace: props.namespace,
      gatewayReleaseName: props.gatewayReleaseName,
      image: props.image,
      gatewayImage: props.gatewayImage,
      pullSecretName: props.pullSecretName,
      replicas,
      resources: props.resources ?? defaults.controllerResources,
      initContainerResources: defaults.initContainerResources,
      podDisruptionBudget: defaults.podDisruptionBudget && replicas >= 2,
      zoneSpread: defaults.zoneSpread,
      ingressClass: props.ingressClass ?? 'kong',
      watchNamespaces: props.watchNamespaces ?? [],
      admissionWebhookFailurePolicy: defaults.admissionWebhookFailurePolicy,
      adminClientSecretName: props.adminClientSecretName,
      adminServerName: props.adminServerName,
      podAnnotations: props.adminPodAnnotations ?? {},
    });
    this.values = mergeValues(baseValues('kong-controller.yaml'), computed, ...(props.additionalValues ?? []), props.extraValues);

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

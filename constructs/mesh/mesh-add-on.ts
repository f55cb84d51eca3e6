import { isReservedNamespace } from '../kubernetes/system-namespaces';
import { Construct } from '../core/cdktf';
import type { HelmValues, KongReleases, PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { MeshSection, checkMeshRules, effectiveControlPlaneReplicas, effectiveMeshNamespace, effectiveMtlsMode } from './mesh-section';
import { MeshCniOptions, MeshControlPlane, MeshImages, MeshLicense, MeshProduct } from './mesh-control-plane';
import { meshGatewayPodAnnotations, meshGatewayPodLabels, meshNamespaceLabels, meshSystemNamespaceLabels } from './mesh-labels';
import { MeshNetworkPolicies } from './mesh-network-policies';
import { MeshPolicies } from './mesh-policies';
import type { BuiltinMtlsOptions } from './mesh-resource';
import { MeshServiceDeclaration, TrafficEdgeDeclaration, TrafficMatrix } from './traffic-matrix';

/** Properties of {@link MeshAddOn}. */
export interface MeshAddOnProps {
  /** Distribution: Kong Mesh (licensed) or open-source Kuma. */
  readonly product: MeshProduct;
  /** Exact 2.x chart version. */
  readonly chartVersion: string;
  /** Control plane namespace. @default kong-mesh-system or kuma-system */
  readonly namespace?: string;
  /** Kong Mesh licence Secret (required for kong-mesh). */
  readonly license?: MeshLicense;
  /** Control plane replicas (PodDisruptionBudget from 2). */
  readonly controlPlaneReplicas: number;
  /** Builtin CA mTLS; production requires `STRICT`. */
  readonly mtls: BuiltinMtlsOptions;
  /** Kuma CNI (keeps application pods free of privileged init containers). @default init container */
  readonly cni?: MeshCniOptions;
  /** Images from the private registry, pinned by digest. @default the chart's public images */
  readonly images?: MeshImages;
  /** Services in the traffic matrix. */
  readonly services: MeshServiceDeclaration[];
  /** Allowed calls. */
  readonly traffic: TrafficEdgeDeclaration[];
  /** Mesh name. @default default */
  readonly meshName?: string;
  /** Seconds Helm waits per release. @default 600 */
  readonly timeoutSeconds?: number;
  /** Helm history kept per release. @default 10 */
  readonly maxHistory?: number;
  /**
   * Helm values merged last onto the control plane release, like the gateway's and controller's
   * `extraValues`, under the same policy guardrails (they check every Helm release's effective values).
   * @default none
   */
  readonly extraValues?: HelmValues;
}

/** Cluster facts {@link MeshAddOn.fromConfig} needs besides the `mesh:` section. */
export interface MeshEnvironmentFacts {
  /** Production environment (STRICT mTLS, HA control plane). */
  readonly production: boolean;
  /** `cloud` of the environment; picks the default CNI config file when `mesh.cni.confName` is not set. */
  readonly cloud: 'hybrid' | 'aws' | 'azure';
  /** The `images.mesh` images, resolved against `images.registry`. @default the chart's public images */
  readonly images?: MeshImages;
}

const CLOUD_CNI_CONF: Record<string, string | undefined> = { aws: '10-aws.conflist', azure: '10-azure.conflist', hybrid: undefined };

/**
 * Kong Mesh for the Kong platform, as a platform add-on:
 * - values: the gateway pods join the mesh as a delegated gateway (`kuma.io/gateway: enabled`,
 *   injection opted in on the pod, since the Kong namespace itself is `disabled`);
 * - namespace labels: application namespaces `kuma.io/sidecar-injection: enabled`;
 * - deploy: control plane -> Mesh (mTLS) -> [Kong gateway] -> MeshTrafficPermissions, plus the
 *   NetworkPolicies of the same matrix.
 *
 * The gateway release is made to depend on the Mesh: the injector webhook must be running and the
 * mesh must exist before gateway pods are created, or they start without a sidecar (or are refused).
 */
export class MeshAddOn implements PlatformAddOn {
  /**
   * The add-on for an environment's `mesh:` section, or undefined when the mesh is disabled.
   * Assumes the section passed `meshSectionSchema` and `checkMeshRules`.
   */
  public static fromConfig(section: MeshSection, facts: MeshEnvironmentFacts): MeshAddOn | undefined {
    if (!section.enabled) return undefined;
    const cniConfName = section.cni.confName ?? CLOUD_CNI_CONF[facts.cloud];
    return new MeshAddOn({
      product: section.product,
      chartVersion: section.chartVersion,
      namespace: effectiveMeshNamespace(section),
      license: section.licenseSecretName ? { secretName: section.licenseSecretName } : undefined,
      controlPlaneReplicas: effectiveControlPlaneReplicas(section, facts.production),
      mtls: {
        mode: effectiveMtlsMode(section, facts.production),
        caRsaBits: section.mtls.caRsaBits,
        caExpiration: section.mtls.caExpiration,
        dpCertRotation: section.mtls.dpCertRotation,
      },
      cni: section.cni.enabled && cniConfName ? { confName: cniConfName } : undefined,
      services: section.services,
      traffic: section.traffic,
      images: facts.images,
    });
  }

  public readonly id = 'mesh';
  /** The resolved traffic matrix (also what the diagram is drawn from). */
  public readonly matrix: TrafficMatrix;
  /** Set by `deploy`. */
  public controlPlane?: MeshControlPlane;
  /** Set by `deploy`. */
  public policies?: MeshPolicies;
  /** Set by `deploy`. */
  public networkPolicies?: MeshNetworkPolicies;

  constructor(private readonly props: MeshAddOnProps) {
    const problems = TrafficMatrix.problems(props.services, props.traffic);
    if (problems.length > 0) {
      throw new Error(`MeshAddOn: invalid traffic matrix: ${problems.join('; ')}`);
    }
    this.matrix = TrafficMatrix.resolve(props.services, props.traffic);
  }

  /** The traffic matrix's NetworkPolicies replace the namespace-wide gateway allow. */
  public providesApplicationIngressPolicies(_context: PlatformContext): boolean {
    return true;
  }

  public gatewayValues(_context: PlatformContext): HelmValues {
    return { podAnnotations: meshGatewayPodAnnotations(), podLabels: meshGatewayPodLabels() };
  }

  public namespaceLabels(_context: PlatformContext): { system: Record<string, string>; applications: Record<string, string> } {
    return { system: meshSystemNamespaceLabels(true), applications: meshNamespaceLabels(true) };
  }

  /**
   * The control plane gets a namespace of its own (restricted labels, default-deny policies that
   * admit only sidecars): not Kong's, not an application's, not a system namespace. Production
   * meshes are STRICT mTLS; only application namespaces join the mesh.
   */
  public validate(context: PlatformContext): Array<{ field: string; value: unknown; message: string }> {
    const namespace = this.props.namespace ?? (this.props.product === 'kuma' ? 'kuma-system' : 'kong-mesh-system');
    const problems: Array<{ field: string; value: unknown; message: string }> = [];
    if (namespace === context.systemNamespace || context.applicationNamespaces.includes(namespace)) {
      problems.push({
        field: 'namespace',
        value: namespace,
        message: `must be a namespace of its own, not the ${namespace === context.systemNamespace ? 'Kong' : 'application'} namespace: the control plane's default-deny policies admit only sidecars`,
      });
    } else if (isReservedNamespace(namespace)) {
      problems.push({ field: 'namespace', value: namespace, message: 'must not be a Kubernetes or cloud system namespace' });
    }
    if (context.production && this.props.mtls.mode !== 'STRICT') {
      problems.push({ field: 'mtls.mode', value: this.props.mtls.mode, message: 'must be "STRICT" in a production environment: PERMISSIVE still accepts plaintext' });
    }
    const outside = this.matrix.namespaces.filter((ns) => !context.applicationNamespaces.includes(ns));
    if (outside.length > 0) {
      problems.push({
        field: 'services',
        value: outside,
        message: `services live in namespaces that are not application namespaces; only application namespaces (${context.applicationNamespaces.join(', ') || 'none'}) join the mesh`,
      });
    }
    // The mesh section's own cross-field rules (license, replicas, certificate lifetimes, ...), on
    // these props: a library user gets the rules an environment file gets. Those covered above
    // (mode, service namespaces) are not repeated.
    const covered = /^mesh\.(mtls\.mode|services\.\d+\.namespace)$/;
    for (const violation of checkMeshRules(this.asEnvironment(context))) {
      if (covered.test(violation.path)) continue;
      const field = violation.path.replace(/^mesh\.licenseSecretName$/, 'license.secretName').replace(/^mesh\./, '');
      problems.push({ field, value: valueAt(this.props, field), message: violation.message });
    }
    return problems;
  }

  /** These props as the `mesh:` section of an environment file (what checkMeshRules reads). */
  private asEnvironment(context: PlatformContext): Record<string, unknown> {
    const { product, license, cni, mtls, controlPlaneReplicas, services, traffic } = this.props;
    return {
      production: context.production,
      namespaces: { system: context.systemNamespace, applications: context.applicationNamespaces.map((name) => ({ name })) },
      mesh: {
        enabled: true,
        product,
        licenseSecretName: license?.secretName,
        cni: { enabled: cni !== undefined && cni.enabled !== false, confName: cni?.confName },
        mtls,
        controlPlaneReplicas,
        services,
        traffic,
      },
    };
  }

  public deploy(scope: Construct, context: PlatformContext, kong: KongReleases): void {
    const root = new Construct(scope, this.id);
    const gateway = { namespace: context.systemNamespace, releaseName: context.gatewayReleaseName };
    const release = { timeoutSeconds: this.props.timeoutSeconds, maxHistory: this.props.maxHistory };

    this.controlPlane = new MeshControlPlane(root, 'control-plane', {
      product: this.props.product,
      chartVersion: this.props.chartVersion,
      namespace: this.props.namespace,
      license: this.props.license,
      replicas: this.props.controlPlaneReplicas,
      cni: this.props.cni,
      images: this.props.images,
      extraValues: this.props.extraValues,
      pullSecretSourceNamespace: context.systemNamespace,
      ...release,
    });
    this.policies = new MeshPolicies(root, 'policies', {
      meshName: this.props.meshName,
      mtls: this.props.mtls,
      matrix: this.matrix,
      gateway,
      releaseNamespace: this.controlPlane.namespace,
      meshDependsOn: [this.controlPlane.release.release],
      permissionsDependsOn: [kong.gateway],
      timeout: this.props.timeoutSeconds,
      maxHistory: this.props.maxHistory,
    });
    // Gateway pods must be created after the injector webhook and the Mesh exist.
    const meshRelease = this.policies.meshChart.release;
    // A bare `<type>.<name>` address: `fqn` is an interpolation (`${...}`), which depends_on rejects.
    const meshAddress = `${meshRelease.terraformResourceType}.${meshRelease.friendlyUniqueId}`;
    kong.gateway.dependsOn = [...new Set([...(kong.gateway.dependsOn ?? []), meshAddress])];
    this.networkPolicies = new MeshNetworkPolicies(root, 'network-policies', {
      matrix: this.matrix,
      gateway,
      controlPlaneNamespace: this.controlPlane.namespace,
      dependsOn: [kong.gateway],
    });
  }
}

function valueAt(root: unknown, field: string): unknown {
  let value: unknown = root;
  for (const part of field.split('.')) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
  return value;
}

import { recordEscapeHatch } from '../policy/escape-hatches';
import { DataKubernetesSecretV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct, Token } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import type { HelmValues } from '../core/platform-add-on';
import { mergeValues } from '../core/values-merge';
import type { ContainerImage } from '../kong/container-image';
import { HardenedHelmRelease, HelmReleaseOptions } from '../kubernetes/hardened-helm-release';
import { NAMESPACE_ROLE_LABEL, podSecurityLabels } from '../kubernetes/platform-namespaces';

/** Which mesh distribution to install. */
export type MeshProduct = 'kong-mesh' | 'kuma';

/** Chart coordinates per product. */
export const MESH_CHARTS: Record<MeshProduct, { chart: string; repository: string; releaseName: string; defaultNamespace: string }> = {
  'kong-mesh': {
    chart: 'kong-mesh',
    repository: 'https://kong.github.io/kong-mesh-charts',
    releaseName: 'kong-mesh',
    defaultNamespace: 'kong-mesh-system',
  },
  kuma: { chart: 'kuma', repository: 'https://kumahq.github.io/charts', releaseName: 'kuma', defaultNamespace: 'kuma-system' },
};

/** Kong Mesh reads its licence from this environment variable. */
export const LICENSE_ENV = 'KMESH_LICENSE_INLINE';

/** Where the Kong Mesh licence comes from: an existing Secret in the control plane namespace. */
export interface MeshLicense {
  /** Secret name. */
  readonly secretName: string;
  /** Key holding the licence JSON. @default license.json */
  readonly secretKey?: string;
}

/**
 * Kuma CNI plugin settings. The CNI sets up traffic redirection on the node, so application pods
 * need no privileged `NET_ADMIN` init container and can stay under the `restricted` Pod Security
 * level the platform enforces.
 */
export interface MeshCniOptions {
  /** Install the CNI plugin instead of the init container. @default true */
  readonly enabled?: boolean;
  /** Chain onto the cluster's CNI config (every common CNI except Multus). @default true */
  readonly chained?: boolean;
  /** CNI config directory on the nodes. @default /etc/cni/net.d */
  readonly netDir?: string;
  /** CNI binary directory on the nodes. @default /opt/cni/bin */
  readonly binDir?: string;
  /** File name of the cluster CNI config to chain onto (`10-aws.conflist`, `10-calico.conflist`, ...). */
  readonly confName: string;
}

/**
 * The chart's images, mirrored into one private registry and pinned by digest. Without them the
 * chart pulls from docker.io, which a regulated cluster must not.
 */
export interface MeshImages {
  /** kuma-cp. */
  readonly controlPlane: ContainerImage;
  /** kuma-dp, the injected sidecar. */
  readonly dataPlane: ContainerImage;
  /** kuma-init, the injected init container (without the CNI). */
  readonly dataPlaneInit: ContainerImage;
  /** kumactl, used by the chart hooks. */
  readonly kumactl: ContainerImage;
  /** kubectl, used by the chart hooks. */
  readonly kubectl: ContainerImage;
  /**
   * The image pull secret of the registry (`images.pullSecret`), an existing dockerconfigjson
   * Secret in the Kong namespace. The control plane copies it into the mesh namespace (and
   * kube-system for the CNI) and puts it on every service account of the chart
   * (`global.imagePullSecrets`). @default none (the nodes can pull)
   */
  readonly pullSecretName?: string;
  /** kuma-cni; required with the CNI. */
  readonly cni?: ContainerImage;
}

/** Values-level settings of the control plane, shared by the construct and {@link meshControlPlaneValues}. */
export interface MeshControlPlaneValuesOptions {
  /** Distribution. */
  readonly product: MeshProduct;
  /** Control plane replicas; from 2 a PodDisruptionBudget keeps one up during node drains. */
  readonly replicas: number;
  /** Kong Mesh licence (required for `kong-mesh`, rejected for `kuma`). */
  readonly license?: MeshLicense;
  /** CNI plugin. @default init container (no CNI) */
  readonly cni?: MeshCniOptions;
  /** Images from the private registry. @default the chart's public images (refused by the policy in production) */
  readonly images?: MeshImages;
  /** Values merged last (keys as in the kuma chart, without the `kuma:` prefix). @default none */
  readonly extraValues?: HelmValues;
}

/** Properties of {@link MeshControlPlane}. */
export interface MeshControlPlaneProps extends MeshControlPlaneValuesOptions, HelmReleaseOptions {
  /** Chart version, Kuma / Kong Mesh 2.x (3.0 removes `Mesh.spec.mtls`). */
  readonly chartVersion: string;
  /** Control plane namespace. @default kong-mesh-system or kuma-system */
  readonly namespace?: string;
  /**
   * Create the namespace. Turn off when it is provisioned beforehand together with the licence
   * Secret (the Secret must exist before the control plane starts).
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Resources to create first. @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Namespace holding `images.pullSecretName` to copy from (the Kong namespace). Required with a pull secret. */
  readonly pullSecretSourceNamespace?: string;
}

const RESTRICTED_POD_SECURITY_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** Where the kuma chart runs the CNI DaemonSet (`cni.namespace`, default kube-system). */
export const CNI_NAMESPACE = 'kube-system';

const CHART_VERSION_2X = /^2\.\d+\.\d+$/;

/**
 * Values for the kuma chart (nested under `kuma:` for the kong-mesh chart, which wraps it):
 * replicas with a PodDisruptionBudget from 2, no default Mesh (the platform creates it with mTLS
 * in the mesh policies chart), the licence from a Secret, optional CNI.
 */
export function meshControlPlaneValues(options: MeshControlPlaneValuesOptions): HelmValues {
  const controlPlane: HelmValues = {
    replicas: options.replicas,
    // The restricted Pod Security level of the control plane namespace, on top of the chart's
    // runAsNonRoot + read-only root filesystem.
    podSecurityContext: RESTRICTED_POD_SECURITY_CONTEXT,
    containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    // The chart's requests and memory limit, plus a CPU limit (none by default).
    resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } },
    podDisruptionBudget: { enabled: options.replicas >= 2, maxUnavailable: 1 },
    defaults: { skipMeshCreation: true },
  };
  if (options.license) {
    controlPlane.secrets = [{ Env: LICENSE_ENV, Secret: options.license.secretName, Key: options.license.secretKey ?? 'license.json' }];
  }
  const kuma: HelmValues = {
    controlPlane,
    hooks: { podSecurityContext: RESTRICTED_POD_SECURITY_CONTEXT, containerSecurityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT },
  };
  if (options.cni?.enabled ?? false) {
    kuma.cni = {
      enabled: true,
      chained: options.cni!.chained ?? true,
      netDir: options.cni!.netDir ?? '/etc/cni/net.d',
      binDir: options.cni!.binDir ?? '/opt/cni/bin',
      confName: options.cni!.confName,
      // The installer writes the plugin into the node's CNI folders as root (those files are root's),
      // which needs no capability: everything else is taken away. It runs in kube-system.
      podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: {
        readOnlyRootFilesystem: true,
        runAsNonRoot: false,
        runAsUser: 0,
        runAsGroup: 0,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '100Mi' } },
    };
  }
  const withImages = options.images ? mergeValues(kuma, meshImageValues(options.images, options.cni?.enabled ?? false)) : kuma;
  const merged = mergeValues(withImages, options.extraValues);
  return options.product === 'kong-mesh' ? { kuma: merged } : merged;
}

/**
 * Image values of the kuma chart. The chart prints `<global.image.registry>/<repository>:<tag>`
 * (kubectl has a registry of its own), so the digest rides in the tag: `2.14.3@sha256:...`.
 */
export function meshImageValues(images: MeshImages, cni: boolean): HelmValues {
  const registries = new Set([images.controlPlane, images.dataPlane, images.dataPlaneInit, images.kumactl, ...(cni && images.cni ? [images.cni] : [])].map((i) => i.registry));
  if (registries.size !== 1) {
    throw new Error(`MeshImages: the kuma chart takes one registry for its images (global.image.registry), got ${[...registries].join(', ')}`);
  }
  if (cni && !images.cni) throw new Error('MeshImages: cni is required when the CNI is enabled (kuma-cni from the private registry)');
  const image = (i: ContainerImage) => ({ repository: i.repository, tag: i.chartTag });
  return {
    global: { image: { registry: [...registries][0] }, ...(images.pullSecretName ? { imagePullSecrets: [images.pullSecretName] } : {}) },
    controlPlane: { image: image(images.controlPlane) },
    dataPlane: { image: image(images.dataPlane), initImage: image(images.dataPlaneInit) },
    kumactl: { image: image(images.kumactl) },
    kubectl: { image: { registry: images.kubectl.registry, ...image(images.kubectl) } },
    ...(cni && images.cni ? { cni: { image: image(images.cni) } } : {}),
  };
}

/**
 * The mesh control plane: its namespace and the `kong-mesh` (or `kuma`) Helm release, pinned to
 * the 2.x line, HA from 2 replicas, licence from a Secret. It installs the CRDs and the sidecar
 * injector webhook, so everything that uses them depends on {@link release}.
 */
export class MeshControlPlane extends Construct {
  /** The control plane Helm release. */
  public readonly release: HardenedHelmRelease;
  /** The namespace resource, when this construct creates it. */
  public readonly namespaceResource?: NamespaceV1;
  /** Control plane namespace. */
  public readonly namespace: string;
  /** Distribution. */
  public readonly product: MeshProduct;

  constructor(scope: Construct, id: string, props: MeshControlPlaneProps) {
    super(scope, id);
    this.product = props.product;
    const chart = MESH_CHARTS[props.product];
    if (!chart) {
      throw new Error(`${this.node.path}: product must be "kong-mesh" or "kuma", got "${props.product}"`);
    }
    if (!CHART_VERSION_2X.test(props.chartVersion)) {
      throw new Error(`${this.node.path}: chartVersion must be an exact 2.x version such as 2.14.3 (Kuma 3.0 removes Mesh.spec.mtls), got "${props.chartVersion}"`);
    }
    if (!Number.isInteger(props.replicas) || props.replicas < 1) {
      throw new Error(`${this.node.path}: replicas must be a whole number >= 1, got ${props.replicas}`);
    }
    if (props.product === 'kong-mesh' && !props.license) {
      throw new Error(`${this.node.path}: license is required for product "kong-mesh" (an existing Secret with license.json); use product "kuma" for open-source Kuma`);
    }
    if (props.product === 'kuma' && props.license) {
      throw new Error(`${this.node.path}: license is only used by product "kong-mesh"; remove it for "kuma"`);
    }
    if (props.cni && (props.cni.enabled ?? true) && !props.cni.confName) {
      throw new Error(`${this.node.path}: cni.confName is required when the CNI is enabled (the cluster CNI config file, e.g. 10-aws.conflist)`);
    }
    this.namespace = props.namespace ?? chart.defaultNamespace;

    const dependsOn: ITerraformDependable[] = [...(props.dependsOn ?? [])];
    if (props.createNamespace ?? true) {
      this.namespaceResource = new NamespaceV1(this, 'namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            [NAMESPACE_ROLE_LABEL]: 'mesh-control-plane',
            // The control plane and the hook jobs run restricted (see meshControlPlaneValues); the CNI
            // DaemonSet, the one privileged part, runs in kube-system.
            ...podSecurityLabels('restricted'),
            // The label the chart patches onto its namespace (patchSystemNamespace): owned here, so no drift.
            'kuma.io/system-namespace': 'true',
          },
        },
      });
      dependsOn.push(this.namespaceResource);
    }
    const pullSecret = props.images?.pullSecretName;
    if (pullSecret) {
      if (!props.pullSecretSourceNamespace) {
        throw new Error(`${this.node.path}: pullSecretSourceNamespace is required with images.pullSecretName (the namespace the pull secret exists in)`);
      }
      // The chart's service accounts reference the secret by name in their own namespace: copy it
      // there (the mesh namespace is created here, so nothing can exist in it beforehand).
      const source = new DataKubernetesSecretV1(this, 'pull-secret-source', { metadata: { name: pullSecret, namespace: props.pullSecretSourceNamespace } });
      const targets = [this.namespace, ...(props.cni && (props.cni.enabled ?? true) ? [CNI_NAMESPACE] : [])].filter((namespace) => namespace !== props.pullSecretSourceNamespace);
      for (const namespace of targets) {
        const copy = new SecretV1(this, `pull-secret-${namespace}`, {
          metadata: { name: pullSecret, namespace, labels: { [NAMESPACE_ROLE_LABEL]: 'mesh-image-pull-secret' } },
          type: 'kubernetes.io/dockerconfigjson',
          data: Token.asStringMap(source.data),
          dependsOn: this.namespaceResource && namespace === this.namespace ? [this.namespaceResource] : undefined,
        });
        dependsOn.push(copy);
      }
    }
    this.release = new HardenedHelmRelease(this, 'release', {
      releaseName: chart.releaseName,
      namespace: this.namespace,
      chart: chart.chart,
      repository: chart.repository,
      chartVersion: props.chartVersion,
      values: meshControlPlaneValues({ ...props, cni: props.cni ? { ...props.cni, enabled: props.cni.enabled ?? true } : undefined }),
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      atomic: props.atomic,
      wait: props.wait,
      dependsOn,
    });
    recordEscapeHatch(this.release.release, 'mesh.extraValues', props.extraValues);
  }
}

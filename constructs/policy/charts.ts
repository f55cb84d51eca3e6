import { dig, templateTrue } from './attributes';
import { Values, isObject } from './helm-values';
import type { PolicySubject } from './rule';

/**
 * The Helm charts the guardrails know: their security-relevant defaults (what a release gets
 * when its values leave a key out, or remove it with `null`) and where their containers take
 * image, security context and resources from. test/policy/chart-defaults.test.ts checks the
 * defaults against the upstream values files in test/fixtures/upstream/.
 */

/**
 * How a container is checked:
 * - `workload`: every container rule;
 * - `hook`: a chart hook Job the chart gives no resources setting (resources are not checked);
 * - `node-agent`: a node DaemonSet that must run as root to install host files (non-root is not checked);
 * - `injected`: a sidecar image the chart configures and the mesh injects into application pods
 *   (only the image rules apply; its security context is the injector's).
 */
export type ContainerKind = 'workload' | 'hook' | 'node-agent' | 'injected';

/**
 * What the container rules look at, whatever declared the container: a Helm release (its
 * effective values) or a `kubernetes_*_v1` workload resource (its pod spec). Keys are the
 * Kubernetes API's camelCase names.
 */
export interface ContainerView {
  /** Human name: `<release or workload>/<container>`. */
  readonly name: string;
  /** @default 'workload' */
  readonly kind?: ContainerKind;
  /** Container securityContext; undefined when none is rendered. */
  readonly securityContext?: Record<string, any>;
  /** Pod securityContext (runAsNonRoot, runAsUser and seccompProfile are inherited from it). */
  readonly podSecurityContext?: Record<string, any>;
  /** `resources` (`requests`, `limits`). */
  readonly resources?: Record<string, any>;
  /** Image reference as rendered (`registry/repo:tag@sha256:...`), undefined when not set. */
  readonly image?: unknown;
  /** Values paths this view reads its security contexts from (the generic values scan skips them). */
  readonly valuesPaths?: readonly string[];
}

/** A chart the guardrails can read. */
export interface ChartAdapter {
  /** Chart name as shown in messages. */
  readonly name: string;
  /** The chart defaults that matter to the rules, as a values tree of the release. */
  readonly defaults: Values;
  /** The containers the release runs, from its effective values. */
  containers(release: string, values: Values, chartVersion: unknown): ContainerView[];
}

const chartBaseName = (chart: unknown) => (typeof chart === 'string' ? chart.replace(/\/+$/, '').split('/').pop()! : '');

// --- kong/kong 3.4.x ---------------------------------------------------------------------------

/** kong chart 3.4.1 defaults the rules read (test/fixtures/upstream/kong-charts-3.4.1/values.yaml). */
export const KONG_CHART_DEFAULTS: Values = {
  deployment: {
    kong: { enabled: true, initContainers: { clearStalePid: { enabled: true, image: {} } } },
    serviceAccount: { create: true, automountServiceAccountToken: false },
    daemonset: false,
    hostNetwork: false,
  },
  env: { database: 'off', router_flavor: 'traditional', prefix: '/kong_prefix/' },
  image: { repository: 'kong', tag: '3.9' },
  admin: { enabled: false, type: 'NodePort', annotations: {}, http: { enabled: false }, tls: { enabled: true }, ingress: { enabled: false } },
  proxy: {
    enabled: true,
    type: 'LoadBalancer',
    loadBalancerSourceRanges: [],
    annotations: {},
    http: { enabled: true },
    tls: { enabled: true },
    ingress: { enabled: false },
  },
  udpProxy: { enabled: false, type: 'LoadBalancer' },
  cluster: { enabled: false, type: 'ClusterIP' },
  clustertelemetry: { enabled: false, type: 'ClusterIP' },
  ingressController: {
    enabled: true,
    image: { repository: 'kong/kubernetes-ingress-controller', tag: '3.5' },
    env: { kong_admin_tls_skip_verify: true },
    resources: {},
  },
  postgresql: { enabled: false },
  resources: {},
  initContainerResources: {},
  replicaCount: 1,
  autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 5 },
  securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
  containerSecurityContext: {
    enabled: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    runAsUser: 1000,
    runAsGroup: 1000,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
  },
  manager: { enabled: true, type: 'NodePort', http: { enabled: true }, tls: { enabled: true }, ingress: { enabled: false } },
  portal: { enabled: true, type: 'NodePort' },
  portalapi: { enabled: true, type: 'NodePort' },
  extraObjects: [],
};

/** The kong chart's `kong.getRepoTag`: `unifiedRepoTag`, else `repository:tag`. */
function kongChartImage(image: unknown): unknown {
  if (!isObject(image)) return undefined;
  if (image.unifiedRepoTag !== undefined) return image.unifiedRepoTag;
  if (image.repository === undefined) return undefined;
  return `${image.repository}:${image.tag ?? ''}`;
}

/** Containers of the `deployment.sidecarContainers` / `deployment.initContainers` lists (plain container specs). */
function userContainers(release: string, values: Values, key: string, pod: Values | undefined): ContainerView[] {
  const list = dig(values, key);
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((c, i) => ({
    name: `${release}/${typeof c.name === 'string' ? c.name : `${key}[${i}]`}`,
    securityContext: isObject(c.securityContext) ? c.securityContext : undefined,
    podSecurityContext: pod,
    resources: isObject(c.resources) ? c.resources : undefined,
    image: c.image,
    valuesPaths: [`${key}[${i}].securityContext`],
  }));
}

const kongChart: ChartAdapter = {
  name: 'kong',
  defaults: KONG_CHART_DEFAULTS,
  containers(release, v) {
    const csc = isObject(v.containerSecurityContext) && v.containerSecurityContext.enabled !== false ? v.containerSecurityContext : undefined;
    const pod = isObject(v.securityContext) ? v.securityContext : undefined;
    const paths = ['securityContext', 'containerSecurityContext'];
    const containers: ContainerView[] = [];
    if (templateTrue(dig(v, 'deployment.kong.enabled') ?? true)) {
      containers.push({ name: `${release}/proxy`, securityContext: csc, podSecurityContext: pod, resources: v.resources, image: kongChartImage(v.image), valuesPaths: paths });
      const clearStalePid = dig(v, 'deployment.kong.initContainers.clearStalePid') as Values | undefined;
      if (isObject(clearStalePid) && templateTrue(clearStalePid.enabled ?? true)) {
        const own = isObject(clearStalePid.image) && clearStalePid.image.repository !== undefined;
        containers.push({
          name: `${release}/clear-stale-pid`,
          securityContext: csc,
          podSecurityContext: pod,
          resources: v.initContainerResources,
          image: kongChartImage(own ? clearStalePid.image : v.image),
          valuesPaths: paths,
        });
      }
    }
    if (templateTrue(dig(v, 'ingressController.enabled') ?? true)) {
      const controller = isObject(v.ingressController) ? v.ingressController : {};
      containers.push({
        name: `${release}/ingress-controller`,
        securityContext: csc,
        podSecurityContext: pod,
        resources: controller.resources,
        image: kongChartImage(controller.image),
        valuesPaths: paths,
      });
    }
    containers.push(...userContainers(release, v, 'deployment.sidecarContainers', pod), ...userContainers(release, v, 'deployment.initContainers', pod));
    return containers;
  },
};

// --- kuma / kong-mesh 2.x -----------------------------------------------------------------------

/** kuma chart 2.14.3 defaults the rules read (test/fixtures/upstream/kuma-2.14.3/values.yaml). */
export const KUMA_CHART_DEFAULTS: Values = {
  global: { image: { registry: 'docker.io/kumahq' } },
  controlPlane: {
    image: { repository: 'kuma-cp' },
    resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '256Mi' } },
    hostNetwork: false,
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { readOnlyRootFilesystem: true },
    defaults: { skipMeshCreation: false },
  },
  cni: {
    enabled: false,
    image: { repository: 'kuma-cni' },
    resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { memory: '100Mi' } },
    podSecurityContext: {},
    containerSecurityContext: { readOnlyRootFilesystem: true, runAsNonRoot: false, runAsUser: 0, runAsGroup: 0 },
  },
  dataPlane: { image: { repository: 'kuma-dp' }, initImage: { repository: 'kuma-init' } },
  ingress: {
    enabled: false,
    podSecurityContext: { runAsNonRoot: true, runAsUser: 5678, runAsGroup: 5678 },
    containerSecurityContext: { readOnlyRootFilesystem: true },
  },
  egress: {
    enabled: false,
    podSecurityContext: { runAsNonRoot: true, runAsUser: 5678, runAsGroup: 5678 },
    containerSecurityContext: { readOnlyRootFilesystem: true },
  },
  kumactl: { image: { repository: 'kumactl' } },
  kubectl: { image: { registry: 'registry.k8s.io', repository: 'kubectl', tag: 'v1.36.1@sha256:d08f476d04d0e30f426f06bc6ff6c38913aaa4591943046b77e2f74a72d3611c' } },
  hooks: { podSecurityContext: { runAsNonRoot: true }, containerSecurityContext: { readOnlyRootFilesystem: true } },
};

function kumaContainers(release: string, root: Values, chartVersion: unknown, prefix: string): ContainerView[] {
  const registry = dig(root, 'global.image.registry');
  const defaultTag = dig(root, 'global.image.tag') ?? (typeof chartVersion === 'string' ? chartVersion : undefined);
  const image = (block: unknown): unknown => {
    if (!isObject(block) || block.repository === undefined) return undefined;
    const tag = block.tag ?? defaultTag;
    return `${block.registry ?? registry}/${block.repository}${tag === undefined ? '' : `:${tag}`}`;
  };
  const ctx = (section: string) => ({
    securityContext: dig(root, `${section}.containerSecurityContext`) as Values | undefined,
    podSecurityContext: dig(root, `${section}.podSecurityContext`) as Values | undefined,
    valuesPaths: [`${prefix}${section}.containerSecurityContext`, `${prefix}${section}.podSecurityContext`],
  });
  const out: ContainerView[] = [
    { name: `${release}/control-plane`, ...ctx('controlPlane'), resources: dig(root, 'controlPlane.resources') as Values, image: image(dig(root, 'controlPlane.image')) },
    { name: `${release}/hooks (kumactl)`, kind: 'hook', ...ctx('hooks'), image: image(dig(root, 'kumactl.image')) },
    { name: `${release}/hooks (kubectl)`, kind: 'hook', ...ctx('hooks'), image: image(dig(root, 'kubectl.image')) },
    { name: `${release}/sidecar (kuma-dp)`, kind: 'injected', image: image(dig(root, 'dataPlane.image')) },
    { name: `${release}/sidecar init (kuma-init)`, kind: 'injected', image: image(dig(root, 'dataPlane.initImage')) },
  ];
  if (templateTrue(dig(root, 'cni.enabled'))) {
    out.push({ name: `${release}/cni`, kind: 'node-agent', ...ctx('cni'), resources: dig(root, 'cni.resources') as Values, image: image(dig(root, 'cni.image')) });
  }
  for (const section of ['ingress', 'egress']) {
    if (templateTrue(dig(root, `${section}.enabled`))) {
      out.push({ name: `${release}/${section}`, ...ctx(section), resources: dig(root, `${section}.resources`) as Values, image: image(dig(root, 'dataPlane.image')) });
    }
  }
  return out;
}

const kumaChart: ChartAdapter = {
  name: 'kuma',
  defaults: KUMA_CHART_DEFAULTS,
  containers: (release, values, version) => kumaContainers(release, values, version, ''),
};

/** kong-mesh wraps the kuma chart: the same values under `kuma:`. */
const kongMeshChart: ChartAdapter = {
  name: 'kong-mesh',
  defaults: { kuma: KUMA_CHART_DEFAULTS },
  containers: (release, values, version) => kumaContainers(release, isObject(values.kuma) ? values.kuma : {}, version, 'kuma.'),
};

// --- aws-load-balancer-controller 1.13.x --------------------------------------------------------

/** aws-load-balancer-controller chart 1.13.0 defaults the rules read (aws/eks-charts stable/aws-load-balancer-controller/values.yaml). */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART_DEFAULTS: Values = {
  replicaCount: 2,
  image: { repository: 'public.ecr.aws/eks/aws-load-balancer-controller', tag: 'v2.13.0' },
  podSecurityContext: { fsGroup: 65534 },
  securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false },
  resources: {},
  hostNetwork: false,
};

const awsLoadBalancerControllerChart: ChartAdapter = {
  name: 'aws-load-balancer-controller',
  defaults: AWS_LOAD_BALANCER_CONTROLLER_CHART_DEFAULTS,
  containers: (release, v) => [
    {
      name: `${release}/controller`,
      securityContext: isObject(v.securityContext) ? v.securityContext : undefined,
      podSecurityContext: isObject(v.podSecurityContext) ? v.podSecurityContext : undefined,
      resources: v.resources,
      image: isObject(v.image) && v.image.repository !== undefined ? `${v.image.repository}${v.image.tag === undefined ? '' : `:${v.image.tag}`}` : undefined,
      valuesPaths: ['securityContext', 'podSecurityContext'],
    },
  ],
};

const ADAPTERS: Record<string, ChartAdapter> = {
  kong: kongChart,
  kuma: kumaChart,
  'kong-mesh': kongMeshChart,
  'aws-load-balancer-controller': awsLoadBalancerControllerChart,
};

/** The names of the charts the guardrails can read. */
export const KNOWN_CHARTS: readonly string[] = Object.keys(ADAPTERS);

/** The adapter of a `helm_release`'s chart (by chart name, repository or OCI reference), if the guardrails know it. */
export function chartAdapter(subject: PolicySubject): ChartAdapter | undefined {
  if (subject.type !== 'helm_release') return undefined;
  const name = chartBaseName(subject.attributes.chart);
  return Object.prototype.hasOwnProperty.call(ADAPTERS, name) ? ADAPTERS[name] : undefined;
}

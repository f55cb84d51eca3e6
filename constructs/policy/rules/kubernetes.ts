import { dig, isFalse, isTrue, isUnknown, show } from '../attributes';
import { PolicyRule, PolicySubject, policyRule } from '../rule';
import { ContainerView, WORKLOAD_TYPES, containersOf, isKongChartRelease, releaseValues } from '../workloads';

const DIGEST_REFERENCE = /@sha256:[a-f0-9]{64}$/;
const declaresContainers = (s: PolicySubject) => isKongChartRelease(s) || WORKLOAD_TYPES.includes(s.type);

/** A container rule: one message per offending container; unknown values pass. */
function containerRule(check: (c: ContainerView) => string | undefined): (s: PolicySubject) => string[] {
  return (s) => (containersOf(s) ?? []).flatMap((c) => {
    const problem = check(c);
    return problem ? [`${c.name}: ${problem}`] : [];
  });
}

/** A setting of the container, else of the pod (runAsNonRoot, runAsUser, seccompProfile). */
const inherited = (c: ContainerView, key: string): unknown => c.securityContext?.[key] ?? c.podSecurityContext?.[key];

const kubernetesRules: PolicyRule[] = [
  policyRule({
    id: 'KP-K8S-001',
    area: 'kubernetes',
    title: 'Containers run as non-root',
    rationale: 'A root process that escapes its container is root on the node.',
    checkov: ['CKV_K8S_23'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      const nonRoot = inherited(c, 'runAsNonRoot');
      const user = inherited(c, 'runAsUser');
      if (user !== undefined && !isUnknown(user) && Number(user) === 0) return 'runAsUser is 0 (root)';
      return isTrue(nonRoot) || isUnknown(nonRoot) ? undefined : `securityContext.runAsNonRoot is ${show(nonRoot)}, must be true`;
    }),
  }),
  policyRule({
    id: 'KP-K8S-002',
    area: 'kubernetes',
    title: 'Read-only root filesystem',
    rationale: 'An attacker cannot drop tools or modify binaries in a read-only container filesystem.',
    checkov: ['CKV_K8S_22'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      const v = c.securityContext?.readOnlyRootFilesystem;
      return isTrue(v) || isUnknown(v) ? undefined : `securityContext.readOnlyRootFilesystem is ${show(v)}, must be true`;
    }),
  }),
  policyRule({
    id: 'KP-K8S-003',
    area: 'kubernetes',
    title: 'No privilege escalation, not privileged',
    rationale: 'setuid binaries and privileged mode turn a container compromise into a node compromise.',
    checkov: ['CKV_K8S_20', 'CKV_K8S_16'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      if (isTrue(c.securityContext?.privileged)) return 'securityContext.privileged is true';
      const v = c.securityContext?.allowPrivilegeEscalation;
      return isFalse(v) || isUnknown(v) ? undefined : `securityContext.allowPrivilegeEscalation is ${show(v)}, must be false`;
    }),
  }),
  policyRule({
    id: 'KP-K8S-004',
    area: 'kubernetes',
    title: 'All capabilities dropped',
    rationale: 'Default capabilities such as NET_RAW allow spoofing and sniffing inside the pod network.',
    checkov: ['CKV_K8S_37', 'CKV_K8S_28'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      const drop = dig(c.securityContext, 'capabilities.drop');
      if (isUnknown(drop)) return undefined;
      return Array.isArray(drop) && drop.includes('ALL') ? undefined : `securityContext.capabilities.drop is ${show(drop)}, must include "ALL"`;
    }),
  }),
  policyRule({
    id: 'KP-K8S-005',
    area: 'kubernetes',
    title: 'Seccomp profile RuntimeDefault',
    rationale: 'Seccomp blocks the syscalls most kernel exploits need; the restricted Pod Security level requires it.',
    checkov: ['CKV_K8S_31'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      const type = dig(inherited(c, 'seccompProfile'), 'type');
      return type === 'RuntimeDefault' || type === 'Localhost' || isUnknown(type) ? undefined : `seccompProfile.type is ${show(type)}, must be RuntimeDefault`;
    }),
  }),
  policyRule({
    id: 'KP-K8S-006',
    area: 'kubernetes',
    title: 'CPU and memory requests and limits',
    rationale: 'A container without limits can starve its neighbours (noisy neighbour, denial of service).',
    checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter((p) => dig(c.resources, p) === undefined || dig(c.resources, p) === '');
      return missing.length ? `resources ${missing.join(', ')} not set` : undefined;
    }),
  }),
  policyRule({
    id: 'KP-K8S-007',
    area: 'kubernetes',
    title: 'Images pinned by digest',
    rationale: 'A tag can be moved to another image; only a digest guarantees the scanned and signed image is what runs.',
    checkov: ['CKV_K8S_43'],
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      if (isUnknown(c.image)) return undefined;
      return typeof c.image === 'string' && DIGEST_REFERENCE.test(c.image) ? undefined : `image ${show(c.image)} is not pinned by digest (…@sha256:<64 hex>)`;
    }),
  }),
];

/** A kong chart rule over the release's values; unknown values documents pass. */
function kongValuesRule(check: (values: Record<string, any>) => string[]): (s: PolicySubject) => string[] {
  return (s) => {
    const values = releaseValues(s);
    return values ? check(values) : [];
  };
}

/** Kong services that must stay inside the cluster when enabled (chart default type: NodePort). */
function internalOnly(values: Record<string, any>, key: string, what: string): string[] {
  const service = values[key] ?? {};
  // The chart enables the Admin API service only when asked to; Manager and Portal are on by default.
  const enabled = key === 'admin' ? isTrue(service.enabled) : service.enabled !== false && !isFalse(service.enabled);
  if (!enabled) return [];
  const problems: string[] = [];
  if (!isUnknown(service.type) && service.type !== 'ClusterIP') problems.push(`${key}.type is ${show(service.type ?? 'NodePort (chart default)')}: the ${what} must be a ClusterIP Service`);
  if (isTrue(dig(service, 'ingress.enabled'))) problems.push(`${key}.ingress.enabled is true: the ${what} must not get an Ingress`);
  return problems;
}

const kongRules: PolicyRule[] = [
  policyRule({
    id: 'KP-KONG-001',
    area: 'kong',
    title: 'Kong Admin API not exposed',
    rationale: 'The Admin API reconfigures every route and credential; it must never leave the cluster network.',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v) => internalOnly(v, 'admin', 'Admin API')),
  }),
  policyRule({
    id: 'KP-KONG-002',
    area: 'kong',
    title: 'Kong Admin API over TLS only',
    rationale: 'A plain-HTTP Admin API exposes the admin credentials and configuration to anyone on the pod network.',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v) => (isTrue(v.admin?.enabled) && isTrue(dig(v, 'admin.http.enabled')) ? ['admin.http.enabled is true: serve the Admin API on its TLS listener only'] : [])),
  }),
  policyRule({
    id: 'KP-KONG-003',
    area: 'kong',
    title: 'Kong Manager and Portal not exposed',
    rationale: 'Kong Manager and the Developer Portal are administrative surfaces; the chart exposes them as NodePorts by default.',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v) => [
      ...internalOnly(v, 'manager', 'Kong Manager'),
      ...internalOnly(v, 'portal', 'Developer Portal'),
      ...internalOnly(v, 'portalapi', 'Portal API'),
    ]),
  }),
  policyRule({
    id: 'KP-KONG-004',
    area: 'kong',
    title: 'Gateway hides its version',
    rationale: 'Server and Via headers tell attackers which Kong version (and CVEs) to try.',
    appliesTo: (s) => isKongChartRelease(s) && dig(releaseValues(s) ?? {}, 'deployment.kong.enabled') !== false,
    check: kongValuesRule((v) => {
      const headers = v.env?.headers;
      if (isUnknown(headers)) return [];
      if (headers === undefined) return ['env.headers is not set: Kong sends server_tokens by default; set it to "off"'];
      const leaking = String(headers)
        .split(',')
        .map((h) => h.trim())
        .filter((h) => ['server_tokens', 'Server', 'Via'].includes(h));
      return leaking.length ? [`env.headers includes ${leaking.join(', ')}`] : [];
    }),
  }),
];

/** A release of a chart from a repository (local charts are versioned by content, see ManifestChart). */
const isRepositoryRelease = (s: PolicySubject) =>
  s.type === 'helm_release' && (s.attributes.repository !== undefined || (typeof s.attributes.chart === 'string' && s.attributes.chart.startsWith('oci://')));

const helmRules: PolicyRule[] = [
  policyRule({
    id: 'KP-HELM-001',
    area: 'helm',
    title: 'Helm releases are atomic',
    rationale: 'A failed non-atomic upgrade leaves the release half-applied and the gateway possibly down.',
    appliesTo: (s) => s.type === 'helm_release',
    check(s) {
      const v = s.attributes.atomic;
      return isTrue(v) || isUnknown(v) ? [] : [`atomic is ${show(v)}, must be true (roll back by itself on failure)`];
    },
  }),
  policyRule({
    id: 'KP-HELM-002',
    area: 'helm',
    title: 'Helm releases wait for readiness',
    rationale: 'Without wait, Terraform reports success before a single pod is ready, and atomic cannot roll back.',
    appliesTo: (s) => s.type === 'helm_release',
    check: (s) => (isFalse(s.attributes.wait) ? ['wait is false'] : []),
  }),
  policyRule({
    id: 'KP-HELM-003',
    area: 'helm',
    title: 'Chart version pinned exactly',
    rationale: 'An unpinned or ranged version installs whatever the repository serves on the day of the apply.',
    appliesTo: isRepositoryRelease,
    check(s) {
      const v = s.attributes.version;
      if (isUnknown(v)) return [];
      return typeof v === 'string' && /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(v) ? [] : [`version is ${show(v)}, must be an exact chart version such as 3.4.1`];
    },
  }),
  policyRule({
    id: 'KP-HELM-004',
    area: 'helm',
    title: 'Charts from HTTPS or OCI repositories',
    rationale: 'A chart fetched over plain HTTP can be swapped in transit for one that runs anything.',
    appliesTo: isRepositoryRelease,
    check(s) {
      const repository = s.attributes.repository;
      if (repository === undefined || isUnknown(repository)) return [];
      return typeof repository === 'string' && /^(https|oci):\/\//.test(repository) ? [] : [`repository ${show(repository)} must be an https:// or oci:// URL`];
    },
  }),
];

export const kubernetesPolicyRules: PolicyRule[] = [...kubernetesRules, ...kongRules, ...helmRules];

import { ADMIN_NETWORK_BUDGET, addressCoverage, tooWide } from '../address-ranges';
import { imageDigest, placeholderDigestReason } from '../image-digests';
import { controllerReadsTrue, withEffectiveKongEnv } from '../kong-effective-env';
import { dig, isFalse, isTrue, isUnknown, show, templateTrue } from '../attributes';
import { walkValues } from '../helm-values';
import { escapeHatchUses, isReviewedEscapeHatchPath } from '../escape-hatches';
import { PolicyCloud, PolicyRule, PolicySubject, policyRule } from '../rule';
import {
  ContainerKind,
  ContainerView,
  ValuesFindingKind,
  WORKLOAD_TYPES,
  addedCapabilities,
  chartAdapter,
  containersOf,
  fromChartDefault,
  helmRelease,
  isKongChartRelease,
  releaseValues,
  valuesFindings,
  workloadHostAccess,
} from '../workloads';

const DIGEST_REFERENCE = /@sha256:[a-f0-9]{64}$/;

/** Releases (any chart but ManifestCharts) and workload resources: the generic values scan and host checks apply. */
const hasPodSettings = (s: PolicySubject) => helmRelease(s) !== undefined || WORKLOAD_TYPES.includes(s.type);
/** Releases of a chart the guardrails can read, and workload resources: the container rules apply. */
const declaresContainers = (s: PolicySubject) => helmRelease(s)?.chart !== undefined || WORKLOAD_TYPES.includes(s.type);

/**
 * A container rule: one message per offending container (containers of the kinds in `skip` are not
 * checked), plus the matching insecure settings written anywhere in a release's values. Unknown
 * values pass.
 */
function containerRule(
  check: (c: ContainerView) => string | undefined,
  options: { skip?: readonly ContainerKind[]; findings?: ValuesFindingKind } = {},
): (s: PolicySubject) => string[] {
  return (s) => [
    ...(containersOf(s) ?? [])
      .filter((c) => !(options.skip ?? []).includes(c.kind ?? 'workload'))
      .flatMap((c) => {
        const problem = check(c);
        return problem ? [`${c.name}: ${problem}`] : [];
      }),
    ...(options.findings
      ? valuesFindings(s)
          .filter((f) => f.kind === options.findings)
          .map((f) => `values: ${f.message}`)
      : []),
  ];
}

/** A setting of the container, else of the pod (runAsNonRoot, runAsUser, seccompProfile). */
const inherited = (c: ContainerView, key: string): unknown => c.securityContext?.[key] ?? c.podSecurityContext?.[key];

/** The registry host of an image reference (`docker.io` for `kong:3.9` and `library/kong`). */
/** Registries anyone can push to or pull from without the company's scanning and signing. */
export const PUBLIC_REGISTRIES = [
  'docker.io',
  'registry-1.docker.io',
  'index.docker.io',
  'ghcr.io',
  'quay.io',
  'public.ecr.aws',
  'gcr.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'mcr.microsoft.com',
  'registry.gitlab.com',
  'cgr.dev',
  'docker.elastic.co',
];

export function imageRegistry(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'docker.io';
}

const kubernetesRules: PolicyRule[] = [
  policyRule({
    id: 'KP-K8S-001',
    area: 'kubernetes',
    title: 'Containers run as non-root',
    rationale: 'A root process that escapes its container is root on the node.',
    checkov: ['CKV_K8S_23'],
    reads:
      "containers of known-chart helm_release (effective values) and kubernetes_*_v1 workloads: securityContext.runAsNonRoot, runAsUser (else the pod's); any securityContext in release values (runAsUser 0, runAsNonRoot false)",
    appliesTo: hasPodSettings,
    check: containerRule(
      (c) => {
        const nonRoot = inherited(c, 'runAsNonRoot');
        const user = inherited(c, 'runAsUser');
        if (user !== undefined && !isUnknown(user) && Number(user) === 0) return 'runAsUser is 0 (root)';
        return isTrue(nonRoot) || isUnknown(nonRoot) ? undefined : `securityContext.runAsNonRoot is ${show(nonRoot)}, must be true`;
      },
      { skip: ['node-agent', 'injected'], findings: 'root' },
    ),
  }),
  policyRule({
    id: 'KP-K8S-002',
    area: 'kubernetes',
    title: 'Read-only root filesystem',
    rationale: 'An attacker cannot drop tools or modify binaries in a read-only container filesystem.',
    checkov: ['CKV_K8S_22'],
    reads:
      'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads: securityContext.readOnlyRootFilesystem; any securityContext in release values',
    appliesTo: hasPodSettings,
    check: containerRule(
      (c) => {
        const v = c.securityContext?.readOnlyRootFilesystem;
        return isTrue(v) || isUnknown(v) ? undefined : `securityContext.readOnlyRootFilesystem is ${show(v)}, must be true`;
      },
      { skip: ['injected'], findings: 'filesystem' },
    ),
  }),
  policyRule({
    id: 'KP-K8S-003',
    area: 'kubernetes',
    title: 'No privilege escalation, not privileged',
    rationale: 'setuid binaries and privileged mode turn a container compromise into a node compromise.',
    checkov: ['CKV_K8S_20', 'CKV_K8S_16'],
    reads:
      'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads: securityContext.privileged, allowPrivilegeEscalation; any securityContext in release values',
    appliesTo: hasPodSettings,
    check: containerRule(
      (c) => {
        if (isTrue(c.securityContext?.privileged)) return 'securityContext.privileged is true';
        const v = c.securityContext?.allowPrivilegeEscalation;
        return isFalse(v) || isUnknown(v) ? undefined : `securityContext.allowPrivilegeEscalation is ${show(v)}, must be false`;
      },
      { skip: ['injected'], findings: 'privilege' },
    ),
  }),
  policyRule({
    id: 'KP-K8S-004',
    area: 'kubernetes',
    title: 'All capabilities dropped, none added',
    rationale: 'Default capabilities such as NET_RAW allow spoofing and sniffing; added ones such as NET_ADMIN or SYS_ADMIN reach the node.',
    checkov: ['CKV_K8S_37', 'CKV_K8S_28', 'CKV_K8S_39'],
    reads:
      'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads: securityContext.capabilities.drop, capabilities.add; any securityContext in release values',
    appliesTo: hasPodSettings,
    check: containerRule(
      (c) => {
        const drop = dig(c.securityContext, 'capabilities.drop');
        const added = addedCapabilities(dig(c.securityContext, 'capabilities.add'));
        if (added && added.length > 0) return `securityContext.capabilities.add adds ${added.join(', ')} (only NET_BIND_SERVICE is allowed)`;
        if (isUnknown(drop)) return undefined;
        return Array.isArray(drop) && drop.includes('ALL') ? undefined : `securityContext.capabilities.drop is ${show(drop)}, must include "ALL"`;
      },
      { skip: ['injected'], findings: 'capabilities' },
    ),
  }),
  policyRule({
    id: 'KP-K8S-005',
    area: 'kubernetes',
    title: 'Seccomp profile RuntimeDefault',
    rationale: 'Seccomp blocks the syscalls most kernel exploits need; the restricted Pod Security level requires it.',
    checkov: ['CKV_K8S_31'],
    reads: 'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads: seccompProfile.type (container, else pod)',
    appliesTo: declaresContainers,
    check: containerRule(
      (c) => {
        const type = dig(inherited(c, 'seccompProfile'), 'type');
        return type === 'RuntimeDefault' || type === 'Localhost' || isUnknown(type) ? undefined : `seccompProfile.type is ${show(type)}, must be RuntimeDefault`;
      },
      { skip: ['injected'] },
    ),
  }),
  policyRule({
    id: 'KP-K8S-006',
    area: 'kubernetes',
    title: 'CPU and memory requests and limits',
    rationale: 'A container without limits can starve its neighbours (noisy neighbour, denial of service).',
    checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'],
    reads: 'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads (chart hooks skipped): resources.requests and limits cpu, memory',
    appliesTo: declaresContainers,
    check: containerRule(
      (c) => {
        if (isUnknown(c.resources)) return undefined;
        const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter((p) => dig(c.resources, p) === undefined || dig(c.resources, p) === '');
        return missing.length ? `resources ${missing.join(', ')} not set` : undefined;
      },
      { skip: ['hook', 'injected'] },
    ),
  }),
  policyRule({
    id: 'KP-K8S-007',
    area: 'kubernetes',
    title: 'Images pinned by digest',
    rationale: 'A tag can be moved to another image; only a digest guarantees the scanned and signed image is what runs.',
    checkov: ['CKV_K8S_43', 'CKV_K8S_14'],
    reads: 'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads: image reference (@sha256 digest)',
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      if (isUnknown(c.image)) return undefined;
      if (typeof c.image === 'string' && DIGEST_REFERENCE.test(c.image)) return undefined;
      const latest = typeof c.image === 'string' && /:latest$/.test(c.image) ? ' and uses the moving tag "latest"' : '';
      return `image ${show(c.image)} is not pinned by digest (…@sha256:<64 hex>)${latest}`;
    }),
  }),
  policyRule({
    id: 'KP-K8S-008',
    area: 'kubernetes',
    title: 'No host namespaces, host paths or host ports',
    rationale: 'hostNetwork, hostPID, hostIPC, hostPath volumes and hostPorts bypass NetworkPolicies and container isolation and reach the node.',
    checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'CKV_K8S_26'],
    reads:
      '`kubernetes_*_v1` pod specs: host_network, host_pid, host_ipc, host_path volumes, host_port; helm_release values anywhere: hostNetwork, hostPID, hostIPC, hostPath, hostPort',
    appliesTo: hasPodSettings,
    check: (s) => [
      ...workloadHostAccess(s),
      ...valuesFindings(s)
        .filter((f) => f.kind === 'host')
        .map((f) => `values: ${f.message}`),
    ],
  }),
  policyRule({
    id: 'KP-K8S-009',
    area: 'kubernetes',
    title: 'Images from the private registry',
    rationale: 'Only the private registry holds the scanned, signed mirror of each image; a public registry can serve anything, or nothing during an outage.',
    reads:
      "containers of known-chart helm_release (effective values) and kubernetes_*_v1 workloads: image registry host, against the stack's registries (only when some are given)",
    appliesTo: (s) => declaresContainers(s) && (s.context?.registries.length ?? 0) > 0,
    check: (s) => {
      const allowed = (s.context?.registries ?? []).map((r) => r.toLowerCase());
      return containerRule((c) => {
        if (typeof c.image !== 'string' || isUnknown(c.image)) return undefined;
        const registry = imageRegistry(c.image);
        return allowed.includes(registry) ? undefined : `image ${show(c.image)} comes from ${registry}, not from ${allowed.join(' or ')}`;
      })(s);
    },
  }),
  policyRule({
    id: 'KP-K8S-011',
    area: 'kubernetes',
    title: 'No images from public registries in production',
    rationale:
      'A public registry serves whatever its publisher pushes and is outside the company scanning, signing and availability; production pulls only from the private mirror.',
    productionOnly: true,
    reads:
      'containers of known-chart helm_release (effective values) and kubernetes_*_v1 workloads: image registry host (no host is Docker Hub), against a list of public registries',
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      if (typeof c.image !== 'string' || isUnknown(c.image)) return undefined;
      const registry = imageRegistry(c.image);
      const host = registry.replace(/:\d+$/, '');
      const isPublic = PUBLIC_REGISTRIES.some((r) => host === r || host.endsWith(`.${r}`)) || /^[a-z0-9-]+\.gcr\.io$|^[a-z0-9-]+-docker\.pkg\.dev$/.test(host);
      return isPublic ? `image ${show(c.image)} comes from the public registry ${registry}: mirror it into the private registry (images.registry)` : undefined;
    }),
  }),
  policyRule({
    id: 'KP-K8S-010',
    area: 'kubernetes',
    title: 'Images pinned by a real digest',
    rationale: 'Only a digest the registry computed names the scanned, signed image; a tag can move and a typed placeholder pulls nothing.',
    productionOnly: true,
    reads: 'containers of known-chart helm_release (effective values) and `kubernetes_*_v1` workloads: image digest, and whether it is a typed placeholder',
    appliesTo: declaresContainers,
    check: containerRule((c) => {
      if (typeof c.image !== 'string' || isUnknown(c.image)) return undefined;
      const digest = imageDigest(c.image);
      if (!digest) return `image ${show(c.image)} is not pinned by digest (repository@sha256:...)`;
      const placeholder = placeholderDigestReason(digest);
      return placeholder ? `image ${show(c.image)}: the digest ${placeholder}, so it is a placeholder; record the pushed image's digest (npm run image:record-digest)` : undefined;
    }),
  }),
];

/** A kong chart rule over the release's effective values. */
function kongValuesRule(check: (values: Record<string, any>, s: PolicySubject) => string[]): (s: PolicySubject) => string[] {
  return (s) => {
    const values = releaseValues(s);
    // Judge the settings Kong and the controller read, whatever case or env map they were set through.
    return values ? check(withEffectiveKongEnv(values), s) : [];
  };
}

/** Kong releases that run the gateway (`deployment.kong.enabled`, default on). */
const isKongGateway = (s: PolicySubject) => isKongChartRelease(s) && templateTrue(dig(releaseValues(s) ?? {}, 'deployment.kong.enabled') ?? true);
/** Kong releases that run the ingress controller (`ingressController.enabled`, default on). */
const runsController = (values: Record<string, any>) => templateTrue(dig(values, 'ingressController.enabled') ?? true);

/** `(chart default)` when the value comes from the chart's defaults. */
const defaulted = (s: PolicySubject, path: string) => (fromChartDefault(s, path) ? ' (chart default)' : '');

/** Kong services that must stay inside the cluster when enabled. */
function internalOnly(s: PolicySubject, values: Record<string, any>, key: string, what: string): string[] {
  const service = values[key] ?? {};
  if (!templateTrue(service.enabled ?? key !== 'admin')) return [];
  const problems: string[] = [];
  if (!isUnknown(service.type) && service.type !== 'ClusterIP') {
    const type = fromChartDefault(s, `${key}.type`) ? `${service.type ?? 'NodePort'} (chart default)` : service.type;
    problems.push(`${key}.type is ${show(type)}: the ${what} must be a ClusterIP Service`);
  }
  if (templateTrue(dig(service, 'ingress.enabled')))
    problems.push(`${key}.ingress.enabled is ${show(dig(service, 'ingress.enabled'))} (the chart reads it as true): the ${what} must not get an Ingress`);
  if (Array.isArray(service.externalIPs) && service.externalIPs.length > 0) problems.push(`${key}.externalIPs publishes the ${what} on ${show(service.externalIPs)}`);
  return problems;
}

/** The entries of a Kong list setting (`a, b` in kong.conf, or a YAML list in the values). */
function kongList(value: unknown): string[] {
  return (Array.isArray(value) ? value : String(value).split(',')).map((entry) => String(entry).trim()).filter(Boolean);
}

/** `address:port flags` entries of a Kong `*_listen` setting that are not on loopback. */
function listeners(value: unknown): Array<{ address: string; flags: string[] }> {
  if (typeof value !== 'string' || isUnknown(value)) return [];
  return value
    .split(',')
    .map((entry) => entry.trim().split(/\s+/))
    .filter((parts) => parts[0] && parts[0] !== 'off')
    .map(([address, ...flags]) => ({ address, flags }))
    .filter(({ address }) => !/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost|unix:)/i.test(address));
}

/** trusted_ips: the load balancer's subnets. All of RFC 1918 together (about a /7) still fits; the Internet does not. */
const TRUSTED_IPS_BUDGET = { ipv4Prefix: 7, ipv6Prefix: 32 } as const;

/** Annotations that make a LoadBalancer Service internal, with the cloud whose controller reads them. */
const INTERNAL_LB_ANNOTATIONS: Array<[string, (v: string) => boolean, PolicyCloud | 'other']> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', (v) => v !== 'false' && v !== '', 'aws'],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', (v) => v === 'internal', 'aws'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', (v) => v === 'true', 'azure'],
  ['networking.gke.io/load-balancer-type', (v) => v.toLowerCase() === 'internal', 'other'],
  ['cloud.google.com/load-balancer-type', (v) => v.toLowerCase() === 'internal', 'other'],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', (v) => v === 'true', 'other'],
];

/** A proxy Service published on a public load balancer (or on external IPs). */
function publicService(s: PolicySubject, values: Record<string, any>, key: 'proxy' | 'udpProxy'): string[] {
  const service = values[key];
  const enabled = service !== undefined && templateTrue(service?.enabled ?? key === 'proxy');
  if (!enabled) return [];
  const problems: string[] = [];
  const annotations: Record<string, unknown> = service.annotations && typeof service.annotations === 'object' ? service.annotations : {};
  const annotation = (name: string) => (annotations[name] === undefined || annotations[name] === null ? undefined : String(annotations[name]));
  if (Array.isArray(service.externalIPs) && service.externalIPs.length > 0) problems.push(`${key}.externalIPs publishes the proxy on ${show(service.externalIPs)}`);
  if (templateTrue(dig(service, 'ingress.enabled'))) {
    problems.push(
      `${key}.ingress.enabled is ${show(dig(service, 'ingress.enabled'))} (on): an Ingress of another controller in front of Kong is a second way in, around the edge (WAF)`,
    );
  }
  if (service.type === 'NodePort') {
    problems.push(`${key}.type is "NodePort": every node then serves the proxy on its own port, around the edge load balancer and WAF; keep ClusterIP behind the edge`);
  }
  if (service.type !== 'LoadBalancer') return problems;
  if (Object.values(annotations).some(isUnknown)) return problems;
  const scheme = annotation('service.beta.kubernetes.io/aws-load-balancer-scheme');
  if (scheme === 'internet-facing')
    problems.push(`${key}.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] is "internet-facing": a public load balancer bypasses the edge (WAF)`);
  if (annotation('service.beta.kubernetes.io/azure-load-balancer-internal') === 'false') {
    problems.push(`${key}.annotations["service.beta.kubernetes.io/azure-load-balancer-internal"] is "false": a public load balancer bypasses the edge (WAF)`);
  }
  // On EKS or AKS only that cloud's controller reads the annotations; another cloud's leaves the load balancer public.
  // On an existing cluster (hybrid) no annotation is known to be read (MetalLB, F5, ... ignore the clouds'): only
  // source ranges limited to private addresses keep such a load balancer off the Internet.
  const cloud = s.context?.cloud;
  const effective = INTERNAL_LB_ANNOTATIONS.filter(([, , owner]) => cloud === undefined || owner === cloud);
  const ranges = service.loadBalancerSourceRanges;
  const literalRanges = Array.isArray(ranges) && ranges.length > 0 && ranges.every((r) => typeof r === 'string' && !isUnknown(r)) ? (ranges as string[]) : undefined;
  const coverage = literalRanges ? addressCoverage(literalRanges) : undefined;
  const privateOnly = coverage !== undefined && coverage.invalid.length === 0 && coverage.publicIpv4 === 0n && coverage.publicIpv6 === 0n;
  const internal = (cloud === 'hybrid' && privateOnly) || effective.some(([name, isInternal]) => annotation(name) !== undefined && isInternal(annotation(name)!));
  const foreign = INTERNAL_LB_ANNOTATIONS.filter(([name, , owner]) => annotation(name) !== undefined && !effective.some(([n]) => n === name) && owner !== cloud);
  if (!internal && foreign.length > 0) {
    problems.push(
      `${key}.annotations ${show(foreign.map(([name]) => name))} are not read on ${cloud === 'aws' ? 'EKS' : cloud === 'azure' ? 'AKS' : 'an existing cluster'}: the load balancer stays public and bypasses the edge (WAF)` +
        (cloud === 'hybrid' ? '; limit loadBalancerSourceRanges to private ranges, or keep ClusterIP behind your edge' : ''),
    );
  }
  if (!internal && problems.length === 0) {
    const origin = fromChartDefault(s, key) ? ` (chart default: the ${key} block was removed)` : defaulted(s, `${key}.type`);
    problems.push(
      `${key}.type is "LoadBalancer"${origin} without an internal load balancer annotation: the cloud provisions a public load balancer that bypasses the edge (WAF); keep ClusterIP or annotate it internal`,
    );
  }
  const wideSources = Array.isArray(ranges) && ranges.every((r) => typeof r === 'string' && !isUnknown(r)) ? tooWide(ranges as string[], { publicOnly: true }) : undefined;
  if (wideSources) problems.push(`${key}.loadBalancerSourceRanges ${show(ranges)} ${wideSources}: it lets (nearly) every address in`);
  return problems;
}

const kongRules: PolicyRule[] = [
  policyRule({
    id: 'KP-KONG-001',
    area: 'kong',
    title: 'Kong Admin API not exposed',
    rationale: 'The Admin API reconfigures every route and credential; it must never leave the cluster network.',
    reads: 'helm_release (kong chart): effective values admin.enabled, admin.type, admin.ingress.enabled',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v, s) => internalOnly(s, v, 'admin', 'Admin API')),
  }),
  policyRule({
    id: 'KP-KONG-002',
    area: 'kong',
    title: 'Kong Admin API over verified TLS only',
    rationale: 'A plain-HTTP Admin API, or a controller that does not verify its certificate, hands the admin credentials and configuration to anyone on the pod network.',
    reads: 'helm_release (kong chart): effective values admin.http.enabled, env -> KONG_ADMIN_LISTEN (ssl flag), ingressController.env.kong_admin_tls_skip_verify',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v, s) => {
      const problems: string[] = [];
      if (templateTrue(dig(v, 'deployment.kong.enabled') ?? true)) {
        if (templateTrue(v.admin?.enabled) && templateTrue(dig(v, 'admin.http.enabled'))) {
          problems.push(`admin.http.enabled is ${show(dig(v, 'admin.http.enabled'))} (the chart reads it as true): serve the Admin API on its TLS listener only`);
        }
        for (const { address, flags } of listeners(v.env?.admin_listen)) {
          if (!flags.includes('ssl')) problems.push(`env.admin_listen serves the Admin API over plain HTTP on ${address}: add "ssl" or listen on 127.0.0.1 only`);
        }
      }
      if (runsController(v)) {
        const skip = dig(v, 'ingressController.env.kong_admin_tls_skip_verify');
        if (controllerReadsTrue(skip)) {
          problems.push(
            `ingressController.env.kong_admin_tls_skip_verify is ${show(skip)}${defaulted(s, 'ingressController.env.kong_admin_tls_skip_verify')}: the controller must verify the Admin API certificate`,
          );
        }
      }
      return problems;
    }),
  }),
  policyRule({
    id: 'KP-KONG-003',
    area: 'kong',
    title: 'Kong Manager and Portal not exposed',
    rationale: 'Kong Manager and the Developer Portal are administrative surfaces; the chart exposes them as NodePorts by default.',
    reads: 'helm_release (kong chart): effective values manager, portal, portalapi (type, ingress); env -> KONG_ADMIN_GUI_LISTEN, KONG_PORTAL_GUI_LISTEN, KONG_PORTAL_API_LISTEN',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v, s) => [
      ...internalOnly(s, v, 'manager', 'Kong Manager'),
      ...internalOnly(s, v, 'portal', 'Developer Portal'),
      ...internalOnly(s, v, 'portalapi', 'Portal API'),
      ...internalOnly(s, v, 'cluster', 'hybrid-mode cluster listener'),
      ...internalOnly(s, v, 'clustertelemetry', 'cluster telemetry listener'),
      ...(['admin_gui_listen', 'portal_gui_listen', 'portal_api_listen'] as const).flatMap((key) =>
        listeners(v.env?.[key]).map(({ address }) => `env.${key} listens on ${address}: Kong Manager and the Portal stay on 127.0.0.1 or off`),
      ),
    ]),
  }),
  policyRule({
    id: 'KP-KONG-004',
    area: 'kong',
    title: 'Gateway hides its version',
    rationale: 'Server and Via headers tell attackers which Kong version (and CVEs) to try.',
    reads: 'helm_release (kong chart, gateway on): effective values env -> KONG_HEADERS',
    appliesTo: isKongGateway,
    check: kongValuesRule((v) => {
      const headers = v.env?.headers;
      if (isUnknown(headers)) return [];
      if (headers === undefined) return ['env.headers is not set: Kong sends server_tokens by default; set it to "off"'];
      // Kong lower-cases header names before it reads them: SERVER_TOKENS and server are server_tokens and Server.
      const leaking = kongList(headers).filter((h) => ['server_tokens', 'server', 'via'].includes(h.toLowerCase()));
      return leaking.length ? [`env.headers includes ${leaking.join(', ')}`] : [];
    }),
  }),
  policyRule({
    id: 'KP-KONG-005',
    area: 'kong',
    title: 'Client IP trusted only from the load balancer',
    rationale: 'Trusting X-Forwarded-For from any address lets every client forge its IP past ip-restriction, rate limits and audit logs.',
    reads: 'helm_release (kong chart, gateway on): effective values env -> KONG_TRUSTED_IPS (address coverage)',
    appliesTo: isKongGateway,
    check: kongValuesRule((v) => {
      const trusted = v.env?.trusted_ips;
      if (trusted === undefined || isUnknown(trusted)) return [];
      const entries = kongList(trusted);
      const wide = tooWide(entries, TRUSTED_IPS_BUDGET) ?? tooWide(entries, ADMIN_NETWORK_BUDGET);
      return wide ? [`env.trusted_ips ${show(entries)} ${wide}: any client could forge its address; list the load balancer CIDRs (gateway.trustedIps)`] : [];
    }),
  }),
  policyRule({
    id: 'KP-KONG-006',
    area: 'kong',
    title: 'Proxy not published on a public load balancer',
    rationale: 'A public LoadBalancer Service (the chart default) lets clients reach Kong around the edge WAF, TLS policy and rate limits.',
    reads: 'helm_release (kong chart, gateway on): effective values proxy, udpProxy: type, externalIPs, annotations (internal load balancer, per cloud), loadBalancerSourceRanges',
    appliesTo: isKongGateway,
    check: kongValuesRule((v, s) => [...publicService(s, v, 'proxy'), ...publicService(s, v, 'udpProxy')]),
  }),
  policyRule({
    id: 'KP-KONG-007',
    area: 'kong',
    title: 'Kong releases highly available',
    rationale: 'One gateway or controller pod is a single point of failure: a node drain or crash takes the API platform down.',
    productionOnly: true,
    reads:
      'helm_release (kong chart): effective values replicaCount, autoscaling.enabled, autoscaling.minReplicas, deployment.daemonset, deployment.kong.enabled, ingressController.enabled',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v, s) => {
      const gateway = templateTrue(dig(v, 'deployment.kong.enabled') ?? true);
      if (!gateway && !runsController(v)) return [];
      if (gateway && templateTrue(dig(v, 'deployment.daemonset'))) return [];
      const what = gateway ? 'gateway' : 'controller';
      const autoscaling = dig(v, 'autoscaling.enabled');
      if (isUnknown(autoscaling)) return [];
      if (gateway && templateTrue(autoscaling)) {
        const min = dig(v, 'autoscaling.minReplicas');
        return !isUnknown(min) && Number(min) < 2 ? [`autoscaling.minReplicas is ${show(min)}: production needs at least 2 ${what} pods`] : [];
      }
      const replicas = v.replicaCount;
      if (isUnknown(replicas) || Number(replicas) >= 2) return [];
      return [`replicaCount is ${show(replicas)}${defaulted(s, 'replicaCount')}${gateway ? ' and autoscaling.enabled is not true' : ''}: production needs at least 2 ${what} pods`];
    }),
  }),
  policyRule({
    id: 'KP-KONG-008',
    area: 'kong',
    title: 'Kong settings cannot inject nginx configuration',
    rationale:
      "Kong writes its settings into nginx.conf: a line break, ';' or brace in a value, or an injected Lua or include directive, adds server blocks, ACLs or code no rule sees.",
    reads: 'helm_release (kong chart): every effective `KONG_*` setting (line breaks, braces, injected `nginx_*` directives, quotes in lua_package_path)',
    appliesTo: isKongChartRelease,
    check: kongValuesRule((v) => nginxInjection(v.env ?? {})),
  }),
];

/** Directives Kong's `nginx_<block>_<directive>` injection must never carry: code, other files, access rules of the admin and status servers. */
const FORBIDDEN_INJECTED_DIRECTIVE = /(?:by_lua|_lua_block|(?:^|_)include$|load_module|^(?:admin|status)_(?:allow|deny|satisfy|auth_)|^(?:admin|status)_(?:listen|server_name)$)/;
/** Settings whose value Kong quotes inside a Lua path directive, where ';' is the separator. */
const LUA_PATHS = new Set(['lua_package_path', 'lua_package_cpath']);

/** Settings (already effective: lower-case, without KONG_) whose value or name would rewrite nginx.conf. */
function nginxInjection(settings: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'string' || isUnknown(value)) continue;
    if (/[\r\n]/.test(value)) {
      problems.push(`env.${name} contains a line break: Kong writes it into nginx.conf, where the next line becomes a directive of its own`);
      continue;
    }
    const injected = /^nginx_(?:main|events|http|proxy|admin|status|stream|sproxy|upstream|location|supstream)_(.+)$/.exec(name);
    if (injected) {
      const directive = name.replace(/^nginx_/, '');
      if (FORBIDDEN_INJECTED_DIRECTIVE.test(directive) || FORBIDDEN_INJECTED_DIRECTIVE.test(injected[1])) {
        problems.push(`env.${name} injects the nginx directive "${injected[1]}": code, includes and admin/status access rules cannot be set through Kong settings`);
      } else if (/[;{}]/.test(value)) {
        problems.push(`env.${name} ${show(value)} contains ';' or a brace: the value ends its directive and starts others in nginx.conf`);
      }
    } else if (!LUA_PATHS.has(name) && /[{}]/.test(value) && !/^\{vault:\/\/[^{}\s]+\}$/.test(value.trim())) {
      problems.push(`env.${name} ${show(value)} contains a brace: Kong settings are plain values, and a brace opens a block in nginx.conf`);
    } else if (!LUA_PATHS.has(name) && !/_password$/.test(name) && value.includes(';')) {
      // Kong writes settings such as real_ip_header and ssl_ciphers into nginx.conf as they are.
      problems.push(`env.${name} ${show(value)} contains ';': Kong writes its settings into nginx.conf, where ';' ends the directive and starts another`);
    } else if (LUA_PATHS.has(name) && /['"\\]/.test(value)) {
      problems.push(`env.${name} contains a quote or backslash: it would close the quoted Lua path in nginx.conf`);
    } else if (LUA_PATHS.has(name)) {
      // The image is read-only; /tmp and the Kong prefix are writable emptyDirs: code loaded from there is code anyone in the pod can change.
      const writable = value
        .split(';')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '' && !/^\/(opt|usr)\//.test(entry));
      if (writable.length > 0) problems.push(`env.${name} loads Lua from ${show(writable)}: only the image's own read-only paths (/opt, /usr) may hold code`);
    }
  }
  return problems;
}

/** A release of a chart from a repository (local charts are versioned by content, see ManifestChart). */
const isRepositoryRelease = (s: PolicySubject) =>
  s.type === 'helm_release' && (s.attributes.repository !== undefined || (typeof s.attributes.chart === 'string' && s.attributes.chart.startsWith('oci://')));

/** Values keys through which charts install arbitrary, unreviewed Kubernetes objects. */
const EXTRA_OBJECT_KEYS = ['extraObjects', 'extraDeploy', 'extraManifests', 'extraResources', 'extraTemplates'];

const helmRules: PolicyRule[] = [
  policyRule({
    id: 'KP-HELM-001',
    area: 'helm',
    title: 'Helm releases are atomic',
    rationale: 'A failed non-atomic upgrade leaves the release half-applied and the gateway possibly down.',
    reads: 'helm_release: atomic',
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
    reads: 'helm_release: wait',
    appliesTo: (s) => s.type === 'helm_release',
    check: (s) => (isFalse(s.attributes.wait) ? ['wait is false'] : []),
  }),
  policyRule({
    id: 'KP-HELM-003',
    area: 'helm',
    title: 'Chart version pinned exactly',
    rationale: 'An unpinned or ranged version installs whatever the repository serves on the day of the apply.',
    reads: 'helm_release from a repository or oci://: version',
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
    reads: 'helm_release from a repository: repository URL scheme',
    appliesTo: isRepositoryRelease,
    check(s) {
      const repository = s.attributes.repository;
      if (repository === undefined || isUnknown(repository)) return [];
      return typeof repository === 'string' && /^(https|oci):\/\//.test(repository) ? [] : [`repository ${show(repository)} must be an https:// or oci:// URL`];
    },
  }),
  policyRule({
    id: 'KP-HELM-005',
    area: 'helm',
    title: 'Helm values readable at synth time',
    rationale: 'Values the guardrails cannot read (a whole document computed at apply time, invalid YAML) would switch every other check off.',
    reads: 'helm_release (not a ManifestChart): values documents and set, set_list, set_sensitive entries',
    appliesTo: (s) => helmRelease(s) !== undefined,
    check: (s) => [...(helmRelease(s)?.problems ?? [])],
  }),
  policyRule({
    id: 'KP-HELM-006',
    area: 'helm',
    title: 'No unreviewed objects or workloads through chart values',
    rationale: 'extraObjects and bundled subcharts install arbitrary Kubernetes objects and containers that no guardrail reviews.',
    reads: 'helm_release user values: extraObjects, extraDeploy, extraManifests, extraResources, extraTemplates; kong chart: effective postgresql.enabled',
    appliesTo: (s) => helmRelease(s) !== undefined,
    check(s) {
      const view = helmRelease(s)!;
      const problems: string[] = [];
      walkValues(view.user, (path, key, value) => {
        if (!EXTRA_OBJECT_KEYS.includes(key) || value === null || value === undefined) return;
        const empty = (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) || value === '';
        if (!empty) problems.push(`${path} installs ${Array.isArray(value) ? `${value.length} ` : ''}arbitrary Kubernetes object(s): declare them as reviewed resources instead`);
      });
      if (view.chart?.name === 'kong' && templateTrue(dig(view.effective, 'postgresql.enabled'))) {
        problems.push('postgresql.enabled is true: the bundled PostgreSQL subchart runs unreviewed images, and the platform is DB-less');
      }
      return problems;
    },
  }),
  policyRule({
    id: 'KP-HELM-007',
    area: 'helm',
    title: 'Charts the guardrails can inspect',
    rationale: 'The container rules read a chart through its known values layout; an unknown chart runs containers no rule has checked.',
    reads: 'helm_release from a repository (not a ManifestChart): chart, against the charts with an adapter',
    appliesTo: (s) => isRepositoryRelease(s) && !s.manifestChart,
    check: (s) =>
      chartAdapter(s)
        ? []
        : [
            `chart ${show(s.attributes.chart)} is not one the guardrails can read (kong, kuma, kong-mesh, aws-load-balancer-controller): its containers are unchecked; add an adapter in constructs/policy/charts.ts or waive with a reason`,
          ],
  }),
  policyRule({
    id: 'KP-HELM-008',
    area: 'helm',
    title: 'Escape hatches limited to reviewed keys in production',
    rationale:
      'extraValues reach the chart without a typed prop: in production only reviewed scheduling and tuning keys pass, anything else is a deliberate, written waiver the policy report shows.',
    productionOnly: true,
    reads:
      'helm_release: the values each escape hatch (gateway/controller/add-on extraValues) set, recorded by the constructs, against the reviewed keys (constructs/policy/escape-hatches.ts)',
    appliesTo: (s) => s.type === 'helm_release' && escapeHatchUses(s.construct).length > 0,
    check: (s) =>
      escapeHatchUses(s.construct).flatMap(({ field, paths }) =>
        paths
          .filter((path) => !isReviewedEscapeHatchPath(path))
          .map(
            (path) =>
              `${field}.${path} is not a reviewed escape hatch key in production (pod metadata, scheduling, resources, log and performance settings): use a typed setting, or waive KP-HELM-008 with a reason`,
          ),
      ),
  }),
];

export const kubernetesPolicyRules: PolicyRule[] = [...kubernetesRules, ...kongRules, ...helmRules];

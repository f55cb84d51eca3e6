import type { PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { labelProblem } from '../core/kubernetes-labels';
import { parseCpu, parseMemory } from '../core/kubernetes-quantities';
import { PropsProblem, PropsProblems } from '../core/validation';
import { certificateReissueDaysProblem } from '../core/certificate-reissue';
import { RESERVED_NAMESPACES, isReservedNamespace } from '../kubernetes/system-namespaces';
import { KONG_BUNDLED_PLUGINS, KONG_ENTERPRISE_PLUGINS } from './bundled-plugins';
import { DeploymentProfile } from './profiles';

type Raw = Record<string, any>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'];
/** Label prefixes the platform owns on the namespaces it creates. */
const PLATFORM_LABEL_PREFIXES = ['pod-security.kubernetes.io/', 'kong-platform.io/'];

/**
 * Every rule on `KongPlatformProps`, in one pass: ranges (NaN, Infinity, fractions and
 * negative counts included), DNS-1123 names, the HA profile, production guardrails (Pod Security,
 * trusted IPs), the Admin API escape hatches in `extraValues`, namespace and name collisions, and
 * each add-on's own `validate`. Props are read defensively: a JavaScript caller may pass anything.
 * Returns the problems; {@link KongPlatform} throws them together as one PropsValidationError.
 */
export function kongPlatformProblems(props: unknown, constructPath: string): PropsProblem[] {
  const p = new PropsProblems(constructPath);
  const raw = (isObject(props) ? props : {}) as Raw;
  if (typeof raw.environment !== 'string' || raw.environment === '') {
    p.add('environment', raw.environment, 'is required: the environment name (labels, names)');
  } else p.dnsLabel('environment', raw.environment, 'the environment name');
  const production = raw.production === true;
  const profile = raw.profile ?? (production ? DeploymentProfile.HA : DeploymentProfile.DEV);
  if (raw.profile !== undefined && raw.profile !== DeploymentProfile.HA && raw.profile !== DeploymentProfile.DEV) {
    p.add('profile', raw.profile, 'must be DeploymentProfile.HA ("ha") or DeploymentProfile.DEV ("dev")');
  } else if (production && profile !== DeploymentProfile.HA) {
    p.add('profile', raw.profile, 'must be "ha" (or omitted) on a production platform');
  }
  if (!isObject(raw.images) || raw.images.gateway === undefined || raw.images.controller === undefined) {
    p.add('images', raw.images, 'is required: { gateway, controller } ContainerImages (ContainerImage.fromDigest)');
  } else {
    p.dnsLabel('images.pullSecretName', raw.images.pullSecretName, 'an existing image pull Secret name');
    const gatewayDigest = isObject(raw.images.gateway) ? raw.images.gateway.digest : undefined;
    if (production && typeof gatewayDigest === 'string' && isObject(raw.images.controller) && raw.images.controller.digest === gatewayDigest) {
      p.add(
        'images.controller.digest',
        gatewayDigest,
        "is the gateway's digest too: two different images cannot share one; record each pushed image's own digest (npm run image:record-digest)",
      );
    }
  }

  const system = raw.systemNamespace ?? 'kong';
  if (p.dnsLabel('systemNamespace', raw.systemNamespace, 'a namespace name') && isReservedNamespace(system)) {
    p.add(
      'systemNamespace',
      system,
      `must not be a Kubernetes or cloud system namespace (${RESERVED_NAMESPACES.join(', ')}, kube-*): the platform labels it restricted and applies default-deny policies there`,
    );
  }
  const declared = new Set<string>();
  if (raw.applicationNamespaces !== undefined && !Array.isArray(raw.applicationNamespaces)) {
    p.add('applicationNamespaces', raw.applicationNamespaces, 'must be a list of { name }');
  }
  (Array.isArray(raw.applicationNamespaces) ? raw.applicationNamespaces : []).forEach((ns: unknown, i: number) => {
    const name = isObject(ns) ? ns.name : undefined;
    if (!p.dnsLabel(`applicationNamespaces.${i}.name`, name ?? null, 'a namespace name')) return;
    if (name === system) p.add(`applicationNamespaces.${i}.name`, name, `must differ from the Kong namespace "${system}": application workloads never share Kong's namespace`);
    else if (isReservedNamespace(name))
      p.add(`applicationNamespaces.${i}.name`, name, 'must not be a Kubernetes or cloud system namespace: application traffic rules would apply to cluster components');
    else if (declared.has(name)) p.add(`applicationNamespaces.${i}.name`, name, 'is declared twice: each application namespace once');
    declared.add(name);
    if (isObject(ns) && isObject(ns.labels)) {
      for (const [key, value] of Object.entries(ns.labels)) {
        const problem = labelProblem(key, value);
        if (problem) p.add(`applicationNamespaces.${i}.labels.${key}`, value, `must be valid Kubernetes label syntax: ${problem}`);
        // The platform sets these itself: Pod Security levels (podSecurityLevel) and the roles its NetworkPolicies admit by.
        else if (PLATFORM_LABEL_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix))) {
          p.add(
            `applicationNamespaces.${i}.labels.${key}`,
            value,
            `is set by the platform (${PLATFORM_LABEL_PREFIXES.join(', ')}): a namespace label cannot change its Pod Security level or its place in the network policies`,
          );
        }
      }
    }
  });
  if (raw.podSecurityLevel !== undefined && !POD_SECURITY_LEVELS.includes(raw.podSecurityLevel)) {
    p.add('podSecurityLevel', raw.podSecurityLevel, `must be one of ${POD_SECURITY_LEVELS.map((l) => `"${l}"`).join(', ')}`);
  } else if (production && raw.podSecurityLevel === 'privileged') {
    p.add('podSecurityLevel', raw.podSecurityLevel, 'must be "restricted" or "baseline" on a production platform: "privileged" switches Pod Security Admission off');
  }

  const gateway = isObject(raw.gateway) ? raw.gateway : {};
  const autoscaling = isObject(gateway.autoscaling) ? gateway.autoscaling : undefined;
  p.count('gateway.replicas', gateway.replicas, 1, 100);
  if (autoscaling) {
    const minOk = p.count('gateway.autoscaling.minReplicas', autoscaling.minReplicas, 1, 100);
    const maxOk = p.count('gateway.autoscaling.maxReplicas', autoscaling.maxReplicas, 1, 100);
    p.count('gateway.autoscaling.targetCpuUtilization', autoscaling.targetCpuUtilization, 1, 100);
    const min = autoscaling.minReplicas ?? 2;
    const max = autoscaling.maxReplicas ?? 6;
    if (minOk && maxOk && min > max) p.add('gateway.autoscaling.minReplicas', min, `must not exceed maxReplicas (${max})`);
    if (minOk && profile === DeploymentProfile.HA && min < 2)
      p.add('gateway.autoscaling.minReplicas', min, 'must be at least 2 in the ha profile (a single pod is a single point of failure)');
  } else if (profile === DeploymentProfile.HA && typeof gateway.replicas === 'number' && Number.isInteger(gateway.replicas) && gateway.replicas >= 1 && gateway.replicas < 2) {
    p.add('gateway.replicas', gateway.replicas, 'must be at least 2 in the ha profile (or set gateway.autoscaling)');
  }
  p.count('gateway.drainTimeoutSeconds', gateway.drainTimeoutSeconds, 0, 3600);
  if (gateway.trustedIps !== undefined) {
    if (!Array.isArray(gateway.trustedIps)) p.add('gateway.trustedIps', gateway.trustedIps, 'must be a list of IPv4 CIDRs');
    else
      gateway.trustedIps.forEach((cidr: unknown, i: number) => {
        if (typeof cidr !== 'string' || !IPV4_CIDR.test(cidr)) p.add(`gateway.trustedIps.${i}`, cidr, 'must be an IPv4 CIDR such as 10.0.0.0/16');
        else if (production && cidr.endsWith('/0')) {
          p.add('gateway.trustedIps', gateway.trustedIps, 'must not contain 0.0.0.0/0 on a production platform: any client could forge its IP; list the load balancer CIDRs');
        }
      });
  }
  requestsWithinLimits(p, 'gateway.resources', gateway.resources);
  adminNotExposed(p, 'gateway.extraValues', gateway.extraValues);

  const controller = isObject(raw.controller) ? raw.controller : {};
  if (p.count('controller.replicas', controller.replicas, 1, 10) && profile === DeploymentProfile.HA && typeof controller.replicas === 'number' && controller.replicas < 2) {
    p.add('controller.replicas', controller.replicas, 'must be at least 2 in the ha profile');
  }
  p.dnsLabel('controller.ingressClass', controller.ingressClass, 'an IngressClass name');
  if (Array.isArray(controller.watchNamespaces)) {
    controller.watchNamespaces.forEach((ns: unknown, i: number) => {
      if (ns !== system && !declared.has(ns as string)) {
        p.add(`controller.watchNamespaces.${i}`, ns, `must be a declared namespace (allowed: ${[system, ...declared].map((n) => `"${n}"`).join(', ')})`);
      }
    });
  }
  requestsWithinLimits(p, 'controller.resources', controller.resources);
  adminNotExposed(p, 'controller.extraValues', controller.extraValues);
  const issuer = raw.adminApiCertificates;
  if (issuer !== undefined) {
    if (!isObject(issuer) || (issuer.kind !== 'terraform' && issuer.kind !== 'cert-manager')) {
      p.add('adminApiCertificates', issuer, 'must be AdminApiCertificateIssuer.terraform() or AdminApiCertificateIssuer.certManager()');
    } else if (issuer.kind === 'cert-manager') {
      const problem = certificateReissueDaysProblem(issuer.reissueEveryDays);
      if (problem) p.add('adminApiCertificates.reissueEveryDays', issuer.reissueEveryDays, problem);
    }
  }

  const releaseNames = isObject(raw.releaseNames) ? raw.releaseNames : {};
  p.dnsLabel('releaseNames.gateway', releaseNames.gateway, 'a Helm release name');
  p.dnsLabel('releaseNames.controller', releaseNames.controller, 'a Helm release name');
  if ((releaseNames.gateway ?? 'kong-gateway') === (releaseNames.controller ?? 'kong-controller')) {
    p.add('releaseNames.controller', releaseNames.controller, 'must differ from releaseNames.gateway: two releases of one name collide');
  }

  const pluginNames = new Map<string, number>();
  (Array.isArray(raw.customPlugins) ? raw.customPlugins : []).forEach((plugin: unknown, i: number) => {
    const name = isObject(plugin) ? (plugin as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') return;
    if (pluginNames.has(name)) p.add(`customPlugins.${i}`, name, `is listed twice (also customPlugins.${pluginNames.get(name)})`);
    else if (KONG_BUNDLED_PLUGINS.includes(name.toLowerCase()) || KONG_ENTERPRISE_PLUGINS.includes(name.toLowerCase())) {
      const edition = KONG_BUNDLED_PLUGINS.includes(name.toLowerCase()) ? 'Kong' : 'Kong Gateway Enterprise';
      p.add(
        `customPlugins.${i}`,
        name,
        `is the name of a plugin bundled with ${edition}: the custom plugin would replace it on every route that uses "${name.toLowerCase()}"; give it a name of its own`,
      );
    }
    pluginNames.set(name, i);
  });
  const ids = new Map<string, number>();
  (Array.isArray(raw.addOns) ? raw.addOns : []).forEach((addOn: unknown, i: number) => {
    const id = isObject(addOn) ? addOn.id : undefined;
    if (typeof id !== 'string') return p.add(`addOns.${i}`, addOn, 'must be a PlatformAddOn with an id');
    if (ids.has(id)) p.add(`addOns.${i}.id`, id, `is used twice (also addOns.${ids.get(id)}): add-on ids are unique`);
    ids.set(id, i);
  });
  return [...p.problems];
}

/** Problems each add-on finds in its own props, knowing the platform it joins. */
export function addOnProblems(addOns: readonly PlatformAddOn[], context: PlatformContext, constructPath: string): PropsProblem[] {
  return addOns.flatMap((addOn, i) =>
    (addOn.validate?.(context) ?? []).map((problem) => ({ constructPath, field: `addOns.${i}(${addOn.id}).${problem.field}`, value: problem.value, message: problem.message })),
  );
}

/** A container's requests never exceed its limits (the API server refuses such a pod). */
function requestsWithinLimits(p: PropsProblems, field: string, resources: unknown): void {
  if (!isObject(resources) || !isObject(resources.requests) || !isObject(resources.limits)) return;
  const { requests, limits } = resources;
  for (const [kind, parse] of [
    ['cpu', parseCpu],
    ['memory', parseMemory],
  ] as const) {
    const requested = typeof requests[kind] === 'string' ? parse(requests[kind]) : undefined;
    const limit = typeof limits[kind] === 'string' ? parse(limits[kind]) : undefined;
    if (requested !== undefined && limit !== undefined && requested > limit) p.add(`${field}.requests.${kind}`, requests[kind], `must not exceed limits.${kind} (${limits[kind]})`);
  }
}

/**
 * The Admin API stays a headless ClusterIP served over mutual TLS: no escape hatch may expose it.
 * (Its listener, `env.admin_listen`, is the policy guardrail KP-KONG-002's: one rule, one place.)
 */
function adminNotExposed(p: PropsProblems, field: string, values: unknown): void {
  if (!isObject(values)) return;
  const admin = isObject(values.admin) ? values.admin : {};
  if (admin.type !== undefined && admin.type !== 'ClusterIP') {
    p.add(`${field}.admin.type`, admin.type, 'must stay "ClusterIP": the Admin API is never exposed outside the cluster');
  }
  if (isObject(admin.ingress) && admin.ingress.enabled === true)
    p.add(`${field}.admin.ingress.enabled`, true, 'must stay false: the Admin API is never exposed outside the cluster');
  if (isObject(admin.http) && admin.http.enabled === true) p.add(`${field}.admin.http.enabled`, true, 'must stay false: the Admin API is served over mutual TLS only');
}

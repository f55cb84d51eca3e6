import { block, blocks, dig, isTrue, isUnknown, show, templateTrue } from './attributes';
import { ChartAdapter, ContainerView, chartAdapter } from './charts';
import { Values, coalesceValues, isObject, userValues, walkValues } from './helm-values';
import type { PolicySubject } from './rule';

export type { ContainerKind, ContainerView, ChartAdapter } from './charts';
export { KNOWN_CHARTS, chartAdapter } from './charts';
export { coalesceValues, mergeUserValues, parseSetString, userValues } from './helm-values';

/** A `helm_release` as the rules see it. */
export interface HelmReleaseView {
  /** The chart, when the guardrails know it (its defaults and containers). */
  readonly chart?: ChartAdapter;
  /** What the release's `values` and `set*` entries say (Helm-merged; `null` leaves kept). */
  readonly user: Values;
  /** What the chart installs with: `user` over the chart defaults, `null`s removed. */
  readonly effective: Values;
  /** Values documents or set entries the guardrails could not read (KP-HELM-005). */
  readonly problems: readonly string[];
}

const releaseViews = new WeakMap<PolicySubject, HelmReleaseView | undefined>();

/**
 * The effective values of a `helm_release` (see helm-values.ts), undefined for other resources
 * and for ManifestChart releases (their values only feed their own objects, checked as manifests).
 */
export function helmRelease(subject: PolicySubject): HelmReleaseView | undefined {
  if (releaseViews.has(subject)) return releaseViews.get(subject);
  let view: HelmReleaseView | undefined;
  if (subject.type === 'helm_release' && !subject.manifestChart) {
    const chart = chartAdapter(subject);
    const { values, problems } = userValues(subject);
    view = { chart, user: values, effective: coalesceValues(chart?.defaults ?? {}, values), problems };
  }
  releaseViews.set(subject, view);
  return view;
}

/** Kong chart releases: `chart: kong` from a repository, or a `.../kong` path or OCI reference. */
export function isKongChartRelease(subject: PolicySubject): boolean {
  return helmRelease(subject)?.chart?.name === 'kong';
}

/** The effective values of a Helm release (chart defaults, documents, then `set` entries). */
export function releaseValues(subject: PolicySubject): Values | undefined {
  return helmRelease(subject)?.effective;
}

/**
 * Whether `path` of a release's effective values comes from the chart defaults (the user values
 * leave it out, or removed a whole block with `null`).
 */
export function fromChartDefault(subject: PolicySubject, path: string): boolean {
  const view = helmRelease(subject);
  if (!view) return false;
  let node: unknown = view.user;
  for (const key of path.split('.')) {
    if (!isObject(node) || node[key] === undefined || node[key] === null) return dig(view.effective, path) !== undefined;
    node = node[key];
  }
  return false;
}

const releaseName = (subject: PolicySubject) => (typeof subject.attributes.name === 'string' ? subject.attributes.name : subject.path);

/** Pod spec location per `kubernetes_*_v1` workload type. */
const POD_SPEC_PATHS: Record<string, string> = {
  kubernetes_deployment_v1: 'spec.template.spec',
  kubernetes_stateful_set_v1: 'spec.template.spec',
  kubernetes_daemon_set_v1: 'spec.template.spec',
  kubernetes_job_v1: 'spec.template.spec',
  kubernetes_cron_job_v1: 'spec.job_template.spec.template.spec',
  kubernetes_pod_v1: 'spec',
};

/** Workload resource types whose containers the rules check. */
export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Provider block data (snake_case, blocks as lists) to Kubernetes API shape (camelCase, single blocks as objects). */
function toApiShape(value: unknown, listKeys: readonly string[] = ['drop', 'add']): unknown {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return value;
  const out: Values = {};
  for (const [k, v] of Object.entries(value)) {
    const key = camel(k);
    out[key] = listKeys.includes(key) || !Array.isArray(v) ? toApiShape(v) : toApiShape(block(v));
  }
  return out;
}

function podSpecOf(subject: PolicySubject): Record<string, unknown> | undefined {
  const path = POD_SPEC_PATHS[subject.type];
  return path ? block(dig(subject.attributes, path)) : undefined;
}

/** The containers (init containers included) of a `kubernetes_*_v1` workload resource. */
export function workloadContainers(subject: PolicySubject): ContainerView[] {
  const podSpec = podSpecOf(subject);
  if (!podSpec) return [];
  const pod = toApiShape(block(podSpec.security_context)) as Values | undefined;
  const name = String(dig(subject.attributes, 'metadata.name') ?? subject.path);
  return [...blocks(podSpec.container), ...blocks(podSpec.init_container)].map((c) => ({
    name: `${name}/${String(c.name)}`,
    securityContext: toApiShape(block(c.security_context)) as Values | undefined,
    podSecurityContext: pod,
    resources: toApiShape(block(c.resources)) as Values | undefined,
    image: c.image,
  }));
}

/** The containers of a known chart's release, from its effective values. */
export function kongChartContainers(subject: PolicySubject, values: Values): ContainerView[] {
  const view = helmRelease(subject);
  return (view?.chart ?? chartAdapter(subject))?.containers(releaseName(subject), values, subject.attributes.version) ?? [];
}

/** Every container a subject declares (release of a known chart, or workload resource); undefined when it declares none the rules can see. */
export function containersOf(subject: PolicySubject): ContainerView[] | undefined {
  const view = helmRelease(subject);
  if (view) return view.chart ? view.chart.containers(releaseName(subject), view.effective, subject.attributes.version) : undefined;
  return WORKLOAD_TYPES.includes(subject.type) ? workloadContainers(subject) : undefined;
}

/** Which container rule a setting found in release values belongs to. */
export type ValuesFindingKind = 'root' | 'filesystem' | 'privilege' | 'capabilities' | 'host';

/** An insecure setting written in a release's values, wherever it sits. */
export interface ValuesFinding {
  readonly kind: ValuesFindingKind;
  readonly message: string;
}

/** Capabilities a container may add (the `restricted` Pod Security level allows only this one). */
export const ALLOWED_ADDED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

/** Capabilities in an `add` list beyond the allowed one; undefined when the list is unknown. */
export function addedCapabilities(add: unknown): string[] | undefined {
  if (add === undefined || add === null) return [];
  if (isUnknown(add)) return undefined;
  const list = Array.isArray(add) ? add : [add];
  return list.map(String).filter((c) => !ALLOWED_ADDED_CAPABILITIES.includes(c.replace(/^CAP_/, '')));
}

const findingsCache = new WeakMap<PolicySubject, ValuesFinding[]>();

/**
 * Insecure settings written anywhere in a release's values (the user values: documents and set
 * entries), whatever the chart: security contexts that run privileged, as root, with a writable
 * root filesystem, with privilege escalation or added capabilities, and host namespaces, host
 * paths and host ports. Security contexts of containers the chart adapter models are skipped
 * (the container rules report those, with defaults applied).
 */
export function valuesFindings(subject: PolicySubject): ValuesFinding[] {
  const cached = findingsCache.get(subject);
  if (cached) return cached;
  const view = helmRelease(subject);
  const findings: ValuesFinding[] = [];
  if (view) {
    const modeled = new Set((containersOf(subject) ?? []).flatMap((c) => c.valuesPaths ?? []));
    walkValues(view.user, (path, key, value) => {
      if (value === null || value === undefined) return;
      if (/securityContext$/i.test(key) && isObject(value) && !modeled.has(path)) {
        if (isTrue(value.privileged)) findings.push({ kind: 'privilege', message: `${path}.privileged is true` });
        if (isTrue(value.allowPrivilegeEscalation)) findings.push({ kind: 'privilege', message: `${path}.allowPrivilegeEscalation is true` });
        if (value.runAsUser !== undefined && value.runAsUser !== null && !isUnknown(value.runAsUser) && Number(value.runAsUser) === 0) {
          findings.push({ kind: 'root', message: `${path}.runAsUser is 0 (root)` });
        }
        if (value.runAsNonRoot === false || value.runAsNonRoot === 'false') findings.push({ kind: 'root', message: `${path}.runAsNonRoot is false` });
        if (value.readOnlyRootFilesystem === false || value.readOnlyRootFilesystem === 'false') {
          findings.push({ kind: 'filesystem', message: `${path}.readOnlyRootFilesystem is false` });
        }
        const added = addedCapabilities(dig(value, 'capabilities.add'));
        if (added && added.length > 0) findings.push({ kind: 'capabilities', message: `${path}.capabilities.add adds ${added.join(', ')}` });
      }
      // Charts test these with {{ if }}: any non-empty value turns them on ("false", "yes", 1).
      if (['hostNetwork', 'hostPID', 'hostIPC'].includes(key) && templateTrue(value) && !isUnknown(value))
        findings.push({ kind: 'host', message: value === true ? `${path} is true` : `${path} is ${show(value)}, which the chart reads as true` });
      if (key === 'hostPath' && (isObject(value) || (typeof value === 'string' && value !== ''))) {
        findings.push({ kind: 'host', message: `${path} mounts ${show(isObject(value) ? value.path : value)} from the node` });
      }
      if (key === 'hostPort' && value !== '' && value !== 0 && value !== '0' && value !== false) findings.push({ kind: 'host', message: `${path} is ${show(value)}` });
    });
  }
  findingsCache.set(subject, findings);
  return findings;
}

/** Host namespaces, host paths and host ports of a `kubernetes_*_v1` workload resource. */
export function workloadHostAccess(subject: PolicySubject): string[] {
  const podSpec = podSpecOf(subject);
  if (!podSpec) return [];
  const problems: string[] = [];
  for (const [key, name] of [
    ['host_network', 'hostNetwork'],
    ['host_pid', 'hostPID'],
    ['host_ipc', 'hostIPC'],
  ]) {
    if (isTrue(podSpec[key])) problems.push(`${name} is true`);
  }
  for (const volume of blocks(podSpec.volume)) {
    const hostPath = block(volume.host_path);
    if (hostPath) problems.push(`volume ${show(volume.name)} mounts ${show(hostPath.path)} from the node`);
  }
  for (const c of [...blocks(podSpec.container), ...blocks(podSpec.init_container)]) {
    for (const port of blocks(c.port)) {
      if (port.host_port !== undefined && port.host_port !== 0 && !isUnknown(port.host_port)) problems.push(`container ${show(c.name)} binds hostPort ${show(port.host_port)}`);
    }
  }
  return problems;
}

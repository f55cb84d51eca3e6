import { parse } from 'yaml';
import { block, blocks, dig, isUnknown } from './attributes';
import type { PolicySubject } from './rule';

/**
 * What the container rules look at, whatever declared the container: a Helm release of the kong
 * chart (its values) or a `kubernetes_*_v1` workload resource (its pod spec). Keys are the
 * Kubernetes API's camelCase names.
 */
export interface ContainerView {
  /** Human name: `<workload>/<container>`. */
  readonly name: string;
  /** Container securityContext; undefined when none is rendered. */
  readonly securityContext?: Record<string, any>;
  /** Pod securityContext (runAsNonRoot, runAsUser and seccompProfile are inherited from it). */
  readonly podSecurityContext?: Record<string, any>;
  /** `resources` (`requests`, `limits`). */
  readonly resources?: Record<string, any>;
  /** Image reference as rendered (`registry/repo:tag@sha256:...`), undefined when not set. */
  readonly image?: unknown;
}

type Values = Record<string, any>;
const isObject = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every rule reads the same few values documents, twice per synth: parse each once. */
const parsedDocuments = new Map<string, unknown>();
function parseCached(document: string): unknown {
  if (!parsedDocuments.has(document)) parsedDocuments.set(document, parse(document));
  // A copy: `set` entries are applied onto the result in place.
  return structuredClone(parsedDocuments.get(document));
}

/** Kong chart releases: `chart: kong` from a repository, or a `.../kong` path or OCI reference. */
export function isKongChartRelease(subject: PolicySubject): boolean {
  const chart = subject.attributes.chart;
  return subject.type === 'helm_release' && typeof chart === 'string' && (chart === 'kong' || /\/kong$/.test(chart));
}

/**
 * The values of a Helm release: the YAML documents in `values` merged in order, then the literal
 * `set` entries. Undefined when a values document is only known at apply time.
 */
export function releaseValues(subject: PolicySubject): Values | undefined {
  // Every container rule asks for the same release's values: merge them once per subject.
  if (!mergedValues.has(subject)) mergedValues.set(subject, mergeReleaseValues(subject));
  return mergedValues.get(subject);
}

const mergedValues = new WeakMap<PolicySubject, Values | undefined>();

function mergeReleaseValues(subject: PolicySubject): Values | undefined {
  const documents = subject.attributes.values;
  if (documents !== undefined && !Array.isArray(documents)) return undefined;
  let merged: Values = {};
  for (const document of (documents as unknown[]) ?? []) {
    if (typeof document !== 'string' || isUnknown(document)) return undefined;
    const parsed = parseCached(document);
    if (parsed !== null && parsed !== undefined && !isObject(parsed)) return undefined;
    merged = deepMerge(merged, parsed ?? {});
  }
  for (const entry of blocks(subject.attributes.set)) {
    if (typeof entry.name === 'string') setPath(merged, entry.name, entry.value);
  }
  return merged;
}

function deepMerge(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(a[k]) ? deepMerge(a[k], v) : v;
  return out;
}

/** Applies a Helm `--set` path (`a.b\.c[0].d`); token values stay tokens, i.e. unknown to the rules. */
function setPath(root: Values, name: string, value: unknown): void {
  const segments = name.split(/(?<!\\)\./).map((s) => s.replace(/\\(.)/g, '$1'));
  let node: any = root;
  segments.forEach((segment, i) => {
    const match = /^(.*?)(?:\[(\d+)\])?$/.exec(segment)!;
    const key = match[1];
    const index = match[2] === undefined ? undefined : Number(match[2]);
    const last = i === segments.length - 1;
    if (index === undefined) {
      if (last) node[key] = value;
      else node = node[key] = isObject(node[key]) ? node[key] : {};
    } else {
      const list = (node[key] = Array.isArray(node[key]) ? node[key] : []);
      if (last) list[index] = value;
      else node = list[index] = isObject(list[index]) ? list[index] : {};
    }
  });
}

/** Renders the kong chart's image block the way the chart's templates do. */
function kongChartImage(image: unknown): unknown {
  if (!isObject(image)) return undefined;
  if (image.unifiedRepoTag !== undefined) return image.unifiedRepoTag;
  if (image.repository === undefined) return undefined;
  return `${image.repository}:${image.tag ?? ''}`;
}

/**
 * The containers a kong chart release runs: the gateway (`deployment.kong.enabled`, default on) and
 * the ingress controller (`ingressController.enabled`, default on). The chart applies
 * `containerSecurityContext` to both, and drops it when `containerSecurityContext.enabled` is false.
 */
export function kongChartContainers(subject: PolicySubject, values: Values): ContainerView[] {
  const csc = isObject(values.containerSecurityContext) && values.containerSecurityContext.enabled !== false ? values.containerSecurityContext : undefined;
  const pod = isObject(values.securityContext) ? values.securityContext : undefined;
  const containers: ContainerView[] = [];
  const release = typeof subject.attributes.name === 'string' ? subject.attributes.name : subject.path;
  if (dig(values, 'deployment.kong.enabled') !== false) {
    containers.push({ name: `${release}/proxy`, securityContext: csc, podSecurityContext: pod, resources: values.resources, image: kongChartImage(values.image) });
  }
  if (dig(values, 'ingressController.enabled') !== false) {
    const controller = isObject(values.ingressController) ? values.ingressController : {};
    containers.push({
      name: `${release}/ingress-controller`,
      securityContext: csc,
      podSecurityContext: pod,
      resources: controller.resources,
      image: kongChartImage(controller.image),
    });
  }
  return containers;
}

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

/** The containers (init containers included) of a `kubernetes_*_v1` workload resource. */
export function workloadContainers(subject: PolicySubject): ContainerView[] {
  const path = POD_SPEC_PATHS[subject.type];
  if (!path) return [];
  const podSpec = block(dig(subject.attributes, path));
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

/** Every container a subject declares (kong chart release or workload resource). */
export function containersOf(subject: PolicySubject): ContainerView[] | undefined {
  if (isKongChartRelease(subject)) {
    const values = releaseValues(subject);
    return values ? kongChartContainers(subject, values) : undefined;
  }
  return workloadContainers(subject);
}

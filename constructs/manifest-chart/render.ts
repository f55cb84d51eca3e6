import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { Token } from '../core/cdktf';

/**
 * A Kubernetes object as plain data (what `kubectl apply -f` accepts).
 * Only `apiVersion`, `kind` and `metadata.name` are required; everything else is passed through.
 */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubernetesObjectMetadata;
  readonly [field: string]: unknown;
}

/** The part of `metadata` the chart generator reads; other metadata fields are passed through. */
export interface KubernetesObjectMetadata {
  readonly name: string;
  /** Omit for cluster-scoped kinds; namespaced objects without it land in the release namespace. */
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** Inputs of {@link renderManifestChart}. */
export interface ManifestChartSource {
  /** Helm chart name (`Chart.yaml` `name`). */
  readonly chartName: string;
  /** One-line description written to `Chart.yaml`. */
  readonly description?: string;
  /** The objects, in the order they were declared. */
  readonly manifests: readonly KubernetesObject[];
  /**
   * Names of values known only at apply time (see {@link manifestChartValueRef}). Each may be used
   * in the objects as a whole string value. @default none
   */
  readonly valueNames?: readonly string[];
}

const VALUE_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const VALUE_MARKER = /__MANIFEST_CHART_VALUE_([A-Za-z][A-Za-z0-9]*)__/g;

/**
 * Placeholder for a value known only at apply time (a Terraform reference such as an ARN), to put
 * in an object as a whole string value. The chart replaces it with the release value of the same
 * name, JSON-quoted, so the value cannot break the YAML or inject template syntax.
 */
export function manifestChartValueRef(name: string): string {
  if (!VALUE_NAME.test(name)) {
    throw new ManifestValidationError(`value name "${name}" must start with a letter and contain only letters and digits`);
  }
  return `__MANIFEST_CHART_VALUE_${name}__`;
}

/** A rendered chart: relative file path -> file content, plus the content-derived version. */
export interface RenderedManifestChart {
  /** `0.1.0+<first 12 hex of sha256 over every file>`: changes whenever any object changes. */
  readonly version: string;
  /** The same 12 hex digits, for paths and names. */
  readonly contentHash: string;
  /** Relative POSIX path -> content, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
}

/** Chart base version; the content hash rides in SemVer build metadata (leading zeros are legal there). */
export const MANIFEST_CHART_BASE_VERSION = '0.1.0';

const CHART_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `chartName` is not a valid Helm chart name, or undefined when it is. */
export function chartNameProblem(chartName: string): string | undefined {
  if (CHART_NAME_PATTERN.test(chartName) && chartName.length <= 63) return undefined;
  return `chartName "${chartName}" is not a valid Helm chart name: use lowercase letters, digits and '-', ` + 'starting and ending with a letter or digit, at most 63 characters';
}

/** Thrown for a bad object; `subject` names the object so the caller can prefix its construct path. */
export class ManifestValidationError extends Error {}

/**
 * Checks one object for the fields Kubernetes requires and for unresolved Terraform tokens
 * (the chart is written at synth time from plain data, so a token would land in the file
 * verbatim as `${TfToken[...]}`). Returns a list of problems, empty when the object is fine.
 */
export function manifestProblems(object: unknown): string[] {
  const problems: string[] = [];
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    return ['must be a plain object with apiVersion, kind and metadata.name'];
  }
  const candidate = object as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof candidate[field] !== 'string' || (candidate[field] as string).length === 0) {
      problems.push(`${field} must be a non-empty string (got ${JSON.stringify(candidate[field])})`);
    }
  }
  const metadata = candidate.metadata as Record<string, unknown> | undefined;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    problems.push('metadata must be an object with a name');
  } else {
    if (typeof metadata.name !== 'string' || metadata.name.length === 0) {
      problems.push(`metadata.name must be a non-empty string (got ${JSON.stringify(metadata.name)})`);
    }
    if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || metadata.namespace.length === 0)) {
      problems.push(`metadata.namespace must be a non-empty string when set (got ${JSON.stringify(metadata.namespace)})`);
    }
  }
  const tokenPaths = findUnresolvedTokens(candidate, '');
  if (tokenPaths.length > 0) {
    problems.push(
      `contains unresolved Terraform tokens at ${tokenPaths.join(', ')}; ` +
        'a generated chart holds plain data only: pass apply-time values with the `values` prop and manifestChartValueRef(name)',
    );
  }
  return problems;
}

/** Human-readable handle for an object in error messages: `Kind namespace/name`. */
export function describeManifest(object: unknown): string {
  if (object === null || typeof object !== 'object') return JSON.stringify(object);
  const candidate = object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const kind = typeof candidate.kind === 'string' ? candidate.kind : '<no kind>';
  const name = typeof candidate.metadata?.name === 'string' ? candidate.metadata.name : '<no name>';
  const namespace = typeof candidate.metadata?.namespace === 'string' ? `${candidate.metadata.namespace}/` : '';
  return `${kind} ${namespace}${name}`;
}

/** YAML of each object, once: a chart is re-rendered after every addition, its objects are not. */
const objectYamlCache = new WeakMap<object, string>();
function objectYaml(object: KubernetesObject): string {
  let text = objectYamlCache.get(object);
  if (text === undefined) {
    text = stringify(sortKeysDeep(object), { lineWidth: 0, sortMapEntries: true });
    objectYamlCache.set(object, text);
  }
  return text;
}

/**
 * Renders the chart files for a list of objects. Pure and deterministic: keys are sorted at
 * every level, files are ordered by path, and the version is a hash of the exact bytes.
 *
 * Layout: every object is stored verbatim under `files/` and emitted by a one-line template
 * `{{ .Files.Get "files/<file>" }}`. Helm never evaluates the text it gets from `.Files.Get`,
 * so `{{` inside an object (Kong plugin config, Lua, Go templates in annotations) is applied
 * literally instead of breaking or, worse, being interpreted by the chart render.
 */
export function renderManifestChart(source: ManifestChartSource): RenderedManifestChart {
  const chartNameError = chartNameProblem(source.chartName);
  if (chartNameError) throw new ManifestValidationError(chartNameError);
  const objectFiles = new Map<string, string>();
  const identities = new Map<string, number>();
  source.manifests.forEach((object, index) => {
    const problems = manifestProblems(object);
    if (problems.length > 0) {
      throw new ManifestValidationError(`manifest #${index} (${describeManifest(object)}): ${problems.join('; ')}`);
    }
    const identity = objectIdentity(object);
    const previous = identities.get(identity);
    if (previous !== undefined) {
      throw new ManifestValidationError(
        `manifest #${index} (${describeManifest(object)}) duplicates manifest #${previous}: ` + 'apiVersion group, kind, namespace and name must be unique within a chart',
      );
    }
    identities.set(identity, index);
    const fileName = objectFileName(object);
    if (objectFiles.has(fileName)) {
      throw new ManifestValidationError(`manifest #${index} (${describeManifest(object)}) maps to the file name "${fileName}" of an earlier manifest; rename one of them`);
    }
    objectFiles.set(fileName, objectYaml(object));
  });

  const valueNames = [...new Set(source.valueNames ?? [])].sort();
  for (const name of valueNames) manifestChartValueRef(name);
  source.manifests.forEach((object, index) => {
    for (const problem of valueMarkerProblems(object, '', new Set(valueNames))) {
      throw new ManifestValidationError(`manifest #${index} (${describeManifest(object)}): ${problem}`);
    }
  });

  const bodyFiles = new Map<string, string>();
  // Every object in one stored file and one template that emits it (a chart is written, hashed
  // and copied on every synth: few files keep that cheap). Apply-time values replace their
  // markers; text from `.Files.Get` is never template-evaluated, so `{{` in an object is safe.
  bodyFiles.set(
    'files/objects.yaml',
    [...objectFiles.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([fileName, content]) => `# ${fileName}\n${content}`)
      .join('---\n'),
  );
  bodyFiles.set(
    'templates/objects.yaml',
    [
      '{{- $content := .Files.Get "files/objects.yaml" }}',
      ...valueNames.map((name) => `{{- $content = replace "${manifestChartValueRef(name)}" (toJson .Values.${name}) $content }}`),
      '{{ $content }}',
      '',
    ].join('\n'),
  );
  bodyFiles.set(
    'values.yaml',
    valueNames.length === 0
      ? '# This chart is generated by the ManifestChart construct and takes no values:\n' + '# every object under files/ is applied exactly as written.\n'
      : '# Generated by the ManifestChart construct. Set by the helm_release at apply time;\n' +
          '# every object under files/ is applied as written, with these values in place.\n' +
          valueNames.map((name) => `${name}: ""\n`).join(''),
  );
  const contentHash = hashFiles(new Map<string, string>([...bodyFiles, ['chart-name', source.chartName]]));
  const version = `${MANIFEST_CHART_BASE_VERSION}+${contentHash}`;
  const chartYaml = stringify(
    {
      apiVersion: 'v2',
      name: source.chartName,
      description: source.description ?? `Kubernetes objects generated by kong-platform (${source.manifests.length} objects)`,
      type: 'application',
      version,
    },
    { lineWidth: 0 },
  );
  const entries: [string, string][] = [...bodyFiles, ['Chart.yaml', chartYaml]];
  const files = new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { version, contentHash, files };
}

/**
 * Writes a rendered chart to `directory` (created, emptied first). Returns `directory`.
 */
export function writeManifestChart(rendered: RenderedManifestChart, directory: string): string {
  fs.rmSync(directory, { recursive: true, force: true });
  for (const [relativePath, content] of rendered.files) {
    const target = path.join(directory, ...relativePath.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return directory;
}

/**
 * Writes the chart into a content-addressed staging directory under the OS temp dir and
 * returns its path. Same content, same directory: concurrent or repeated synths reuse it, and
 * the write goes to a private directory first and is renamed into place, so a reader never
 * sees a half-written chart.
 */
export function stageManifestChart(chartName: string, rendered: RenderedManifestChart, stagingRoot?: string): string {
  const root = stagingRoot ?? path.join(os.tmpdir(), 'kong-platform-manifest-charts');
  const target = path.join(root, `${chartName}-${rendered.contentHash}`);
  if (fs.existsSync(path.join(target, 'Chart.yaml'))) return target;
  fs.mkdirSync(root, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(root, `.${chartName}-`));
  writeManifestChart(rendered, scratch);
  try {
    fs.renameSync(scratch, target);
  } catch (error) {
    // Another process staged the same content first; theirs is byte-identical.
    fs.rmSync(scratch, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'Chart.yaml'))) throw error;
  }
  return target;
}

/** Recursively sorts object keys so equal data always serialises to equal bytes. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeysDeep(child);
    }
    return sorted;
  }
  return value;
}

function objectIdentity(object: KubernetesObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return [group, object.kind, object.metadata.namespace ?? '', object.metadata.name].join('|');
}

function objectFileName(object: KubernetesObject): string {
  const parts = [object.kind, object.metadata.namespace, object.metadata.name].filter((part): part is string => typeof part === 'string' && part.length > 0);
  return `${parts.map(safeFileNamePart).join('_')}.yaml`;
}

function safeFileNamePart(part: string): string {
  return part.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

function hashFiles(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const key of [...files.keys()].sort()) {
    hash.update(key);
    hash.update('\0');
    hash.update(files.get(key)!);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

function valueMarkerProblems(value: unknown, at: string, declared: ReadonlySet<string>): string[] {
  if (typeof value === 'string') {
    const names = [...value.matchAll(VALUE_MARKER)].map((match) => match[1]);
    if (names.length === 0) return [];
    const problems: string[] = [];
    if (names.length > 1 || value !== `__MANIFEST_CHART_VALUE_${names[0]}__`) {
      problems.push(`${at || '<root>'}: a value reference must be the whole string value, got ${JSON.stringify(value)}`);
    }
    for (const name of names) {
      if (!declared.has(name)) problems.push(`${at || '<root>'}: uses the value "${name}", which the chart does not declare`);
    }
    return problems;
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => valueMarkerProblems(item, `${at}[${index}]`, declared));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [
      ...(/__MANIFEST_CHART_VALUE_/.test(key) ? [`${at ? `${at}.` : ''}${key}: a value reference cannot be a key`] : []),
      ...valueMarkerProblems(child, at ? `${at}.${key}` : key, declared),
    ]);
  }
  return [];
}

function findUnresolvedTokens(value: unknown, at: string): string[] {
  if (typeof value === 'string' || typeof value === 'number') {
    return Token.isUnresolved(value) ? [at || '<root>'] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnresolvedTokens(item, `${at}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [
      ...(Token.isUnresolved(key) ? [`${at ? `${at}.` : ''}<key ${key}>`] : []),
      ...findUnresolvedTokens(child, at ? `${at}.${key}` : key),
    ]);
  }
  return [];
}

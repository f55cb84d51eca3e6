/**
 * Render harness: every helm_release of a synthesized platform stack rendered with its values by
 * the real helm binary, every rendered object validated (Kubernetes v1.33 schema for built-in
 * kinds, the upstream CRDs for custom resources; a kind with neither is a failure), every pod
 * template checked against the Pod Security level enforced in its namespace, and the objects the
 * stack creates through the kubernetes provider validated the same way.
 *
 * Charts:
 * - generated charts (a local `chart` path: ManifestChart, the TargetGroupBinding chart) are
 *   taken from the synth output, linted (`helm lint --strict`) and rendered (`helm template`);
 * - upstream charts (`repository` + `chart` + `version`) are rendered from a vendored copy at
 *   `test/fixtures/upstream/charts/<chart>-<version>/` (Chart.yaml + templates/) when it exists
 *   (kong-mesh: the kuma chart of that version with the `kuma:` values, see CHART_STAND_INS), and
 *   every values key they set is checked against the chart's values.yaml.
 *   Without one the release is reported as not rendered (the test file turns that into a counted
 *   `test.todo`); nothing is fetched.
 *
 * Apply-time values (`${...}` Terraform expressions in `values`/`set`) become a placeholder string.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { kongPluginCelProblems } from '../../constructs/apis/plugin-resources';
import { POD_SECURITY_ENFORCE_LABEL, hasPodTemplate, namespacePodSecurityLevel, workloadPodSecurityViolations } from '../../constructs/policy/pod-security';
import { podSecurityExceptionFor, unexceptedPodSecurityViolations } from '../../constructs/policy/pod-security-exceptions';
import { kongCrds } from '../apis/fixtures';
import { ChartValuesKeys, VENDORED_CHART_VALUES } from '../support/chart-values-keys';
import { CrdSchemaSet, jsonSchemaProblems, loadCrdSchemas } from '../support/crd-schema';
import { HelmCli, REPO_ROOT } from '../support/helm';
import { sampleSynth } from '../support/sample-synth';
import { CLUSTER_SCOPED_KINDS, KUBERNETES_SCHEMA_VERSION, KubernetesSchemas, builtInMetadataProblems } from '../support/k8s-schema';
import { APPLY_TIME_PLACEHOLDER, replaceInterpolations, resolveExpressions, terraformObjects } from './terraform-objects';

type Obj = Record<string, any>;

export const UPSTREAM_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'upstream');
/** Where a vendored upstream chart is looked for: `<dir>/<chart>-<version>/`. */
export const VENDORED_CHARTS_DIR = path.join(UPSTREAM_DIR, 'charts');
const KUMA_CRDS_DIR = path.join(UPSTREAM_DIR, 'kuma-2.14.3', 'crds');
/** CRDs of cluster prerequisites and add-ons (cert-manager 1.21.1, aws-load-balancer-controller 1.13.0). */
const OTHER_CRD_FILES = [
  ...['certificates', 'issuers', 'clusterissuers', 'certificaterequests'].map((name) => path.join(UPSTREAM_DIR, 'crds', 'cert-manager-1.21.1', `cert-manager.io_${name}.yaml`)),
  path.join(UPSTREAM_DIR, 'crds', 'aws-load-balancer-controller-1.13.0', 'crds.yaml'),
];

/**
 * Upstream charts rendered with another vendored chart. The Kong Mesh chart (kong-mesh, from
 * Kong/kong-mesh-charts) wraps the kuma chart of the same version as a sub-chart named `kuma`;
 * its sources are not published, so its `kuma:` values are rendered with the kuma chart of the
 * matching version (Kong Mesh's own templates and defaults are left out).
 */
export const CHART_STAND_INS: Record<string, { chart: string; valuesRoot: string }> = {
  'kong-mesh': { chart: 'kuma', valuesRoot: 'kuma' },
};
const MESH_JSON_SCHEMA = path.join(UPSTREAM_DIR, 'kuma-2.14.3', 'schemas', 'Mesh.json');
/** Namespaces every cluster has. */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** A helm_release of a stack, with what is needed to render it. */
export interface HelmReleaseSpec {
  /** `<stack>/<release name>`. */
  readonly id: string;
  readonly stack: string;
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  /** `generated`: a local chart from the synth output; `upstream`: a chart from a repository. */
  readonly source: 'generated' | 'upstream';
  /** `chart` as in the resource (a path for generated charts). */
  readonly chart: string;
  readonly version?: string;
  readonly repository?: string;
  /** The chart folder to render, if there is one. */
  readonly chartDirectory?: string;
  /** The values documents (apply-time values replaced). */
  readonly values: string[];
  /** `--set`-style arguments (apply-time values replaced). */
  readonly setArgs: string[];
  /** Whether the release itself asks helm to lint (`lint: true`). */
  readonly lint: boolean;
  /** The vendored chart rendered in place of `chart` (see {@link CHART_STAND_INS}), if any. */
  readonly standIn?: { readonly chart: string; readonly valuesRoot: string };
}

/** The synthesized platform stack of one environment. */
export interface SynthesizedPlatform {
  readonly environment: string;
  /** The synth output folder (shared by every suite: read it, never change it). */
  readonly outdir?: string;
  readonly stackName: string;
  readonly stackDirectory: string;
  readonly json: Obj;
}

/** A sample environment's platform stack, as synth wrote it (assets included; see sample-synth.ts). */
export function samplePlatform(environment: string): SynthesizedPlatform {
  const sample = sampleSynth(environment);
  const stackName = `${environment}-platform`;
  return { environment, outdir: sample.outdir, stackName, stackDirectory: sample.stackDirectory('platform'), json: sample.stack('platform') };
}

/** Every helm_release of a platform stack. */
export function helmReleases(platform: SynthesizedPlatform, vendoredChartsDir = VENDORED_CHARTS_DIR): HelmReleaseSpec[] {
  return Object.values((platform.json.resource?.helm_release ?? {}) as Record<string, Obj>).map((release) => {
    const chart = String(release.chart);
    const local = chart.startsWith('./') || chart.startsWith('/') || chart.startsWith('../');
    const standIn = local ? undefined : CHART_STAND_INS[chart];
    const vendored = local ? undefined : path.join(vendoredChartsDir, `${standIn?.chart ?? chart}-${release.version}`);
    const documents = ((release.values ?? []) as unknown[]).map((document) => valuesDocument(String(document)));
    return {
      id: `${platform.stackName}/${release.name}`,
      stack: platform.stackName,
      name: String(release.name),
      namespace: String(release.namespace ?? 'default'),
      createNamespace: release.create_namespace === true,
      source: local ? 'generated' : 'upstream',
      chart,
      version: release.version,
      repository: release.repository,
      chartDirectory: local
        ? path.resolve(platform.stackDirectory, chart)
        : vendored && fs.existsSync(path.join(vendored, 'Chart.yaml')) && fs.existsSync(path.join(vendored, 'templates'))
          ? vendored
          : undefined,
      values: standIn ? documents.map((document) => subDocument(document, standIn.valuesRoot, String(release.name))) : documents,
      setArgs: standIn ? standInSetArguments(setArguments(release), standIn.valuesRoot, String(release.name)) : setArguments(release),
      lint: release.lint === true,
      ...(standIn ? { standIn } : {}),
    } satisfies HelmReleaseSpec;
  });
}

/**
 * One values document with apply-time values replaced. `${jsonencode({"a" = x, ...})}` (how
 * ManifestChart passes its values) becomes a JSON object of placeholders.
 */
export function valuesDocument(document: string): string {
  const encoded = /^\$\{jsonencode\(\{([\s\S]*)\}\)\}$/.exec(document.trim());
  if (encoded) {
    const keys = [...encoded[1].matchAll(/"([^"]+)"\s*=/g)].map((m) => m[1]);
    return JSON.stringify(Object.fromEntries(keys.map((key) => [key, APPLY_TIME_PLACEHOLDER])));
  }
  if (document.trim().startsWith('${')) throw new Error(`cannot evaluate a values document that is a Terraform expression: ${document.slice(0, 120)}`);
  return replaceInterpolations(document, () => APPLY_TIME_PLACEHOLDER);
}

/** The `root:` part of a values document (the values a sub-chart named `root` gets); only that key may be set. */
function subDocument(document: string, root: string, release: string): string {
  const values = (parseAllDocuments(document)[0]?.toJS() ?? {}) as Obj;
  const other = Object.keys(values).filter((key) => key !== root);
  if (other.length > 0) throw new Error(`${release}: values outside "${root}:" (${other.join(', ')}) cannot be rendered: the wrapping chart is not vendored`);
  return JSON.stringify(values[root] ?? {});
}

function standInSetArguments(args: string[], root: string, release: string): string[] {
  return args.map((arg, index) => {
    if (index % 2 === 0) return arg;
    if (!arg.startsWith(`${root}.`)) throw new Error(`${release}: --set ${arg.split('=')[0]} is outside "${root}.": the wrapping chart is not vendored`);
    return arg.slice(root.length + 1);
  });
}

function setArguments(release: Obj): string[] {
  const args: string[] = [];
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/,/g, '\\,');
  for (const entry of [...asList(release.set), ...asList(release.set_sensitive)]) {
    const value = String(resolveExpressions(String(entry.value ?? '')));
    const flag = entry.type === 'string' ? '--set-string' : entry.type === 'literal' ? '--set-literal' : '--set';
    args.push(flag, `${entry.name}=${flag === '--set-literal' ? value : escape(value)}`);
  }
  for (const entry of asList(release.set_list)) {
    const values = (Array.isArray(entry.value) ? entry.value : []).map((v: unknown) => escape(String(resolveExpressions(String(v)))));
    args.push('--set', `${entry.name}={${values.join(',')}}`);
  }
  return args;
}

const asList = (value: unknown): Obj[] => (Array.isArray(value) ? value : value ? [value as Obj] : []);

const chartKeys = new Map<string, ChartValuesKeys>();

/**
 * Values keys of an upstream release that its (vendored) chart does not know: Helm ignores them
 * silently (no chart here ships a values.schema.json). Checked against the vendored chart's own
 * values.yaml, its documented keys and {@link VENDORED_CHART_VALUES}.
 */
export function unknownValuesKeys(release: HelmReleaseSpec): string[] {
  if (release.source !== 'upstream' || !release.chartDirectory) return [];
  const chart = path.basename(release.chartDirectory).replace(/-\d+\.\d+\.\d+$/, '');
  // A chart without settings has every key checked against its values.yaml.
  const settings = VENDORED_CHART_VALUES[chart] ?? { freeFormPaths: [] };
  let keys = chartKeys.get(release.chartDirectory);
  if (!keys) {
    const examples = settings.exampleValuesDir ? path.join(UPSTREAM_DIR, settings.exampleValuesDir) : undefined;
    keys = new ChartValuesKeys(path.join(release.chartDirectory, 'values.yaml'), settings.freeFormPaths, {
      templateOnlyKeys: settings.templateOnlyKeys,
      exampleValuesFiles: examples ? fs.readdirSync(examples).map((f) => path.join(examples, f)) : [],
    });
    chartKeys.set(release.chartDirectory, keys);
  }
  const unknown = release.values.flatMap((document) => keys!.unknownKeys(parseAllDocuments(document)[0]?.toJS() ?? {}));
  for (let i = 1; i < release.setArgs.length; i += 2) {
    const name = release.setArgs[i].split('=')[0];
    if (!keys.isKnownPath(name)) unknown.push(name);
  }
  return [...new Set(unknown)];
}

/** Result of rendering one release. */
export interface RenderedRelease {
  readonly release: HelmReleaseSpec;
  readonly objects: Obj[];
  /** helm lint output problems (empty when it passed or was not run). */
  readonly lintProblems: string[];
}

/** `helm lint --strict` (generated charts) and `helm template` with the release's values. */
export function renderRelease(helm: HelmCli, release: HelmReleaseSpec): RenderedRelease {
  if (!release.chartDirectory) throw new Error(`${release.id}: no chart directory to render`);
  const valuesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-values-'));
  const valueArgs = release.values.flatMap((document, index) => {
    const file = path.join(valuesDir, `values-${index}.yaml`);
    fs.writeFileSync(file, document);
    return ['--values', file];
  });
  const args = [...valueArgs, ...release.setArgs];
  const lintProblems: string[] = [];
  if (release.source === 'generated') {
    const lint = helm.run(['lint', '--strict', release.chartDirectory, '--namespace', release.namespace, ...args]);
    if (lint.status !== 0) lintProblems.push(`helm lint --strict failed:\n${lint.stdout}${lint.stderr}`);
  }
  const result = helm.run(['template', release.name, release.chartDirectory, '--namespace', release.namespace, '--include-crds', ...args]);
  fs.rmSync(valuesDir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${release.id}: helm template failed:\n${result.stdout}\n${result.stderr}`);
  const objects = parseAllDocuments(result.stdout)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${release.id}: helm template produced invalid YAML: ${document.errors[0].message}`);
      return document.toJS() as Obj | null;
    })
    .filter((object): object is Obj => object !== null && typeof object === 'object');
  return { release, objects, lintProblems };
}

/** Scope of the custom resource kinds in CRD files (the CRD schema set does not expose it). */
function crdScopes(files: string[]): Map<string, 'Namespaced' | 'Cluster'> {
  const scopes = new Map<string, 'Namespaced' | 'Cluster'>();
  for (const file of files) {
    for (const document of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = document.toJS() as Obj | null;
      if (crd?.kind === 'CustomResourceDefinition') scopes.set(`${crd.spec.group} ${crd.spec.names.kind}`, crd.spec.scope);
    }
  }
  return scopes;
}

/** Validates objects against the Kubernetes v1.33 schema or the upstream CRDs. */
export class ObjectValidator {
  public readonly builtIn = KubernetesSchemas.load();
  public readonly kong: CrdSchemaSet = kongCrds();
  public readonly kuma: CrdSchemaSet;
  /** cert-manager and aws-load-balancer-controller CRDs. */
  public readonly other: CrdSchemaSet = loadCrdSchemas(...OTHER_CRD_FILES);
  private readonly scopes: Map<string, 'Namespaced' | 'Cluster'>;

  constructor() {
    const kumaFiles = fs
      .readdirSync(KUMA_CRDS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join(KUMA_CRDS_DIR, f));
    this.kuma = loadCrdSchemas(...kumaFiles);
    this.scopes = crdScopes([path.join(UPSTREAM_DIR, 'kong-charts-3.4.1', 'crds', 'custom-resource-definitions.yaml'), ...kumaFiles, ...OTHER_CRD_FILES]);
  }

  /** What validates this kind: `built-in`, `crd`, or undefined (no schema: a failure). */
  public schemaFor(object: Obj): 'built-in' | 'crd' | undefined {
    if (this.builtIn.covers(object)) return 'built-in';
    if (this.kong.covers(object) || this.kuma.covers(object) || this.other.covers(object)) return 'crd';
    return undefined;
  }

  /** True when the kind is cluster-scoped; undefined when unknown. */
  public clusterScoped(object: Obj): boolean | undefined {
    if (this.builtIn.covers(object)) return CLUSTER_SCOPED_KINDS.has(object.kind);
    const scope = this.scopes.get(`${String(object.apiVersion).split('/')[0]} ${object.kind}`);
    return scope === undefined ? undefined : scope === 'Cluster';
  }

  /** Every problem of one object; empty when valid. */
  public problems(object: Obj): string[] {
    const kind = this.schemaFor(object);
    if (kind === 'built-in') return this.builtIn.problems(object);
    if (kind === 'crd') {
      const set = this.kong.covers(object) ? this.kong : this.kuma.covers(object) ? this.kuma : this.other;
      const problems = [...set.problems(object), ...kongPluginCelProblems(object)];
      if (object.apiVersion === 'kuma.io/v1alpha1' && object.kind === 'Mesh' && object.spec !== undefined) {
        problems.push(...jsonSchemaProblems(MESH_JSON_SCHEMA, object.spec, { closeObjects: true }).map((p) => `/spec${p} [Mesh.json]`));
      }
      return problems;
    }
    return [
      `no schema for apiVersion "${object.apiVersion}" kind "${object.kind}": not a Kubernetes v${KUBERNETES_SCHEMA_VERSION} built-in kind and no upstream CRD for it in test/fixtures/upstream`,
    ];
  }
}

/** Namespaces the stack creates, with their enforced Pod Security level. */
export interface StackNamespace {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** undefined: the label holds an unknown value. */
  readonly level: ReturnType<typeof namespacePodSecurityLevel>;
  /** False when the namespace has no enforce label (Pod Security Admission then allows everything). */
  readonly labelled: boolean;
}

/** One finding of the harness, in a stable text form. */
export interface Finding {
  /** `<stack>/<release>` or `<stack>/<terraform address>`. */
  readonly source: string;
  /** `Kind namespace/name` of the object. */
  readonly object: string;
  readonly problem: string;
}

const describe = (object: Obj, namespace?: string) => `${object.kind} ${namespace ? `${namespace}/` : ''}${object.metadata?.name}`;

/** Findings of one environment's platform stack. */
export interface PlatformReport {
  readonly platform: SynthesizedPlatform;
  readonly releases: HelmReleaseSpec[];
  readonly rendered: RenderedRelease[];
  /** Upstream releases without a vendored chart. */
  readonly notRendered: HelmReleaseSpec[];
  readonly namespaces: Map<string, StackNamespace>;
  readonly findings: Finding[];
  /** Counts, for the summary line. */
  readonly counts: { objects: number; builtIn: number; custom: number; podTemplates: number; terraformObjects: number; exceptions: number };
}

/** The namespaces of a stack (kubernetes_namespace_v1 / kubernetes_namespace and Namespace manifests). */
export function stackNamespaces(json: Obj, schemas = KubernetesSchemas.load()): Map<string, StackNamespace> {
  const out = new Map<string, StackNamespace>();
  for (const { object, patch } of terraformObjects(json, schemas).objects) {
    if (patch || object.kind !== 'Namespace' || typeof object.metadata?.name !== 'string') continue;
    const labels = (object.metadata.labels ?? {}) as Record<string, string>;
    out.set(object.metadata.name, { name: object.metadata.name, labels, level: namespacePodSecurityLevel(labels), labelled: POD_SECURITY_ENFORCE_LABEL in labels });
  }
  return out;
}

/**
 * Renders and checks one platform stack. `helm` may be undefined only when the stack has no
 * chart to render.
 */
export function checkPlatform(platform: SynthesizedPlatform, helm: HelmCli | undefined, validator: ObjectValidator, vendoredChartsDir = VENDORED_CHARTS_DIR): PlatformReport {
  const releases = helmReleases(platform, vendoredChartsDir);
  const namespaces = stackNamespaces(platform.json, validator.builtIn);
  const findings: Finding[] = [];
  const counts = { objects: 0, builtIn: 0, custom: 0, podTemplates: 0, terraformObjects: 0, exceptions: 0 };
  const rendered: RenderedRelease[] = [];
  const notRendered: HelmReleaseSpec[] = [];

  const checkObject = (source: string, object: Obj, defaultNamespace: string | undefined, releaseCreatesNamespace: boolean) => {
    counts.objects++;
    const clusterScoped = validator.clusterScoped(object);
    const namespace = clusterScoped ? undefined : (object.metadata?.namespace ?? defaultNamespace);
    const label = describe(object, namespace);
    const schema = validator.schemaFor(object);
    if (schema === 'built-in') counts.builtIn++;
    if (schema === 'crd') counts.custom++;
    for (const problem of validator.problems(object)) findings.push({ source, object: label, problem });
    if (namespace && !namespaces.has(namespace) && !BUILT_IN_NAMESPACES.has(namespace) && !releaseCreatesNamespace) {
      findings.push({ source, object: label, problem: `namespace "${namespace}" is not created by this stack` });
    }
    if (hasPodTemplate(object.kind)) {
      counts.podTemplates++;
      const ns = namespace ? namespaces.get(namespace) : undefined;
      if (!ns && namespace === 'kube-system') {
        // kube-system is not labelled (the API server enforces nothing there): its pods are held to
        // restricted here, less their documented exception (constructs/policy/pod-security-exceptions.ts).
        if (podSecurityExceptionFor(object, namespace)) counts.exceptions++;
        for (const violation of unexceptedPodSecurityViolations(object, namespace)) {
          findings.push({
            source,
            object: label,
            problem: `Pod Security "restricted" in kube-system (${violation.check}), no exception covers it: ${violation.path}: ${violation.message}`,
          });
        }
      } else if (!ns) {
        findings.push({ source, object: label, problem: `pod template in namespace "${namespace}", whose Pod Security level this stack does not set` });
      } else if (!ns.level) {
        findings.push({ source, object: label, problem: `namespace "${namespace}" has an invalid ${POD_SECURITY_ENFORCE_LABEL} label` });
      } else {
        for (const violation of workloadPodSecurityViolations(object, ns.level)) {
          findings.push({ source, object: label, problem: `Pod Security "${ns.level}" (${violation.check}): ${violation.path}: ${violation.message}` });
        }
      }
    }
  };

  for (const release of releases) {
    if (!release.chartDirectory) {
      notRendered.push(release);
      continue;
    }
    if (!helm) throw new Error(`${release.id}: helm is needed to render ${release.chart}`);
    const result = renderRelease(helm, release);
    rendered.push(result);
    for (const problem of result.lintProblems) findings.push({ source: release.id, object: `chart ${release.chart}`, problem });
    for (const key of unknownValuesKeys(release)) {
      findings.push({ source: release.id, object: `chart ${release.chart} ${release.version}`, problem: `values key "${key}" is not in the chart's values.yaml: Helm ignores it` });
    }
    for (const object of result.objects) {
      // Some charts (kuma) put the release namespace on cluster-scoped objects too; the API server
      // drops it on create (rest.BeforeCreate clears the namespace of cluster-scoped kinds), so the
      // object is checked as the cluster stores it.
      if (validator.clusterScoped(object) === true && object.metadata?.namespace !== undefined) delete object.metadata.namespace;
      checkObject(release.id, object, release.namespace, release.createNamespace);
    }
  }

  // A namespace without an enforce label gets no Pod Security checks from the API server at all.
  for (const namespace of namespaces.values()) {
    if (!namespace.labelled) {
      findings.push({
        source: platform.stackName,
        object: `Namespace ${namespace.name}`,
        problem: `no ${POD_SECURITY_ENFORCE_LABEL} label: Pod Security Admission enforces nothing in it (privileged)`,
      });
    }
  }

  const { objects, unconverted } = terraformObjects(platform.json, validator.builtIn);
  for (const entry of unconverted) findings.push({ source: `${platform.stackName}/${entry.address}`, object: entry.address, problem: entry.reason });
  for (const { address, object, patch } of objects) {
    counts.terraformObjects++;
    const source = `${platform.stackName}/${address}`;
    if (patch) {
      // A patch of an existing object: its kind must exist and its metadata must be valid.
      const label = describe(object, object.metadata?.namespace);
      if (!validator.schemaFor(object))
        findings.push({ source, object: label, problem: `patches apiVersion "${object.apiVersion}" kind "${object.kind}", which has no schema here` });
      for (const problem of builtInMetadataProblems(object.metadata, validator.clusterScoped(object) === true)) findings.push({ source, object: label, problem });
      continue;
    }
    checkObject(source, object, 'default', false);
  }
  return { platform, releases, rendered, notRendered, namespaces, findings, counts };
}

/** A finding as one line, the form `KNOWN_FINDINGS` uses. */
export const findingLine = (finding: Finding) => `${finding.source} | ${finding.object} | ${finding.problem}`;

/**
 * Validates built-in Kubernetes objects the way the API server of a **Kubernetes v1.33** cluster
 * (the minor the EKS and AKS stacks create, `DEFAULT_KUBERNETES_VERSION`) would, as far as
 * schemas go. Offline, from one package: `kubernetes-models` 4.5.1, generated from the v1.33.0
 * OpenAPI document (its changelog: "Update schema version to v1.33.0"). Two layers:
 *
 * 1. Structure: JSON schemas derived at test time from the package's declaration files
 *    (`I<Kind>` interfaces). This decides which `apiVersion`/`kind` pairs exist, which fields
 *    exist (an **unknown field is an error**, at any depth, since a misspelt field is silently
 *    dropped on apply), which are required, the JSON type of every field and its enum values.
 * 2. Values: the package's precompiled validators add integer vs. number and formats. These
 *    validators tolerate unknown fields (layer 1 covers that). Only their findings at paths
 *    layer 1 did not already flag are reported.
 *
 * (`kubernetes-types`, the other offline source, stops at 1.30.0 on the registry and lacks
 * fields such as webhook `rules[].resources` and the CRD `x-kubernetes-*` extensions.)
 *
 * Not checked (the API server does): cross-field rules (e.g. selector matches template labels),
 * CEL/validation-gen rules, defaulting, immutability on update.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import type * as TS from 'typescript';
import { formatErrors as formatCrdErrors } from './crd-schema';
import { testRunCacheFile, writeTestRunCacheFile } from './test-run-cache';

type Schema = Record<string, any>;

const MODELS_ROOT = path.dirname(require.resolve('kubernetes-models/package.json'));
const APIMACHINERY_ROOT = path.dirname(require.resolve('@kubernetes-models/apimachinery/package.json'));
/** The Kubernetes version of the schemas: the OpenAPI document kubernetes-models 4.5.1 is generated from. */
export const KUBERNETES_SCHEMA_VERSION = '1.33.0';
/** kubernetes-models' version (pinned in package.json; its major.minor does not track Kubernetes). */
export const KUBERNETES_MODELS_VERSION: string = JSON.parse(fs.readFileSync(path.join(MODELS_ROOT, 'package.json'), 'utf8')).version;
/** Kept for callers: the value checks come from the same v1.33.0 OpenAPI. */
export const KUBERNETES_VALUES_SCHEMA_VERSION = KUBERNETES_SCHEMA_VERSION;
if (KUBERNETES_MODELS_VERSION !== '4.5.1') {
  throw new Error(
    `kubernetes-models ${KUBERNETES_MODELS_VERSION} is installed; KUBERNETES_SCHEMA_VERSION (${KUBERNETES_SCHEMA_VERSION}) was read from 4.5.1's changelog: update both`,
  );
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Built-in kinds that are cluster-scoped (a namespace on them is an error). Everything else in
 * the v1.33 API that these tests can meet is namespaced.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CertificateSigningRequest',
  'ClusterTrustBundle',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ServiceCIDR',
  'IPAddress',
  'StorageVersion',
  'StorageVersionMigration',
  'ResourceClass',
  'VolumeAttributesClass',
  'DeviceClass',
  'ResourceSlice',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'TokenReview',
  'SelfSubjectReview',
  'SubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
]);

/**
 * kubernetes-models keeps the declarations of API versions older releases served; its only
 * alpha/beta kinds are those (extensions/v1beta1, apps/v1beta2, batch/v1beta1, policy/v1beta1,
 * autoscaling/v2beta2, flowcontrol v1beta1-3, networking.k8s.io/v1beta1 Ingress, ...), every
 * one removed by v1.32 at the latest (Kubernetes deprecated API migration guide), so a v1.33
 * API server does not serve them.
 */
const REMOVED_BY_1_33 = /\/v\d+(alpha|beta)\d+$/;

/**
 * Derives JSON schemas from the kubernetes-models declaration files. Every file declares
 * `interface I<Name>` (or `type I<Name>`) and exports it under its global OpenAPI name
 * (`export { IPodSpec as IIoK8sApiCoreV1PodSpec, ... }`); references between files use the global
 * names, so those are the definition keys.
 */
function buildDefinitions(): { definitions: Record<string, Schema>; kinds: Map<string, string> } {
  // Required here: the compiler is 9 MB of JavaScript, and a suite with a cached build never needs it.
  const ts: typeof TS = require('typescript');
  const definitions: Record<string, Schema> = {};
  const kinds = new Map<string, string>();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_schemas' && entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') files.push(full);
    }
  };
  walk(MODELS_ROOT);
  walk(APIMACHINERY_ROOT);

  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const globalName = new Map<string, string>();
    for (const statement of source.statements) {
      if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) if (element.propertyName) globalName.set(element.propertyName.text, element.name.text);
      }
    }
    const ref = (name: string): Schema => ({ $ref: `#/definitions/${globalName.get(name) ?? name}` });

    const convert = (node: TS.TypeNode): Schema => {
      switch (node.kind) {
        case ts.SyntaxKind.StringKeyword:
          return { type: 'string' };
        case ts.SyntaxKind.NumberKeyword:
          return { type: 'number' };
        case ts.SyntaxKind.BooleanKeyword:
          return { type: 'boolean' };
        case ts.SyntaxKind.AnyKeyword:
        case ts.SyntaxKind.UnknownKeyword:
          return {};
      }
      if (ts.isLiteralTypeNode(node)) {
        if (ts.isStringLiteral(node.literal)) return { const: node.literal.text };
        if (ts.isNumericLiteral(node.literal)) return { const: Number(node.literal.text) };
        if (node.literal.kind === ts.SyntaxKind.TrueKeyword) return { const: true };
        if (node.literal.kind === ts.SyntaxKind.FalseKeyword) return { const: false };
        if (node.literal.kind === ts.SyntaxKind.NullKeyword) return { type: 'null' };
      }
      if (ts.isArrayTypeNode(node)) return { type: 'array', items: convert(node.elementType) };
      if (ts.isParenthesizedTypeNode(node)) return convert(node.type);
      if (ts.isUnionTypeNode(node)) {
        const members = node.types.map(convert);
        if (members.every((m) => Object.keys(m).length === 1 && typeof m.type === 'string')) return { type: members.map((m) => m.type) };
        if (members.every((m) => Object.keys(m).length === 1 && 'const' in m)) return { enum: members.map((m) => m.const) };
        return { anyOf: members };
      }
      if (ts.isTypeReferenceNode(node)) {
        const name = node.typeName.getText(source);
        if (name === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: convert(node.typeArguments[0]) };
        return ref(name);
      }
      if (ts.isTypeLiteralNode(node)) return objectSchema(node.members);
      throw new Error(`kubernetes-models ${path.relative(MODELS_ROOT, file)}: unsupported type syntax ${ts.SyntaxKind[node.kind]}: ${node.getText(source)}`);
    };

    const objectSchema = (members: TS.NodeArray<TS.TypeElement>): Schema => {
      const index = members.find(ts.isIndexSignatureDeclaration);
      if (index) return { type: 'object', additionalProperties: convert(index.type) };
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const member of members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
        properties[name] = convert(member.type);
        if (!member.questionToken) required.push(name);
      }
      // An empty interface (RawExtension, JSON, JSONSchemaPropsOrArray, FieldsV1) holds arbitrary JSON.
      if (Object.keys(properties).length === 0) return {};
      return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
    };

    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement)) {
        const key = globalName.get(statement.name.text);
        if (!key) continue;
        const schema = objectSchema(statement.members);
        definitions[key] = schema;
        const apiVersion = schema.properties?.apiVersion?.const as string | undefined;
        const kind = schema.properties?.kind?.const as string | undefined;
        if (kind && apiVersion && !REMOVED_BY_1_33.test(apiVersion)) kinds.set(`${apiVersion} ${kind}`, key);
      } else if (ts.isTypeAliasDeclaration(statement)) {
        const key = globalName.get(statement.name.text);
        if (key) definitions[key] = convert(statement.type);
      }
    }
  }
  return { definitions, kinds };
}

/**
 * {@link buildDefinitions}, built once per jest run: the first suite that needs the schemas
 * (about 0.8 s with the compiler) writes them as JSON into the run's cache folder
 * (test-run-cache.ts), the others read the file. Without
 * that folder (one file run outside jest's setup) every load builds them.
 */
function cachedDefinitions(): { definitions: Record<string, Schema>; kinds: Map<string, string> } {
  const file = testRunCacheFile(`kubernetes-models-${KUBERNETES_MODELS_VERSION}-schemas.json`);
  if (file && fs.existsSync(file)) {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Record<string, Schema>; kinds: [string, string][] };
    return { definitions: cached.definitions, kinds: new Map(cached.kinds) };
  }
  const built = buildDefinitions();
  if (file) writeTestRunCacheFile(file, JSON.stringify({ definitions: built.definitions, kinds: [...built.kinds] }));
  return built;
}

/** Removes `null` map entries (the API server treats an explicit null as "not set"). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

/** The Kubernetes v1.33 built-in kinds as validators; see the file comment. */
export class KubernetesSchemas {
  private static instance?: KubernetesSchemas;
  /** Loaded once per test file. */
  public static load(): KubernetesSchemas {
    return (KubernetesSchemas.instance ??= new KubernetesSchemas());
  }

  /** JSON schema definitions, keyed by OpenAPI name (e.g. `IIoK8sApiCoreV1Container`). */
  public readonly definitions: Record<string, Schema>;
  private readonly kindMap: Map<string, string>;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor() {
    const { definitions, kinds } = cachedDefinitions();
    this.definitions = definitions;
    this.kindMap = kinds;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    this.ajv.addSchema({ $id: 'k8s', definitions });
  }

  /** `apiVersion kind` of every top-level kind in the v1.33 API. */
  public get kinds(): string[] {
    return [...this.kindMap.keys()].sort();
  }

  /** True when Kubernetes v1.33 serves this apiVersion and kind. */
  public covers(object: { apiVersion?: unknown; kind?: unknown }): boolean {
    return this.kindMap.has(`${object.apiVersion} ${object.kind}`);
  }

  /** The JSON schema of a kind (with `$ref`s into {@link definitions}), or undefined. */
  public schemaOf(apiVersion: string, kind: string): Schema | undefined {
    const key = this.kindMap.get(`${apiVersion} ${kind}`);
    return key ? this.definitions[key] : undefined;
  }

  /** Follows a `$ref` (one level). */
  public resolve(schema: Schema | undefined): Schema | undefined {
    if (schema?.$ref) return this.resolve(this.definitions[String(schema.$ref).replace('#/definitions/', '')]);
    return schema;
  }

  /**
   * Problems with the object, each as `<json path>: <message>`; empty when it is valid.
   * An apiVersion/kind that Kubernetes v1.33 does not serve is itself a problem.
   */
  public problems(object: Schema): string[] {
    const key = this.kindMap.get(`${object.apiVersion} ${object.kind}`);
    if (!key) return [`Kubernetes v${KUBERNETES_SCHEMA_VERSION} has no built-in apiVersion "${object.apiVersion}" kind "${object.kind}"`];
    const clean = withoutNulls(object) as Schema;
    const problems = builtInMetadataProblems(clean.metadata, CLUSTER_SCOPED_KINDS.has(String(object.kind)));
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.getSchema(`k8s#/definitions/${key}`)!;
      this.validators.set(key, validate);
    }
    const structural = validate(clean) ? [] : formatErrors(validate.errors ?? [], `v${KUBERNETES_SCHEMA_VERSION}`);
    problems.push(...structural);
    const flagged = new Set((validate.errors ?? []).map((error) => error.instancePath));
    problems.push(
      ...valueProblems(clean)
        .filter((problem) => !flagged.has(problem.path))
        .map((problem) => problem.text),
    );
    return problems;
  }
}

/** Value checks of kubernetes-models (v1.33.0 OpenAPI): integers, formats. */
function valueProblems(object: Schema): { path: string; text: string }[] {
  const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
  let model: any;
  try {
    model = require(`kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`)[object.kind as string];
  } catch {
    return []; // kind unknown to kubernetes-models: layer 1 still applies
  }
  try {
    new model(structuredClone(object)).validate();
    return [];
  } catch (error) {
    const errors = ((error as { errors?: ErrorObject[] }).errors ?? []).filter((e) => e.keyword !== 'required' && e.keyword !== 'additionalProperties');
    return errors.map((e) => ({ path: e.instancePath, text: formatErrors([e], `v${KUBERNETES_SCHEMA_VERSION} values`)[0] }));
  }
}

/** Names, namespace and label checks the API server does on every object. */
export function builtInMetadataProblems(metadata: Schema | undefined, clusterScoped: boolean): string[] {
  if (!metadata || typeof metadata !== 'object') return ['/metadata: is required'];
  const problems: string[] = [];
  if (metadata.name === undefined && metadata.generateName === undefined) problems.push('/metadata/name: is required');
  else if (metadata.name !== undefined && (typeof metadata.name !== 'string' || !DNS_SUBDOMAIN.test(metadata.name) || metadata.name.length > 253)) {
    problems.push(`/metadata/name: ${JSON.stringify(metadata.name)} is not a DNS subdomain (lowercase alphanumerics, '-', '.', <= 253)`);
  }
  if (clusterScoped && metadata.namespace !== undefined)
    problems.push(`/metadata/namespace: cluster-scoped kind must not set a namespace (got ${JSON.stringify(metadata.namespace)})`);
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || !DNS_LABEL.test(metadata.namespace) || metadata.namespace.length > 63)) {
    problems.push(`/metadata/namespace: ${JSON.stringify(metadata.namespace)} is not a DNS label`);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const entries = metadata[field];
    if (entries === undefined) continue;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      problems.push(`/metadata/${field}: must be a map of strings`);
      continue;
    }
    for (const [key, value] of Object.entries(entries)) {
      const [prefix, name] = key.includes('/') ? key.split('/', 2) : ['', key];
      if (!QUALIFIED_NAME.test(key) || name.length > 63 || prefix.length > 253) problems.push(`/metadata/${field}/${key}: invalid key`);
      if (typeof value !== 'string') problems.push(`/metadata/${field}/${key}: value must be a string (got ${JSON.stringify(value)})`);
      else if (field === 'labels' && (!LABEL_VALUE.test(value) || value.length > 63)) problems.push(`/metadata/labels/${key}: invalid label value "${value}"`);
    }
  }
  if (metadata.annotations && typeof metadata.annotations === 'object') {
    const size = Object.entries(metadata.annotations).reduce((sum, [k, v]) => sum + k.length + String(v).length, 0);
    if (size > 256 * 1024) problems.push(`/metadata/annotations: total size ${size} exceeds 256 KiB`);
  }
  return problems;
}

function formatErrors(errors: ErrorObject[], source: string): string[] {
  return formatCrdErrors(
    errors.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'if'),
    source,
  );
}

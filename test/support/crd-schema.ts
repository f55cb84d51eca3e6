/**
 * Validates Kubernetes objects against the `openAPIV3Schema` of their CustomResourceDefinition,
 * the way the API server would, as far as a JSON-schema validator can:
 *
 * - the CRD version is picked by the object's `apiVersion` (`group/version`) and `kind`;
 * - `x-kubernetes-int-or-string` becomes "integer or string", `nullable` allows null;
 * - unknown fields are rejected where the API server would silently PRUNE them (an object schema
 *   with `properties` and without `x-kubernetes-preserve-unknown-fields`/`additionalProperties`):
 *   a misspelt field would otherwise vanish on apply and the test would still pass;
 * - other `x-kubernetes-*` extensions (list types, CEL `x-kubernetes-validations`, embedded
 *   resources) are dropped: CEL rules are NOT checked here;
 * - `metadata` gets the checks the API server does itself (DNS names, namespace vs. scope).
 *
 * Also validates plain JSON schemas (e.g. Kuma's `Mesh.json`, draft-04) with optional
 * "closed objects" so typos in lax schemas are caught.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, any>;

/** One served version of one CRD. */
interface CrdVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** Compiled on first use: a suite validates a few of the kinds its CRD files define. */
  readonly validator: () => ValidateFunction;
}

const K8S_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'quantity', 'duration', 'datetime'];
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const format of K8S_FORMATS) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  return ajv;
}

/**
 * Rewrites a CRD structural schema into plain JSON schema (see the file comment).
 * `closeObjects`: reject fields the API server would prune.
 */
export function toJsonSchema(schema: Schema, closeObjects = true): Schema {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, closeObjects)) as unknown as Schema;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'description' || key === 'example') continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, toJsonSchema(child, closeObjects)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'object' ? toJsonSchema(value, closeObjects) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map((child) => toJsonSchema(child, closeObjects));
    } else {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [...(out.anyOf ?? []), { type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  const preserves = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (closeObjects && out.properties && !preserves && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** Validators for every served version of every CRD in one (multi-document) YAML file. */
export class CrdSchemaSet {
  private readonly versions: CrdVersion[] = [];

  constructor(public readonly crdFiles: string[]) {
    const ajv = newAjv();
    for (const file of crdFiles) {
      for (const document of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const crd = document.toJS() as Schema | null;
        if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions as Schema[]) {
          if (version.served === false) continue;
          const root = toJsonSchema(version.schema?.openAPIV3Schema ?? { type: 'object' });
          let validate: ValidateFunction | undefined;
          // The API server owns these at the root whatever the CRD lists; metadata is checked by
          // `metadataProblems` (CRDs only say `type: object`).
          root.properties = {
            ...(root.properties ?? {}),
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object' },
          };
          this.versions.push({
            group: crd.spec.group,
            version: version.name,
            kind: crd.spec.names.kind,
            scope: crd.spec.scope,
            validator: () => (validate ??= ajv.compile(root)),
          });
        }
      }
    }
    if (this.versions.length === 0) throw new Error(`no CustomResourceDefinition found in ${crdFiles.join(', ')}`);
  }

  /** The `group/version` + kind pairs this set knows. */
  public get kinds(): string[] {
    return this.versions.map((entry) => `${entry.group}/${entry.version} ${entry.kind}`);
  }

  /** True when some CRD in the set defines the object's apiVersion and kind. */
  public covers(object: { apiVersion?: string; kind?: string }): boolean {
    return this.find(object) !== undefined;
  }

  /**
   * Problems with the object, each as `<json path>: <message>`; empty when it is valid.
   * An apiVersion/kind no CRD in the set serves is itself a problem.
   */
  public problems(object: Schema): string[] {
    const entry = this.find(object);
    if (!entry) {
      return [`no served CRD version for apiVersion "${object.apiVersion}" kind "${object.kind}" (known: ${this.kinds.join(', ')})`];
    }
    const problems = metadataProblems(object.metadata, entry.scope);
    const validate = entry.validator();
    if (!validate(object)) problems.push(...formatErrors(validate.errors ?? []));
    return problems;
  }

  /** Throws with every problem, naming the object, when it does not validate. */
  public assertValid(object: Schema): void {
    const problems = this.problems(object);
    if (problems.length > 0) {
      throw new Error(`${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name} is invalid:\n  ${problems.join('\n  ')}`);
    }
  }

  private find(object: { apiVersion?: string; kind?: string }): CrdVersion | undefined {
    const [group, version] = (object.apiVersion ?? '').split('/');
    return this.versions.find((entry) => entry.group === group && entry.version === version && entry.kind === object.kind);
  }
}

/** Loads a CRD file (or several) once per path set. */
const cache = new Map<string, CrdSchemaSet>();
export function loadCrdSchemas(...crdFiles: string[]): CrdSchemaSet {
  const key = crdFiles.join('\n');
  let set = cache.get(key);
  if (!set) {
    set = new CrdSchemaSet(crdFiles);
    cache.set(key, set);
  }
  return set;
}

/**
 * Validates `value` against a plain JSON schema file. `$schema` is dropped (Kuma ships draft-04
 * files; the keywords they use mean the same in ajv's default draft). With `closeObjects`, every
 * object schema that lists `properties` rejects other keys even when the file says
 * `additionalProperties: true`, so a misspelt field fails instead of being ignored.
 */
export function jsonSchemaProblems(schemaFile: string, value: unknown, options: { closeObjects?: boolean } = {}): string[] {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Schema;
  delete schema.$schema;
  const prepared = options.closeObjects ? closeAllObjects(schema) : schema;
  const validate = newAjv().compile(prepared);
  return validate(value) ? [] : formatErrors(validate.errors ?? []);
}

function closeAllObjects(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(closeAllObjects) as unknown as Schema;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, closeAllObjects(child)]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && typeof value === 'object') {
      out[key] = closeAllObjects(value);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map(closeAllObjects);
    } else {
      out[key] = value;
    }
  }
  if (out.properties) out.additionalProperties = false;
  return out;
}

function metadataProblems(metadata: Schema | undefined, scope: 'Namespaced' | 'Cluster'): string[] {
  if (!metadata || typeof metadata !== 'object') return ['/metadata: must be an object'];
  const problems: string[] = [];
  if (typeof metadata.name !== 'string' || !DNS_SUBDOMAIN.test(metadata.name) || metadata.name.length > 253) {
    problems.push(`/metadata/name: ${JSON.stringify(metadata.name)} is not a DNS subdomain (lowercase alphanumerics, '-', '.', <= 253)`);
  }
  if (scope === 'Cluster' && metadata.namespace !== undefined) {
    problems.push(`/metadata/namespace: cluster-scoped kind must not set a namespace (got ${JSON.stringify(metadata.namespace)})`);
  }
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || !DNS_LABEL.test(metadata.namespace))) {
    problems.push(`/metadata/namespace: ${JSON.stringify(metadata.namespace)} is not a DNS label`);
  }
  for (const [field, checkValue] of [
    ['labels', true],
    ['annotations', false],
  ] as const) {
    const entries = metadata[field];
    if (entries === undefined) continue;
    if (typeof entries !== 'object' || entries === null) {
      problems.push(`/metadata/${field}: must be a map of strings`);
      continue;
    }
    for (const [key, value] of Object.entries(entries)) {
      if (!QUALIFIED_NAME.test(key)) problems.push(`/metadata/${field}/${key}: invalid key`);
      if (typeof value !== 'string') problems.push(`/metadata/${field}/${key}: value must be a string (got ${JSON.stringify(value)})`);
      else if (checkValue && (!LABEL_VALUE.test(value) || value.length > 63)) problems.push(`/metadata/${field}/${key}: invalid label value "${value}"`);
    }
  }
  return problems;
}

/** Ajv errors as `<path>: <message> (<detail>)[ [<source>]]` lines. */
export function formatErrors(errors: ErrorObject[], source?: string): string[] {
  return errors.map((error) => {
    const where = error.instancePath || '/';
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (unknown field "${(error.params as { additionalProperty: string }).additionalProperty}")`
        : error.keyword === 'enum'
          ? ` (allowed: ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)})`
          : error.keyword === 'const'
            ? ` (${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)})`
            : '';
    return `${where}: ${error.message}${extra}${source ? ` [${source}]` : ''}`;
  });
}

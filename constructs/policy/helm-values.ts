import { parseDocument } from 'yaml';
import { blocks, isUnknown, show } from './attributes';
import type { PolicySubject } from './rule';

/**
 * The values a Helm release really installs with, computed the way Helm computes them:
 *
 * 1. every document of `values`, parsed and merged in order (maps merge key by key, anything
 *    else — lists, scalars, `null` — replaces), as `helm install -f a.yaml -f b.yaml` does;
 * 2. then every `set`, `set_list` and `set_sensitive` entry, parsed like `--set name=value`
 *    (typed unless `type: string`, commas separate assignments, `a.b[0].c` paths);
 * 3. then the chart's defaults underneath (when the chart is known to the guardrails): a key the
 *    user values leave out gets the chart default, and a `null` removes the default.
 *
 * A value only known at apply time (a Terraform token or `${...}` expression) stays a string
 * leaf the rules treat as unknown; everything around it is still checked. A document the
 * guardrails cannot read at all (a whole-document expression, invalid YAML, not a mapping) is
 * reported in `problems` (rule KP-HELM-005) instead of silently switching the checks off.
 */

export type Values = Record<string, any>;
export const isObject = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Alias expansions allowed in one values document (yaml's resource-exhaustion guard). */
const MAX_ALIAS_COUNT = 100;

/** The user-supplied values of a release and what could not be read. */
export interface UserValues {
  /** Documents merged, then set entries applied; `null` leaves kept (they remove chart defaults). */
  readonly values: Values;
  /** One line per document or set entry the guardrails could not read. */
  readonly problems: readonly string[];
}

interface ParsedDocument {
  readonly values?: Values;
  readonly problem?: string;
}

/** Every rule reads the same values documents: parse each text once. */
const documentCache = new Map<string, ParsedDocument>();

function parseValuesDocument(document: unknown, index: number): ParsedDocument {
  const where = `values[${index}]`;
  if (typeof document !== 'string') return { problem: `${where} is ${show(document)}, not a YAML document` };
  const cached = documentCache.get(document);
  if (cached) return cached;
  let result: ParsedDocument;
  // Helm reads values as YAML 1.1 (go-yaml v2): a plain on/off/yes/no/y/n is a boolean there, so it is here.
  const doc = parseDocument(document, { uniqueKeys: false, version: '1.1' });
  if (doc.errors.length > 0) {
    result = { problem: `${where} is not valid YAML (${doc.errors[0].message.split('\n')[0]})` };
  } else {
    try {
      const parsed: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (parsed === null || parsed === undefined) result = { values: {} };
      else if (isObject(parsed)) result = { values: parsed };
      else if (isUnknown(parsed)) result = { problem: `${where} is only known at apply time (${show(parsed)}): the guardrails cannot check it` };
      else result = { problem: `${where} is ${show(parsed)}, not a mapping of values` };
    } catch (error) {
      result = { problem: `${where} cannot be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
    }
  }
  documentCache.set(document, result);
  return result;
}

/** Helm's merge of `-f` files: maps merge, everything else (lists, scalars, null) replaces. */
export function mergeUserValues(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = isObject(value) && isObject(out[key]) ? mergeUserValues(out[key], value) : value;
  }
  return out;
}

/**
 * Helm's coalescing of user values over chart defaults: user values win, maps merge, a user
 * `null` deletes the default; remaining `null`s are removed (templates see nothing there).
 */
export function coalesceValues(defaults: Values, user: Values): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(user)) {
    if (value === null || value === undefined) continue;
    out[key] = isObject(value) && isObject(defaults[key]) ? coalesceValues(defaults[key], value) : isObject(value) ? coalesceValues({}, value) : value;
  }
  for (const [key, value] of Object.entries(defaults)) {
    if (key in user || value === null || value === undefined) continue;
    out[key] = isObject(value) ? coalesceValues(value, {}) : structuredClone(value);
  }
  return out;
}

/** One `--set` assignment. */
interface Assignment {
  readonly path: Array<string | number>;
  readonly value: unknown;
}

/** A `name=value` pair as the helm provider hands it to Helm's strvals parser. */
export function parseSetString(input: string, typed: boolean): Assignment[] {
  const out: Assignment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} in ${JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input)}`);
  };
  const readUntil = (stops: string): { text: string; stop: string | undefined } => {
    let text = '';
    while (i < input.length) {
      const c = input[i];
      if (c === '\\' && i + 1 < input.length) {
        text += input[i + 1];
        i += 2;
        continue;
      }
      if (stops.includes(c)) return { text, stop: c };
      text += c;
      i++;
    }
    return { text, stop: undefined };
  };
  const scalar = (text: string): unknown => {
    if (!typed) return text;
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (text === 'null') return null;
    if (/^[-+]?(0|[1-9]\d*)$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
    return text;
  };
  while (i < input.length) {
    // Key: segments split on '.', each with optional [n] indices.
    const path: Array<string | number> = [];
    let segment = '';
    for (;;) {
      if (i >= input.length) fail('key without "="');
      const c = input[i];
      if (c === '\\' && i + 1 < input.length) {
        segment += input[i + 1];
        i += 2;
      } else if (c === '.') {
        path.push(segment);
        segment = '';
        i++;
      } else if (c === '[') {
        const close = input.indexOf(']', i);
        const index = close < 0 ? NaN : Number(input.slice(i + 1, close));
        if (!Number.isInteger(index) || index < 0) fail('bad list index');
        if (segment !== '') path.push(segment);
        segment = '';
        path.push(index);
        i = close + 1;
        if (input[i] === '.') i++;
      } else if (c === '=') {
        i++;
        break;
      } else if (c === ',') {
        fail('key without "="');
      } else {
        segment += c;
        i++;
      }
    }
    if (segment !== '') path.push(segment);
    if (path.length === 0) fail('empty key');
    // Value: `{a,b}` list (typed only), else up to the next unescaped comma.
    let value: unknown;
    if (typed && input[i] === '{') {
      i++;
      const { text, stop } = readUntil('}');
      if (stop !== '}') fail('unterminated list');
      i++;
      value = text === '' ? [] : text.split(',').map(scalar);
      if (i < input.length && input[i] !== ',') fail('text after a list');
    } else {
      value = scalar(readUntil(',').text);
    }
    out.push({ path, value });
    if (input[i] === ',') i++;
  }
  return out;
}

function assign(root: Values, path: ReadonlyArray<string | number>, value: unknown): void {
  let node: any = root;
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (last) {
      node[key] = value;
      return;
    }
    const existing = node[key];
    node = node[key] = nextIsIndex ? (Array.isArray(existing) ? existing : []) : isObject(existing) ? existing : {};
  });
}

/** `set` / `set_sensitive` / `set_list` entries applied onto `root` (in place); returns problems. */
function applySetEntries(root: Values, subject: PolicySubject): string[] {
  const problems: string[] = [];
  for (const attribute of ['set', 'set_list', 'set_sensitive']) {
    blocks(subject.attributes[attribute]).forEach((entry, i) => {
      const where = `${attribute}[${i}]`;
      const name = entry.name;
      if (typeof name !== 'string' || isUnknown(name)) {
        problems.push(`${where}: name ${show(name)} is only known at apply time: the guardrails cannot tell what it sets`);
        return;
      }
      try {
        if (attribute === 'set_list') {
          const list = entry.value;
          if (isUnknown(list) || !Array.isArray(list)) {
            assign(root, keyPath(name), isUnknown(list) ? list : []);
            return;
          }
          for (const a of parseSetString(`${name}={${list.map((v) => String(v).replace(/([,\\}])/g, '\\$1')).join(',')}}`, true)) assign(root, a.path, a.value);
          return;
        }
        const value = entry.value;
        if (isUnknown(value)) {
          // Only known at apply time: the leaf is unknown, the path is still set (and checked around it).
          assign(root, keyPath(name), value);
          return;
        }
        const typed = entry.type !== 'string';
        for (const a of parseSetString(`${name}=${value === undefined || value === null ? '' : String(value)}`, typed)) assign(root, a.path, a.value);
      } catch (error) {
        problems.push(`${where} cannot be parsed as Helm --set (${error instanceof Error ? error.message : String(error)})`);
      }
    });
  }
  return problems;
}

/** The key path of a `--set` name (`a.b\.c[0].d`). */
export function keyPath(name: string): Array<string | number> {
  const assignments = parseSetString(`${name}=`, false);
  return assignments[0]?.path ?? [name];
}

const userValuesCache = new WeakMap<PolicySubject, UserValues>();

/** The values documents and set entries of a `helm_release`, merged the way Helm merges them. */
export function userValues(subject: PolicySubject): UserValues {
  const cached = userValuesCache.get(subject);
  if (cached) return cached;
  const problems: string[] = [];
  let merged: Values = {};
  const documents = subject.attributes.values;
  if (documents !== undefined && !Array.isArray(documents)) {
    problems.push(`values is ${show(documents)}: only known at apply time, the guardrails cannot check it`);
  } else {
    (documents ?? []).forEach((document: unknown, i: number) => {
      const parsed = parseValuesDocument(document, i);
      if (parsed.problem) problems.push(parsed.problem);
      // structuredClone: set entries are applied in place, the parse cache must stay intact.
      if (parsed.values) merged = mergeUserValues(merged, structuredClone(parsed.values));
    });
  }
  problems.push(...applySetEntries(merged, subject));
  const result = { values: merged, problems };
  userValuesCache.set(subject, result);
  return result;
}

/** Walks a values tree: `visit(path, key, value)` for every entry, depth first. */
export function walkValues(root: unknown, visit: (path: string, key: string, value: unknown) => void, prefix = ''): void {
  if (Array.isArray(root)) {
    root.forEach((item, i) => {
      const path = `${prefix}[${i}]`;
      visit(path, String(i), item);
      walkValues(item, visit, path);
    });
  } else if (isObject(root)) {
    for (const [key, value] of Object.entries(root)) {
      const path = prefix ? `${prefix}.${key}` : key;
      visit(path, key, value);
      walkValues(value, visit, path);
    }
  }
}

import * as fs from 'fs';
import * as path from 'path';
import { Document, LineCounter, Node, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigIssue, describeValue, nonAsciiNote } from './errors';
import { environmentSchema, EnvironmentConfig, sectionRules } from './environment';
import { hardeningRules } from './hardening';
import { checkEnvironmentRules } from './rules';
import { CustomPlugin, kongPlatformProblems } from '../constructs/kong';
import { platformPropsFromEnvironment } from './platform-props';
import { configIssuesFromProps } from './props-issues';

/** Largest environment file read (a real one is a few KiB). */
export const MAX_ENVIRONMENT_FILE_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists accepted (a real file nests less than 15 levels). */
export const MAX_NESTING_DEPTH = 64;
/** Most alias references (`*name`) in one file. */
export const MAX_ALIASES = 50;
/** Most nodes a file may expand to through aliases (alias bombs expand exponentially). */
export const MAX_EXPANDED_NODES = 20_000;
/** YAML tags an environment file may use: the core schema's plain types. */
const ALLOWED_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

export interface LoadEnvironmentsOptions {
  /** Folder with one `<name>.yaml` per environment. @default `<cwd>/environments` */
  readonly directory?: string;
  /** Load only these environments (by name). @default all files in the folder */
  readonly only?: string[];
  /** Folder with custom plugins (`<name>/handler.lua`, `<name>/schema.lua`). @default `<cwd>/plugins` */
  readonly pluginsDirectory?: string;
  /** Working directory: the defaults above are under it and file names are shown relative to it. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Loads and validates environment files. Either every selected environment is valid and
 * returned, or a `ConfigError` lists every problem in every file: nothing is half-loaded.
 */
export function loadEnvironments(options: LoadEnvironmentsOptions = {}): EnvironmentConfig[] {
  const cwd = options.cwd ?? process.cwd();
  const directory = path.resolve(cwd, options.directory ?? 'environments');
  const pluginsDirectory = path.resolve(cwd, options.pluginsDirectory ?? 'plugins');
  const display = (file: string) => path.relative(cwd, file) || file;

  if (!fs.existsSync(directory)) {
    throw new ConfigError([{ file: display(directory), path: '', message: 'environment folder does not exist' }]);
  }
  if (!fs.statSync(directory).isDirectory()) {
    throw new ConfigError([{ file: display(directory), path: '', message: 'is a file, not the folder of environment files' }]);
  }
  const available = fs
    .readdirSync(directory)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => ({ name: f.replace(/\.ya?ml$/, ''), file: path.join(directory, f) }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const issues: ConfigIssue[] = [];
  // a.yaml and a.yml would both be environment "a": two sets of stacks of one name.
  for (const [i, entry] of available.entries()) {
    const other = available.findIndex((a) => a.name === entry.name);
    if (other !== i) {
      issues.push({
        file: display(entry.file),
        path: 'name',
        message: `environment "${entry.name}" is also defined by ${display(available[other].file)}: each environment name once (remove or rename one file)`,
      });
    }
  }
  let selected = available;
  if (options.only && options.only.length > 0) {
    const names = new Set(available.map((a) => a.name));
    for (const wanted of options.only) {
      if (!names.has(wanted)) {
        issues.push({
          file: display(directory),
          path: '',
          message: `no environment file for "${wanted}" (available: ${available.map((a) => a.name).join(', ') || 'none'})`,
        });
      }
    }
    selected = available.filter((a) => options.only!.includes(a.name));
  }
  if (available.length === 0) {
    issues.push({ file: display(directory), path: '', message: 'contains no environment files (<name>.yaml)' });
  }

  const environments: EnvironmentConfig[] = [];
  for (const { name, file } of selected) {
    const read = readEnvironmentFile(file, display(file));
    if ('issues' in read) {
      issues.push(...read.issues);
      continue;
    }
    const result = parseEnvironmentText(read.text, display(file), { expectedName: name, pluginsDirectory });
    issues.push(...result.issues);
    if (result.environment) environments.push(result.environment);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return environments;
}

export interface ParseEnvironmentOptions {
  /** The name the file's `name` field must have (its file name). */
  readonly expectedName?: string;
  /** The text a value was written as in the file (`3.10` for the number 3.1), for messages. @default none */
  readonly sourceText?: (path: ReadonlyArray<string | number>) => string | undefined;
  /** When given, custom plugin folders are checked to exist there. */
  readonly pluginsDirectory?: string;
}

/**
 * Reads an environment file as UTF-8 text, refusing what is not one: unreadable paths, folders,
 * files over {@link MAX_ENVIRONMENT_FILE_BYTES}, binary content and invalid UTF-8. A byte order
 * mark is dropped.
 */
export function readEnvironmentFile(file: string, display: string): { text: string } | { issues: ConfigIssue[] } {
  const issue = (message: string) => ({ issues: [{ file: display, path: '', message }] });
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return issue('is a folder, not an environment file');
    if (stat.size > MAX_ENVIRONMENT_FILE_BYTES) return issue(`is ${stat.size} bytes, larger than the ${MAX_ENVIRONMENT_FILE_BYTES} bytes an environment file may have`);
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return issue(`cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return issue(`is not a text file: binary content (a NUL byte) at byte ${nul}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8Byte(bytes);
    return issue(
      `is not valid UTF-8 text (invalid byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte ${bad}, line ${bytes.subarray(0, bad).toString('latin1').split('\n').length})`,
    );
  }
  return { text: text.replace(/^\uFEFF/, '') };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstInvalidUtf8Byte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    const continuation = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (continuation < 0) return i;
    for (let k = 1; k <= continuation; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += continuation + 1;
  }
  return 0;
}

const at = (lineCounter: LineCounter, offset: number | undefined) => {
  if (offset === undefined) return '';
  const { line, col } = lineCounter.linePos(offset);
  return ` (line ${line}, column ${col})`;
};

/** The deepest `[` / `{` nesting of a text outside quotes and comments, and its line (before parsing: the parser recurses). */
function flowDepth(text: string): { depth: number; line: number } {
  let depth = 0;
  let max = 0;
  let maxLine = 1;
  let line = 1;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      if (quote === undefined) continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) quote = c;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        maxLine = line;
      }
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return { depth: max, line: maxLine };
}

/**
 * Structure checks on the parsed YAML before it becomes data: nesting depth, alias count and
 * expansion (alias bombs), aliases to no earlier anchor, unsupported tags, non-string keys and
 * numbers beyond what JavaScript represents exactly. Each problem names its field and line.
 */
function yamlStructureIssues(doc: Document, lineCounter: LineCounter, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const anchors = new Map<string, Node>();
  const expandedSize = new Map<Node, number>();
  let aliases = 0;
  let expanded = 0;
  let stop = false;
  const push = (fieldPath: string, message: string) => {
    issues.push({ file, path: fieldPath, message });
  };
  const sizeOf = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 1;
    const cached = expandedSize.get(node as Node);
    if (cached !== undefined) return cached;
    let size = 1;
    if (isAlias(node)) size = sizeOf(anchors.get(node.source));
    else if (isMap(node)) for (const pair of node.items) size += sizeOf(pair.key) + sizeOf(pair.value);
    else if (isSeq(node)) for (const item of node.items) size += sizeOf(item);
    size = Math.min(size, MAX_EXPANDED_NODES + 1);
    expandedSize.set(node as Node, size);
    return size;
  };
  const walk = (node: unknown, fieldPath: string, depth: number): void => {
    if (stop || node === null || node === undefined) return;
    const range = (node as { range?: [number, number, number] }).range;
    const where = at(lineCounter, range?.[0]);
    if (isAlias(node)) {
      aliases++;
      const target = anchors.get(node.source);
      if (!target) {
        push(fieldPath, `alias *${node.source} refers to no anchor &${node.source} defined before it${where}`);
        return;
      }
      if (aliases > MAX_ALIASES) {
        push(fieldPath, `more than ${MAX_ALIASES} aliases: refused as a resource exhaustion risk${where}`);
        stop = true;
        return;
      }
      expanded += sizeOf(target);
      if (expanded > MAX_EXPANDED_NODES) {
        push(fieldPath, `aliases expand to more than ${MAX_EXPANDED_NODES} values (an alias bomb?): refused${where}`);
        stop = true;
      }
      return;
    }
    if (depth > MAX_NESTING_DEPTH) {
      push(fieldPath, `nested deeper than ${MAX_NESTING_DEPTH} levels${where}`);
      stop = true;
      return;
    }
    const anchor = (node as { anchor?: string }).anchor;
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !ALLOWED_TAGS.has(tag))
      push(fieldPath, `uses the YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')}: only plain strings, numbers, booleans, null, mappings and lists are allowed${where}`);
    if (isMap(node)) {
      expanded += 1;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (key !== null && !isScalar(key)) {
          push(
            fieldPath,
            `has a key that is a ${isAlias(key) ? 'alias' : 'mapping or list'}: keys must be plain names${at(lineCounter, (key as { range?: number[] }).range?.[0])}`,
          );
          continue;
        }
        const name = key === null || key.value === null ? '' : String(key.value);
        walk(pair.value, fieldPath ? `${fieldPath}.${name}` : name, depth + 1);
      }
    } else if (isSeq(node)) {
      expanded += 1;
      node.items.forEach((item, i) => walk(item, fieldPath ? `${fieldPath}.${i}` : String(i), depth + 1));
    } else if (isScalar(node)) {
      expanded += 1;
      const value = node.value;
      if (typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER)) {
        push(fieldPath, `number ${String(node.source ?? value)} is out of range (largest allowed: ${Number.MAX_SAFE_INTEGER})${where}`);
      }
    }
    if (anchor) anchors.set(anchor, node as Node);
  };
  walk(doc.contents, '', 1);
  return issues;
}

/** Validates one environment document; returns the typed config or its problems. */
export function parseEnvironmentText(text: string, file: string, options: ParseEnvironmentOptions = {}): { environment?: EnvironmentConfig; issues: ConfigIssue[] } {
  const fileIssue = (message: string): { issues: ConfigIssue[] } => ({ issues: [{ file, path: '', message }] });
  const flow = flowDepth(text);
  if (flow.depth > MAX_NESTING_DEPTH) return fileIssue(`is nested deeper than ${MAX_NESTING_DEPTH} levels (line ${flow.line})`);
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  } catch (error) {
    // The parser recurses per nesting level: compact block nesting (`- - - - ...`) can exhaust the stack.
    if (error instanceof RangeError) return fileIssue(`is nested too deeply to parse (more than ${MAX_NESTING_DEPTH} levels)`);
    throw error;
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      issues: problems.map((e) => {
        const position = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
        let message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        if (e.code === 'DUPLICATE_KEY' && e.linePos) {
          const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(text.split(/\r?\n/)[e.linePos[0].line - 1]?.slice(e.linePos[0].col - 1) ?? '')?.[1];
          message = `duplicate key${key ? ` ${JSON.stringify(key.replace(/^["']|["']$/g, ''))}` : ''}: each key may appear once in a mapping`;
        }
        return { file, path: '', message: `is not valid YAML: ${message}${position}` };
      }),
    };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return fileIssue('is empty: an environment file needs at least name, cloud and images');
  }
  const structure = yamlStructureIssues(doc, lineCounter, file);
  if (structure.length > 0) return { issues: structure };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_EXPANDED_NODES });
  } catch (error) {
    return fileIssue(`is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const sourceText = (fieldPath: ReadonlyArray<string | number>): string | undefined => {
    const node = doc.getIn(fieldPath.map(String), true) as { source?: unknown } | undefined;
    return node && typeof node.source === 'string' ? node.source : undefined;
  };
  return validateEnvironment(raw, file, { sourceText, ...options });
}

/** Validates an already-parsed environment object (e.g. built in code by a library user). */
export function validateEnvironment(raw: unknown, file: string, options: ParseEnvironmentOptions = {}): { environment?: EnvironmentConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { issues: [{ file, path: '', message: `must be a YAML mapping of environment settings, got ${describeValue(raw)}` }] };
  }
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(...formatZodIssue(issue, raw, file, options.sourceText));
  }
  for (const v of [...checkEnvironmentRules(raw), ...sectionRules(raw), ...hardeningRules(raw)]) issues.push({ file, path: v.path, message: v.message });

  const rawObj = raw as Record<string, unknown>;
  if (options.expectedName !== undefined && typeof rawObj.name === 'string' && rawObj.name !== options.expectedName) {
    issues.push({ file, path: 'name', message: `must equal the file name "${options.expectedName}", got ${describeValue(rawObj.name)}` });
  }
  if (options.pluginsDirectory && parsed.success) {
    parsed.data.plugins.custom.forEach((plugin, i) => {
      const missing = ['handler.lua', 'schema.lua'].filter((required) => !fs.existsSync(path.join(options.pluginsDirectory!, plugin, required)));
      for (const required of missing) {
        issues.push({
          file,
          path: `plugins.custom.${i}`,
          message: `plugin "${plugin}" has no ${required} in ${path.relative(process.cwd(), path.join(options.pluginsDirectory!, plugin)) || '.'}`,
        });
      }
      if (missing.length > 0) return;
      // The plugin's own checks (Lua syntax, links out of the folder, size), as a library user gets them.
      try {
        CustomPlugin.fromDirectory(path.join(options.pluginsDirectory!, plugin));
      } catch (error) {
        issues.push({ file, path: `plugins.custom.${i}`, message: (error as Error).message.replace(/^CustomPlugin "[^"]+": /, '') });
      }
    });
  }
  if (parsed.success) issues.push(...platformPropsIssues(parsed.data, file));
  // Duplicates (the same rule caught by the schema and a cross-field rule) would read as noise.
  const unique = dedupe(issues);
  return unique.length === 0 && parsed.success ? { environment: parsed.data, issues: [] } : { issues: unique };
}

/**
 * The rules of `KongPlatform`'s props (constructs/kong/kong-platform-rules.ts), run on the props
 * this file maps to, reported with the file's field names in the same pass as the schema: one rule,
 * one place, and a library user gets the same checks. Custom plugins count by name here: their
 * folders were read and checked above (CustomPlugin.fromDirectory), not again for these rules.
 */
function platformPropsIssues(env: EnvironmentConfig, file: string): ConfigIssue[] {
  const props = platformPropsFromEnvironment({ ...env, plugins: { ...env.plugins, custom: [] } });
  const withPluginNames = { ...props, customPlugins: env.plugins.custom.map((name) => ({ name })) };
  return configIssuesFromProps(kongPlatformProblems(withPluginNames, `${env.name}-platform/kong`), () => file);
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}|${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function valueAt(raw: unknown, pathParts: Array<string | number>): unknown {
  let current: any = raw;
  for (const part of pathParts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[part];
  }
  return current;
}

/** The object schema found at `pathParts`, to list allowed keys for an unknown one. */
function objectShapeAt(raw: unknown, pathParts: Array<string | number>): Record<string, z.ZodTypeAny> | undefined {
  let schema: z.ZodTypeAny = environmentSchema;
  let value: any = raw;
  const unwrap = (s: z.ZodTypeAny): z.ZodTypeAny => {
    for (;;) {
      if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
      else if (s instanceof z.ZodDefault) s = s._def.innerType;
      else if (s instanceof z.ZodEffects) s = s.innerType();
      else if (s instanceof z.ZodDiscriminatedUnion) {
        const option = s.optionsMap.get(value?.[s.discriminator]);
        if (!option) return s;
        s = option;
      } else return s;
    }
  };
  for (const part of pathParts) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[part as string];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodRecord) schema = schema.valueSchema;
    else return undefined;
    if (!schema) return undefined;
    value = value?.[part];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? schema.shape : undefined;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Zod's own wording of size limits, replaced by ours (custom messages are kept). */
const ZOD_DEFAULT_SIZE_MESSAGE = /^(Number|String|Array|Set) must (contain|be)/;

function formatZodIssue(issue: z.ZodIssue, raw: unknown, file: string, sourceText?: ParseEnvironmentOptions['sourceText']): ConfigIssue[] {
  const at = issue.path.join('.');
  const got = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = Object.keys(objectShapeAt(raw, issue.path) ?? {});
      return issue.keys.map((key) => {
        if (key === '<<') {
          return { file, path: at ? `${at}.<<` : '<<', message: 'YAML merge keys (<<) are not supported: write the fields out, or use an alias for a whole value' };
        }
        const suggestion = closest(key, allowed);
        return {
          file,
          path: at ? `${at}.${key}` : key,
          message: `unknown field${nonAsciiNote(key)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed here: ${allowed.join(', ')}`,
        };
      });
    }
    case 'invalid_type': {
      if (got === undefined) return [{ file, path: at, message: `is required (${issue.expected})` }];
      const source = sourceText?.(issue.path);
      if (issue.expected === 'string' && (typeof got === 'number' || typeof got === 'boolean') && source !== undefined) {
        return [{ file, path: at, message: `must be string, got the ${typeof got} ${source}; quote it to keep it text: "${source}"` }];
      }
      return [{ file, path: at, message: `must be ${issue.expected}, got ${describeValue(got)}` }];
    }
    case 'too_small':
    case 'too_big': {
      if (!ZOD_DEFAULT_SIZE_MESSAGE.test(issue.message)) return [{ file, path: at, message: `${issue.message}, got ${describeValue(got)}` }];
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const bound = issue.inclusive ? `${word} ${limit}` : `${issue.code === 'too_small' ? 'more' : 'less'} than ${limit}`;
      const what =
        issue.type === 'array' || issue.type === 'set' ? `must have ${bound} item(s)` : issue.type === 'string' ? `must be ${bound} characters long` : `must be ${bound}`;
      return [{ file, path: at, message: `${what}, got ${describeValue(got)}` }];
    }
    case 'invalid_enum_value':
      return [{ file, path: at, message: `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${describeValue(got)}` }];
    case 'invalid_union_discriminator':
      return [{ file, path: at, message: `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${describeValue(got)}` }];
    case 'invalid_literal':
      return [{ file, path: at, message: `must be ${JSON.stringify(issue.expected)}, got ${describeValue(got)}` }];
    case 'invalid_union': {
      // Report the branch that got furthest rather than "Invalid input".
      const branchIssues = issue.unionErrors.map((e) => e.issues);
      const best = branchIssues.sort((a, b) => b[0].path.length - a[0].path.length)[0];
      if (best && best[0].path.length > issue.path.length) return best.flatMap((i) => formatZodIssue(i, raw, file));
      const hint = issue.message !== 'Invalid input' ? issue.message : 'has an unsupported form';
      return [{ file, path: at, message: `${hint}, got ${describeValue(got)}` }];
    }
    default:
      return [{ file, path: at, message: `${issue.message}, got ${describeValue(got)}` }];
  }
}

import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigIssue, describeValue } from './errors';
import { environmentSchema, EnvironmentConfig, sectionRules } from './environment';
import { checkEnvironmentRules } from './rules';

export interface LoadEnvironmentsOptions {
  /** Folder with one `<name>.yaml` per environment. @default `<cwd>/environments` */
  readonly directory?: string;
  /** Load only these environments (by name). @default all files in the folder */
  readonly only?: string[];
  /** Folder with custom plugins (`<name>/handler.lua`, `<name>/schema.lua`). @default `<cwd>/plugins` */
  readonly pluginsDirectory?: string;
}

/**
 * Loads and validates environment files. Either every selected environment is valid and
 * returned, or a `ConfigError` lists every problem in every file: nothing is half-loaded.
 */
export function loadEnvironments(options: LoadEnvironmentsOptions = {}): EnvironmentConfig[] {
  const directory = options.directory ?? path.join(process.cwd(), 'environments');
  const pluginsDirectory = options.pluginsDirectory ?? path.join(process.cwd(), 'plugins');
  const display = (file: string) => path.relative(process.cwd(), file) || file;

  if (!fs.existsSync(directory)) {
    throw new ConfigError([{ file: display(directory), path: '', message: 'environment folder does not exist' }]);
  }
  const available = fs
    .readdirSync(directory)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => ({ name: f.replace(/\.ya?ml$/, ''), file: path.join(directory, f) }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const issues: ConfigIssue[] = [];
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
    const result = parseEnvironmentText(fs.readFileSync(file, 'utf8'), display(file), { expectedName: name, pluginsDirectory });
    issues.push(...result.issues);
    if (result.environment) environments.push(result.environment);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return environments;
}

export interface ParseEnvironmentOptions {
  /** The name the file's `name` field must have (its file name). */
  readonly expectedName?: string;
  /** When given, custom plugin folders are checked to exist there. */
  readonly pluginsDirectory?: string;
}

/** Validates one environment document; returns the typed config or its problems. */
export function parseEnvironmentText(
  text: string,
  file: string,
  options: ParseEnvironmentOptions = {},
): { environment?: EnvironmentConfig; issues: ConfigIssue[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        file,
        path: '',
        message: `is not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}${e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : ''}`,
      })),
    };
  }
  const raw: unknown = doc.toJS();
  return validateEnvironment(raw, file, options);
}

/** Validates an already-parsed environment object (e.g. built in code by a library user). */
export function validateEnvironment(
  raw: unknown,
  file: string,
  options: ParseEnvironmentOptions = {},
): { environment?: EnvironmentConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { issues: [{ file, path: '', message: `must be a YAML mapping of environment settings, got ${describeValue(raw)}` }] };
  }
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(...formatZodIssue(issue, raw, file));
  }
  for (const v of [...checkEnvironmentRules(raw), ...sectionRules(raw)]) issues.push({ file, path: v.path, message: v.message });

  const rawObj = raw as Record<string, unknown>;
  if (options.expectedName !== undefined && typeof rawObj.name === 'string' && rawObj.name !== options.expectedName) {
    issues.push({ file, path: 'name', message: `must equal the file name "${options.expectedName}", got ${describeValue(rawObj.name)}` });
  }
  if (options.pluginsDirectory && parsed.success) {
    parsed.data.plugins.custom.forEach((plugin, i) => {
      for (const required of ['handler.lua', 'schema.lua']) {
        if (!fs.existsSync(path.join(options.pluginsDirectory!, plugin, required))) {
          issues.push({
            file,
            path: `plugins.custom.${i}`,
            message: `plugin "${plugin}" has no ${required} in ${path.relative(process.cwd(), path.join(options.pluginsDirectory!, plugin)) || '.'}`,
          });
        }
      }
    });
  }
  // Duplicates (the same rule caught by the schema and a cross-field rule) would read as noise.
  const unique = dedupe(issues);
  return unique.length === 0 && parsed.success ? { environment: parsed.data, issues: [] } : { issues: unique };
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

function formatZodIssue(issue: z.ZodIssue, raw: unknown, file: string): ConfigIssue[] {
  const at = issue.path.join('.');
  const got = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = Object.keys(objectShapeAt(raw, issue.path) ?? {});
      return issue.keys.map((key) => {
        const suggestion = closest(key, allowed);
        return {
          file,
          path: at ? `${at}.${key}` : key,
          message: `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed here: ${allowed.join(', ')}`,
        };
      });
    }
    case 'invalid_type':
      if (got === undefined) return [{ file, path: at, message: `is required (${issue.expected})` }];
      return [{ file, path: at, message: `must be ${issue.expected}, got ${describeValue(got)}` }];
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

import { Token } from '../core/cdktf';

/**
 * Reading synthesized resource attributes. Nested blocks appear as an object (single blocks)
 * or a list of objects; the helpers accept both. Values that are only known at apply time
 * (tokens) are "unknown": rules must not fail on them.
 */

/** True for a value only known at apply time (a Terraform reference or function call). */
export function isUnknown(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value) || value.includes('${');
  if (typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some((item) => typeof item === 'string' && isUnknown(item));
  return false;
}

/** The first (or only) block of a nested block attribute. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
}

/** All blocks of a nested block attribute. */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item));
}

/** Follows a dotted path through objects and single blocks (`vpc_config.endpoint_public_access`). */
export function dig(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.')) {
    const container = block(node);
    if (!container) return undefined;
    node = container[key];
  }
  return node;
}

/** `true` / `"true"`. */
export const isTrue = (value: unknown): boolean => value === true || value === 'true';
/** `false` / `"false"`. */
export const isFalse = (value: unknown): boolean => value === false || value === 'false';

/**
 * How a chart's `{{ if .Values.x }}` reads a value (Go template truth): false, 0, null, "" and
 * empty lists and maps are false; everything else is true, the strings "false", "no" and "0"
 * included. Chart toggles are judged with this, not with {@link isTrue}.
 */
export function templateTrue(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A list of strings, or undefined when the value is unknown or not a list. */
export function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || isUnknown(value)) return undefined;
  return value.filter((item): item is string => typeof item === 'string');
}

/** A short rendering of a value for a message. */
export function show(value: unknown): string {
  if (value === undefined) return 'not set';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

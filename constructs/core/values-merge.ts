import { HelmValues } from './platform-add-on';

function isPlainObject(value: unknown): value is HelmValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges Helm values layers, later layers winning, the way Helm merges `-f` files:
 * maps merge key by key, lists and scalars are replaced whole, and `null` removes a key
 * (so a later layer can drop a chart default). Inputs are never mutated.
 */
export function mergeValues(...layers: Array<HelmValues | undefined>): HelmValues {
  const result: HelmValues = {};
  for (const layer of layers) {
    if (!layer) continue;
    mergeInto(result, layer);
  }
  return result;
}

function mergeInto(target: HelmValues, source: HelmValues): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (value === null) {
      delete target[key];
    } else if (isPlainObject(value) && isPlainObject(target[key])) {
      const merged = { ...(target[key] as HelmValues) };
      mergeInto(merged, value);
      target[key] = merged;
    } else if (isPlainObject(value)) {
      const copy: HelmValues = {};
      mergeInto(copy, value);
      target[key] = copy;
    } else {
      target[key] = Array.isArray(value) ? [...value] : value;
    }
  }
}

/** Lists every leaf key path of a values tree (`a.b.c`), not descending into lists. */
export function valuesKeyPaths(values: HelmValues, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    paths.push(path);
    if (isPlainObject(value)) paths.push(...valuesKeyPaths(value, path));
  }
  return paths;
}

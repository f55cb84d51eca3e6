import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { KONG_CHART_DEFAULTS, KUMA_CHART_DEFAULTS } from '../../constructs/policy/charts';
import { REPO_ROOT } from '../support/platform-fixture';

/** The chart defaults the guardrails assume are the upstream charts' defaults, leaf by leaf. */

const upstream = (chart: string) => parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'upstream', chart, 'values.yaml'), 'utf8'));

/** Every leaf (scalar, list or empty mapping) of a values tree with its dotted path. */
function leaves(tree: unknown, prefix = ''): Array<[string, unknown]> {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree) || Object.keys(tree).length === 0) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

const at = (tree: any, dotted: string) => dotted.split('.').reduce((node, key) => (node === null || node === undefined ? undefined : node[key]), tree);

describe('embedded chart defaults match the vendored upstream values files', () => {
  test.each<[string, Record<string, unknown>]>([
    ['kong-charts-3.4.1', KONG_CHART_DEFAULTS],
    ['kuma-2.14.3', KUMA_CHART_DEFAULTS],
  ])('%s', (chart, defaults) => {
    // GIVEN the upstream values.yaml
    const values = upstream(chart);
    // WHEN every embedded leaf is looked up there
    const mismatches = leaves(defaults).filter(([dotted, value]) => JSON.stringify(at(values, dotted)) !== JSON.stringify(value));
    // THEN
    expect(mismatches).toEqual([]);
  });
});

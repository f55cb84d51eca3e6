import * as path from 'path';
import { ImportGraph, PROJECT_LAYERS, importCycles, layerViolations, projectFiles, readImportGraph } from './import-graph';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_FOLDERS = ['constructs', 'config', 'stacks', 'scripts', 'delivery'];

describe('import graph of the project (TypeScript compiler API)', () => {
  const graph = readImportGraph(ROOT, projectFiles(ROOT, SOURCE_FOLDERS, ['main.ts', 'index.ts']));

  test('GIVEN the sources WHEN read THEN the graph covers every layer (the reader sees real imports)', () => {
    expect(graph.files).toEqual(expect.arrayContaining(['main.ts', 'index.ts', 'constructs/kong/kong-platform.ts', 'config/load.ts', 'stacks/environment-stacks.ts']));
    expect(graph.edges).toContainEqual({ from: 'main.ts', to: 'config/load.ts', typeOnly: false });
    expect(graph.edges.length).toBeGreaterThan(300);
  });

  test('GIVEN the layers environment file → config → stacks → constructs THEN no import points against them', () => {
    expect(layerViolations(graph, PROJECT_LAYERS)).toEqual([]);
  });

  test('THEN nothing under constructs/ imports config/, stacks/, scripts/, delivery/, main.ts or index.ts', () => {
    const outward = graph.edges.filter((e) => e.from.startsWith('constructs/') && !e.to.startsWith('constructs/'));
    expect(outward).toEqual([]);
  });

  test('THEN there is no import cycle (type-only imports included)', () => {
    expect(importCycles(graph, true)).toEqual([]);
  });
});

describe('the checks themselves, on a small in-memory project with planted violations', () => {
  const sources: Record<string, string> = {
    'main.ts': "import { run } from './scripts/run';\nimport { load } from './config/load';\n",
    'scripts/run.ts': "import { selected } from '../main';\nexport const run = 1;\n",
    'config/load.ts': "import { POLICY_RULE_IDS } from '../constructs/policy/rules/index';\nimport { area } from '../constructs/policy';\nexport const load = 1;\n",
    'config/schema.ts': "import { s3BucketNameProblem } from '../constructs/aws/rules';\nimport { cidrSubnet } from '../constructs/aws/cidr';\n",
    'constructs/aws/rules.ts': "export * from './cidr';\n",
    'constructs/aws/cidr.ts': 'export const cidrSubnet = 1;\n',
    'constructs/policy/index.ts': "export * from './rules';\n",
    'constructs/policy/rules/index.ts': 'export const POLICY_RULE_IDS = [];\n',
    'constructs/apis/api.ts': "import type { ApiConfig } from '../../config/load';\nconst x = require('../../stacks/s');\n",
    'stacks/s.ts': "import { KongApi } from '../constructs/apis/api';\n",
  };
  const planted: ImportGraph = readImportGraph('/nowhere', Object.keys(sources).sort(), (f) => sources[f]);

  test('GIVEN a construct importing config/ (type-only) and stacks/ (require) WHEN checked THEN both edges are reported', () => {
    const violations = layerViolations(planted, PROJECT_LAYERS);
    expect(violations).toContain('constructs/apis/api.ts -> config/load.ts: constructs must not import config (allowed: its own layer only)');
    expect(violations).toContain('constructs/apis/api.ts -> stacks/s.ts: constructs must not import stacks (allowed: its own layer only)');
  });

  test("GIVEN config/ importing a policy rule's internals WHEN checked THEN it is reported; the area's public entry is allowed", () => {
    const violations = layerViolations(planted, PROJECT_LAYERS);
    expect(violations).toContain(
      'config/load.ts -> constructs/policy/rules/index.ts: config may import constructs only through its public entries (constructs/<area>/index.ts or rules.ts)',
    );
    expect(violations.filter((v) => v.startsWith('config/load.ts -> constructs/policy/index.ts'))).toEqual([]);
  });

  test("GIVEN config/ importing an area's light entry and, past it, one of the files it re-exports WHEN checked THEN only the file is reported", () => {
    const violations = layerViolations(planted, PROJECT_LAYERS).filter((v) => v.startsWith('config/schema.ts'));
    expect(violations).toEqual([
      'config/schema.ts -> constructs/aws/cidr.ts: config may import constructs only through its public entries (constructs/<area>/index.ts or rules.ts)',
    ]);
  });

  test('GIVEN scripts importing main.ts WHEN checked THEN the edge and the cycle main ↔ scripts are both reported', () => {
    expect(layerViolations(planted, PROJECT_LAYERS)).toContain('scripts/run.ts -> main.ts: scripts must not import main (allowed: index, delivery, stacks, config, constructs)');
    const cycles = importCycles(planted, true).map((c) => c.join(' -> '));
    expect(cycles).toContain('main.ts -> scripts/run.ts -> main.ts');
    expect(cycles.some((c) => c.includes('constructs/apis/api.ts') && c.includes('stacks/s.ts'))).toBe(true);
  });

  test('GIVEN a cycle made only of type-only imports WHEN cycles are counted without types THEN it is ignored, with types THEN reported', () => {
    const typeCycle = readImportGraph('/nowhere', ['constructs/a.ts', 'constructs/b.ts'], (f) =>
      f.endsWith('a.ts') ? "import type { B } from './b';" : "import type { A } from './a';",
    );
    expect(importCycles(typeCycle)).toEqual([]);
    expect(importCycles(typeCycle, true)).toEqual([['constructs/a.ts', 'constructs/b.ts', 'constructs/a.ts']]);
  });

  test('GIVEN an import of a file outside the project sources THEN it is reported', () => {
    const outside = readImportGraph('/nowhere', ['constructs/a.ts'], () => "import { x } from '../test/support/helper';");
    expect(layerViolations(outside, PROJECT_LAYERS)).toEqual(['constructs/a.ts -> test/support/helper.ts (unresolved): import of a file outside the project sources']);
  });
});

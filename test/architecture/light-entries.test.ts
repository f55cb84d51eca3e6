/**
 * The light entries of the library (`constructs/<area>/rules.ts`, see PROJECT_LAYERS in
 * import-graph.ts) load no Terraform provider and no cdktf, and config/ (the environment file
 * loader) and stacks/environment-stacks load neither cloud provider until an environment of that
 * cloud is synthesized: validating a file, or synthesizing an on-premises environment, must not
 * pay for 12 MB of generated provider code. Checked on the compiled package (`npm test` builds first) in a fresh Node
 * process, where `require.cache` lists every module a require loaded.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(REPO_ROOT, 'dist');
const LIGHT_ENTRIES = fs
  .readdirSync(path.join(REPO_ROOT, 'constructs'))
  .filter((area) => fs.existsSync(path.join(REPO_ROOT, 'constructs', area, 'rules.ts')))
  .map((area) => `constructs/${area}/rules`);

/** Requires each module in turn; returns, per module, the packages its require added to the cache. */
const PROBE = `
const entries = JSON.parse(process.argv[1]);
const packages = () => new Set(Object.keys(require.cache).map((file) => (file.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//) ?? [])[1]).filter(Boolean));
const out = {};
for (const entry of entries) {
  const before = packages();
  require(entry.file);
  out[entry.name] = [...packages()].filter((p) => !before.has(p)).sort();
}
process.stdout.write(JSON.stringify(out));
`;

describe('light entries of the library (compiled, in a fresh Node process)', () => {
  let loaded: Record<string, any> = {};

  beforeAll(() => {
    const entries = [
      ...LIGHT_ENTRIES.map((name) => ({ name, file: path.join(DIST, `${name}.js`) })),
      { name: 'config/load', file: path.join(DIST, 'config', 'load.js') },
      { name: 'stacks/environment-stacks', file: path.join(DIST, 'stacks', 'environment-stacks.js') },
    ];
    const run = spawnSync(process.execPath, ['-e', PROBE, JSON.stringify(entries)], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    loaded = JSON.parse(run.stdout);
  });

  test('GIVEN the sources THEN the cloud areas have a light entry', () => {
    expect(LIGHT_ENTRIES).toEqual(expect.arrayContaining(['constructs/aws/rules', 'constructs/azure/rules']));
  });

  test.each(LIGHT_ENTRIES)('%s loads no Terraform provider and no cdktf', (entry) => {
    expect(loaded[entry].filter((p: string) => p === 'cdktf' || p.startsWith('@cdktf/'))).toEqual([]);
  });

  test.each(LIGHT_ENTRIES)("%s only re-exports modules that its area's main entry (index.ts) re-exports too", (entry) => {
    const statements = (file: string) =>
      fs
        .readFileSync(path.join(REPO_ROOT, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .split(';')
        .map((statement) => statement.trim())
        .filter(Boolean);
    const light = statements(`${entry}.ts`);
    expect(light.filter((statement) => !/^export \* from '\.\/[\w-]+'$/.test(statement))).toEqual([]);
    expect(light.filter((statement) => !statements(`${path.dirname(entry)}/index.ts`).includes(statement))).toEqual([]);
  });

  test('config/load (the environment file loader) loads neither cloud provider', () => {
    // GIVEN the loader THEN the Kubernetes-side providers may load (the Kong constructs it maps props for), the cloud ones not
    expect(loaded['config/load']).toContain('cdktf');
    expect(loaded['config/load'].filter((p: string) => p === '@cdktf/provider-aws' || p === '@cdktf/provider-azurerm')).toEqual([]);
  });

  test('stacks/environment-stacks loads the cloud providers only when it synthesizes an environment of that cloud', () => {
    expect(loaded['stacks/environment-stacks'].filter((p: string) => p === '@cdktf/provider-aws' || p === '@cdktf/provider-azurerm')).toEqual([]);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TrafficMatrix } from '../../constructs/mesh/traffic-matrix';
import { trafficMatrixDot } from '../../constructs/mesh/traffic-diagram';
import { diagramFileName, generateMeshDiagrams, meshDiagramSources } from '../../scripts/diagram';
import { stringify } from 'yaml';
import { PLUGINS_DIR, REPO_ROOT, rawEnvironment } from '../support/platform-fixture';
import { SERVICES, TRAFFIC } from './fixtures';

const MESH = {
  enabled: true,
  product: 'kuma',
  cni: { confName: '10-calico.conflist' },
  services: [
    { name: 'orders', namespace: 'shop', port: 8080 },
    { name: 'payments', namespace: 'pay' },
  ],
  traffic: [
    { from: 'gateway', to: 'shop/orders' },
    { from: 'shop/orders', to: 'pay/payments' },
  ],
};

/** A complete, valid environment file (the loader checks the whole file, not only `mesh:`). */
function envFile(name: string, mesh?: Record<string, unknown>): string {
  return stringify(
    rawEnvironment({
      name,
      namespaces: { system: 'kong', applications: [{ name: 'shop' }, { name: 'pay' }] },
      ...(mesh ? { mesh } : {}),
    }),
  );
}
const MESH_ENV = envFile('shop-dev', MESH);

function workspace(files: Record<string, string>): { environments: string; docs: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-diagram-'));
  const environments = path.join(root, 'environments');
  fs.mkdirSync(environments);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(environments, name), text);
  return { environments, docs: path.join(root, 'docs') };
}

describe('traffic diagram (DOT)', () => {
  const dot = () => trafficMatrixDot(TrafficMatrix.resolve(SERVICES, TRAFFIC), { environment: 'test', mtlsMode: 'STRICT', gatewayNamespace: 'kong' });

  test('one arrow per allowed edge and no other arrow', () => {
    const arrows = dot()
      .split('\n')
      .filter((line) => line.includes(' -> '))
      .map((line) => line.trim().replace(/ \[.*$/, ''));
    expect(arrows).toEqual(TRAFFIC.map((edge) => `"${edge.from}" -> "${edge.to}"`));
  });

  test('services grouped by namespace; an uncalled service is drawn dashed', () => {
    expect(dot()).toContain('subgraph "cluster_pay"');
    expect(dot()).toMatch(/"shop\/reports" \[label="reports", style="rounded,dashed"/);
    expect(dot()).toMatch(/"shop\/orders" \[label="orders\\n:8080"\]/);
  });

  test('the title states the mTLS mode', () => {
    expect(dot()).toContain('mTLS STRICT');
  });

  test('deterministic', () => {
    expect(dot()).toBe(dot());
  });
});

describe('npm run diagram', () => {
  test('writes docs/mesh-<env>.svg for environments that enable the mesh, only those', async () => {
    // GIVEN
    const ws = workspace({ 'shop-dev.yaml': MESH_ENV, 'plain.yaml': envFile('plain'), 'off.yaml': envFile('off', { enabled: false }) });
    // WHEN
    const run = await generateMeshDiagrams({ environmentsDir: ws.environments, outDir: ws.docs, pluginsDirectory: PLUGINS_DIR });
    // THEN
    expect(run.changed).toEqual([path.join(ws.docs, 'mesh-shop-dev.svg')]);
    const svg = fs.readFileSync(path.join(ws.docs, 'mesh-shop-dev.svg'), 'utf8');
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    for (const text of ['Kong gateway', 'orders', 'payments', 'namespace pay', 'mTLS PERMISSIVE']) expect(svg).toContain(text);
  });

  test('a second run changes nothing; --check reports a stale or orphaned diagram', async () => {
    // GIVEN
    const ws = workspace({ 'shop-dev.yaml': MESH_ENV });
    const options = { environmentsDir: ws.environments, outDir: ws.docs, pluginsDirectory: PLUGINS_DIR };
    await generateMeshDiagrams(options);
    // WHEN / THEN
    expect(await generateMeshDiagrams({ ...options, check: true })).toEqual({ changed: [], removed: [] });
    fs.writeFileSync(path.join(ws.environments, 'shop-dev.yaml'), envFile('shop-dev', { ...MESH, traffic: MESH.traffic.slice(0, 1) }));
    fs.writeFileSync(path.join(ws.docs, 'mesh-gone.svg'), '<svg/>');
    const stale = await generateMeshDiagrams({ ...options, check: true });
    expect(stale).toEqual({ changed: [path.join(ws.docs, 'mesh-shop-dev.svg')], removed: [path.join(ws.docs, 'mesh-gone.svg')] });
  });

  test('a bad matrix aborts with the file and field', () => {
    const ws = workspace({ 'shop-dev.yaml': envFile('shop-dev', { ...MESH, traffic: [...MESH.traffic, { from: 'gateway', to: 'pay/ledger' }] }) });
    expect(() => meshDiagramSources(ws.environments, PLUGINS_DIR)).toThrow(/shop-dev\.yaml: mesh\.traffic\.2\.to: unknown service "pay\/ledger"/);
  });

  test('committed diagrams match the environments that enable the mesh', async () => {
    const sources = meshDiagramSources(path.join(REPO_ROOT, 'environments'), PLUGINS_DIR);
    for (const source of sources) {
      const committed = path.join(REPO_ROOT, 'docs', diagramFileName(source.environment));
      expect({ file: committed, exists: fs.existsSync(committed) }).toEqual({ file: committed, exists: true });
    }
    const run = await generateMeshDiagrams({
      environmentsDir: path.join(REPO_ROOT, 'environments'),
      outDir: path.join(REPO_ROOT, 'docs'),
      pluginsDirectory: PLUGINS_DIR,
      check: true,
    });
    expect(run.changed).toEqual([]);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/platform-fixture';
import { ScratchProject } from './project';

const MAIN = path.join(REPO_ROOT, 'dist', 'main.js');

/** Runs the compiled app (`npm test` builds first) in a scratch project folder. */
function synth(cwd: string, args: string[] = []) {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
  const env = { ...process.env };
  delete env.CDKTF_OUTDIR;
  return spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', env });
}

// Each run is a real process (exit code, stderr, files on disk), so runs are few: the output
// folder's replace-and-keep-.terraform rules are tested in-process (output-folder.test.ts).
describe('npm run synth (dist/main.js)', () => {
  const projects: ScratchProject[] = [];
  /** A scratch project holding the onprem-hybrid sample environment. */
  const newProject = () => {
    const project = new ScratchProject('kong-platform-').environments({ 'onprem-hybrid.yaml': fs.readFileSync(path.join(REPO_ROOT, 'environments', 'onprem-hybrid.yaml')) });
    projects.push(project);
    return project.dir;
  };
  let good: { project: string; run: ReturnType<typeof synth> };
  beforeAll(() => {
    const project = newProject();
    good = { project, run: synth(project) };
  });
  afterAll(() => projects.forEach((project) => project.remove()));

  test('writes the onprem-hybrid platform stack with both Kong releases, the plugin ConfigMap and namespaces', () => {
    // WHEN
    const { project, run } = good;
    // THEN
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/Synth failed|Nothing was written/);
    // construct warnings reach the user, with the construct path
    expect(run.stderr).toMatch(/^warning: onprem-hybrid-platform\/kong\/apis\/.*rate-limiting plugin: policy local keeps one counter per gateway pod/m);
    const json = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out/stacks/onprem-hybrid-platform/cdk.tf.json'), 'utf8'));
    const releases = (Object.values(json.resource.helm_release) as any[]).filter((r) => r.chart === 'kong');
    expect(releases.map((r) => r.name).sort()).toEqual(['kong-controller', 'kong-gateway']);
    expect(releases.find((r) => r.name === 'kong-gateway').values[0]).toMatch(/unifiedRepoTag: ".*@sha256:[a-f0-9]{64}"/);
    expect(Object.values(json.resource.kubernetes_config_map_v1).map((c: any) => c.metadata.name)).toEqual(['kong-plugin-tenant-header']);
    expect(Object.values(json.resource.kubernetes_namespace_v1).length).toBeGreaterThanOrEqual(1);
  });

  test('an invalid environment stops the run, lists every problem and writes nothing', () => {
    // GIVEN the earlier good synth output and then two mistakes in the file
    const project = newProject();
    fs.cpSync(path.join(good.project, 'cdktf.out'), path.join(project, 'cdktf.out'), { recursive: true });
    const before = fs.readFileSync(path.join(project, 'cdktf.out/stacks/onprem-hybrid-platform/cdk.tf.json'), 'utf8');
    const file = path.join(project, 'environments', 'onprem-hybrid.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tag: "3.9.1"', 'tag: latest').replace('production: false', 'production: maybe'));
    // WHEN
    const run = synth(project);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('environments/onprem-hybrid.yaml: images.gateway.tag: must not be "latest"');
    expect(run.stderr).toContain('environments/onprem-hybrid.yaml: production: must be boolean, got "maybe"');
    expect(run.stderr).toContain('Nothing was written.');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(path.join(project, 'cdktf.out/stacks/onprem-hybrid-platform/cdk.tf.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(project).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test('--env selects environments and refuses unknown ones', () => {
    // GIVEN two environments
    const project = newProject();
    const second = path.join(project, 'environments', 'second.yaml');
    fs.writeFileSync(second, fs.readFileSync(path.join(project, 'environments', 'onprem-hybrid.yaml'), 'utf8').replace('name: onprem-hybrid', 'name: second'));
    // WHEN / THEN
    const selected = synth(project, ['--env', 'second']);
    expect(selected.status).toBe(0);
    expect(fs.readdirSync(path.join(project, 'cdktf.out/stacks'))).toEqual(['second-platform']);
    const unknown = synth(project, ['--env=nope']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no environment file for "nope" (available: onprem-hybrid, second)');
  });
});

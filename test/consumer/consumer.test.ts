import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/platform-fixture';

/** Needs the compiled package (`npm test` builds first). */
const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: '' } });

describe('the package as a library user gets it', () => {
  test('GIVEN a plain cdktf app importing "kong-platform" through its exports map WHEN run THEN it synthesizes both Kong releases (and the Admin API certificates) from dist/', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kong-platform-consumer-'));
    try {
      const run = node([path.join(__dirname, 'app.js'), outdir]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({
        releases: ['kong-controller', 'kong-gateway', 'kong-gateway-admin-api-certificates'],
        entry: path.join(REPO_ROOT, 'dist', 'index.js'),
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('GIVEN the exports map WHEN an app reaches for an internal module THEN Node refuses it', () => {
    const run = node(['-e', "require('kong-platform/dist/config/load')"]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('GIVEN package.json WHEN packed THEN only the built library, its data (helm-values/), README, LICENSE and package.json ship: no tests, fixtures, environments, sources', () => {
    const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const files: string[] = JSON.parse(run.stdout)[0].files.map((f: { path: string }) => f.path);
    const outside = files.filter((f) => !/^(dist\/index\.(js|d\.ts)|dist\/constructs\/.+\.(js|d\.ts)|helm-values\/.+|README\.md|LICENSE|package\.json)$/.test(f));
    expect(outside).toEqual([]);
    expect(files).toContain('dist/index.js');
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE']));
    expect(files.filter((f) => /test|fixture|environments\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    // cdktf and constructs are the app's: peer dependencies, one copy for instanceof checks.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect([pkg.peerDependencies?.cdktf, pkg.peerDependencies?.constructs, pkg.dependencies?.cdktf, pkg.dependencies?.constructs]).toEqual([
      '^0.21.0',
      '^10.4.2',
      undefined,
      undefined,
    ]);
  });
});

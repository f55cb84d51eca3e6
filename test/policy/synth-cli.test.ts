import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/platform-fixture';

const MAIN = path.join(REPO_ROOT, 'dist', 'main.js');

function synth(cwd: string) {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
  const env = { ...process.env };
  delete env.CDKTF_OUTDIR;
  return spawnSync(process.execPath, [MAIN], { cwd, encoding: 'utf8', env });
}

describe('npm run synth with policy guardrails (dist/main.js)', () => {
  let project: string;
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'kong-platform-policy-'));
    fs.cpSync(path.join(REPO_ROOT, 'plugins'), path.join(project, 'plugins'), { recursive: true });
    fs.mkdirSync(path.join(project, 'environments'));
    fs.copyFileSync(path.join(REPO_ROOT, 'environments', 'azure-prod.yaml'), path.join(project, 'environments', 'azure-prod.yaml'));
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  test('a production environment with violations stops synth, lists every violation with its path, writes nothing', () => {
    // GIVEN Kong Manager switched on (a NodePort by chart default) and a writable root filesystem on the gateway
    const file = path.join(project, 'environments', 'azure-prod.yaml');
    const extraValues = ['  extraValues:', '    manager:', '      enabled: true', '    containerSecurityContext:', '      readOnlyRootFilesystem: false'].join('\n');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('\ngateway:\n', `\ngateway:\n${extraValues}\n`));
    // WHEN
    const run = synth(project);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Policy guardrails failed \(5 violations in 1 production stack\)/);
    // and both keys are escape hatches nobody reviewed (KP-HELM-008)
    expect(run.stderr).toContain(
      'KP-HELM-008 at azure-prod-platform/kong/gateway/helm/release: gateway.extraValues.manager.enabled is not a reviewed escape hatch key in production',
    );
    // the writable root filesystem reaches both containers that take the chart's containerSecurityContext
    expect(run.stderr).toContain(
      'azure-prod-platform: KP-K8S-002 [CKV_K8S_22] at azure-prod-platform/kong/gateway/helm/release: kong-gateway/proxy: securityContext.readOnlyRootFilesystem is false',
    );
    expect(run.stderr).toContain(
      'azure-prod-platform: KP-K8S-002 [CKV_K8S_22] at azure-prod-platform/kong/gateway/helm/release: kong-gateway/clear-stale-pid: securityContext.readOnlyRootFilesystem is false',
    );
    expect(run.stderr).toContain('azure-prod-platform: KP-KONG-003 at azure-prod-platform/kong/gateway/');
    expect(run.stderr).toContain('manager.type is "NodePort (chart default)": the Kong Manager must be a ClusterIP Service');
    expect(run.stderr).toContain('Nothing was written.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(project, 'cdktf.out'))).toBe(false);
  });
});

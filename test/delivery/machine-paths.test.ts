import { homedir } from 'os';
import * as path from 'path';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { loadEnvironments } from '../../config/load';
import { App, TerraformOutput, TerraformStack, Testing } from '../../constructs/core/cdktf';
import { configureBackend, localStatePath } from '../../stacks/backend';
import { PLUGINS_DIR, REPO_ROOT, environment, synthEnvironment } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';
import { synthJson } from '../support/terraform-json';

// The synthesized JSON is run by CI and by colleagues from their own checkouts: it must not carry the
// absolute paths of the machine that synthesized it (the repository folder, the home directory).

const HOME = homedir();
const SAMPLE_ENVIRONMENTS = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR });

/** Every string in a JSON document, with where it is. */
function strings(value: unknown, at = '$'): Array<{ at: string; value: string }> {
  if (typeof value === 'string') return [{ at, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

/** Strings that start with (or embed) this machine's repository path or home directory. */
function machinePaths(json: unknown): string[] {
  return strings(json)
    .filter(({ value }) => value.startsWith(REPO_ROOT) || value.startsWith(HOME) || value.includes(`${REPO_ROOT}/`) || value.includes(`${HOME}/`))
    .map(({ at, value }) => `${at}: ${value}`);
}

describe('no absolute path of the build machine in the synthesized stacks', () => {
  it('the sample environments are all there', () => {
    // THEN (a guard for the loop below)
    expect(SAMPLE_ENVIRONMENTS.map((e) => e.name).sort()).toEqual(expect.arrayContaining(['aws-dev', 'azure-prod', 'onprem-hybrid']));
    expect(REPO_ROOT.length).toBeGreaterThan(1);
    expect(HOME.length).toBeGreaterThan(1);
  });

  describe.each(SAMPLE_ENVIRONMENTS.map((env) => [env.name, env] as const))('%s', (_name, env) => {
    // as synth wrote it to disk
    const stacks = Object.entries(sampleSynth(env.name).stacks());

    it.each(stacks)('%s: no string starts with the repository path or the home directory', (_id, json) => {
      // THEN
      expect(machinePaths(json)).toEqual([]);
    });

    it('local backends and remote-state reads point below the stack directory, relative', () => {
      // WHEN
      const paths = stacks.flatMap(([id, json]) => {
        const backend = json.terraform?.backend?.local?.path;
        const remote = Object.values<any>(json.data?.terraform_remote_state ?? {})
          .filter((r) => r.backend === 'local')
          .map((r) => r.config.path);
        return [...(backend ? [[id, backend]] : []), ...remote.map((p: string) => [id, p])];
      });
      // THEN every local state file is ../../../terraform-state/<stack>.tfstate, seen from cdktf.out/stacks/<stack>/
      for (const [, statePath] of paths) expect(statePath).toMatch(/^\.\.\/\.\.\/\.\.\/terraform-state\/[a-z0-9-]+\.tfstate$/);
      if (env.backend.type === 'local') expect(paths.map(([stack]) => stack)).toEqual(expect.arrayContaining([`${env.name}-platform`]));
    });
  });

  it('the onprem-hybrid platform stack keeps its state in terraform-state/ at the repository root', () => {
    // WHEN
    const json = sampleSynth('onprem-hybrid').stack('platform');
    // THEN resolved from the stack directory, the path lands in <repo>/terraform-state
    const statePath: string = json.terraform.backend.local.path;
    expect(path.resolve(REPO_ROOT, 'cdktf.out', 'stacks', 'onprem-hybrid-platform', statePath)).toBe(path.join(REPO_ROOT, 'terraform-state', 'onprem-hybrid-platform.tfstate'));
  });

  it('the azure state stack keeps its state in the storage account it creates (after bootstrap), never at a machine path', () => {
    // WHEN
    const backend = sampleSynth('azure-prod').stack('state').terraform.backend;
    // THEN
    expect(Object.keys(backend)).toEqual(['azurerm']);
    expect(backend.azurerm.key).toBe('kong-platform/azure-prod-state.tfstate');
  });

  it('a cross-stack reference between local-state stacks reads the other state by the same relative path', () => {
    // GIVEN two stacks with local state, one reading the other
    const app = Testing.app() as App;
    const producer = new TerraformStack(app, 'env-cluster');
    configureBackend(producer, 'env-cluster', { type: 'local' });
    const key = new PrivateKey(producer, 'key', { provider: new TlsProvider(producer, 'tls'), algorithm: 'ED25519' });
    const consumer = new TerraformStack(app, 'env-platform');
    configureBackend(consumer, 'env-platform', { type: 'local' });
    new TerraformOutput(consumer, 'public-key', { value: key.publicKeyPem });
    // WHEN
    app.synth();
    const json = synthJson(consumer);
    // THEN
    const remote = Object.values<any>(json.data.terraform_remote_state);
    expect(remote).toEqual([expect.objectContaining({ backend: 'local', config: expect.objectContaining({ path: '../../../terraform-state/env-cluster.tfstate' }) })]);
    expect(machinePaths(json)).toEqual([]);
  });

  it('backend.path is relative to the repository root; a custom folder is written the same way', () => {
    // WHEN
    const json = synthEnvironment(environment({ backend: { type: 'local', path: 'state/local/' } })).stack('platform');
    // THEN
    expect(json.terraform.backend.local.path).toBe('../../../state/local/test-env-platform.tfstate');
  });

  it.each(['/var/lib/kong-state', `${HOME}/state`, '~/state', 'C:\\state'])('an absolute backend.path (%s) fails, naming backend.path', (statePath) => {
    // GIVEN
    const env = environment({ backend: { type: 'local', path: statePath } });
    // WHEN / THEN
    expect(() => synthEnvironment(env)).toThrow(/test-env-platform: backend\.path must be a folder relative to the repository root .*got "/);
  });

  it('localStatePath is the one place that builds the path', () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), 's');
    // THEN
    expect(localStatePath(stack, 's')).toBe('../../../terraform-state/s.tfstate');
    expect(localStatePath(stack, 's', '.')).toBe('../../../s.tfstate');
    expect(localStatePath(stack, 's', 'a\\b')).toBe('../../../a/b/s.tfstate');
  });
});

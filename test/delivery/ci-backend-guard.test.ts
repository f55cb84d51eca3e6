import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkEnvironmentBackend, main } from '../../scripts/ci-backend-guard';
import { sampleSynths } from '../support/sample-synth';

/** A stacks folder as `npm run synth` writes it, with the given cdk.tf.json per stack. */
function stacksDir(stacks: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ci-backend-guard-'));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

function run(argv: string[]) {
  const errors: string[] = [];
  const logs: string[] = [];
  const code = main(
    argv,
    (l) => errors.push(l),
    (l) => logs.push(l),
  );
  return { code, errors, logs };
}

describe('scripts/ci-backend-guard (CI refuses environments with local state)', () => {
  test('a local backend is refused, naming the environment file and the backend field', () => {
    // GIVEN
    const dir = stacksDir({ 'dev-platform': { terraform: { backend: { local: { path: '../../../terraform-state/dev-platform.tfstate' } } } } });
    // WHEN
    const { code, errors } = run(['dev', '--stacks-dir', dir]);
    // THEN
    expect(code).toBe(1);
    expect(errors).toEqual([expect.stringMatching(/^environments\/dev\.yaml: backend: the state of dev-platform is a local file, .*set backend\.type to "s3" or "azurerm"/)]);
  });

  test("a stack without backend (Terraform's default local state) is refused too", () => {
    // GIVEN
    const dir = stacksDir({ 'dev-platform': { terraform: { required_providers: {} } } });
    // WHEN / THEN
    expect(checkEnvironmentBackend('dev', dir).problem).toMatch(/^environments\/dev\.yaml: backend: .*default local file/);
  });

  test.each([
    ['s3', { s3: { bucket: 'b', key: 'k', region: 'eu-west-1', encrypt: true } }],
    ['azurerm', { azurerm: { storage_account_name: 'st', container_name: 'tfstate', key: 'k' } }],
  ])('a %s backend passes', (_type, backend) => {
    // GIVEN
    const dir = stacksDir({ 'prod-platform': { terraform: { backend } } });
    // WHEN
    const { code, errors, logs } = run(['prod', `--stacks-dir=${dir}`]);
    // THEN
    expect(code).toBe(0);
    expect(errors).toEqual([]);
    expect(logs).toEqual(['remote state backend: prod']);
  });

  test('every environment is checked and every refusal listed; one space-separated argument works as the pipelines pass it', () => {
    // GIVEN
    const local = { terraform: { backend: { local: { path: 'x' } } } };
    const dir = stacksDir({ 'a-platform': local, 'b-platform': { terraform: { backend: { s3: {} } } }, 'c-platform': local });
    // WHEN
    const { code, errors } = run(['a b', 'c', '--stacks-dir', dir]);
    // THEN
    expect(code).toBe(1);
    expect(errors.map((e) => e.split(':')[0])).toEqual(['environments/a.yaml', 'environments/c.yaml']);
  });

  test.each(['state', 'cluster'])('a remote platform stack does not hide a local %s stack of the same environment', (stage) => {
    // GIVEN the platform on S3 but one earlier stage on a local file
    const remote = { terraform: { backend: { s3: { bucket: 'b', key: 'k', region: 'eu-west-1' } } } };
    const dir = stacksDir({ 'dev-platform': remote, [`dev-${stage}`]: { terraform: { backend: { local: { path: 'x' } } } }, 'other-state': { terraform: {} } });
    // WHEN
    const { code, errors } = run(['dev', '--stacks-dir', dir]);
    // THEN only that stage of that environment is named
    expect(code).toBe(1);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^environments/dev\\.yaml: backend: the state of dev-${stage} is a local file`))]);
  });

  test('an environment that was not synthesized is refused with what to do', () => {
    // WHEN
    const { code, errors } = run(['ghost', '--stacks-dir', stacksDir({})]);
    // THEN
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/^environments\/ghost\.yaml: ghost-platform was not synthesized .*run npm run synth first/);
  });

  test('no environment is a usage error', () => {
    // THEN
    expect(run([]).code).toBe(2);
  });

  test('on the real samples: onprem-hybrid (local) is refused, the CI environments pass with every stack (state included) remote', () => {
    // GIVEN every stack as synth writes it
    const stacks: Record<string, unknown> = Object.assign({}, ...sampleSynths().map((sample) => sample.stacks()));
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining(['aws-dev-state', 'aws-dev-cluster', 'azure-prod-state', 'azure-prod-cluster']));
    const dir = stacksDir(stacks);
    // WHEN / THEN
    expect(run(['onprem-hybrid', '--stacks-dir', dir]).errors).toEqual([expect.stringMatching(/^environments\/onprem-hybrid\.yaml: backend: /)]);
    expect(run(['aws-dev', 'azure-prod', '--stacks-dir', dir]).code).toBe(0);
  });

  test("the samples' providers exec only the CLIs the pipelines install (aws, kubelogin)", () => {
    // WHEN: every exec command in every provider block of every sample stack
    const commands = new Set<string>();
    for (const json of sampleSynths().flatMap((sample) => Object.values(sample.stacks()))) {
      for (const p of json.provider?.kubernetes ?? []) for (const e of p.exec ?? []) commands.add(e.command);
      for (const p of json.provider?.helm ?? []) if (p.kubernetes?.exec) commands.add(p.kubernetes.exec.command);
    }
    // THEN (test/delivery/ci-pipelines.test.ts checks both pipelines install these, pinned)
    expect([...commands].sort()).toEqual(['aws', 'kubelogin']);
  });
});

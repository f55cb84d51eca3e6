/**
 * `terraform validate` of the synthesized AWS-only stacks against the real provider schema
 * (hashicorp/aws from a local filesystem mirror; no registry access). Skipped with a message
 * when Terraform or the mirror is missing.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from '../../constructs/core/cdktf';
import { awsSectionSchema } from '../../config/sections/aws';
import { EksClusterStack } from '../../stacks/eks/eks-cluster-stack';
import { StateBucketStack } from '../../stacks/eks/state-bucket-stack';
import { describeWithTool } from '../support/required-tool';
import { awsInput, productionInput } from './fixture';

const MIRROR = process.env.KONG_PLATFORM_TF_MIRROR ?? '/opt/tf-plugins';
const TERRAFORM = process.env.TERRAFORM ?? 'terraform';

function missingPrerequisite(): string | undefined {
  if (spawnSync(TERRAFORM, ['version'], { encoding: 'utf8' }).status !== 0) return `no terraform CLI ("${TERRAFORM}")`;
  if (!fs.existsSync(path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'))) return `no hashicorp/aws provider in the mirror ${MIRROR}`;
  return undefined;
}

const missing = missingPrerequisite();

/** The unpacked provider binary of the mirror for this machine, if the mirror holds one. */
function mirroredProviderBinary(): string | undefined {
  const platform = `${process.platform}_${({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch}`;
  const root = path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws');
  for (const version of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const folder = path.join(root, version, platform);
    const binary = fs.existsSync(folder) ? fs.readdirSync(folder).find((f) => f.startsWith('terraform-provider-aws')) : undefined;
    if (binary) return path.join(folder, binary);
  }
  return undefined;
}

/**
 * terraform starts one provider process per provider configuration (every stack configures its
 * own aws provider) and one more for the schema: four processes of the 700 MB provider, ~2 s of
 * CPU each to start and build its schema. The provider binary the mirror holds (the one init
 * installs), started here in debug mode, serves them all (TF_REATTACH_PROVIDERS): validation
 * requests carry their configuration, so the diagnostics are the same. Undefined (terraform
 * starts its own) when the mirror holds no unpacked binary for this machine.
 */
function startProvider(binary: string | undefined): Promise<{ reattach: string; stop: () => void } | undefined> {
  if (!binary) return Promise.resolve(undefined);
  // Through a shell that stops the provider when its stdin closes: when the suite ends, and when
  // the jest worker dies without ending it (a debug-mode provider otherwise serves forever).
  const child = spawn('sh', ['-c', `trap 'kill "$pid" 2>/dev/null' EXIT HUP INT TERM; "$0" -debug & pid=$!; read _`, binary], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  const stop = () => child.stdin.end();
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out)?.[1];
      if (reattach) resolve({ reattach, stop });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${binary} -debug exited with ${code} before it printed TF_REATTACH_PROVIDERS:\n${out}`)));
  });
}

describeWithTool(missing && `${missing} (set TERRAFORM / KONG_PLATFORM_TF_MIRROR)`, 'terraform validate of the AWS stacks')('terraform validate (AWS-only stacks)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kong-aws-validate-'));
  const cliConfig = path.join(work, 'terraformrc');
  fs.writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(MIRROR)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_PLUGIN_CACHE_DIR: '' };

  const app = new App({ outdir: path.join(work, 'out') });
  new EksClusterStack(app, 'dev-cluster', {
    environment: 'dev',
    production: false,
    aws: awsSectionSchema.parse(awsInput({ adminPrincipalArns: ['arn:aws:iam::123456789012:role/admin'], edge: { allowedCountries: ['DE'] } })),
  });
  new EksClusterStack(app, 'prod-cluster', {
    environment: 'prod',
    production: true,
    aws: awsSectionSchema.parse(productionInput({ edge: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', hostedZoneId: undefined } })),
  });
  new StateBucketStack(app, 'prod-state', { environment: 'prod', production: true, region: 'eu-west-1', bucketName: 'kong-prod-state' });
  app.synth();

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  // One root module holds the three stacks as child modules, so the provider (700 MB, 3 s to load
  // its schema) starts once. A child module cannot carry a backend, so that block is left out:
  // backends are checked by the CI backend guard, not by the provider schema.
  const stacks = ['dev-cluster', 'prod-cluster', 'prod-state'];
  const root = path.join(work, 'validate');
  let diagnostics: Array<{ severity: string; summary: string; detail?: string; range?: { filename: string } }> = [];

  let provider: { reattach: string; stop: () => void } | undefined;
  afterAll(() => provider?.stop());

  beforeAll(async () => {
    // Starts while the stacks are written and terraform init runs.
    const started = startProvider(mirroredProviderBinary());
    fs.mkdirSync(root);
    for (const stack of stacks) {
      const config = JSON.parse(fs.readFileSync(path.join(work, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      delete config.terraform.backend;
      fs.mkdirSync(path.join(root, stack));
      fs.writeFileSync(path.join(root, stack, 'cdk.tf.json'), JSON.stringify(config));
    }
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ module: Object.fromEntries(stacks.map((stack) => [stack, { source: `./${stack}` }])) }));
    const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => spawnSync(TERRAFORM, args, { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 });
    // init installs the provider from the mirror as without the debug process
    const init = run(['init', '-backend=false', '-input=false', '-no-color']);
    expect([init.status, init.stderr]).toEqual([0, '']);
    provider = await started;
    diagnostics = JSON.parse(run(['validate', '-json', '-no-color'], provider ? { TF_REATTACH_PROVIDERS: provider.reattach } : {}).stdout).diagnostics;
  });

  test.each(stacks)('%s is valid for the real hashicorp/aws provider, without warnings', (stack) => {
    const own = diagnostics.filter((d) => !d.range || d.range.filename.startsWith(`${stack}/`));
    // Warnings count too: a deprecated attribute today is a removed one in the next provider major.
    expect(own.map((d) => `${d.severity}: ${d.summary}: ${d.detail}`)).toEqual([]);
  });

  test('the combined check sees every stack (a missing module would validate nothing)', () => {
    // terraform's own record of the modules it loaded
    const loaded = JSON.parse(fs.readFileSync(path.join(root, '.terraform', 'modules', 'modules.json'), 'utf8')).Modules.map((m: { Key: string }) => m.Key);
    expect(loaded.filter((key: string) => key !== '').sort()).toEqual([...stacks].sort());
  });
});

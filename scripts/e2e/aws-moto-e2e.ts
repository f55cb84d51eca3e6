/**
 * Real apply test of the AWS stacks against moto (a local AWS emulator on 127.0.0.1).
 *
 *   npm run test:e2e
 *
 * Steps: start moto -> create a Route 53 zone (the edge certificate is DNS-validated in it) ->
 * synthesize `aws-dev-state` and `aws-dev-cluster` from environments/aws-dev.yaml with the
 * provider pointed at moto -> per stack: terraform init (local provider mirror) -> validate ->
 * apply -> plan (must show no changes) -> destroy both, cluster first. Prints each step's time.
 * moto is stopped by its PID however the script ends.
 *
 * Needs: `moto_server` on PATH, Terraform >= 1.10, the hashicorp/aws provider in a filesystem
 * mirror (KONG_PLATFORM_TF_MIRROR, default /opt/tf-plugins).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { App } from '../../constructs/core/cdktf';
import { awsSectionSchema, AwsSectionInput } from '../../config/sections/aws';
import { addEksEnvironmentStacks } from '../../stacks/eks/eks-environment';

const MIRROR = process.env.KONG_PLATFORM_TF_MIRROR ?? '/opt/tf-plugins';
const TERRAFORM = process.env.TERRAFORM ?? 'terraform';
const MOTO = process.env.MOTO_SERVER ?? 'moto_server';
const ENVIRONMENT = 'aws-dev';
const LOOPBACK = '127.0.0.1';

interface StepTiming {
  readonly step: string;
  readonly seconds: number;
  readonly result: 'ok' | 'FAILED';
}

const timings: StepTiming[] = [];
let moto: ChildProcess | undefined;
/** The terraform run in progress, stopped with the script on SIGINT/SIGTERM. */
let terraformRun: ChildProcess | undefined;
/** Temporary work folder, removed however the script ends (unless KONG_PLATFORM_E2E_KEEP is set). */
let workDir: string | undefined;

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  console.log(`\n=== ${name}`);
  try {
    const value = await run();
    timings.push({ step: name, seconds: Number(process.hrtime.bigint() - started) / 1e9, result: 'ok' });
    return value;
  } catch (error) {
    timings.push({ step: name, seconds: Number(process.hrtime.bigint() - started) / 1e9, result: 'FAILED' });
    throw error;
  }
}

function printTimings(): void {
  const width = Math.max(...timings.map((t) => t.step.length), 4);
  console.log(`\n${'step'.padEnd(width)}  seconds  result`);
  for (const t of timings) console.log(`${t.step.padEnd(width)}  ${t.seconds.toFixed(1).padStart(7)}  ${t.result}`);
  const total = timings.reduce((sum, t) => sum + t.seconds, 0);
  console.log(`${'total'.padEnd(width)}  ${total.toFixed(1).padStart(7)}`);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isRunning(child: ChildProcess | undefined): child is ChildProcess {
  return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function removeWorkDir(): void {
  if (workDir && !process.env.KONG_PLATFORM_E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  else if (workDir) console.log(`kept ${workDir}`);
  workDir = undefined;
}

function stopMoto(): void {
  if (isRunning(moto)) {
    try {
      moto.kill('SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping terraform (pid ${terraformRun?.pid ?? '-'}) and moto (pid ${moto?.pid ?? '-'})`);
    stopMoto();
    const finish = () => {
      printTimings();
      removeWorkDir();
      process.exit(130);
    };
    if (!isRunning(terraformRun)) return finish();
    // Terraform stops gracefully on SIGTERM, but with moto gone its in-flight calls only retry.
    const run = terraformRun;
    const force = setTimeout(() => run.kill('SIGKILL'), 3000);
    run.once('exit', () => {
      clearTimeout(force);
      finish();
    });
    run.kill('SIGTERM');
  });
}
process.once('exit', stopMoto);

async function startMoto(port: number): Promise<string> {
  const endpoint = `http://${LOOPBACK}:${port}`;
  const logFile = path.join(workDir ?? os.tmpdir(), 'moto.log');
  const log = fs.openSync(logFile, 'w');
  moto = spawn(MOTO, ['-H', LOOPBACK, '-p', String(port)], {
    // The EKS, node and flow-log roles attach AWS managed policies; moto only knows them when asked to load them.
    // ACM certificates requested with DNS validation become ISSUED at once instead of after 60 s.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_ACM_VALIDATION_WAIT: '0' },
    stdio: ['ignore', log, log],
  });
  console.log(`moto_server pid ${moto.pid} on ${endpoint} (log: ${logFile}; KONG_PLATFORM_E2E_KEEP=1 keeps it)`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (moto.exitCode !== null) throw new Error(`moto_server exited with code ${moto.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return endpoint;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('moto_server did not answer within 60 s');
}

/** The edge certificate is validated through Route 53: the zone must exist before synth. */
async function createHostedZone(endpoint: string, domain: string): Promise<string> {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
    `<Name>${domain}.</Name><CallerReference>kong-platform-e2e-${Date.now()}</CallerReference>` +
    '</CreateHostedZoneRequest>';
  const response = await fetch(`${endpoint}/2013-04-01/hostedzone`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/xml',
      // moto routes a request to a service by the credential scope of its signature; it does not verify it.
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0',
    },
  });
  const text = await response.text();
  const id = /<Id>\/hostedzone\/([A-Z0-9]+)<\/Id>/.exec(text)?.[1];
  if (!response.ok || !id) throw new Error(`creating the hosted zone failed (${response.status}): ${text.slice(0, 500)}`);
  return id;
}

function readEnvironmentAwsSection(): { aws: AwsSectionInput; production: boolean } {
  const file = path.join(process.cwd(), 'environments', `${ENVIRONMENT}.yaml`);
  const raw = parse(fs.readFileSync(file, 'utf8')) as { aws?: AwsSectionInput; production?: boolean };
  if (!raw.aws) throw new Error(`${file} has no aws section`);
  return { aws: raw.aws, production: raw.production === true };
}

/** Synthesizes `<env>-state` and `<env>-cluster` exactly as the app wires them; returns their folders, deploy order. */
function synthesize(outdir: string, endpoint: string, hostedZoneId: string): string[] {
  const env = readEnvironmentAwsSection();
  // The file's zone and any certificate ARN are real-account ids; the emulator gets its own zone.
  const { certificateArn: _ignored, ...edge } = env.aws.edge;
  const aws = awsSectionSchema.parse({ ...env.aws, edge: { ...edge, hostedZoneId } });
  const app = new App({ outdir });
  // An S3 backend makes the helper add the state bucket stack; in emulator mode every stack keeps local state.
  const stacks = addEksEnvironmentStacks(app, {
    name: ENVIRONMENT,
    production: env.production,
    aws,
    backend: { type: 's3', bucket: `kong-${ENVIRONMENT}-state-e2e`, region: aws.region, keyPrefix: 'kong-platform' },
    emulator: { endpoint },
  });
  app.synth();
  const dirs = [stacks.state!, stacks.cluster].map((stack) => path.join(outdir, 'stacks', stack.node.id));
  for (const dir of dirs) if (!fs.existsSync(path.join(dir, 'cdk.tf.json'))) throw new Error(`synth wrote no ${dir}/cdk.tf.json`);
  return dirs;
}

function writeCliConfig(dir: string): string {
  const file = path.join(dir, 'terraformrc');
  fs.writeFileSync(
    file,
    [
      'provider_installation {',
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(MIRROR)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs terraform; resolves with the exit code when it is in `okCodes`, rejects otherwise. */
function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv, okCodes: number[] = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    console.log(`$ terraform ${args.join(' ')}`);
    const child = spawn(TERRAFORM, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    terraformRun = child;
    child.once('error', reject);
    child.once('exit', (code) => (code !== null && okCodes.includes(code) ? resolve(code) : reject(new Error(`terraform ${args[0]} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'))) {
    throw new Error(`no hashicorp/aws provider in the mirror ${MIRROR} (set KONG_PLATFORM_TF_MIRROR)`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kong-aws-e2e-'));
  workDir = work;
  const tfEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: writeCliConfig(work),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // Keep real credentials and profiles out of the provider's reach: it must talk to moto only.
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const applied: string[] = [];
  try {
    const endpoint = await step('start moto_server', async () => startMoto(await freeLoopbackPort()));
    const zoneId = await step('create Route 53 zone', async () => createHostedZone(endpoint, readEnvironmentAwsSection().aws.edge.domainName));
    const stackDirs = await step(`synth ${ENVIRONMENT} (state, cluster)`, async () => synthesize(path.join(work, 'cdktf.out'), endpoint, zoneId));
    for (const dir of stackDirs) {
      const stack = path.basename(dir);
      await step(`${stack}: terraform init`, () => terraform(['init', '-input=false', '-no-color'], dir, tfEnv));
      await step(`${stack}: terraform validate`, () => terraform(['validate', '-no-color'], dir, tfEnv));
      applied.unshift(dir);
      await step(`${stack}: terraform apply`, () => terraform(['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=20'], dir, tfEnv));
      await step(`${stack}: terraform plan (no changes)`, async () => {
        const code = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', '-parallelism=20'], dir, tfEnv, [0, 2]);
        if (code === 2) throw new Error(`the second plan of ${stack} after apply reports changes: the configuration does not converge`);
      });
    }
    while (applied.length > 0) {
      const dir = applied[0];
      await step(`${path.basename(dir)}: terraform destroy`, () => terraform(['destroy', '-auto-approve', '-input=false', '-no-color', '-parallelism=20'], dir, tfEnv));
      applied.shift();
    }
  } finally {
    for (const dir of interrupted ? [] : applied) {
      // Leave moto clean even after a failure (it is stopped next anyway; this exercises destroy).
      await terraform(['destroy', '-auto-approve', '-input=false', '-no-color'], dir, tfEnv).catch(() => undefined);
    }
    stopMoto();
    printTimings();
    removeWorkDir();
  }
}

main().then(
  () => console.log('\nAWS e2e: apply, no-change re-plan and destroy succeeded'),
  (error: unknown) => {
    console.error(`\nAWS e2e FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

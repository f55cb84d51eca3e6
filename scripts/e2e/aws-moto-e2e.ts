/**
 * The delivery sequence of an AWS environment, end to end against moto (a local AWS emulator on 127.0.0.1),
 * driven through scripts/deliver.ts: the same script and commands the pipelines run.
 *
 *   npm run test:e2e
 *
 * Steps: start moto -> create a Route 53 zone -> `npm run synth`'s entry point (dist/main.js) on a copy of
 * environments/aws-dev.yaml edited as a team would (the emulator's bucket and zone; KONG_PLATFORM_AWS_EMULATOR
 * points the AWS provider and S3 backend at moto; certificate names: the edge and the route hosts) ->
 * deliver guard -> deliver bootstrap (state bucket on local state, then -migrate-state into it) ->
 * deliver bootstrap again (no-op) -> deliver run (plan + gate + apply state, then cluster; then a
 * no-change check) -> add a route host to the environment file, synth again, deliver run (ending with the
 * no-change check)
 * -> deliver destroy (cluster; the state bucket stays, as in the pipelines) -> deliver destroy --include-state
 * (the teardown: the state storage's own state back to a local file, then the bucket with every state version).
 * Prints each step's time.
 * Skipped: the platform stage (no kubernetes/helm provider binaries and no cluster here).
 * moto is stopped by its PID however the script ends.
 *
 * Needs: Python with moto (MOTO_PYTHON, default python3; run through scripts/e2e/moto-server.py), Terraform >= 1.10, the hashicorp/aws provider in a filesystem
 * mirror (KONG_PLATFORM_TF_MIRROR, default /opt/tf-plugins).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';

const MIRROR = process.env.KONG_PLATFORM_TF_MIRROR ?? '/opt/tf-plugins';
const TERRAFORM = process.env.TERRAFORM ?? 'terraform';
/** Python with moto installed; moto's server runs through scripts/e2e/moto-server.py (one emulator fix, see there). */
const MOTO_PYTHON = process.env.MOTO_PYTHON ?? 'python3';
const MOTO_SERVER_SCRIPT = path.join(__dirname, '..', '..', '..', 'scripts', 'e2e', 'moto-server.py');
/** The compiled delivery script next to this one (dist/scripts/deliver.js). */
const DELIVER = path.join(__dirname, '..', 'deliver.js');
/** The repository root (dist/scripts/e2e -> ../../..). */
const REPO = path.resolve(__dirname, '..', '..', '..');
const ENVIRONMENT = 'aws-dev';
const LOOPBACK = '127.0.0.1';
const STATE_BUCKET = `kong-${ENVIRONMENT}-state-e2e`;
const STAGES = 'state,cluster';

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

// This process talks to moto only (127.0.0.1, self-signed certificate): no verification for its fetches.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

async function startMoto(port: number): Promise<string> {
  // HTTPS (moto's self-signed certificate): the state bucket denies plain HTTP (DenyPlainHttp), as it must.
  const endpoint = `https://${LOOPBACK}:${port}`;
  const logFile = path.join(workDir ?? os.tmpdir(), 'moto.log');
  const log = fs.openSync(logFile, 'w');
  moto = spawn(MOTO_PYTHON, [MOTO_SERVER_SCRIPT, '-H', LOOPBACK, '-p', String(port), '-s'], {
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

function readEnvironmentFile(): string {
  return fs.readFileSync(path.join(REPO, 'environments', `${ENVIRONMENT}.yaml`), 'utf8');
}

/**
 * The team's second environment file, as an edit of the repository's: the emulator's state bucket and
 * hosted zone, no certificate ARN or CI viewer role (moto has no EKS access entries), and `extraHosts`
 * added to the first route of the first API (the "second change"). Written into its own project folder.
 */
function writeEnvironmentFile(project: string, hostedZoneId: string, extraHosts: string[]): void {
  const doc = parseDocument(readEnvironmentFile());
  doc.setIn(['backend', 'bucket'], STATE_BUCKET);
  doc.setIn(['aws', 'edge', 'hostedZoneId'], hostedZoneId);
  doc.deleteIn(['aws', 'edge', 'certificateArn']);
  doc.setIn(['aws', 'viewerPrincipalArns'], []);
  const hosts = doc.getIn(['apis', 'apis', 0, 'routes', 0, 'hosts']) as { items: unknown[]; add(v: unknown): void } | undefined;
  if (!hosts) throw new Error(`environments/${ENVIRONMENT}.yaml has no apis.apis.0.routes.0.hosts to add a host to`);
  for (const host of extraHosts) hosts.add(host);
  fs.mkdirSync(path.join(project, 'environments'), { recursive: true });
  fs.writeFileSync(path.join(project, 'environments', `${ENVIRONMENT}.yaml`), doc.toString());
  if (!fs.existsSync(path.join(project, 'plugins'))) fs.symlinkSync(path.join(REPO, 'plugins'), path.join(project, 'plugins'));
}

/**
 * Synthesizes the edited environment file with `npm run synth`'s own entry point (dist/main.js), as a team
 * does, with its AWS stacks pointed at the emulator (KONG_PLATFORM_AWS_EMULATOR). The platform stack is
 * synthesized too; it is not applied (no kubernetes/helm provider binaries and no Kubernetes API here).
 */
async function synthesize(project: string, endpoint: string, hostedZoneId: string, extraHosts: string[]): Promise<void> {
  writeEnvironmentFile(project, hostedZoneId, extraHosts);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'dist', 'main.js'), '--env', ENVIRONMENT], {
      cwd: project,
      env: { ...process.env, KONG_PLATFORM_AWS_EMULATOR: endpoint, CDKTF_OUTDIR: '' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`synth of the edited environments/${ENVIRONMENT}.yaml failed (exit ${code})`);
  for (const stage of ['state', 'cluster', 'platform']) {
    const file = path.join(project, 'cdktf.out', 'stacks', `${ENVIRONMENT}-${stage}`, 'cdk.tf.json');
    if (!fs.existsSync(file)) throw new Error(`synth wrote no ${file}`);
    if (!JSON.parse(fs.readFileSync(file, 'utf8')).terraform?.backend?.s3) throw new Error(`${file} has no S3 backend`);
  }
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

/** Runs `node dist/scripts/deliver.js <args>` (what the pipelines run); resolves with its exit code and output. */
function deliver(args: string[], env: NodeJS.ProcessEnv, okCodes: number[] = [0]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    console.log(`$ node dist/scripts/deliver.js ${args.join(' ')}`);
    const child = spawn(process.execPath, [DELIVER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    terraformRun = child;
    let output = '';
    child.stdout.on('data', (c: Buffer) => ((output += c.toString()), process.stdout.write(c)));
    child.stderr.on('data', (c: Buffer) => ((output += c.toString()), process.stderr.write(c)));
    child.once('error', reject);
    child.once('exit', (code) => (code !== null && okCodes.includes(code) ? resolve({ code, output }) : reject(new Error(`deliver ${args[0]} exited with ${code}`))));
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
    TERRAFORM,
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
  let stacksDir: string | undefined;
  let deployed = false;
  try {
    const endpoint = await step('start moto_server', async () => startMoto(await freeLoopbackPort()));
    const domain = String(parseDocument(readEnvironmentFile()).getIn(['aws', 'edge', 'domainName']));
    const zoneId = await step('create Route 53 zone', async () => createHostedZone(endpoint, domain));
    const project = path.join(work, 'project');
    stacksDir = path.join(project, 'cdktf.out', 'stacks');
    const common = ['--stacks-dir', stacksDir, '--stages', STAGES, '--parallelism', '20'];
    await step(`npm run synth of environments/${ENVIRONMENT}.yaml (every stack; the emulator's bucket and zone)`, () => synthesize(project, endpoint, zoneId, []));
    await step('deliver guard (every stage on remote state)', () => deliver(['guard', ENVIRONMENT, ...common], tfEnv));
    deployed = true;
    await step('deliver bootstrap (local state -> bucket -> migrate-state)', async () => {
      const { output } = await deliver(['bootstrap', ENVIRONMENT, ...common], tfEnv);
      if (!/bootstrapped; its state now lives in the storage it created/.test(output)) throw new Error('bootstrap did not create and migrate the state bucket');
    });
    await step('deliver bootstrap again (idempotent no-op)', async () => {
      const { output } = await deliver(['bootstrap', ENVIRONMENT, ...common], tfEnv);
      if (!/already bootstrapped, nothing to do/.test(output)) throw new Error('the second bootstrap did not recognise the existing state bucket');
    });
    await step('deliver run (state -> cluster, each planned and applied in order, then no-change check)', async () => {
      const { output } = await deliver(['run', ENVIRONMENT, ...common], tfEnv);
      if (!/planned against the applied outputs of aws-dev-state/.test(output)) throw new Error('the cluster plan was not based on the applied state stage');
      if (!/applied state -> cluster; no changes left/.test(output)) throw new Error('run did not reach the last stage');
    });
    await step(`second change: add the route host partners.${domain} to the environment file, npm run synth`, () => synthesize(project, endpoint, zoneId, [`partners.${domain}`]));
    await step('deliver run (the change planned, applied, converged)', async () => {
      const { output } = await deliver(['run', ENVIRONMENT, ...common], tfEnv);
      if (!/applied state -> cluster; no changes left/.test(output)) throw new Error('run did not reach the last stage');
    });
    // (run ends with `deliver check`: the re-plan of every stage after the second change must show no changes.)
    await step('deliver destroy (reverse order: cluster; the state bucket stays, as in the pipelines)', async () => {
      const { output } = await deliver(['destroy', ENVIRONMENT, ...common], tfEnv);
      if (!/aws-dev-state: kept/.test(output)) throw new Error('destroy without --include-state did not keep the state storage');
    });
    await step('deliver destroy --include-state (the teardown: state back to a local file, then the bucket with every state version)', async () => {
      const { output } = await deliver(['destroy', ENVIRONMENT, ...common, '--include-state'], tfEnv);
      if (!/aws-dev-state: destroyed/.test(output)) throw new Error('destroy --include-state did not destroy the state storage');
    });
    deployed = false;
    console.log('\nskipped: the platform stage (no kubernetes/helm provider binaries and no Kubernetes API in this emulator)');
  } finally {
    if (deployed && !interrupted && stacksDir) {
      // Leave moto clean even after a failure (it is stopped next anyway; this exercises destroy).
      await deliver(['destroy', ENVIRONMENT, '--stacks-dir', stacksDir, '--stages', STAGES], tfEnv).catch(() => undefined);
    }
    stopMoto();
    printTimings();
    removeWorkDir();
  }
}

main().then(
  () => console.log('\nAWS e2e: bootstrap, migrate, ordered apply, second change, no-change re-plan and destroy succeeded'),
  (error: unknown) => {
    console.error(`\nAWS e2e FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

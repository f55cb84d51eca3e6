/**
 * The delivery sequence of one environment, the one script both pipelines and the e2e test call:
 *
 *   node dist/scripts/deliver.js <command> <environment> [<stage>] [options]
 *
 * Stages, in this order, each a synthesized stack `cdktf.out/stacks/<env>-<stage>` with its own remote state:
 *   state    the state bucket / storage account (bootstrapped once: local state, then migrated into itself)
 *   cluster  VPC/VNet, EKS/AKS, registry, edge
 *   platform Kong and everything on the cluster
 *
 * Commands:
 *   stages    <env>           print the stages of the environment, in order
 *   guard     <env>           refuse any stage whose state is not remote (scripts/ci-backend-guard.ts)
 *   bootstrapped <env>        read-only: exit 0 when the state storage answers, else say how to bootstrap (exit 1)
 *   bootstrap <env>           create the state storage with local state, then `terraform init -migrate-state`
 *                             into it; a no-op when the remote state already answers (idempotent)
 *   plan      <env> <stage>   init + plan -out=plan.tfplan + show -json + plan summary; refuses when the previous
 *                             stage has no applied outputs (a plan must be based on them)
 *   apply     <env> <stage>   gate (high-risk plans need --allow-high-risk), apply exactly the saved plan
 *   run       <env>           bootstrap, then plan + gate + apply every stage in order, then check; fails unless
 *                             the last stage was applied and nothing is left to change
 *   check     <env> [<stage>] plan -detailed-exitcode of every stage (drift detection): exit 2 when one has changes
 *   destroy   <env>           destroy in reverse order (platform, cluster); with --include-state also the state
 *                             storage (its state migrated back to a local file first; refused in production)
 *
 * Options:
 *   --stacks-dir <dir>        synthesized stacks (default cdktf.out/stacks)
 *   --stages a,b              only these stages (e.g. the e2e has no kubernetes/helm providers: state,cluster);
 *                             `run` still fails unless the last of them was applied
 *   --read-only               merge-request plan: no state lock (read-only credentials cannot write one) and
 *                             no plan file kept (plan.tfplan and plan.json hold secrets); only the summaries stay
 *   --no-lock                 plan without the state lock (read-only plan credentials) but keep the plan for apply
 *   --encrypt-plan            keep the saved plan only encrypted (AES-256-GCM, key from PLAN_ENCRYPTION_KEY);
 *                             apply decrypts it. For CI systems whose artifacts are not access-controlled enough
 *   --allow-high-risk         apply a plan with high-risk changes (also ALLOW_HIGH_RISK=true)
 *   --parallelism <n>         terraform -parallelism
 *
 * Needs only Node.js and terraform (TERRAFORM to change the binary): no node_modules, so CI jobs can run it
 * from the synth job's dist/ folder.
 */
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { checkEnvironmentBackend } from './ci-backend-guard';

export const STAGES = ['state', 'cluster', 'platform'] as const;
export type Stage = (typeof STAGES)[number];

export const EXIT_CHANGES = 2;
const BOOTSTRAP_OVERRIDE = 'bootstrap_override.tf.json';
const BOOTSTRAP_STATE = 'bootstrap.tfstate';
const PLAN = 'plan.tfplan';
/** Written by synth beside a stack's cdk.tf.json: the images the stack deploys (constructs/policy/deployed-images.ts). */
export const DEPLOYED_IMAGES_FILE = 'images.json';
const ENCRYPTED_PLAN = 'plan.tfplan.enc';

export interface DeliverOptions {
  readonly stacksDir: string;
  readonly stages?: Stage[];
  readonly readOnly: boolean;
  /** Plan without taking the state lock (read-only plan credentials), keeping the plan for the apply job. */
  readonly noLock?: boolean;
  readonly encryptPlan: boolean;
  readonly allowHighRisk: boolean;
  readonly includeState: boolean;
  readonly parallelism?: number;
  readonly terraform: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The stages of `environment` present in the stacks folder, in delivery order. */
export function environmentStages(environment: string, options: Pick<DeliverOptions, 'stacksDir' | 'stages'>): Stage[] {
  const present = STAGES.filter((stage) => fs.existsSync(path.join(options.stacksDir, `${environment}-${stage}`, 'cdk.tf.json')));
  if (!present.includes('platform')) {
    throw new DeliveryError(`${environment}-platform was not synthesized into ${options.stacksDir} (run npm run synth -- --env ${environment})`);
  }
  if (!options.stages) return present;
  for (const stage of options.stages) {
    if (!present.includes(stage)) throw new DeliveryError(`--stages: ${environment}-${stage} was not synthesized into ${options.stacksDir}`);
  }
  return present.filter((stage) => options.stages!.includes(stage));
}

function stackDir(environment: string, stage: Stage, options: DeliverOptions): string {
  return path.join(options.stacksDir, `${environment}-${stage}`);
}

function backendOf(dir: string): { type: string; config: Record<string, unknown> } {
  const backend = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).terraform?.backend ?? {};
  const type = Object.keys(backend)[0] ?? 'local';
  return { type, config: backend[type] ?? {} };
}

interface RunResult {
  readonly code: number;
  readonly output: string;
}

/** Runs terraform in `dir`, streaming its output and keeping a copy; rejects on an exit code outside `okCodes`. */
function terraform(args: string[], dir: string, options: DeliverOptions, okCodes: number[] = [0]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    options.log(`$ (cd ${dir} && terraform ${args.join(' ')})`);
    const child = spawn(options.terraform, args, { cwd: dir, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    // 'close', not 'exit': 'exit' can come before the last output chunks, and the probes read the output.
    child.once('close', (code) => {
      const result = { code: code ?? 1, output };
      if (okCodes.includes(result.code)) resolve(result);
      else reject(new DeliveryError(`terraform ${args[0]} in ${dir} exited with ${code}`));
    });
  });
}

const common = ['-input=false', '-no-color'];
function parallelism(options: DeliverOptions): string[] {
  return options.parallelism ? [`-parallelism=${options.parallelism}`] : [];
}

/** Refuses an environment any of whose stages keeps local state. */
export function guard(environment: string, options: DeliverOptions): void {
  const result = checkEnvironmentBackend(environment, options.stacksDir);
  if (result.problem) throw new DeliveryError(result.problem);
}

/** Missing remote state storage, as each backend reports it on `terraform init`. */
const STORAGE_MISSING =
  /NoSuchBucket|bucket does not exist|S3 bucket "[^"]*" does not exist|StorageAccountNotFound|ContainerNotFound|ResourceNotFound|storage account .* (was )?not found/i;

/**
 * Creates the state storage on local state, then moves that state into the storage it created.
 * Idempotent: when `terraform init` against the remote backend succeeds, the storage exists and
 * nothing is done. Returns whether it created the storage.
 */
export async function bootstrap(environment: string, options: DeliverOptions): Promise<boolean> {
  if (!environmentStages(environment, options).includes('state')) {
    options.log(`${environment}: no state stage (local backend or hybrid): nothing to bootstrap`);
    return false;
  }
  const dir = stackDir(environment, 'state', options);
  const { type } = backendOf(dir);
  if (type === 'local') throw new DeliveryError(`${environment}-state keeps local state: bootstrap needs the environment's remote backend (backend.type s3 or azurerm)`);
  fs.rmSync(path.join(dir, BOOTSTRAP_OVERRIDE), { force: true });
  if (fs.existsSync(path.join(dir, BOOTSTRAP_STATE))) {
    // A bootstrap that stopped between apply and migration: migrate what it created.
    options.log(`${environment}-state: found ${BOOTSTRAP_STATE} from an interrupted bootstrap; migrating it`);
  } else {
    const probe = await terraform(['init', ...common, '-reconfigure'], dir, options, [0, 1]);
    if (probe.code === 0) {
      options.log(`${environment}-state: the ${type} state storage answers: already bootstrapped, nothing to do`);
      return false;
    }
    if (!STORAGE_MISSING.test(probe.output)) {
      throw new DeliveryError(`${environment}-state: terraform init against the ${type} backend failed for another reason than missing storage (see above); not bootstrapping`);
    }
    options.log(`${environment}-state: the ${type} state storage does not exist yet: creating it on local state`);
    fs.writeFileSync(path.join(dir, BOOTSTRAP_OVERRIDE), JSON.stringify({ terraform: { backend: { local: { path: BOOTSTRAP_STATE } } } }, null, 2));
    await terraform(['init', ...common, '-reconfigure'], dir, options);
    await terraform(['apply', ...common, '-auto-approve', ...parallelism(options)], dir, options);
    fs.rmSync(path.join(dir, BOOTSTRAP_OVERRIDE), { force: true });
  }
  // From the local file into the storage just created (Terraform copies it; -force-copy answers "yes").
  fs.writeFileSync(path.join(dir, BOOTSTRAP_OVERRIDE), JSON.stringify({ terraform: { backend: { local: { path: BOOTSTRAP_STATE } } } }, null, 2));
  await terraform(['init', ...common, '-reconfigure'], dir, options);
  fs.rmSync(path.join(dir, BOOTSTRAP_OVERRIDE), { force: true });
  await terraform(['init', ...common, '-migrate-state', '-force-copy'], dir, options);
  const listed = await terraform(['state', 'list', '-no-color'], dir, options);
  if (!listed.output.trim()) throw new DeliveryError(`${environment}-state: the migrated remote state is empty; keeping ${BOOTSTRAP_STATE}`);
  for (const file of [BOOTSTRAP_STATE, `${BOOTSTRAP_STATE}.backup`]) fs.rmSync(path.join(dir, file), { force: true });
  options.log(`${environment}-state: bootstrapped; its state now lives in the storage it created`);
  return true;
}

/**
 * Read-only: whether the environment's state storage exists (its remote state answers), so the
 * stages can plan. Pipelines run it before the first plan with the plan identity; when the storage
 * is missing it fails with what to run, instead of a plan failing on a missing backend.
 */
export async function requireBootstrapped(environment: string, options: DeliverOptions): Promise<void> {
  if (!environmentStages(environment, options).includes('state')) {
    options.log(`${environment}: no state stage (local backend or hybrid): nothing to bootstrap`);
    return;
  }
  const dir = stackDir(environment, 'state', options);
  const { type } = backendOf(dir);
  if (type === 'local') throw new DeliveryError(`${environment}-state keeps local state: bootstrap needs the environment's remote backend (backend.type s3 or azurerm)`);
  const probe = await terraform(['init', ...common, '-reconfigure'], dir, options, [0, 1]);
  if (probe.code === 0) {
    options.log(`${environment}-state: the ${type} state storage answers: bootstrapped`);
    return;
  }
  if (STORAGE_MISSING.test(probe.output)) {
    throw new DeliveryError(
      `${environment}: not bootstrapped: its ${type} state storage does not exist yet. Run the bootstrap once with the apply identity ` +
        `(GitLab: the manual job ${environment}:bootstrap; GitHub: run the infrastructure workflow with bootstrap_environment=${environment}; ` +
        `locally: node dist/scripts/deliver.js bootstrap ${environment}), then re-run this pipeline`,
    );
  }
  throw new DeliveryError(`${environment}-state: terraform init against the ${type} backend failed for another reason than missing storage (see above)`);
}

/** The previous stage's outputs; refuses when it has none (it has not been applied). */
async function previousStageOutputs(environment: string, stage: Stage, options: DeliverOptions): Promise<void> {
  const stages = environmentStages(environment, { stacksDir: options.stacksDir });
  const index = stages.indexOf(stage);
  if (index <= 0) return;
  const previous = stages[index - 1];
  const dir = stackDir(environment, previous, options);
  await terraform(['init', ...common], dir, options);
  const outputs = await terraform(['output', '-json', '-no-color'], dir, options);
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(outputs.output.trim() || '{}');
  } catch {
    /* not JSON: treated as no outputs */
  }
  if (Object.keys(parsed).length === 0) {
    throw new DeliveryError(`${environment}-${stage}: the previous stage ${environment}-${previous} has no applied outputs; apply it first (order: ${stages.join(' -> ')})`);
  }
  options.log(`${environment}-${stage}: planned against the applied outputs of ${environment}-${previous} (${Object.keys(parsed).join(', ')})`);
}

/** What reaches the cluster API / registry only from inside the environment's network, per the synthesized cluster stack. */
export function privateEndpoints(environment: string, stacksDir: string): string[] {
  const file = path.join(stacksDir, `${environment}-cluster`, 'cdk.tf.json');
  if (!fs.existsSync(file)) return [];
  const resources = JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {};
  const found: string[] = [];
  for (const [name, aks] of Object.entries<Record<string, unknown>>(resources.azurerm_kubernetes_cluster ?? {})) {
    if (aks.private_cluster_enabled === true)
      found.push(`the AKS API server is private (azurerm_kubernetes_cluster.${name}): only runners in the cluster's VNet or a peered network reach it`);
  }
  for (const [name, acr] of Object.entries<Record<string, unknown>>(resources.azurerm_container_registry ?? {})) {
    if (acr.public_network_access_enabled === false)
      found.push(`the ACR registry is private (azurerm_container_registry.${name}): image pushes need a runner in the VNet of its private endpoint`);
  }
  for (const [name, eks] of Object.entries<Record<string, any>>(resources.aws_eks_cluster ?? {})) {
    const vpc = [].concat(eks.vpc_config ?? [])[0] as Record<string, unknown> | undefined;
    if (vpc && vpc.endpoint_public_access === false)
      found.push(`the EKS API endpoint is private (aws_eks_cluster.${name}): only runners in the cluster's VPC or a peered network reach it`);
  }
  return found;
}

/**
 * Hosted runners (GitLab.com shared runners, GitHub-hosted) cannot reach a private API server. The platform
 * stage refuses to start there instead of timing out half-way: a runner inside the network sets
 * RUNNER_IN_CLUSTER_NETWORK=true (GitLab: a project runner with tag kong-<env>; GitHub: a self-hosted runner with label kong-<env>).
 */
export function requireClusterNetwork(environment: string, stage: Stage, options: Pick<DeliverOptions, 'stacksDir' | 'env'>): void {
  if (stage !== 'platform') return;
  const endpoints = privateEndpoints(environment, options.stacksDir).filter((e) => !e.includes('ACR'));
  if (endpoints.length === 0 || options.env.RUNNER_IN_CLUSTER_NETWORK === 'true') return;
  throw new DeliveryError(
    `${environment}-platform: ${endpoints.join('; ')}. Run this job on a runner inside that network (GitLab: a project runner tagged ` +
      `kong-${environment}; GitHub: a self-hosted runner labelled kong-${environment}) and set RUNNER_IN_CLUSTER_NETWORK=true on it; hosted runners cannot reach it.`,
  );
}

function planSummaryCli(): string {
  const beside = path.join(__dirname, 'plan-summary.js');
  // From the TypeScript sources (tests), the compiled CLI is in dist/scripts/.
  return fs.existsSync(beside) ? beside : path.join(__dirname, '..', 'dist', 'scripts', 'plan-summary.js');
}

/** `--state-bucket <name>` for the environment's S3 state bucket, so deleting it is flagged high risk. */
function stateBucketArgs(environment: string, options: DeliverOptions): string[] {
  const file = path.join(options.stacksDir, `${environment}-platform`, 'cdk.tf.json');
  if (!fs.existsSync(file)) return [];
  const bucket = JSON.parse(fs.readFileSync(file, 'utf8')).terraform?.backend?.s3?.bucket;
  return typeof bucket === 'string' ? ['--state-bucket', bucket] : [];
}

function planKey(options: DeliverOptions): Buffer {
  const secret = options.env.PLAN_ENCRYPTION_KEY;
  if (!secret || secret.length < 32) throw new DeliveryError('--encrypt-plan: set PLAN_ENCRYPTION_KEY (a secret of at least 32 characters) in the plan and apply jobs');
  return crypto.scryptSync(secret, 'kong-platform-plan', 32);
}

/** AES-256-GCM: iv (12) | tag (16) | ciphertext. */
export function encryptFile(file: string, key: Buffer, target: string): void {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(fs.readFileSync(file)), cipher.final()]);
  fs.writeFileSync(target, Buffer.concat([iv, cipher.getAuthTag(), body]), { mode: 0o600 });
}

export function decryptFile(file: string, key: Buffer, target: string): void {
  const data = fs.readFileSync(file);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  fs.writeFileSync(target, Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]), { mode: 0o600 });
}

function runNode(args: string[], options: DeliverOptions, okCodes: number[] = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: options.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (okCodes.includes(code ?? 1) ? resolve(code ?? 1) : reject(new DeliveryError(`node ${path.basename(args[0])} exited with ${code}`, code ?? 1))));
  });
}

/** Plans one stage into `plan.tfplan` / `plan.json` / `plan-summary.md` / `plan-report.json`. Returns whether it has changes. */
export async function plan(environment: string, stage: Stage, options: DeliverOptions): Promise<boolean> {
  guard(environment, options);
  requireClusterNetwork(environment, stage, options);
  await previousStageOutputs(environment, stage, options);
  const dir = stackDir(environment, stage, options);
  const stack = `${environment}-${stage}`;
  await terraform(['init', ...common], dir, options);
  const lock = options.readOnly || options.noLock ? ['-lock=false'] : ['-lock-timeout=5m'];
  const result = await terraform(['plan', ...common, ...lock, ...parallelism(options), '-detailed-exitcode', `-out=${PLAN}`], dir, options, [0, EXIT_CHANGES]);
  const show = await showJson(dir, options);
  fs.writeFileSync(path.join(dir, 'plan.json'), show);
  await runNode(
    [
      planSummaryCli(),
      path.join(dir, 'plan.json'),
      '--stack',
      stack,
      '--out',
      path.join(dir, 'plan-summary.md'),
      '--gitlab-report',
      path.join(dir, 'plan-report.json'),
      ...stateBucketArgs(environment, options),
    ],
    options,
  );
  options.log(fs.readFileSync(path.join(dir, 'plan-summary.md'), 'utf8'));
  if (options.readOnly) {
    // Merge requests: the summaries only. The plan and its JSON hold secrets and are never applied.
    fs.rmSync(path.join(dir, PLAN), { force: true });
    fs.rmSync(path.join(dir, 'plan.json'), { force: true });
  } else if (options.encryptPlan) {
    const key = planKey(options);
    encryptFile(path.join(dir, PLAN), key, path.join(dir, ENCRYPTED_PLAN));
    encryptFile(path.join(dir, 'plan.json'), key, path.join(dir, 'plan.json.enc'));
    fs.rmSync(path.join(dir, PLAN), { force: true });
    fs.rmSync(path.join(dir, 'plan.json'), { force: true });
  }
  return result.code === EXIT_CHANGES;
}

async function showJson(dir: string, options: DeliverOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.terraform, ['show', '-json', '-no-color', PLAN], { cwd: dir, env: options.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString()) : reject(new DeliveryError(`terraform show -json in ${dir} exited with ${code}`))));
  });
}

/**
 * Before a stack that deploys images is applied: `cosign verify` of every image it will pull, by digest,
 * against the signer the image pipeline used. COSIGN_PUBLIC_KEY (a key file or KMS URI: awskms://,
 * azurekms://, ...) for key-based signatures; otherwise keyless, with COSIGN_CERTIFICATE_IDENTITY (or
 * COSIGN_CERTIFICATE_IDENTITY_REGEXP) and COSIGN_CERTIFICATE_OIDC_ISSUER naming the image pipeline.
 * A production stack refuses to deploy without a verifier, or with an image that has no digest;
 * elsewhere an unconfigured verifier is a warning.
 */
export async function verifyImageSignatures(environment: string, stage: Stage, options: DeliverOptions): Promise<string[]> {
  const file = path.join(stackDir(environment, stage, options), DEPLOYED_IMAGES_FILE);
  if (!fs.existsSync(file)) return [];
  const images = JSON.parse(fs.readFileSync(file, 'utf8')) as { production?: boolean; pinned?: string[]; unpinned?: string[] };
  const pinned = images.pinned ?? [];
  const stack = `${environment}-${stage}`;
  if (images.production && (images.unpinned ?? []).length > 0) {
    throw new DeliveryError(`${stack}: images without a digest cannot be verified: ${images.unpinned!.join(', ')}; pin them by digest`);
  }
  const env = options.env;
  const identity = env.COSIGN_CERTIFICATE_IDENTITY
    ? ['--certificate-identity', env.COSIGN_CERTIFICATE_IDENTITY]
    : env.COSIGN_CERTIFICATE_IDENTITY_REGEXP
      ? ['--certificate-identity-regexp', env.COSIGN_CERTIFICATE_IDENTITY_REGEXP]
      : undefined;
  const verifier = env.COSIGN_PUBLIC_KEY
    ? ['--key', env.COSIGN_PUBLIC_KEY]
    : identity && env.COSIGN_CERTIFICATE_OIDC_ISSUER
      ? [...identity, '--certificate-oidc-issuer', env.COSIGN_CERTIFICATE_OIDC_ISSUER]
      : undefined;
  if (!verifier) {
    const missing = `no image signature verifier configured: set COSIGN_PUBLIC_KEY, or COSIGN_CERTIFICATE_IDENTITY and COSIGN_CERTIFICATE_OIDC_ISSUER (the image pipeline's signer)`;
    if (images.production) throw new DeliveryError(`${stack}: ${missing}; a production stack deploys signed images only`);
    options.log(`warning: ${stack}: ${missing}; ${pinned.length} image(s) deployed unverified`);
    return [];
  }
  for (const registry of [...new Set(pinned.map((image) => image.split('/')[0]))]) await cosignLogin(registry, options);
  for (const image of pinned) {
    options.log(`$ cosign verify ${verifier.join(' ')} ${image}`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(env.COSIGN ?? 'cosign', ['verify', ...verifier, image], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) throw new DeliveryError(`${stack}: the signature of ${image} does not verify (cosign exited with ${code}); not applying`);
  }
  options.log(`${stack}: ${pinned.length} image signature(s) verified`);
  return pinned;
}

/** Runs a command with `input` on stdin; resolves its stdout, rejects on a non-zero exit. */
function runWithInput(command: string, args: string[], input: string, options: DeliverOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new DeliveryError(`${path.basename(command)} ${args[0]} exited with ${code}`))));
    child.stdin.end(input);
  });
}

/**
 * cosign reads signatures from the private registry: log it in with the job's own cloud identity (ECR through
 * `aws ecr get-login-password`, ACR through `az acr login --expose-token`), or REGISTRY_USERNAME/REGISTRY_PASSWORD
 * for any other registry. Without any of them cosign uses the runner's docker credentials.
 */
async function cosignLogin(registry: string, options: DeliverOptions): Promise<void> {
  const env = options.env;
  const cosign = env.COSIGN ?? 'cosign';
  const ecr = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(registry);
  const acr = /^([a-z0-9]{5,50})\.azurecr\.io$/.exec(registry);
  let login: { username: string; password: string } | undefined;
  if (ecr && env.COSIGN_REGISTRY_LOGIN !== 'false') {
    login = { username: 'AWS', password: (await runWithInput(env.AWS_CLI ?? 'aws', ['ecr', 'get-login-password', '--region', ecr[1]], '', options)).trim() };
  } else if (acr && env.COSIGN_REGISTRY_LOGIN !== 'false') {
    const token = await runWithInput(env.AZ_CLI ?? 'az', ['acr', 'login', '--name', acr[1], '--expose-token', '--output', 'tsv', '--query', 'accessToken'], '', options);
    login = { username: '00000000-0000-0000-0000-000000000000', password: token.trim() };
  } else if (env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD) {
    login = { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD };
  }
  if (!login) return;
  options.log(`$ cosign login --username ${login.username} --password-stdin ${registry}`);
  await runWithInput(cosign, ['login', '--username', login.username, '--password-stdin', registry], login.password, options);
}

/** Applies the saved plan of one stage, after the high-risk gate and the image signature check. */
export async function apply(environment: string, stage: Stage, options: DeliverOptions): Promise<void> {
  guard(environment, options);
  requireClusterNetwork(environment, stage, options);
  await verifyImageSignatures(environment, stage, options);
  const dir = stackDir(environment, stage, options);
  const stack = `${environment}-${stage}`;
  if (fs.existsSync(path.join(dir, ENCRYPTED_PLAN))) {
    const key = planKey(options);
    decryptFile(path.join(dir, ENCRYPTED_PLAN), key, path.join(dir, PLAN));
    decryptFile(path.join(dir, 'plan.json.enc'), key, path.join(dir, 'plan.json'));
  }
  if (!fs.existsSync(path.join(dir, PLAN)) || !fs.existsSync(path.join(dir, 'plan.json'))) {
    throw new DeliveryError(`${stack}: no saved plan (${PLAN}, plan.json) in ${dir}: run "deliver plan ${environment} ${stage}" first, in this pipeline`);
  }
  const allow = options.allowHighRisk || options.env.ALLOW_HIGH_RISK === 'true';
  await runNode(
    [
      planSummaryCli(),
      path.join(dir, 'plan.json'),
      '--stack',
      stack,
      '--gitlab-report',
      path.join(dir, 'apply-report.json'),
      ...stateBucketArgs(environment, options),
      ...(allow ? [] : ['--fail-on-high-risk']),
    ],
    options,
  ).catch((error: unknown) => {
    throw new DeliveryError(`${stack}: the plan holds high-risk changes (listed above); re-run with ALLOW_HIGH_RISK=true to apply it deliberately (${String(error)})`);
  });
  await terraform(['init', ...common], dir, options);
  // A saved plan whose state moved on is refused by Terraform ("Saved plan is stale").
  await terraform(['apply', ...common, '-lock-timeout=5m', ...parallelism(options), PLAN], dir, options);
  fs.writeFileSync(path.join(dir, 'applied.json'), JSON.stringify({ stack, appliedAt: new Date().toISOString() }) + '\n');
}

/** plan -detailed-exitcode of each stage; returns the stages with changes (drift, or an unapplied change). */
export async function check(environment: string, options: DeliverOptions, only?: Stage): Promise<Stage[]> {
  guard(environment, options);
  const stages = environmentStages(environment, options).filter((stage) => !only || stage === only);
  // Before any stage runs: a drift check that fails at its last stage on an unreachable API would read as drift.
  for (const stage of stages) requireClusterNetwork(environment, stage, options);
  const changed: Stage[] = [];
  for (const stage of stages) {
    const dir = stackDir(environment, stage, options);
    await terraform(['init', ...common], dir, options);
    const lock = options.readOnly ? ['-lock=false'] : ['-lock-timeout=5m'];
    const result = await terraform(['plan', ...common, ...lock, ...parallelism(options), '-detailed-exitcode'], dir, options, [0, EXIT_CHANGES]);
    if (result.code === EXIT_CHANGES) changed.push(stage);
  }
  return changed;
}

/** The whole sequence; throws unless the last stage was applied and every stage converged. */
export async function run(environment: string, options: DeliverOptions): Promise<Stage[]> {
  const stages = environmentStages(environment, options);
  guard(environment, options);
  await bootstrap(environment, options);
  const reached: Stage[] = [];
  for (const stage of stages) {
    const changes = await plan(environment, stage, options);
    if (changes) await apply(environment, stage, options);
    else options.log(`${environment}-${stage}: no changes`);
    reached.push(stage);
  }
  const last = stages[stages.length - 1];
  if (reached[reached.length - 1] !== last) throw new DeliveryError(`${environment}: stopped after ${reached.join(' -> ') || 'nothing'}; the last stage ${last} was not applied`);
  const pending = await check(environment, options);
  if (pending.length > 0) throw new DeliveryError(`${environment}: after applying, ${pending.join(', ')} still plan changes: the configuration does not converge`, EXIT_CHANGES);
  return reached;
}

/** Destroys in reverse order; the state storage only with includeState (and never a production one). */
export async function destroy(environment: string, options: DeliverOptions): Promise<void> {
  guard(environment, options);
  const stages = environmentStages(environment, options).reverse();
  // The platform goes first: refuse before anything is destroyed when its cluster is out of this runner's reach.
  for (const stage of stages) requireClusterNetwork(environment, stage, options);
  for (const stage of stages) {
    const dir = stackDir(environment, stage, options);
    if (stage === 'state') {
      if (!options.includeState) {
        options.log(`${environment}-state: kept (the state storage; --include-state destroys it too)`);
        continue;
      }
      await destroyStateStorage(environment, dir, options);
      continue;
    }
    await terraform(['init', ...common], dir, options);
    await terraform(['destroy', ...common, '-auto-approve', '-lock-timeout=5m', ...parallelism(options)], dir, options);
  }
}

/**
 * The state storage holds its own state: move that state back to a local file first, allow the
 * bucket to be deleted with the (versioned) state objects of the other stacks in it, then destroy.
 * Production buckets carry prevent_destroy: Terraform refuses, as it should.
 */
async function destroyStateStorage(environment: string, dir: string, options: DeliverOptions): Promise<void> {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  await terraform(['init', ...common], dir, options);
  fs.writeFileSync(path.join(dir, BOOTSTRAP_OVERRIDE), JSON.stringify({ terraform: { backend: { local: { path: BOOTSTRAP_STATE } } } }, null, 2));
  await terraform(['init', ...common, '-migrate-state', '-force-copy'], dir, options);
  const buckets = Object.keys(config.resource?.aws_s3_bucket ?? {});
  const overrides = 'teardown_override.tf.json';
  if (buckets.length > 0) {
    fs.writeFileSync(path.join(dir, overrides), JSON.stringify({ resource: { aws_s3_bucket: Object.fromEntries(buckets.map((b) => [b, { force_destroy: true }])) } }, null, 2));
    await terraform(['apply', ...common, '-auto-approve', ...parallelism(options)], dir, options);
  }
  await terraform(['destroy', ...common, '-auto-approve', ...parallelism(options)], dir, options);
  for (const file of [overrides, BOOTSTRAP_OVERRIDE, BOOTSTRAP_STATE, `${BOOTSTRAP_STATE}.backup`]) fs.rmSync(path.join(dir, file), { force: true });
  options.log(`${environment}-state: destroyed`);
}

export const USAGE = `usage: deliver <stages|guard|bootstrapped|bootstrap|plan|apply|run|check|destroy> <environment> [<stage>]
  [--stacks-dir cdktf.out/stacks] [--stages state,cluster,platform] [--read-only] [--no-lock] [--encrypt-plan]
  [--allow-high-risk] [--include-state] [--parallelism N]`;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): { command: string; environment: string; stage?: Stage; options: DeliverOptions } {
  const positional: string[] = [];
  let stacksDir = path.join('cdktf.out', 'stacks');
  let stages: Stage[] | undefined;
  let readOnly = false;
  let noLock = false;
  let encryptPlan = false;
  let allowHighRisk = false;
  let includeState = false;
  let parallel: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new DeliveryError(`${arg} needs a value\n${USAGE}`, 64);
      return v;
    };
    if (arg === '--stacks-dir') stacksDir = value();
    else if (arg === '--stages') {
      stages = value().split(',').filter(Boolean) as Stage[];
      for (const s of stages) if (!(STAGES as readonly string[]).includes(s)) throw new DeliveryError(`--stages: unknown stage "${s}"; stages are ${STAGES.join(', ')}`, 64);
    } else if (arg === '--read-only') readOnly = true;
    else if (arg === '--no-lock') noLock = true;
    else if (arg === '--encrypt-plan') encryptPlan = true;
    else if (arg === '--allow-high-risk') allowHighRisk = true;
    else if (arg === '--include-state') includeState = true;
    else if (arg === '--parallelism') parallel = Number(value());
    else if (arg.startsWith('--')) throw new DeliveryError(`unknown option ${arg}\n${USAGE}`, 64);
    else positional.push(arg);
  }
  const [command, environment, stage] = positional;
  const commands = ['stages', 'guard', 'bootstrapped', 'bootstrap', 'plan', 'apply', 'run', 'check', 'destroy'];
  if (!command || !commands.includes(command) || !environment) throw new DeliveryError(USAGE, 64);
  if ((command === 'plan' || command === 'apply') && !stage) throw new DeliveryError(`${command} needs a stage (${STAGES.join(', ')})\n${USAGE}`, 64);
  if (stage !== undefined && !(STAGES as readonly string[]).includes(stage)) throw new DeliveryError(`unknown stage "${stage}"; stages are ${STAGES.join(', ')}`, 64);
  return {
    command,
    environment,
    stage: stage as Stage | undefined,
    options: {
      stacksDir,
      stages,
      readOnly,
      noLock,
      encryptPlan,
      allowHighRisk,
      includeState,
      parallelism: parallel,
      terraform: env.TERRAFORM ?? 'terraform',
      env,
      log: console.log,
    },
  };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { command, environment, stage, options } = parseArgs(argv, env);
  switch (command) {
    case 'stages':
      options.log(environmentStages(environment, options).join(' '));
      return 0;
    case 'guard':
      guard(environment, options);
      options.log(`${environment}: every stage on remote state`);
      return 0;
    case 'bootstrapped':
      await requireBootstrapped(environment, options);
      return 0;
    case 'bootstrap':
      await bootstrap(environment, options);
      return 0;
    case 'plan':
      await plan(environment, stage!, options);
      return 0;
    case 'apply':
      await apply(environment, stage!, options);
      return 0;
    case 'run': {
      const reached = await run(environment, options);
      options.log(`${environment}: applied ${reached.join(' -> ')}; no changes left`);
      return 0;
    }
    case 'check': {
      const changed = await check(environment, options, stage);
      if (changed.length === 0) {
        options.log(`${environment}: no changes (no drift)`);
        return 0;
      }
      console.error(`${environment}: ${changed.map((s) => `${environment}-${s}`).join(', ')} plan changes: drift or an unapplied change`);
      return EXIT_CHANGES;
    }
    case 'destroy':
      await destroy(environment, options);
      return 0;
  }
  return 64;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`deliver: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = error instanceof DeliveryError ? error.exitCode : 1;
    },
  );
}

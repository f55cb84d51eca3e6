/**
 * The cdktf app of this repository: every environment in `environments/` becomes its stacks.
 *
 *   npm run synth                         all environments
 *   npm run synth -- --env aws-dev        one (or a comma-separated list)
 *   KONG_PLATFORM_ENVIRONMENTS=aws-dev cdktf deploy aws-dev-platform
 *
 * Invalid environment files, policy violations and an unusable output folder stop the run
 * before anything is written, listing every problem without a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './config/errors';
import { configIssuesFromProps } from './config/props-issues';
import { PropsValidationError } from './constructs/core/validation';
import { loadEnvironments } from './config/load';
import { App } from './constructs/core/cdktf';
import { PolicyError, checkPolicies } from './constructs/policy/policy-aspect';
import { writeDeployedImages } from './constructs/policy/deployed-images';
import { policyWarnings } from './constructs/policy/policy-report';
import { CliUsageError, parseSynthArguments, selectedEnvironments } from './scripts/cli-args';
import { OutputFolderError, checkOutputFolder, createStagingFolder, publishSynthOutput } from './scripts/synth-output';
import { addEnvironmentStacks } from './stacks/environment-stacks';

export { selectedEnvironments };

/** Where a synth run reads from and reports to (the defaults are the process's). */
export interface SynthRunOptions {
  /** Project folder (environments/, plugins/, the output folder). @default process.cwd() */
  readonly cwd?: string;
  /** Command line arguments (`--env a,b`). @default process.argv.slice(2) */
  readonly argv?: string[];
  /** Environment variables (CDKTF_OUTDIR, KONG_PLATFORM_ENVIRONMENTS). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines. @default console.log */
  readonly log?: (line: string) => void;
  /** Warnings and errors. @default console.error */
  readonly error?: (line: string) => void;
}

/**
 * Synthesizes the selected environments into the output folder (`CDKTF_OUTDIR`, default
 * `cdktf.out`) and returns the exit code. Every failure — invalid environment files, policy
 * violations, an unusable output folder, a construct error — is reported as a message without a
 * stack trace, and leaves the output folder exactly as it was: synth writes into a staging folder
 * beside it and publishes all or nothing (scripts/synth-output.ts).
 */
export function runSynth(options: SynthRunOptions = {}): number {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const log = options.log ?? ((line: string) => console.log(line));
  const report = options.error ?? ((line: string) => console.error(line));
  const outdirSetting = env.CDKTF_OUTDIR || 'cdktf.out';
  const underCdktfCli = Boolean(env.CDKTF_OUTDIR);
  const outdir = path.resolve(cwd, outdirSetting);
  // cdktf's App prefers CDKTF_OUTDIR over its props: synthesize into a staging folder instead.
  delete process.env.CDKTF_OUTDIR;
  let staging: string | undefined;
  try {
    const environmentsFolder = path.join(cwd, 'environments');
    const knownEnvironments =
      fs.existsSync(environmentsFolder) && fs.statSync(environmentsFolder).isDirectory()
        ? [
            ...new Set(
              fs
                .readdirSync(environmentsFolder)
                .filter((f) => /\.ya?ml$/.test(f))
                .map((f) => f.replace(/\.ya?ml$/, '')),
            ),
          ].sort()
        : [];
    const { only } = parseSynthArguments(argv, env, knownEnvironments);
    const environments = loadEnvironments({ cwd, only });
    checkOutputFolder(outdir, { cwd, display: outdirSetting });
    staging = createStagingFolder(outdir, outdirSetting);
    // Annotation stack traces are for debugging cdktf itself; they would fill manifest.json with this machine's paths.
    const app = new App({ outdir: staging, skipValidation: false, stackTraces: false });
    // Test mode only (npm run test:e2e): AWS stacks against a loopback emulator; the provider refuses any other address.
    const awsEmulator = env.KONG_PLATFORM_AWS_EMULATOR ? { endpoint: env.KONG_PLATFORM_AWS_EMULATOR } : undefined;
    for (const environment of environments) addEnvironmentStacks(app, environment, { pluginsDirectory: path.join(cwd, 'plugins'), awsEmulator });
    // Every guardrail violation of every stack at once, before anything is written.
    const policyResults = checkPolicies(app);
    app.synth();
    // What each stack will pull, for the signature check before its apply (scripts/deliver.ts).
    writeDeployedImages(app, path.join(staging, 'stacks'));
    publishSynthOutput(staging, outdir, { keepOtherStacks: underCdktfCli, display: outdirSetting, cwd });
    staging = undefined;
    const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
    for (const warning of policyWarnings(policyResults)) report(warning);
    for (const warning of constructWarnings(app)) report(warning);
    log(`Synthesized ${stacks.length} stack(s) for ${environments.length} environment(s) into ${outdirSetting}/stacks: ${stacks.join(', ')}`);
    return 0;
  } catch (error) {
    if (staging) {
      try {
        fs.rmSync(staging, { recursive: true, force: true });
      } catch {
        // A leftover staging folder is clutter; the error below is what matters.
      }
    }
    if (error instanceof PropsValidationError) {
      // A construct refused the props an environment file mapped to: name the file and its field.
      const envDir = path.relative(cwd, path.join(cwd, 'environments')) || 'environments';
      report(new ConfigError(configIssuesFromProps(error.problems, (name) => path.join(envDir, `${name}.yaml`))).message);
    } else if (error instanceof ConfigError || error instanceof PolicyError || error instanceof OutputFolderError || error instanceof CliUsageError) {
      report(error.message);
    } else {
      // Construct validation errors name the construct path and the field: the message is the report.
      report(`Synth failed: ${withoutStackTraces(error instanceof Error ? error.message : String(error))}`);
      if (env.KONG_PLATFORM_DEBUG) report(String(error instanceof Error ? error.stack : error));
    }
    report('Nothing was written.');
    return 1;
  }
}

/**
 * cdktf's resolution errors carry the creation stack of the object they failed on: machine paths and
 * line numbers, not what to fix. The report keeps the message (set KONG_PLATFORM_DEBUG for the stack).
 */
export function withoutStackTraces(message: string): string {
  const kept = message.split(/\n\s*Object creation stack:/)[0];
  return kept
    .split('\n')
    .filter((line) => !/^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/.test(line))
    .join('\n')
    .trim();
}

/** Warnings the constructs raised (policy warnings are printed with their rule ids above). */
function constructWarnings(app: App): string[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => `warning: ${c.node.path}: ${String(m.data)}`))
    .filter((line) => !/: KP-[A-Z]+-\d{3}/.test(line));
}

if (require.main === module) {
  process.exitCode = runSynth();
}

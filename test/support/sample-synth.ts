/**
 * The sample environments (environments/*.yaml), synthesized to disk once per jest run.
 *
 * A dozen suites read the synthesized stacks of the same three sample environments. Each used to
 * synthesize them again in its own worker (2-3 s of CPU per suite on a 2-core machine). jest's
 * globalSetup (sample-synth-setup.ts) now synthesizes them once, exactly as `npm run synth` does
 * (`app.synth()` to an output folder, assets included), and every suite reads the files. A suite
 * that needs the constructs themselves (annotations, aspects) still synthesizes in memory.
 *
 * Outside that setup (another runner, a single file through an IDE) the first call synthesizes
 * into a scratch folder of its own, so the helpers behave the same, only slower.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const SAMPLE_SYNTH_VARIABLE = 'KONG_PLATFORM_SAMPLE_SYNTH';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ENVIRONMENTS_DIR = path.join(REPO_ROOT, 'environments');
const PLUGINS_DIR = path.join(REPO_ROOT, 'plugins');

/** One sample environment as synth wrote it. */
export interface SampleSynth {
  readonly environment: string;
  /** The synth output folder of this environment (shared: read it, never change it). */
  readonly outdir: string;
  /** Stack names in synth order, e.g. `aws-dev-state`, `aws-dev-cluster`, `aws-dev-platform`. */
  readonly stackNames: readonly string[];
  /** The folder of the stack named `<environment>-<kind>`. */
  stackDirectory(kind: string): string;
  /** Parsed cdk.tf.json of the stack named `<environment>-<kind>`. */
  stack(kind: string): any;
  /** Parsed cdk.tf.json of every stack, by stack name. */
  stacks(): Record<string, any>;
}

/** Synthesizes every sample environment under `root/<name>/`; returns the names. */
export function synthesizeSamples(root: string): string[] {
  // Required here, not at the top: the suites only read the files, and the stacks load every
  // provider (12 MB of generated code, ~0.3 s per suite).
  const { loadEnvironments } = require('../../config/load') as typeof import('../../config/load');
  const { App } = require('../../constructs/core/cdktf') as typeof import('../../constructs/core/cdktf');
  const { addEnvironmentStacks } = require('../../stacks/environment-stacks') as typeof import('../../stacks/environment-stacks');
  const { writeDeployedImages } = require('../../constructs/policy/deployed-images') as typeof import('../../constructs/policy/deployed-images');
  const environments = loadEnvironments({ directory: ENVIRONMENTS_DIR, pluginsDirectory: PLUGINS_DIR });
  for (const env of environments) {
    const app = new App({ outdir: path.join(root, env.name), stackTraces: false });
    const stacks = addEnvironmentStacks(app, env, { pluginsDirectory: PLUGINS_DIR });
    app.synth();
    writeDeployedImages(app, path.join(root, env.name, 'stacks'));
    fs.writeFileSync(path.join(root, env.name, 'stack-names.json'), JSON.stringify(stacks.map((s) => s.node.id)));
  }
  fs.writeFileSync(path.join(root, 'environments.json'), JSON.stringify(environments.map((e) => e.name)));
  return environments.map((e) => e.name);
}

let localRoot: string | undefined;

function samplesRoot(): string {
  const shared = process.env[SAMPLE_SYNTH_VARIABLE];
  if (shared && fs.existsSync(path.join(shared, 'environments.json'))) return shared;
  if (!localRoot) {
    localRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-samples-'));
    synthesizeSamples(localRoot);
    const root = localRoot;
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return localRoot;
}

const parsed = new Map<string, any>();
function readJson(file: string): any {
  if (!parsed.has(file)) parsed.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
  return parsed.get(file);
}

/** The names of the sample environments, in file order. */
export function sampleEnvironmentNames(): string[] {
  return readJson(path.join(samplesRoot(), 'environments.json'));
}

/** One sample environment's synth output. */
export function sampleSynth(environment: string): SampleSynth {
  const root = samplesRoot();
  const names = readJson(path.join(root, 'environments.json')) as string[];
  if (!names.includes(environment)) throw new Error(`no sample environment "${environment}" (have ${names.join(', ')})`);
  const outdir = path.join(root, environment);
  const stackNames = readJson(path.join(outdir, 'stack-names.json')) as string[];
  const directoryOf = (stackName: string) => {
    if (!stackNames.includes(stackName)) throw new Error(`no stack ${stackName} (have ${stackNames.join(', ')})`);
    return path.join(outdir, 'stacks', stackName);
  };
  return {
    environment,
    outdir,
    stackNames,
    stackDirectory: (kind) => directoryOf(`${environment}-${kind}`),
    stack: (kind) => readJson(path.join(directoryOf(`${environment}-${kind}`), 'cdk.tf.json')),
    stacks: () => Object.fromEntries(stackNames.map((name) => [name, readJson(path.join(directoryOf(name), 'cdk.tf.json'))])),
  };
}

/** Every sample environment's synth output. */
export function sampleSynths(): SampleSynth[] {
  return sampleEnvironmentNames().map(sampleSynth);
}

/**
 * The cdktf app of this repository: every environment in `environments/` becomes its stacks.
 *
 *   npm run synth                         all environments
 *   npm run synth -- --env aws-dev        one (or a comma-separated list)
 *   KONG_PLATFORM_ENVIRONMENTS=aws-dev cdktf deploy aws-dev-platform
 *
 * Invalid environment files stop the run before anything is written, listing every problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './config/errors';
import { loadEnvironments } from './config/load';
import { App } from './constructs/core/cdktf';
import { PolicyError, checkPolicies } from './constructs/policy/policy-aspect';
import { policyWarnings } from './constructs/policy/policy-report';
import { publishSynthOutput } from './scripts/synth-output';
import { addEnvironmentStacks } from './stacks/environment-stacks';

export function selectedEnvironments(argv: string[], env: NodeJS.ProcessEnv): string[] | undefined {
  const i = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  const raw = i < 0 ? env.KONG_PLATFORM_ENVIRONMENTS : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const names = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

function main(): number {
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  const underCdktfCli = Boolean(process.env.CDKTF_OUTDIR);
  if (path.resolve(outdir) === process.cwd()) {
    console.error(`Refusing to synthesize into the working directory itself (CDKTF_OUTDIR="${outdir}")`);
    return 1;
  }
  // cdktf's App prefers CDKTF_OUTDIR over its props: synthesize into a staging folder instead.
  delete process.env.CDKTF_OUTDIR;
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outdir)), `${path.basename(outdir)}.staging-`));
  try {
    const environments = loadEnvironments({ only: selectedEnvironments(process.argv.slice(2), process.env) });
    // Annotation stack traces are for debugging cdktf itself; they would fill manifest.json with this machine's paths.
    const app = new App({ outdir: staging, skipValidation: false, stackTraces: false });
    for (const env of environments) addEnvironmentStacks(app, env);
    // Every guardrail violation of every stack at once, before anything is written.
    const policyResults = checkPolicies(app);
    app.synth();
    publishSynthOutput(staging, path.resolve(outdir), { keepOtherStacks: underCdktfCli });
    const stacks = fs.readdirSync(path.join(path.resolve(outdir), 'stacks'));
    for (const warning of policyWarnings(policyResults)) console.warn(warning);
    for (const warning of constructWarnings(app)) console.warn(warning);
    console.log(`Synthesized ${stacks.length} stack(s) for ${environments.length} environment(s) into ${outdir}/stacks: ${stacks.join(', ')}`);
    return 0;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (error instanceof ConfigError || error instanceof PolicyError) {
      console.error(error.message);
    } else {
      // Construct validation errors name the construct path and the field: the message is the report.
      console.error(`Synth failed: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.KONG_PLATFORM_DEBUG) console.error(error);
    }
    console.error('Nothing was written.');
    return 1;
  }
}

/** Warnings the constructs raised (policy warnings are printed with their rule ids above). */
function constructWarnings(app: App): string[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => `warning: ${c.node.path}: ${String(m.data)}`))
    .filter((line) => !/: KP-[A-Z]+-\d{3}/.test(line));
}

if (require.main === module) {
  process.exitCode = main();
}

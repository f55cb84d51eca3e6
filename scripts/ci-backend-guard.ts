/**
 * CI guard: refuses to plan or apply an environment whose Terraform state would be a local file.
 * A CI job's workspace is thrown away after the job: local state is lost between plan and apply,
 * and every run would plan the whole environment as new.
 *
 *   node dist/scripts/ci-backend-guard.js <env> [<env>...] [--stacks-dir cdktf.out/stacks]
 *
 * It reads every synthesized stack of the environment (`<env>-state`, `<env>-cluster`,
 * `<env>-platform`), so it needs neither node_modules nor the environment file itself and sees
 * exactly what Terraform will use. Exit 0 when every environment has a remote backend,
 * 1 with one line per refused environment, 2 on a usage error.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface GuardResult {
  readonly environment: string;
  /** Why the environment is refused; undefined when its backend is remote. */
  readonly problem?: string;
}

/** The stages of an environment, in delivery order (scripts/deliver.ts runs them in this order). */
const STAGE_SUFFIXES = ['state', 'cluster', 'platform'] as const;

/** The backend check of every stack of one environment against the synthesized stacks in `stacksDir`. */
export function checkEnvironmentBackend(environment: string, stacksDir: string): GuardResult {
  const file = `environments/${environment}.yaml`;
  const platform = `${environment}-platform`;
  if (!fs.existsSync(path.join(stacksDir, platform, 'cdk.tf.json'))) {
    return { environment, problem: `${file}: ${platform} was not synthesized into ${stacksDir} (run npm run synth first); cannot check its backend` };
  }
  const problems: string[] = [];
  for (const suffix of STAGE_SUFFIXES) {
    const stack = `${environment}-${suffix}`;
    const json = path.join(stacksDir, stack, 'cdk.tf.json');
    if (!fs.existsSync(json)) continue;
    const backend: Record<string, unknown> | undefined = JSON.parse(fs.readFileSync(json, 'utf8')).terraform?.backend;
    const type = backend ? Object.keys(backend)[0] : undefined;
    if (type === undefined || type === 'local') {
      problems.push(
        `${file}: backend: the state of ${stack} is ${type === 'local' ? 'a local file' : "Terraform's default local file"}, ` +
          'which a CI job loses between plan and apply. CI plans and applies only environments whose every stack has a remote backend ' +
          '(the -state stack too: scripts/deliver.ts bootstrap migrates it into the storage it creates): ' +
          'set backend.type to "s3" or "azurerm" in that file, or keep the environment out of the pipeline matrices.',
      );
    }
  }
  return problems.length > 0 ? { environment, problem: problems.join('\n') } : { environment };
}

/** CLI entry: returns the exit code, writes refusals to `error`. */
export function main(argv: string[], error: (line: string) => void = console.error, log: (line: string) => void = console.log): number {
  const environments: string[] = [];
  let stacksDir = path.join('cdktf.out', 'stacks');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--stacks-dir') stacksDir = argv[++i] ?? '';
    else if (argv[i].startsWith('--stacks-dir=')) stacksDir = argv[i].slice('--stacks-dir='.length);
    else environments.push(...argv[i].split(/[\s,]+/).filter(Boolean));
  }
  if (environments.length === 0 || !stacksDir) {
    error('usage: ci-backend-guard <environment> [<environment>...] [--stacks-dir cdktf.out/stacks]');
    return 2;
  }
  const refused = environments.map((env) => checkEnvironmentBackend(env, stacksDir)).filter((r) => r.problem);
  for (const r of refused) error(r.problem!);
  if (refused.length === 0) log(`remote state backend: ${environments.join(', ')}`);
  return refused.length === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

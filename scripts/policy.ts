/**
 * `npm run policy`: the policy guardrails of every environment as a Markdown report, rules x
 * stacks (pass / FAIL / waived / n/a), then the waivers with their reasons and every violation.
 * Exit code 1 when a production stack has an unwaived violation (what would stop synth).
 *
 *   npm run policy                       all environments
 *   npm run policy -- --env aws-dev      some (comma-separated)
 *   npm run policy -- --write-docs       regenerate docs/policy.md (the policy rules and the props and environment-file rules)
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../config/errors';
import { loadEnvironments } from '../config/load';
import { App } from '../constructs/core/cdktf';
import { evaluatePolicies } from '../constructs/policy/policy-aspect';
import { hasBlockingViolations, policyDocument, policyReport } from '../constructs/policy/policy-report';
import { selectedEnvironments } from './cli-args';
import { addEnvironmentStacks } from '../stacks/environment-stacks';

export function runPolicyReport(argv: string[]): { output: string; exitCode: number } {
  const environments = loadEnvironments({ only: selectedEnvironments(argv, {}) });
  // Nothing is synthesized: the app only holds the construct tree the rules read.
  const app = new App({ outdir: path.join(process.cwd(), 'cdktf.out'), skipValidation: true });
  for (const env of environments) addEnvironmentStacks(app, env);
  const results = evaluatePolicies(app);
  const blocking = hasBlockingViolations(results);
  const verdict = blocking ? 'Result: FAIL, a production stack has unwaived violations (synth would stop).' : 'Result: pass, no unwaived violation in a production stack.';
  return { output: `# Policy guardrails\n\n${policyReport(results)}\n${verdict}\n`, exitCode: blocking ? 1 : 0 };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes('--write-docs')) {
    const target = path.resolve(__dirname, '..', '..', 'docs', 'policy.md');
    fs.writeFileSync(target, policyDocument());
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  } else {
    try {
      const { output, exitCode } = runPolicyReport(argv);
      process.stdout.write(output);
      process.exitCode = exitCode;
    } catch (error) {
      console.error(error instanceof ConfigError || !(error instanceof Error) ? String(error instanceof Error ? error.message : error) : `Policy report failed: ${error.message}`);
      process.exitCode = 1;
    }
  }
}

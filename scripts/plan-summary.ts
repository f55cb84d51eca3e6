/**
 * CLI: `npm run plan:summary -- <plan.json> [--stack s] [--out f] [--gitlab-report f] [--fail-on-high-risk]`.
 * Turns `terraform show -json` output into a Markdown review summary (see delivery/plan-summary.ts).
 */
import { runPlanSummaryCli } from '../delivery/plan-summary-cli';

const result = runPlanSummaryCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;

import { readFileSync, writeFileSync } from 'fs';
import { gitlabTerraformReport, renderPlanSummaryMarkdown, summarizePlan, PlanSummaryOptions } from './plan-summary';

export const PLAN_SUMMARY_USAGE = `Usage: npm run plan:summary -- <plan.json> [options]

Reads \`terraform show -json <planfile>\` output and prints a Markdown review summary.
Attribute values are never printed (the plan JSON holds sensitive values in clear text).

Options:
  --stack <name>            stack name for the title (e.g. the folder under cdktf.out/stacks/)
  --out <file>              write the Markdown to <file> instead of stdout
  --gitlab-report <file>    also write GitLab's Terraform report JSON {"create","update","delete"}
  --state-bucket <name>     an S3 bucket that holds Terraform state (repeatable; adds to the name heuristic)
  --fail-on-high-risk       exit 2 when the plan deletes or replaces a high-risk resource
  -h, --help                show this help

Exit codes: 0 summary written; 1 bad arguments or unreadable plan; 2 high-risk change with --fail-on-high-risk.`;

/** Exit code when `--fail-on-high-risk` is given and the plan holds a high-risk change. */
export const EXIT_HIGH_RISK = 2;

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface ParsedArgs {
  readonly planFile: string;
  readonly stack?: string;
  readonly out?: string;
  readonly gitlabReport?: string;
  readonly stateBuckets: string[];
  readonly failOnHighRisk: boolean;
}

function parseArgs(args: readonly string[]): ParsedArgs | 'help' {
  const positional: string[] = [];
  const stateBuckets: string[] = [];
  const values: Record<string, string> = {};
  let failOnHighRisk = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--fail-on-high-risk') {
      failOnHighRisk = true;
      continue;
    }
    if (['--stack', '--out', '--gitlab-report', '--state-bucket'].includes(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      i++;
      if (arg === '--state-bucket') stateBuckets.push(value);
      else values[arg] = value;
      continue;
    }
    if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    positional.push(arg);
  }
  if (positional.length !== 1) {
    throw new Error(`expected exactly one plan JSON file, got ${positional.length === 0 ? 'none' : positional.join(' ')}`);
  }
  return {
    planFile: positional[0],
    stack: values['--stack'],
    out: values['--out'],
    gitlabReport: values['--gitlab-report'],
    stateBuckets,
    failOnHighRisk,
  };
}

/** The whole CLI, side effects limited to reading the plan and writing the requested files. */
export function runPlanSummaryCli(args: readonly string[]): CliResult {
  let parsed: ParsedArgs | 'help';
  try {
    parsed = parseArgs(args);
  } catch (err) {
    return { exitCode: 1, stdout: '', stderr: `plan-summary: ${(err as Error).message}\n\n${PLAN_SUMMARY_USAGE}\n` };
  }
  if (parsed === 'help') return { exitCode: 0, stdout: `${PLAN_SUMMARY_USAGE}\n`, stderr: '' };

  let planJson: unknown;
  try {
    planJson = JSON.parse(readFileSync(parsed.planFile, 'utf8'));
  } catch (err) {
    return {
      exitCode: 1,
      stdout: '',
      stderr: `plan-summary: cannot read ${parsed.planFile} as JSON (${(err as Error).message}); produce it with \`terraform show -json <planfile> > plan.json\`\n`,
    };
  }
  const options: PlanSummaryOptions = { stackName: parsed.stack, stateBuckets: parsed.stateBuckets };
  let markdown: string;
  let summary;
  try {
    summary = summarizePlan(planJson, options);
    markdown = renderPlanSummaryMarkdown(summary);
  } catch (err) {
    return { exitCode: 1, stdout: '', stderr: `plan-summary: ${parsed.planFile}: ${(err as Error).message}\n` };
  }
  if (parsed.gitlabReport) {
    writeFileSync(parsed.gitlabReport, `${JSON.stringify(gitlabTerraformReport(summary))}\n`);
  }
  let stdout = markdown;
  if (parsed.out) {
    writeFileSync(parsed.out, markdown);
    stdout = '';
  }
  if (parsed.failOnHighRisk && summary.highRisk.length > 0) {
    const list = summary.highRisk.map((c) => `  ${c.action} ${c.address}`).join('\n');
    return {
      exitCode: EXIT_HIGH_RISK,
      stdout,
      stderr: `plan-summary: ${summary.highRisk.length} high-risk change(s) and --fail-on-high-risk is set:\n${list}\n`,
    };
  }
  return { exitCode: 0, stdout, stderr: '' };
}

import { readFileSync } from 'fs';
import { checkDockerfile, formatDockerfileFindings } from './dockerfile-rules';

/**
 * `node dist/delivery/check-dockerfiles-cli.js images/kong/Dockerfile [...]`: the CI image stage's static gate.
 * Exit 1 when any Dockerfile has an error finding; warnings are printed only.
 */
export function runCheckDockerfilesCli(files: readonly string[]): { exitCode: number; stdout: string; stderr: string } {
  if (files.length === 0) return { exitCode: 1, stdout: '', stderr: 'check-dockerfiles: name at least one Dockerfile\n' };
  let errors = 0;
  const out: string[] = [];
  for (const file of files) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      return { exitCode: 1, stdout: '', stderr: `check-dockerfiles: cannot read ${file}: ${(err as Error).message}\n` };
    }
    const result = checkDockerfile(content);
    errors += result.errors.length;
    if (result.findings.length > 0) out.push(formatDockerfileFindings(file, result.findings));
    for (const [rule, reason] of Object.entries(result.exemptions)) out.push(`${file}: ${rule} waived: ${reason}`);
    out.push(`${file}: ${result.errors.length} error(s), ${result.findings.length - result.errors.length} warning(s)`);
  }
  return { exitCode: errors > 0 ? 1 : 0, stdout: `${out.join('\n')}\n`, stderr: '' };
}

if (require.main === module) {
  const result = runCheckDockerfilesCli(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

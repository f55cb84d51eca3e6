import { readFileSync, writeFileSync } from 'fs';
import { ImageComponent, recordImageDigest } from './image-digest';

export const RECORD_IMAGE_DIGEST_USAGE = `Usage: npm run image:record-digest -- --env <environments/NAME.yaml> --component <gateway|controller> (--digest <sha256:...> | --digest-file <file>) [--tag <tag>]

Writes the pushed image's digest to images.<component>.digest (and the tag to images.<component>.tag) in the
environment file, keeping its comments. --digest-file reads what \`buildah push --digestfile\` or
\`crane digest\` wrote. Exit codes: 0 written or already up to date; 1 bad arguments, malformed digest or file.`;

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const VALUE_OPTIONS = ['--env', '--component', '--digest', '--digest-file', '--tag'];

function parseArgs(args: readonly string[]): Record<string, string> | 'help' {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (!VALUE_OPTIONS.includes(arg)) throw new Error(`unknown argument ${arg}`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
    values[arg] = value;
    i++;
  }
  for (const required of ['--env', '--component']) {
    if (!values[required]) throw new Error(`${required} is required`);
  }
  if ((values['--digest'] === undefined) === (values['--digest-file'] === undefined)) {
    throw new Error('give exactly one of --digest and --digest-file');
  }
  return values;
}

/** The whole CLI; reads the digest file and rewrites the environment file in place. */
export function runRecordImageDigestCli(args: readonly string[]): CliResult {
  try {
    const values = parseArgs(args);
    if (values === 'help') return { exitCode: 0, stdout: `${RECORD_IMAGE_DIGEST_USAGE}\n`, stderr: '' };
    const envFile = values['--env'];
    const digest = values['--digest'] ?? readFileSync(values['--digest-file'], 'utf8');
    const result = recordImageDigest(readFileSync(envFile, 'utf8'), {
      component: values['--component'] as ImageComponent,
      digest,
      tag: values['--tag'],
      source: envFile,
    });
    if (!result.changed) {
      return { exitCode: 0, stdout: `${envFile}: images.${values['--component']} already pinned to this digest\n`, stderr: '' };
    }
    writeFileSync(envFile, result.text);
    return {
      exitCode: 0,
      stdout: `${envFile}: images.${values['--component']}.digest ${result.previousDigest ?? '(none)'} -> ${digest.trim().replace(/^.*@/, '')}\n`,
      stderr: '',
    };
  } catch (err) {
    return { exitCode: 1, stdout: '', stderr: `record-image-digest: ${(err as Error).message}\n` };
  }
}

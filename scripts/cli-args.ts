/**
 * Command line of the synth run (`main.ts`) and of the scripts that select environments
 * (`scripts/policy.ts`). Lives here, not in main.ts, so the scripts never import the app.
 */
export function selectedEnvironments(argv: string[], env: NodeJS.ProcessEnv): string[] | undefined {
  const i = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  const raw = i < 0 ? env.KONG_PLATFORM_ENVIRONMENTS : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 ? names : undefined;
}

/** A command line the synth run does not understand; `message` says what is allowed. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const SYNTH_USAGE = 'usage: npm run synth [-- --env <name>[,<name>...]]   (or KONG_PLATFORM_ENVIRONMENTS=<name>[,<name>...])';

/**
 * The synth command line, strictly: `--env a,b` / `--env=a,b` (once), else
 * `KONG_PLATFORM_ENVIRONMENTS`, else every environment. An unknown argument, a missing or empty
 * name (`--env`, `--env=`, `--env a,,b`) is refused with the list of known environments (an unknown
 * environment is refused by `loadEnvironments`, with the same list): a typo never silently builds everything.
 */
export function parseSynthArguments(argv: readonly string[], env: NodeJS.ProcessEnv, knownEnvironments: readonly string[]): { only?: string[] } {
  const known = `known environments: ${knownEnvironments.join(', ') || 'none'}`;
  let raw: string | undefined;
  let source = '';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--env' || arg.startsWith('--env=')) {
      if (raw !== undefined) throw new CliUsageError(`--env is given twice; list several environments comma-separated (${known})`);
      const value = arg === '--env' ? argv[++i] : arg.slice('--env='.length);
      if (value === undefined || value.startsWith('-')) throw new CliUsageError(`--env needs an environment name (${known})\n${SYNTH_USAGE}`);
      raw = value;
      source = '--env';
    } else {
      throw new CliUsageError(`unknown argument ${JSON.stringify(arg)}\n${SYNTH_USAGE}`);
    }
  }
  if (raw === undefined && env.KONG_PLATFORM_ENVIRONMENTS !== undefined && env.KONG_PLATFORM_ENVIRONMENTS.trim() !== '') {
    raw = env.KONG_PLATFORM_ENVIRONMENTS;
    source = 'KONG_PLATFORM_ENVIRONMENTS';
  }
  if (raw === undefined) return {};
  const names = raw.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new CliUsageError(`${source} has an empty environment name in ${JSON.stringify(raw)} (${known})`);
  // Unknown names are refused by loadEnvironments, with the available ones, together with any other problem.
  return { only: [...new Set(names)] };
}

/**
 * Command line of the synth run (`main.ts`) and of the scripts that select environments
 * (`scripts/policy.ts`). Lives here, not in main.ts, so the scripts never import the app.
 */
export function selectedEnvironments(argv: string[], env: NodeJS.ProcessEnv): string[] | undefined {
  const i = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  const raw = i < 0 ? env.KONG_PLATFORM_ENVIRONMENTS : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const names = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

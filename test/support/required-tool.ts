import { isCi } from './helm';

/**
 * `describe` for suites that need a tool on the machine (the terraform CLI, the provider mirror),
 * the same policy as the helm-backed suites (`describeWithHelm`): elsewhere a missing tool skips
 * the suite with a warning; under CI it is one failing test, so a machine without the tool cannot
 * turn these checks off silently.
 */
export function describeWithTool(missing: string | undefined, what: string): (title: string, body: () => void) => void {
  if (!missing) return describe;
  if (isCi()) {
    return (title) =>
      describe(title, () => {
        test(`${what}: the tool is available (required in CI)`, () => {
          throw new Error(`${what} needs ${missing}, and CI=true`);
        });
      });
  }
  // eslint-disable-next-line no-console
  console.warn(`Skipping ${what}: ${missing}`);
  return describe.skip;
}

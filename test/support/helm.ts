/**
 * The real helm binary for chart tests (`helm lint`, `helm template`).
 *
 * Looked up in this order: `$KONG_PLATFORM_HELM`, then `.tools/helm/helm` (put there by
 * `scripts/fetch-helm.sh`). When it is missing, helm-backed tests are skipped with a message on
 * a developer machine, and FAIL in CI (`CI=true`): CI must never go green without having run them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FETCH_HINT = 'run `scripts/fetch-helm.sh` (puts helm at .tools/helm/helm) or set KONG_PLATFORM_HELM';

/** Absolute path of a runnable helm binary, or undefined. */
export function findHelm(): string | undefined {
  const candidates = [process.env.KONG_PLATFORM_HELM, path.join(REPO_ROOT, '.tools', 'helm', 'helm')];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not there or not executable: try the next one
    }
  }
  return undefined;
}

/** True when running in CI, where a missing helm is an error instead of a skip. */
export function isCi(): boolean {
  return (process.env.CI ?? '').toLowerCase() === 'true';
}

/** Result of one helm invocation. */
export interface HelmResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Thin wrapper around the helm CLI with an isolated, offline configuration. */
export class HelmCli {
  private readonly home: string;

  constructor(public readonly binary: string) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-home-'));
  }

  /** Runs helm; never touches the user's helm config or any repository. */
  public run(args: string[], cwd?: string): HelmResult {
    const result = spawnSync(this.binary, args, {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: this.home,
        HELM_CACHE_HOME: path.join(this.home, 'cache'),
        HELM_CONFIG_HOME: path.join(this.home, 'config'),
        HELM_DATA_HOME: path.join(this.home, 'data'),
        // No cluster here and none may be contacted: point any accidental lookup at loopback.
        KUBECONFIG: path.join(this.home, 'no-kubeconfig'),
      },
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  }

  /** `helm lint --strict <chart>`; throws with helm's output when lint fails. */
  public lint(chartDirectory: string): HelmResult {
    const result = this.run(['lint', '--strict', chartDirectory]);
    if (result.status !== 0) {
      throw new Error(`helm lint --strict ${chartDirectory} failed:\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /**
   * `helm template <release> <chart> --namespace <ns>`; returns the rendered objects.
   * Throws with helm's output when rendering fails.
   */
  public template(chartDirectory: string, releaseName: string, namespace: string, cwd?: string, extraArgs: string[] = []): Record<string, any>[] {
    const result = this.run(['template', releaseName, chartDirectory, '--namespace', namespace, ...extraArgs], cwd);
    if (result.status !== 0) {
      throw new Error(`helm template ${chartDirectory} failed:\n${result.stdout}\n${result.stderr}`);
    }
    return parseAllDocuments(result.stdout)
      .map((document) => {
        if (document.errors.length > 0) throw new Error(`helm template produced invalid YAML: ${document.errors[0].message}`);
        return document.toJS() as Record<string, any> | null;
      })
      .filter((object): object is Record<string, any> => object !== null);
  }
}

let reportedSkip = false;

/**
 * `describe` for tests that need the helm binary. The body receives a ready {@link HelmCli}.
 * Missing helm: skipped (with one console message) locally, one failing test in CI.
 */
export function describeWithHelm(title: string, body: (helm: () => HelmCli) => void): void {
  const binary = findHelm();
  if (binary) {
    let cli: HelmCli | undefined;
    describe(title, () => body(() => (cli ??= new HelmCli(binary))));
    return;
  }
  if (isCi()) {
    describe(title, () => {
      test('helm binary is available (required in CI)', () => {
        throw new Error(`helm binary not found and CI=true: ${FETCH_HINT}`);
      });
    });
    return;
  }
  if (!reportedSkip) {
    reportedSkip = true;
    // eslint-disable-next-line no-console
    console.warn(`Skipping helm-backed tests: helm binary not found; ${FETCH_HINT}.`);
  }
  describe.skip(title, () =>
    body(() => {
      throw new Error('helm not available');
    }),
  );
}

import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSynth } from '../../main';
import { REPO_ROOT } from '../support/platform-fixture';

/**
 * A scratch project folder for running the synth entry point in-process: `plugins/` copied from
 * the repository, an `environments/` folder, and an earlier synth output in `cdktf.out/` (a
 * manifest, a stack with an initialised `.terraform`) that a refused run must leave untouched.
 */
export class ScratchProject {
  public readonly dir: string;

  constructor(prefix = 'kong-platform-run-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.cpSync(path.join(REPO_ROOT, 'plugins'), path.join(this.dir, 'plugins'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'environments'));
  }

  /** Writes an earlier synth output into `cdktf.out/`. */
  public withEarlierOutput(): this {
    const out = path.join(this.dir, 'cdktf.out');
    fs.mkdirSync(path.join(out, 'stacks', 'earlier-platform', '.terraform'), { recursive: true });
    fs.writeFileSync(path.join(out, 'manifest.json'), '{"version":"earlier"}\n');
    fs.writeFileSync(path.join(out, 'stacks', 'earlier-platform', 'cdk.tf.json'), '{"earlier":true}\n');
    fs.writeFileSync(path.join(out, 'stacks', 'earlier-platform', '.terraform', 'marker'), 'initialised\n');
    return this;
  }

  /** Replaces the environment files with `files` (name -> content). */
  public environments(files: Record<string, string | Buffer>): this {
    const dir = path.join(this.dir, 'environments');
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return this;
  }

  /** Every file and folder of the project except plugins/ and environments/, with a hash of each file's content. */
  public outputSnapshot(): string[] {
    const entries: string[] = [];
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir).sort()) {
        const full = path.join(dir, name);
        const rel = path.relative(this.dir, full);
        if (rel === 'plugins' || rel === 'environments') continue;
        const stat = fs.lstatSync(full);
        if (stat.isDirectory()) {
          entries.push(`${rel}/`);
          walk(full);
        } else {
          entries.push(`${rel} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex').slice(0, 16)}`);
        }
      }
    };
    walk(this.dir);
    return entries;
  }

  /** Runs the synth entry point in this folder; returns the exit code and what it printed. */
  public synth(env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runSynth({ cwd: this.dir, argv: [], env, log: (l) => out.push(l), error: (l) => err.push(l) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

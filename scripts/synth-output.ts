import * as fs from 'fs';
import * as path from 'path';

/** Files Terraform keeps beside a stack's cdk.tf.json that a new synth must not throw away. */
const PRESERVED = ['.terraform', '.terraform.lock.hcl'];

/** The output folder cannot be used; `message` says which folder and why, for the user (no stack trace needed). */
export class OutputFolderError extends Error {
  constructor(
    public readonly folder: string,
    public readonly reason: string,
  ) {
    super(`Cannot write the output folder "${folder}": ${reason}`);
    this.name = 'OutputFolderError';
  }
}

const FS_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'a folder on the way does not exist',
  EEXIST: 'something already exists there',
  ENOTEMPTY: 'a folder that should be empty is not',
  EISDIR: 'a folder is where a file should be',
  EBUSY: 'the folder is in use',
  EXDEV: 'the staging folder is on another file system',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
};

/** `permission denied (EACCES) at <path>` for a file system error; the message otherwise. */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') return `${FS_ERRORS[e.code] ?? e.code.toLowerCase()} (${e.code}${e.path ? ` at ${e.path}` : ''})`;
  return error instanceof Error ? error.message : String(error);
}

const lstatOrUndefined = (p: string): fs.Stats | undefined => {
  try {
    return fs.lstatSync(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * Refuses an output folder that synth could not publish to, or that publishing would destroy:
 * the working directory (or one of its parents), a missing parent, a file (or a link) where
 * the folder should be, a `stacks` file inside it, or a folder that holds something other than
 * an earlier synth output (publishing replaces the folder whole).
 */
export function checkOutputFolder(finalDir: string, options: { cwd?: string; display?: string } = {}): void {
  const target = path.resolve(finalDir);
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const fail = (reason: string): never => {
    throw new OutputFolderError(options.display ?? finalDir, reason);
  };
  if (target === cwd || cwd.startsWith(target.endsWith(path.sep) ? target : target + path.sep) || target === path.parse(target).root) {
    fail('it is the working directory or one of its parents; synth replaces the output folder whole (set CDKTF_OUTDIR to a folder of its own, e.g. cdktf.out)');
  }
  try {
    const parent = path.dirname(target);
    const parentStat = lstatOrUndefined(parent);
    if (!parentStat) fail(`its parent folder ${parent} does not exist`);
    if (!fs.statSync(parent).isDirectory()) fail(`its parent ${parent} is a file, not a folder`);
    const stat = lstatOrUndefined(target);
    if (!stat) return;
    if (stat.isSymbolicLink()) fail('it is a symbolic link; point CDKTF_OUTDIR at the real folder');
    if (!stat.isDirectory()) fail('a file is where the folder should be; move the file away or set CDKTF_OUTDIR to another folder');
    const entries = fs.readdirSync(target).filter((e) => !e.startsWith('.'));
    const stacks = lstatOrUndefined(path.join(target, 'stacks'));
    if (stacks && !stacks.isDirectory()) fail('stacks inside it is a file, not a folder; remove it');
    if (entries.length > 0 && !entries.includes('manifest.json') && !entries.includes('stacks')) {
      const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
      fail(`it holds other files (${shown}) and no earlier synth output (manifest.json, stacks/); synth would replace it whole`);
    }
  } catch (error) {
    if (error instanceof OutputFolderError) throw error;
    fail(describeFsError(error));
  }
}

/** Creates the staging folder beside the output folder (same file system, so publishing is a rename). */
export function createStagingFolder(finalDir: string, display?: string): string {
  const target = path.resolve(finalDir);
  try {
    return fs.mkdtempSync(path.join(path.dirname(target), `${path.basename(target)}.staging-`));
  } catch (error) {
    throw new OutputFolderError(display ?? finalDir, `cannot create a staging folder beside it: ${describeFsError(error)}`);
  }
}

/**
 * Replaces `finalDir` with the freshly synthesized `stagingDir`, so a failed synth never leaves a
 * half-written output and a good one keeps each stack's initialised `.terraform` folder and lock
 * file. All or nothing: when a step fails, the steps already taken are undone (the `.terraform`
 * folders go back, the previous output is restored) and an {@link OutputFolderError} says why.
 */
export function publishSynthOutput(stagingDir: string, finalDir: string, options: { keepOtherStacks?: boolean; display?: string; cwd?: string } = {}): void {
  const display = options.display ?? finalDir;
  checkOutputFolder(finalDir, { cwd: options.cwd, display });
  const stagedStacks = path.join(stagingDir, 'stacks');
  const finalStacks = path.join(finalDir, 'stacks');
  const done: Array<[from: string, to: string]> = [];
  const move = (from: string, to: string) => {
    fs.renameSync(from, to);
    done.push([from, to]);
  };
  const undo = () => {
    for (const [from, to] of done.reverse()) {
      try {
        fs.renameSync(to, from);
      } catch {
        // Best effort: report the original failure, which says what went wrong.
      }
    }
  };
  try {
    if (fs.existsSync(finalStacks) && fs.existsSync(stagedStacks)) {
      const staged = new Set(fs.readdirSync(stagedStacks));
      for (const stack of fs.readdirSync(finalStacks)) {
        if (staged.has(stack)) {
          for (const keep of PRESERVED) {
            const from = path.join(finalStacks, stack, keep);
            if (fs.existsSync(from)) move(from, path.join(stagedStacks, stack, keep));
          }
        } else if (options.keepOtherStacks) {
          // cdktf-cli removes the stacks a synth no longer produces itself, and fails when they are gone.
          move(path.join(finalStacks, stack), path.join(stagedStacks, stack));
        }
      }
    }
    const previous = `${finalDir}.previous-${process.pid}-${Date.now().toString(36)}`;
    if (fs.existsSync(finalDir)) move(finalDir, previous);
    move(stagingDir, finalDir);
    try {
      fs.rmSync(previous, { recursive: true, force: true });
    } catch {
      // The new output is in place; a leftover previous folder is only clutter.
    }
  } catch (error) {
    undo();
    throw new OutputFolderError(display, `publishing the new output failed, the previous output is unchanged: ${describeFsError(error)}`);
  }
}

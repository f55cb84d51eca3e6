import * as fs from 'fs';
import * as path from 'path';

/** Files Terraform keeps beside a stack's cdk.tf.json that a new synth must not throw away. */
const PRESERVED = ['.terraform', '.terraform.lock.hcl'];

/**
 * Replaces `finalDir` with the freshly synthesized `stagingDir` in one step per stack, so a
 * failed synth never leaves a half-written output and a good one keeps each stack's
 * initialised `.terraform` folder and lock file.
 */
export function publishSynthOutput(stagingDir: string, finalDir: string, options: { keepOtherStacks?: boolean } = {}): void {
  const stagedStacks = path.join(stagingDir, 'stacks');
  const finalStacks = path.join(finalDir, 'stacks');
  if (fs.existsSync(finalStacks) && fs.existsSync(stagedStacks)) {
    const staged = new Set(fs.readdirSync(stagedStacks));
    for (const stack of fs.readdirSync(finalStacks)) {
      if (staged.has(stack)) {
        for (const keep of PRESERVED) {
          const from = path.join(finalStacks, stack, keep);
          if (fs.existsSync(from)) fs.renameSync(from, path.join(stagedStacks, stack, keep));
        }
      } else if (options.keepOtherStacks) {
        // cdktf-cli removes the stacks a synth no longer produces itself, and fails when they are gone.
        fs.renameSync(path.join(finalStacks, stack), path.join(stagedStacks, stack));
      }
    }
  }
  const previous = `${finalDir}.previous-${process.pid}`;
  if (fs.existsSync(finalDir)) fs.renameSync(finalDir, previous);
  fs.renameSync(stagingDir, finalDir);
  if (fs.existsSync(previous)) fs.rmSync(previous, { recursive: true, force: true });
}

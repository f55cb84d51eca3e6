import * as fs from 'fs';
import * as path from 'path';

/** Files Terraform keeps beside a stack's cdk.tf.json that a new synth must not throw away. */
const PRESERVED = ['.terraform', '.terraform.lock.hcl'];

/**
 * Replaces `finalDir` with the freshly synthesized `stagingDir` in one step per stack, so a
 * failed synth never leaves a half-written output and a good one keeps each stack's
 * initialised `.terraform` folder and lock file.
 */
export function publishSynthOutput(stagingDir: string, finalDir: string): void {
  const stagedStacks = path.join(stagingDir, 'stacks');
  const finalStacks = path.join(finalDir, 'stacks');
  if (fs.existsSync(finalStacks) && fs.existsSync(stagedStacks)) {
    for (const stack of fs.readdirSync(stagedStacks)) {
      for (const keep of PRESERVED) {
        const from = path.join(finalStacks, stack, keep);
        if (fs.existsSync(from)) fs.renameSync(from, path.join(stagedStacks, stack, keep));
      }
    }
  }
  const previous = `${finalDir}.previous-${process.pid}`;
  if (fs.existsSync(finalDir)) fs.renameSync(finalDir, previous);
  fs.renameSync(stagingDir, finalDir);
  if (fs.existsSync(previous)) fs.rmSync(previous, { recursive: true, force: true });
}

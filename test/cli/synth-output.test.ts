import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { publishSynthOutput } from '../../scripts/synth-output';

function tree(root: string, files: string[]): void {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), f);
  }
}

describe('publishSynthOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-'));
    // GIVEN an earlier output with two stacks, one initialised, and a new synth of one stack
    tree(path.join(dir, 'out'), ['stacks/a/cdk.tf.json', 'stacks/a/.terraform/marker', 'stacks/b/cdk.tf.json']);
    tree(path.join(dir, 'staging'), ['stacks/a/cdk.tf.json', 'manifest.json']);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('replaces the output, keeping the initialised .terraform of stacks it produces again', () => {
    publishSynthOutput(path.join(dir, 'staging'), path.join(dir, 'out'));
    expect(fs.readdirSync(path.join(dir, 'out', 'stacks'))).toEqual(['a']);
    expect(fs.existsSync(path.join(dir, 'out', 'stacks', 'a', '.terraform', 'marker'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'staging'))).toBe(false);
  });

  test('under cdktf-cli, leaves the other stacks for the CLI to remove', () => {
    publishSynthOutput(path.join(dir, 'staging'), path.join(dir, 'out'), { keepOtherStacks: true });
    expect(fs.readdirSync(path.join(dir, 'out', 'stacks')).sort()).toEqual(['a', 'b']);
  });
});

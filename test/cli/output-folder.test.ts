import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { OutputFolderError, publishSynthOutput } from '../../scripts/synth-output';
import { bypassBase } from '../policy/bypass';
import { ScratchProject } from './project';

/**
 * Output folder problems stop synth with a message naming the folder and the reason, no stack
 * trace, and nothing half-written: the folder (or the file in its place) is exactly as before,
 * and no staging folder is left behind.
 */

describe('synth refuses an unusable output folder and writes nothing', () => {
  let project: ScratchProject;
  beforeEach(() => {
    // GIVEN a project with one valid environment
    project = new ScratchProject('kong-platform-out-').environments({ 'bypass.yaml': stringify(bypassBase()) });
  });
  afterEach(() => project.remove());

  const expectRefused = (run: { code: number; stderr: string }, message: string) => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(/\nNothing was written\.$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(project.dir).filter((f) => f.includes('.staging-') || f.includes('.previous-'))).toEqual([]);
  };

  test('a file where the output folder should be', () => {
    fs.writeFileSync(path.join(project.dir, 'cdktf.out'), 'not a folder\n');
    const before = project.outputSnapshot();
    const run = project.synth();
    expectRefused(run, 'Cannot write the output folder "cdktf.out": a file is where the folder should be; move the file away or set CDKTF_OUTDIR to another folder');
    expect(project.outputSnapshot()).toEqual(before);
  });

  test('a file named stacks inside the output folder', () => {
    fs.mkdirSync(path.join(project.dir, 'cdktf.out'));
    fs.writeFileSync(path.join(project.dir, 'cdktf.out', 'stacks'), 'x');
    const before = project.outputSnapshot();
    expectRefused(project.synth(), 'Cannot write the output folder "cdktf.out": stacks inside it is a file, not a folder; remove it');
    expect(project.outputSnapshot()).toEqual(before);
  });

  test('a folder holding something other than an earlier synth output', () => {
    fs.mkdirSync(path.join(project.dir, 'src'));
    fs.writeFileSync(path.join(project.dir, 'src', 'index.ts'), 'export {};\n');
    const before = project.outputSnapshot();
    expectRefused(
      project.synth({ CDKTF_OUTDIR: 'src' }),
      'Cannot write the output folder "src": it holds other files (index.ts) and no earlier synth output (manifest.json, stacks/); synth would replace it whole',
    );
    expect(project.outputSnapshot()).toEqual(before);
  });

  test('the working directory itself, or one of its parents', () => {
    expectRefused(project.synth({ CDKTF_OUTDIR: '.' }), 'Cannot write the output folder ".": it is the working directory or one of its parents');
    expectRefused(project.synth({ CDKTF_OUTDIR: '..' }), 'Cannot write the output folder "..": it is the working directory or one of its parents');
  });

  test('a parent folder that does not exist', () => {
    expectRefused(
      project.synth({ CDKTF_OUTDIR: 'missing/out' }),
      `Cannot write the output folder "missing/out": its parent folder ${path.join(project.dir, 'missing')} does not exist`,
    );
    expect(fs.existsSync(path.join(project.dir, 'missing'))).toBe(false);
  });

  test('a file where a parent folder should be', () => {
    fs.writeFileSync(path.join(project.dir, 'build'), 'x');
    expectRefused(
      project.synth({ CDKTF_OUTDIR: 'build/out' }),
      `Cannot write the output folder "build/out": its parent ${path.join(project.dir, 'build')} is a file, not a folder`,
    );
  });

  test('a location nobody may write to (sysfs)', () => {
    // GIVEN /sys, where not even root may create a folder (checked first: the test needs it)
    let writable = true;
    try {
      fs.rmdirSync(fs.mkdtempSync('/sys/kong-platform-probe-'));
    } catch {
      writable = false;
    }
    expect(writable).toBe(false);
    // WHEN
    const run = project.synth({ CDKTF_OUTDIR: '/sys/kong-platform-out' });
    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Cannot write the output folder "\/sys\/kong-platform-out": cannot create a staging folder beside it: operation not permitted \(EPERM at \/sys\/kong-platform-out\.staging-\w+\)$/m,
    );
    expect(run.stderr).toMatch(/\nNothing was written\.$/);
  });

  test('a good synth still replaces an earlier output and keeps its initialised .terraform', () => {
    // GIVEN an earlier synth of the same stack, initialised
    expect(project.synth().code).toBe(0);
    const marker = path.join(project.dir, 'cdktf.out', 'stacks', 'bypass-platform', '.terraform', 'marker');
    fs.mkdirSync(path.dirname(marker));
    fs.writeFileSync(marker, 'x');
    // WHEN
    const run = project.synth();
    // THEN
    expect(run.code).toBe(0);
    expect(fs.readFileSync(marker, 'utf8')).toBe('x');
  });
});

describe('publishSynthOutput is all or nothing', () => {
  let dir: string;
  const write = (file: string, content = file) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-undo-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a failing step undoes the steps before it: the earlier output keeps every .terraform folder', () => {
    // GIVEN two initialised stacks, and a staged stack b whose .terraform cannot be replaced (a non-empty folder is in the way)
    write('out/manifest.json');
    write('out/stacks/a/cdk.tf.json', 'old a');
    write('out/stacks/a/.terraform/marker', 'a');
    write('out/stacks/b/cdk.tf.json', 'old b');
    write('out/stacks/b/.terraform/marker', 'b');
    write('staging/stacks/a/cdk.tf.json', 'new a');
    write('staging/stacks/b/cdk.tf.json', 'new b');
    write('staging/stacks/b/.terraform/in-the-way', 'x');
    // WHEN
    let error: unknown;
    try {
      publishSynthOutput(path.join(dir, 'staging'), path.join(dir, 'out'), { display: 'out' });
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(OutputFolderError);
    expect((error as Error).message).toMatch(/^Cannot write the output folder "out": publishing the new output failed, the previous output is unchanged: /);
    expect(fs.readFileSync(path.join(dir, 'out/stacks/a/.terraform/marker'), 'utf8')).toBe('a');
    expect(fs.readFileSync(path.join(dir, 'out/stacks/a/cdk.tf.json'), 'utf8')).toBe('old a');
    expect(fs.readFileSync(path.join(dir, 'out/stacks/b/.terraform/marker'), 'utf8')).toBe('b');
    expect(fs.readdirSync(dir).sort()).toEqual(['out', 'staging']);
  });
});

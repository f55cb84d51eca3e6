import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { MAX_ENVIRONMENT_FILE_BYTES } from '../../config/load';
import { ScratchProject } from '../cli/project';
import { REPO_ROOT } from '../support/platform-fixture';

/**
 * The malformed corpus (test/fixtures/malformed/, table in cases.yaml): each file alone in
 * environments/ stops synth with its file name and field or line, and nothing is written.
 */

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'malformed');
const CASES = Object.entries(parse(fs.readFileSync(path.join(CORPUS, 'cases.yaml'), 'utf8')) as Record<string, string[]>).map(([file, expected]) => ({
  file,
  expected,
}));

describe('malformed environment files are refused with file and field or line, and nothing is written', () => {
  let project: ScratchProject;
  beforeAll(() => {
    project = new ScratchProject().withEarlierOutput();
  });
  afterAll(() => project.remove());

  test('the corpus holds at least 40 files, and the table lists exactly the files of the folder', () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yaml') && f !== 'cases.yaml');
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(CASES.map((c) => c.file).sort()).toEqual(files.sort());
  });

  test.each(CASES)('$file', ({ file, expected }) => {
    // GIVEN the file as the only environment, and an earlier synth output
    project.environments({ [file]: fs.readFileSync(path.join(CORPUS, file)) });
    const before = project.outputSnapshot();
    // WHEN
    const run = project.synth();
    // THEN
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    for (const fragment of expected) {
      const matching = lines.filter((l) => l.startsWith(`  environments/${file}: `) && l.includes(fragment));
      expect({ fragment, found: matching.length === 1, stderr: run.stderr }).toEqual({ fragment, found: true, stderr: run.stderr });
    }
    expect(run.stderr).toMatch(/^Invalid environment configuration \(\d+ problems?\):\n/);
    expect(run.stderr).toMatch(/\nNothing was written\.$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(project.outputSnapshot()).toEqual(before);
  });

  test('a file over the size limit is refused before it is parsed', () => {
    // GIVEN an otherwise valid file padded past the limit
    const text = `name: too-large\ncloud: hybrid\ndescription: "${'x'.repeat(MAX_ENVIRONMENT_FILE_BYTES)}"\n`;
    project.environments({ 'too-large.yaml': text });
    const before = project.outputSnapshot();
    // WHEN
    const run = project.synth();
    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `  environments/too-large.yaml: is ${Buffer.byteLength(text)} bytes, larger than the ${MAX_ENVIRONMENT_FILE_BYTES} bytes an environment file may have`,
    );
    expect(project.outputSnapshot()).toEqual(before);
  });

  test('a folder named like an environment file is refused', () => {
    // GIVEN
    project.environments({});
    fs.mkdirSync(path.join(project.dir, 'environments', 'folder.yaml'));
    // WHEN
    const run = project.synth();
    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('  environments/folder.yaml: is a folder, not an environment file');
  });

  test('the problems of several files are reported together', () => {
    // GIVEN two broken files
    project.environments({
      'empty.yaml': fs.readFileSync(path.join(CORPUS, 'empty.yaml')),
      'bad-enum-cloud.yaml': fs.readFileSync(path.join(CORPUS, 'bad-enum-cloud.yaml')),
    });
    // WHEN
    const run = project.synth();
    // THEN
    expect(run.stderr).toContain('Invalid environment configuration (2 problems):');
    expect(run.stderr).toContain('  environments/empty.yaml: is empty');
    expect(run.stderr).toContain('  environments/bad-enum-cloud.yaml: cloud: must be one of');
  });
});

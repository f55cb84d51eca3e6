import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { ScratchProject } from '../cli/project';
import { Attempt, attemptEnvironment, bypassAttempts, bypassBase } from './bypass';

/**
 * The bypass corpus (test/fixtures/bypass/, README there): attempts to switch a production
 * environment's security off through the environment file, each run through the real synth
 * entry point and each refused with its rule id or field and message, with nothing written.
 */

/** The lines of a refusal that name the attempt's rule (or field) and carry its message. */
function refusals(stderr: string, attempt: Attempt): string[] {
  const isRule = /^KP-[A-Z0-9]+-\d{3}$/.test(attempt.refusedBy);
  return stderr
    .split('\n')
    .filter((line) =>
      isRule ? line.includes(` ${attempt.refusedBy} `) || line.includes(` ${attempt.refusedBy}:`) : line.includes(`environments/bypass.yaml: ${attempt.refusedBy}: `),
    )
    .filter((line) => line.includes(attempt.message));
}

const ATTEMPTS = bypassAttempts();

describe('bypass corpus: production security cannot be switched off from the environment file', () => {
  test('the corpus holds at least 40 attempts, each naming what it tries, what refuses it and the message', () => {
    expect(ATTEMPTS.length).toBeGreaterThanOrEqual(40);
    for (const a of ATTEMPTS) {
      const isObject = a.environment !== null && typeof a.environment === 'object' && !Array.isArray(a.environment);
      expect([a.file, typeof a.attempt, typeof a.refusedBy, typeof a.message, isObject]).toEqual([a.file, 'string', 'string', 'string', true]);
    }
  });

  test('the base production environment alone synthesizes, so every refusal below comes from its attempt', () => {
    // GIVEN
    const project = new ScratchProject().environments({ 'bypass.yaml': stringify(bypassBase()) });
    try {
      // WHEN
      const run = project.synth();
      // THEN
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(fs.readdirSync(path.join(project.dir, 'cdktf.out', 'stacks'))).toEqual(['bypass-platform']);
    } finally {
      project.remove();
    }
  });

  describe('each attempt is refused, names its rule or field, and leaves the output untouched', () => {
    let project: ScratchProject;
    beforeAll(() => {
      project = new ScratchProject().withEarlierOutput();
    });
    afterAll(() => project.remove());

    test.each(ATTEMPTS)('$file: $attempt', (attempt) => {
      // GIVEN the production base with the attempt merged in, and an earlier synth output
      project.environments({ 'bypass.yaml': attemptEnvironment(attempt) });
      const before = project.outputSnapshot();
      // WHEN
      const run = project.synth();
      // THEN
      expect({ code: run.code, refused: refusals(run.stderr, attempt).length > 0, stderr: run.stderr }).toEqual({ code: 1, refused: true, stderr: run.stderr });
      expect(run.stderr).toMatch(/Nothing was written\.$/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(project.outputSnapshot()).toEqual(before);
    });
  });
});

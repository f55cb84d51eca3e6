import * as fs from 'fs';
import * as path from 'path';
import { runSynth } from '../../main';
import { CliUsageError, parseSynthArguments } from '../../scripts/cli-args';
import { REPO_ROOT } from '../support/platform-fixture';
import { ScratchProject } from './project';

const KNOWN = ['aws-dev', 'onprem-hybrid'];

describe('synth command line (scripts/cli-args.ts)', () => {
  test.each([
    [['--env', 'aws-dev'], {}, ['aws-dev']],
    [['--env=aws-dev,onprem-hybrid'], {}, ['aws-dev', 'onprem-hybrid']],
    [[], { KONG_PLATFORM_ENVIRONMENTS: ' aws-dev ' }, ['aws-dev']],
    [[], {}, undefined],
  ])('GIVEN %j and %j THEN the selection is %j', (argv, env, only) => {
    expect(parseSynthArguments(argv, env, KNOWN).only).toEqual(only);
  });

  test.each([
    [['--env'], '--env needs an environment name (known environments: aws-dev, onprem-hybrid)'],
    [['--env='], '--env has an empty environment name in "" (known environments: aws-dev, onprem-hybrid)'],
    [['--env', '--verbose'], '--env needs an environment name (known environments: aws-dev, onprem-hybrid)'],
    [['--env', 'aws-dev,,onprem-hybrid'], '--env has an empty environment name in "aws-dev,,onprem-hybrid"'],
    [['--env', 'a', '--env', 'b'], '--env is given twice'],
    [['--envs', 'aws-dev'], 'unknown argument "--envs"'],
    [['aws-dev'], 'unknown argument "aws-dev"'],
  ])('GIVEN %j WHEN parsed THEN refused: %s', (argv, message) => {
    expect(() => parseSynthArguments(argv, {}, KNOWN)).toThrow(CliUsageError);
    expect(() => parseSynthArguments(argv, {}, KNOWN)).toThrow(message);
  });
});

describe('runSynth refuses a bad command line or duplicate environments before building anything', () => {
  const sample = fs.readFileSync(path.join(REPO_ROOT, 'environments', 'onprem-hybrid.yaml'), 'utf8');
  const run = (project: ScratchProject, argv: string[]) => {
    const err: string[] = [];
    const env = { ...process.env };
    delete env.CDKTF_OUTDIR;
    delete env.KONG_PLATFORM_ENVIRONMENTS;
    const code = runSynth({ cwd: project.dir, argv, env, log: () => undefined, error: (l) => err.push(l) });
    return { code, stderr: err.join('\n') };
  };
  let project: ScratchProject;
  beforeEach(() => {
    project = new ScratchProject().environments({ 'onprem-hybrid.yaml': sample });
  });
  afterEach(() => fs.rmSync(project.dir, { recursive: true, force: true }));

  test('GIVEN an unknown flag WHEN synth runs THEN it fails with the usage and writes nothing', () => {
    const result = run(project, ['--environment', 'onprem-hybrid']);
    expect(result).toEqual({ code: 1, stderr: expect.stringContaining('unknown argument "--environment"') });
    expect(result.stderr).toMatch(/Nothing was written\.$/);
    expect(fs.existsSync(path.join(project.dir, 'cdktf.out'))).toBe(false);
  });

  test('GIVEN an empty --env WHEN synth runs THEN it fails listing the known environments (no silent build-all)', () => {
    const result = run(project, ['--env=']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('known environments: onprem-hybrid');
    expect(fs.existsSync(path.join(project.dir, 'cdktf.out'))).toBe(false);
  });

  test('GIVEN two files defining the same environment name WHEN synth runs THEN both files are named', () => {
    project.environments({ 'onprem-hybrid.yaml': sample, 'onprem-hybrid.yml': sample });
    const result = run(project, []);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'environments/onprem-hybrid.yml: name: environment "onprem-hybrid" is also defined by environments/onprem-hybrid.yaml: each environment name once',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('failure reports carry no stack traces', () => {
  test('GIVEN a cdktf resolution error with its object creation stack THEN only the message is reported', () => {
    const { withoutStackTraces } = require('../../main');
    const message = [
      'Resolution error: manifest #30 (KongPlugin payments/x) duplicates manifest #27.',
      'Object creation stack:',
      '  at new ManifestChart (/tmp/proj/dist/constructs/manifest-chart/manifest-chart.js:40:9)',
      '  at new ApiAddOn (/tmp/proj/dist/constructs/apis/api-add-on.js:12:3)',
    ].join('\n');
    expect(withoutStackTraces(message)).toBe('Resolution error: manifest #30 (KongPlugin payments/x) duplicates manifest #27.');
    expect(withoutStackTraces('a: b\n    at Object.<anonymous> (/x/y.js:1:2)\nc')).toBe('a: b\nc');
  });
});

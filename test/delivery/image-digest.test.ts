import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { parseEnvironmentText } from '../../config/load';
import { normalizeDigest, recordImageDigest } from '../../delivery/image-digest';
import { runRecordImageDigestCli } from '../../delivery/record-image-digest-cli';

const NEW_DIGEST = `sha256:${'ab12'.repeat(16)}`;
const NEW_CONTROLLER_DIGEST = `sha256:${'cd34'.repeat(16)}`;
const OLD_DIGEST = `sha256:${'0'.repeat(64)}`;

/** An environment file shaped like environments/*.yaml, with comments the hand-off must keep. */
function environmentText(gatewayDigestLine = `    digest: ${OLD_DIGEST} # pinned by the image pipeline`): string {
  return (
    [
      '# Development environment (comment at the top must survive)',
      'name: aws-dev',
      'images:',
      '  registry: 111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      '  # the hardened gateway image from images/kong',
      '  gateway:',
      '    repository: kong-platform/kong-gateway',
      '    tag: "3.9.1"',
      gatewayDigestLine,
      '  controller:',
      '    repository: kong-platform/kubernetes-ingress-controller',
      '    tag: "3.4.4"',
      'gateway:',
      '  replicas: 2 # trailing comment',
      '  trustedIps: [10.0.0.0/16, 10.1.0.0/16]',
      `  description: ${'a long line that a YAML printer would fold at eighty columns '.repeat(2).trim()}`,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n'
  );
}

describe('recordImageDigest', () => {
  test('writes the digest at images.gateway.digest', () => {
    // WHEN
    const result = recordImageDigest(environmentText(), { component: 'gateway', digest: NEW_DIGEST });
    // THEN
    expect(parse(result.text).images.gateway.digest).toBe(NEW_DIGEST);
    expect(result.previousDigest).toBe(OLD_DIGEST);
    expect(result.changed).toBe(true);
  });

  test('keeps every comment and formatting and changes only the digest line', () => {
    // GIVEN
    const before = environmentText();
    // WHEN
    const after = recordImageDigest(before, { component: 'gateway', digest: NEW_DIGEST }).text;
    // THEN
    const beforeLines = before.split('\n');
    const afterLines = after.split('\n');
    expect(afterLines).toHaveLength(beforeLines.length);
    const differing = afterLines.filter((line, i) => line !== beforeLines[i]);
    expect(differing).toEqual([`    digest: ${NEW_DIGEST} # pinned by the image pipeline`]);
  });

  test('adds the controller digest when the file has none yet', () => {
    // WHEN
    const result = recordImageDigest(environmentText(), { component: 'controller', digest: NEW_DIGEST });
    // THEN
    const images = parse(result.text).images;
    expect(images.controller).toEqual({ repository: 'kong-platform/kubernetes-ingress-controller', tag: '3.4.4', digest: NEW_DIGEST });
    expect(images.gateway.digest).toBe(OLD_DIGEST);
    expect(result.previousDigest).toBeUndefined();
    // and the rest of the file is as it was, one line added
    const added = result.text.split('\n').filter((line) => !environmentText().split('\n').includes(line));
    expect(added).toEqual([`    digest: ${NEW_DIGEST}`]);
  });

  test('changes only the digest and tag lines when both are recorded', () => {
    // GIVEN
    const before = environmentText();
    // WHEN
    const after = recordImageDigest(before, { component: 'gateway', digest: NEW_DIGEST, tag: '3.9-kp.abc1234' }).text;
    // THEN
    const beforeLines = before.split('\n');
    expect(after.split('\n').filter((line, i) => line !== beforeLines[i])).toEqual(['    tag: "3.9-kp.abc1234"', `    digest: ${NEW_DIGEST} # pinned by the image pipeline`]);
  });

  test('updates the tag keeping it a string, even when it looks like a number', () => {
    // WHEN
    const result = recordImageDigest(environmentText(), { component: 'gateway', digest: NEW_DIGEST, tag: '3.10' });
    // THEN
    expect(parse(result.text).images.gateway.tag).toBe('3.10');
  });

  test('reports no change when the digest is already recorded', () => {
    // GIVEN
    const text = environmentText(`    digest: ${NEW_DIGEST}`);
    // WHEN
    const result = recordImageDigest(text, { component: 'gateway', digest: NEW_DIGEST });
    // THEN
    expect(result.changed).toBe(false);
    expect(result.text).toBe(text);
  });

  test('accepts the repository@digest form a registry client prints', () => {
    // WHEN
    const digest = normalizeDigest(`111111111111.dkr.ecr.eu-west-1.amazonaws.com/kong-platform/kong-gateway@${NEW_DIGEST}\n`);
    // THEN
    expect(digest).toBe(NEW_DIGEST);
  });

  test.each([
    ['a tag instead of a digest', 'latest'],
    ['a short digest', 'sha256:abc123'],
    ['uppercase hex', `sha256:${'AB12'.repeat(16)}`],
    ['another algorithm', `sha512:${'ab'.repeat(64)}`],
    ['an empty digest-file', ''],
    ['text around the digest', `digest: ${NEW_DIGEST} pushed`],
  ])('refuses a malformed digest: %s', (_label, digest) => {
    // WHEN / THEN
    expect(() => recordImageDigest(environmentText(), { component: 'gateway', digest })).toThrow(/malformed image digest .*expected "sha256:" followed by 64 lowercase hex digits/);
  });

  test('refuses an image the environment file does not declare', () => {
    // GIVEN
    const text = 'name: x\nimages:\n  registry: r.example.com\n';
    // WHEN / THEN
    expect(() => recordImageDigest(text, { component: 'gateway', digest: NEW_DIGEST, source: 'environments/x.yaml' })).toThrow(
      'environments/x.yaml: images.gateway.repository is missing',
    );
  });

  test('refuses an unknown component', () => {
    // WHEN / THEN
    expect(() => recordImageDigest(environmentText(), { component: 'proxy' as never, digest: NEW_DIGEST })).toThrow(
      'unknown image component "proxy": expected one of gateway, controller',
    );
  });

  test('refuses the latest tag', () => {
    // WHEN / THEN
    expect(() => recordImageDigest(environmentText(), { component: 'gateway', digest: NEW_DIGEST, tag: 'latest' })).toThrow(/invalid image tag "latest"/);
  });

  test('refuses a file that is not valid YAML', () => {
    // WHEN / THEN
    expect(() => recordImageDigest('images: [unclosed\n', { component: 'gateway', digest: NEW_DIGEST })).toThrow(/not valid YAML/);
  });
});

describe('record-image-digest CLI', () => {
  function envFile(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'record-digest-')), 'aws-dev.yaml');
    writeFileSync(file, environmentText());
    return file;
  }

  test('--digest-file (buildah push --digestfile output) updates the file in place', () => {
    // GIVEN
    const file = envFile();
    const digestFile = join(file, '..', 'digest.txt');
    writeFileSync(digestFile, `${NEW_DIGEST}\n`);
    // WHEN
    const result = runRecordImageDigestCli(['--env', file, '--component', 'gateway', '--digest-file', digestFile, '--tag', '3.9.2']);
    // THEN
    expect(result.exitCode).toBe(0);
    const images = parse(readFileSync(file, 'utf8')).images;
    expect(images.gateway).toMatchObject({ digest: NEW_DIGEST, tag: '3.9.2' });
  });

  test('a malformed digest exits 1 and leaves the file untouched', () => {
    // GIVEN
    const file = envFile();
    const before = readFileSync(file, 'utf8');
    // WHEN
    const result = runRecordImageDigestCli(['--env', file, '--component', 'gateway', '--digest', 'sha256:nothex']);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('malformed image digest');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('both --digest and --digest-file exit 1', () => {
    // WHEN
    const result = runRecordImageDigestCli(['--env', 'x.yaml', '--component', 'gateway', '--digest', NEW_DIGEST, '--digest-file', 'd']);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('give exactly one of --digest and --digest-file');
  });

  test('a missing --env exits 1', () => {
    // WHEN
    const result = runRecordImageDigestCli(['--component', 'gateway', '--digest', NEW_DIGEST]);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('--env is required');
  });
});

describe('hand-off into the project environment files', () => {
  test.each(['aws-dev', 'azure-prod', 'onprem-hybrid'])('%s.yaml: recording both digests adds no validation issue and is read back', (name) => {
    // GIVEN the real sample environment file
    const file = join(__dirname, '..', '..', 'environments', `${name}.yaml`);
    const original = readFileSync(file, 'utf8');
    const issuesBefore = parseEnvironmentText(original, file, { expectedName: name }).issues;
    // WHEN
    let text = recordImageDigest(original, { component: 'gateway', digest: NEW_DIGEST, tag: '3.9.2' }).text;
    text = recordImageDigest(text, { component: 'controller', digest: NEW_CONTROLLER_DIGEST }).text;
    // THEN
    expect(parseEnvironmentText(text, file, { expectedName: name }).issues).toEqual(issuesBefore);
    expect(parse(text).images.gateway).toMatchObject({ digest: NEW_DIGEST, tag: '3.9.2' });
    expect(parse(text).images.controller.digest).toBe(NEW_CONTROLLER_DIGEST);
  });
});

import { createHash, randomBytes } from 'crypto';
import { imageDigest, placeholderDigestReason } from '../../constructs/policy/image-digests';
import { compliantGatewayValues, kongRelease, merge, messagesOf } from './support';

const realDigest = () => `sha256:${createHash('sha256').update(randomBytes(32)).digest('hex')}`;

describe('placeholderDigestReason', () => {
  test('no digest a hash function produced is taken for a placeholder (5000 random digests)', () => {
    const flagged = Array.from({ length: 5000 }, realDigest).filter((d) => placeholderDigestReason(d) !== undefined);
    expect(flagged).toEqual([]);
  });

  test.each([
    ['all zeros', `sha256:${'0'.repeat(64)}`, /distinct hex digits/],
    ['a repeated word', `sha256:${'deadbeef'.repeat(8)}`, /uses only 5 distinct hex digits/],
    ['a repeated random-looking chunk', `sha256:${'9f3c71e0b2d84a65'.repeat(4)}`, /repeats a 16-character pattern/],
    ['counting', `sha256:${'0123456789abcdef'.repeat(4)}`, /distinct|repeats|counts up/],
    ['the interleaved counting of the old samples', 'sha256:2b8f4f1c9d3e5a7b6c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b', /counts up in \d+ of 62 places/],
    ['upper-case hex', `sha256:${'A1'.repeat(32)}`, /not sha256/],
    ['another algorithm', `sha512:${'ab'.repeat(64)}`, /not sha256/],
  ])('%s is a placeholder', (_name, digest, reason) => {
    expect(placeholderDigestReason(digest)).toMatch(reason);
  });

  test('imageDigest reads repo@digest and repo:tag@digest', () => {
    expect(imageDigest('r.example.com/kong@sha256:ab')).toBe('sha256:ab');
    expect(imageDigest('r.example.com:5000/kong:3.9@sha256:ab')).toBe('sha256:ab');
    expect(imageDigest('r.example.com/kong:3.9')).toBeUndefined();
  });
});

describe('KP-K8S-010 in production', () => {
  const withImage = (image: string) => merge(compliantGatewayValues(), { image: { unifiedRepoTag: image } });

  test('a placeholder digest is refused, naming the image and why', () => {
    const messages = messagesOf('KP-K8S-010', (s) => kongRelease(s, withImage(`registry.example.com/kong-gateway:3.9.1@sha256:${'0'.repeat(64)}`)), { production: true });
    expect(messages[0]).toMatch(/the digest uses only 1 distinct hex digits, so it is a placeholder/);
  });

  test('a tag without a digest is refused', () => {
    expect(messagesOf('KP-K8S-010', (s) => kongRelease(s, withImage('registry.example.com/kong-gateway:3.9.1')), { production: true })[0]).toMatch(/is not pinned by digest/);
  });

  test('a real digest passes; outside production the rule does not apply', () => {
    expect(messagesOf('KP-K8S-010', (s) => kongRelease(s, withImage(`registry.example.com/kong-gateway:3.9.1@${realDigest()}`)), { production: true })).toEqual([]);
    expect(messagesOf('KP-K8S-010', (s) => kongRelease(s, withImage('registry.example.com/kong-gateway:3.9.1')))).toEqual([]);
  });
});

describe('well-known hashes are not image digests', () => {
  test.each([
    ['the sha256 of empty input', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['the sha256 of "test"', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ])('GIVEN %s THEN it is a placeholder', (what, hex) => {
    expect(placeholderDigestReason(`sha256:${hex}`)).toBe(`is ${what}, not an image`);
  });
});

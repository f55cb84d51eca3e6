import { addressCoverage, coversEverything, parseAddressRange, tooWide } from '../../constructs/policy/address-ranges';

const eightBits = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`);

describe('parseAddressRange', () => {
  test.each([
    ['10.0.0.0/8', 4, 0x0a000000n, 0x0affffffn],
    ['10.1.2.3/8', 4, 0x0a000000n, 0x0affffffn],
    ['192.0.2.7', 4, 0xc0000207n, 0xc0000207n],
    ['::ffff:0:0/96', 4, 0n, 0xffffffffn],
    ['[2001:db8::]/32', 6, 0x20010db8n << 96n, ((0x20010db8n + 1n) << 96n) - 1n],
  ])('%s is family %d from %d to %d', (entry, family, first, last) => {
    expect(parseAddressRange(entry)).toEqual({ family, first, last });
  });

  test.each(['', '10.0.0.0/33', '10.1/8', '0x0a.0.0.0/8', 'any', '*', '10.0.0.0/-1', '::/129', '10.0.0.0/8,10.0.0.0/9'])('%j is not an address range', (entry) => {
    // GIVEN an entry that is not a dotted-quad or IPv6 CIDR  THEN it is refused rather than guessed
    expect(parseAddressRange(entry)).toBeUndefined();
  });

  test('surrounding white space is trimmed, as list settings are split and trimmed', () => {
    expect(parseAddressRange(' 10.0.0.0/8 ')).toEqual(parseAddressRange('10.0.0.0/8'));
  });
});

describe('addressCoverage', () => {
  test('overlapping entries count once', () => {
    expect(addressCoverage(['10.0.0.0/8', '10.0.0.0/9', '10.128.0.0/9']).ipv4).toBe(1n << 24n);
  });

  test('the two halves of the IPv4 space are every address, and every public one', () => {
    const c = addressCoverage(['0.0.0.0/1', '128.0.0.0/1']);
    expect(c.ipv4).toBe(1n << 32n);
    expect(c.publicIpv4).toBe(addressCoverage(['0.0.0.0/0']).publicIpv4);
  });

  test('private ranges are not public', () => {
    expect(addressCoverage(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']).publicIpv4).toBe(0n);
  });

  test('IPv6 outside global unicast is not public; inside it is', () => {
    expect(addressCoverage(['fc00::/7', 'fe80::/10']).publicIpv6).toBe(0n);
    expect(addressCoverage(['2000::/3']).publicIpv6).toBeGreaterThan(0n);
  });

  test('entries that are not ranges are reported, not dropped silently', () => {
    expect(addressCoverage(['10.0.0.0/8', 'internet']).invalid).toEqual(['internet']);
  });
});

describe('tooWide', () => {
  test.each([
    ['0.0.0.0/0', ['0.0.0.0/0']],
    ['the two IPv4 halves', ['0.0.0.0/1', '128.0.0.0/1']],
    ['256 /8s', eightBits],
    ['::/0', ['::/0']],
    ['the two IPv6 halves', ['::/1', '8000::/1']],
    ['every IPv4 address written as IPv6', ['::ffff:0:0/96']],
    ['a quarter of the Internet', ['64.0.0.0/2']],
  ])('%s is too wide', (_name, entries) => {
    expect(tooWide(entries, { publicOnly: true })).toMatch(/together cover/);
  });

  test.each([
    ['an office /24', ['203.0.113.0/24']],
    ['a VPC', ['10.0.0.0/16']],
    ['a /8 exactly', ['10.0.0.0/8']],
    ['an IPv6 /56', ['2600:1f18:1234:5600::/56']],
  ])('%s is within budget', (_name, entries) => {
    expect(tooWide(entries)).toBeUndefined();
  });

  test('publicOnly leaves private space free', () => {
    const rfc1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
    expect(tooWide(rfc1918)).toMatch(/IPv4/);
    expect(tooWide(rfc1918, { publicOnly: true })).toBeUndefined();
  });

  test('the message says "every address" for the whole space', () => {
    expect(tooWide(['0.0.0.0/1', '128.0.0.0/1'])).toBe('together cover every address of the IPv4 space (more than a /8)');
  });
});

describe('coversEverything', () => {
  test('is true for the whole Internet however it is split, false for a half', () => {
    expect(coversEverything(eightBits)).toBe(true);
    expect(coversEverything(['::/1', '8000::/1'])).toBe(true);
    expect(coversEverything(['0.0.0.0/1'])).toBe(false);
  });
});

/**
 * Address-range arithmetic for the guardrails: how much of the address space a list of CIDRs
 * (or bare addresses) really covers, whatever way it is spelt. `0.0.0.0/1` + `128.0.0.0/1`,
 * 256 `/8`s, `::/0` split in halves and `::ffff:0:0/96` (every IPv4 address, written as IPv6)
 * all count as what they are. Parsing is ipaddr.js's, not hand-written.
 */
import * as ipaddr from 'ipaddr.js';

export type AddressFamily = 4 | 6;

/** One parsed entry: an inclusive interval of addresses of one family. */
export interface AddressInterval {
  readonly family: AddressFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** What a list of entries covers, per family, after merging overlaps. */
export interface AddressCoverage {
  /** Distinct IPv4 addresses covered (IPv4-mapped IPv6 entries count here). */
  readonly ipv4: bigint;
  /** Distinct IPv6 addresses covered (IPv4-mapped ones excluded). */
  readonly ipv6: bigint;
  /** Distinct publicly routable IPv4 addresses covered (special-purpose ranges, RFC 6890, excluded). */
  readonly publicIpv4: bigint;
  /** Distinct global-unicast IPv6 addresses covered (2000::/3 less the documentation prefix). */
  readonly publicIpv6: bigint;
  /** Entries that are not an address or CIDR. */
  readonly invalid: string[];
}

const BITS: Record<AddressFamily, number> = { 4: 32, 6: 128 };

/** IPv4 special-purpose ranges (RFC 6890 and successors): not reachable from the Internet. */
const IPV4_NOT_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
const IPV6_GLOBAL_UNICAST = '2000::/3';
const IPV6_NOT_PUBLIC_WITHIN_GLOBAL = ['2001:db8::/32', '2001::/23'];
const IPV4_MAPPED = { first: 0xffff00000000n, last: 0xffffffffffffn };

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

/**
 * Parses one entry (`a.b.c.d`, `a.b.c.d/n`, IPv6 with or without `/n`, brackets allowed) to the
 * interval it covers. Host bits set below the prefix are ignored, as routers and cloud APIs do.
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d/n`, n >= 96) is returned as the IPv4 interval it means.
 */
export function parseAddressRange(entry: string): AddressInterval | undefined {
  const text = entry.trim().replace(/^\[(.*)\](\/\d+)?$/, '$1$2');
  if (text === '' || /\s/.test(text)) return undefined;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (text.includes('/')) {
      const [a, p] = text.split('/');
      // ipaddr.js accepts legacy IPv4 forms (`10.1`, octal, hex); CIDR lists must be dotted quads.
      if (!/^\d{1,3}$/.test(p) || (!a.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(a))) return undefined;
      [address, prefix] = ipaddr.parseCIDR(text);
    } else {
      if (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
      address = ipaddr.parse(text);
      prefix = address.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return undefined;
  }
  const family: AddressFamily = address.kind() === 'ipv4' ? 4 : 6;
  const hostBits = BigInt(BITS[family] - prefix);
  const value = toBigInt(address.toByteArray());
  const first = (value >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  if (family === 6 && first >= IPV4_MAPPED.first && last <= IPV4_MAPPED.last) {
    return { family: 4, first: first - IPV4_MAPPED.first, last: last - IPV4_MAPPED.first };
  }
  return { family, first, last };
}

/** Merges overlapping and adjacent intervals of one family, sorted. */
function merge(intervals: Array<{ first: bigint; last: bigint }>): Array<{ first: bigint; last: bigint }> {
  const sorted = [...intervals].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Array<{ first: bigint; last: bigint }> = [];
  for (const i of sorted) {
    const top = out[out.length - 1];
    if (top && i.first <= top.last + 1n) top.last = i.last > top.last ? i.last : top.last;
    else out.push({ ...i });
  }
  return out;
}

function size(intervals: Array<{ first: bigint; last: bigint }>): bigint {
  return intervals.reduce((n, i) => n + (i.last - i.first + 1n), 0n);
}

type Span = { first: bigint; last: bigint };

/** Every non-empty overlap of a span of `a` with a span of `b`. */
function intersections(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  for (const x of a) {
    for (const y of b) {
      const first = x.first > y.first ? x.first : y.first;
      const last = x.last < y.last ? x.last : y.last;
      if (first <= last) out.push({ first, last });
    }
  }
  return out;
}

/** The size of the part of `covered` inside `within`, less `excluded` (all merged). */
function intersectSize(covered: Span[], within: Span[], excluded: Span[]): bigint {
  const inside = intersections(covered, within);
  return size(merge(inside)) - size(merge(intersections(merge(inside), excluded)));
}

const intervalsOf = (cidrs: string[]) => merge(cidrs.map((c) => parseAddressRange(c)!));

/** What `entries` cover, arithmetically: overlaps counted once, every spelling normalised. */
export function addressCoverage(entries: readonly string[]): AddressCoverage {
  const v4: AddressInterval[] = [];
  const v6: AddressInterval[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const interval = parseAddressRange(entry);
    if (!interval) invalid.push(entry);
    else (interval.family === 4 ? v4 : v6).push(interval);
  }
  const m4 = merge(v4);
  const m6 = merge(v6);
  return {
    ipv4: size(m4),
    ipv6: size(m6),
    publicIpv4: intersectSize(m4, [{ first: 0n, last: (1n << 32n) - 1n }], intervalsOf(IPV4_NOT_PUBLIC)),
    publicIpv6: intersectSize(m6, intervalsOf([IPV6_GLOBAL_UNICAST]), intervalsOf(IPV6_NOT_PUBLIC_WITHIN_GLOBAL)),
    invalid,
  };
}

/** Admin networks on an API allow-list: never more than a /16 of public addresses (an office or VPN range is a /24 or so). */
export const ADMIN_NETWORK_BUDGET: AddressBudget = { publicOnly: true, ipv4Prefix: 16, ipv6Prefix: 48 };

/** How wide a list may be: the largest single prefix it may add up to, per family. */
export interface AddressBudget {
  /** @default 8 (a /8: 16.7 million addresses) */
  readonly ipv4Prefix?: number;
  /** @default 32 (a /32: a whole ISP allocation) */
  readonly ipv6Prefix?: number;
  /** Count only publicly routable addresses (private ranges are free). @default false */
  readonly publicOnly?: boolean;
}

/**
 * Why `entries` together cover more than the budget, or `undefined` when they do not.
 * The message says how much they cover, so `0.0.0.0/1, 128.0.0.0/1` reads "every IPv4 address".
 */
export function tooWide(entries: readonly string[], budget: AddressBudget = {}): string | undefined {
  const c = addressCoverage(entries);
  const v4 = budget.publicOnly ? c.publicIpv4 : c.ipv4;
  const v6 = budget.publicOnly ? c.publicIpv6 : c.ipv6;
  const v4Limit = 1n << BigInt(32 - (budget.ipv4Prefix ?? 8));
  const v6Limit = 1n << BigInt(128 - (budget.ipv6Prefix ?? 32));
  const problems: string[] = [];
  const kind = budget.publicOnly ? 'public ' : '';
  if (v4 > v4Limit) problems.push(`${describeShare(v4, 32)} of the ${kind}IPv4 space (more than a /${budget.ipv4Prefix ?? 8})`);
  if (v6 > v6Limit) problems.push(`${describeShare(v6, 128)} of the ${kind}IPv6 space (more than a /${budget.ipv6Prefix ?? 32})`);
  return problems.length ? `together cover ${problems.join(' and ')}` : undefined;
}

/** True when `entries` admit every address of a family (the whole IPv4 or IPv6 Internet). */
export function coversEverything(entries: readonly string[]): boolean {
  const c = addressCoverage(entries);
  return c.publicIpv4 === addressCoverage(['0.0.0.0/0']).publicIpv4 || c.publicIpv6 === addressCoverage(['::/0']).publicIpv6;
}

function describeShare(count: bigint, bits: number): string {
  const total = 1n << BigInt(bits);
  if (count === total) return 'every address';
  // The share as a percentage with two decimals, in integer arithmetic (no float overflow for IPv6).
  const basisPoints = Number((count * 10000n) / total);
  if (basisPoints === 0) return `2^${count.toString(2).length - 1} addresses`;
  return `${(basisPoints / 100).toFixed(2)}%`;
}

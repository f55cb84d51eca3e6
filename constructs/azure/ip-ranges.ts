/**
 * IPv4 address arithmetic at synth time, so subnet layouts and the fixed Kong load balancer
 * address are checked before anything reaches Azure (where a mistake fails half-way through
 * an apply).
 */

/** The CIDR that means "the whole Internet". */
export const ANY_IPV4 = '0.0.0.0/0';

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const ADDRESS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A parsed IPv4 network: first address and size, as unsigned 32-bit integers. */
export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

function toNumber(octets: string[]): number | undefined {
  const parts = octets.map(Number);
  if (parts.some((o) => o > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Parses `a.b.c.d/n`; undefined when it is not an IPv4 CIDR. Host bits are ignored. */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const m = CIDR.exec(cidr);
  if (!m) return undefined;
  const address = toNumber(m.slice(1, 5));
  const prefix = Number(m[5]);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1, prefix };
}

/** Parses `a.b.c.d`; undefined when it is not an IPv4 address. */
export function parseAddress(address: string): number | undefined {
  const m = ADDRESS.exec(address);
  return m ? toNumber(m.slice(1, 5)) : undefined;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return !!o && !!i && i.first >= o.first && i.last <= o.last;
}

/** True when the two networks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return !!x && !!y && x.first <= y.last && y.first <= x.last;
}

/**
 * True when `address` is a usable host address of an Azure subnet `cidr`: Azure reserves
 * the network address, the next three (gateway and DNS) and the broadcast address.
 */
export function isUsableAzureAddress(cidr: string, address: string): boolean {
  const range = parseCidr(cidr);
  const ip = parseAddress(address);
  return !!range && ip !== undefined && ip >= range.first + 4 && ip <= range.last - 1;
}

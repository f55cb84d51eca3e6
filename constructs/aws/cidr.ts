/**
 * IPv4 subnet arithmetic at synth time (Terraform's `cidrsubnet`), so the planned subnet
 * CIDRs are literal values a reviewer (and a test) can read.
 */
export function parseIpv4Cidr(cidr: string): { network: number; prefix: number } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(cidr)}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(cidr)}`);
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (address & mask) >>> 0, prefix };
}

/** `cidrsubnet(cidr, newBits, index)`: the index-th subnet with `newBits` more prefix bits. */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const { network, prefix } = parseIpv4Cidr(cidr);
  const newPrefix = prefix + newBits;
  if (newPrefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new Error(`cidrSubnet(${cidr}, ${newBits}, ${index}) is outside the network`);
  }
  const address = (network + index * 2 ** (32 - newPrefix)) >>> 0;
  const octets = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
  return `${octets.join('.')}/${newPrefix}`;
}

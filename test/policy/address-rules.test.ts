/**
 * The guardrails that judge address lists read what the list covers, not how it is spelt:
 * the whole Internet split in halves, in /8s, in IPv6 or as IPv4-mapped IPv6 is refused like
 * 0.0.0.0/0, and narrow admin networks still pass.
 */
import { Construct } from '../../constructs/core/cdktf';
import { aks, compliantGatewayValues, eks, kongRelease, merge, messagesOf } from './support';

const EVERYONE_SPELLINGS: Array<[string, string[]]> = [
  ['0.0.0.0/0', ['0.0.0.0/0']],
  ['two IPv4 halves', ['0.0.0.0/1', '128.0.0.0/1']],
  ['256 /8s', Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`)],
  ['::/0', ['::/0']],
  ['two IPv6 halves', ['::/1', '8000::/1']],
  ['IPv4-mapped IPv6', ['::ffff:0:0/96']],
  ['a quarter of the IPv4 Internet', ['64.0.0.0/2']],
];

const eksWithPublicAccess = (scope: Construct, publicAccessCidrs: string[]) =>
  eks(scope, { vpcConfig: { subnetIds: ['subnet-a', 'subnet-b'], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs } });

const aksWithAuthorizedRanges = (scope: Construct, authorizedIpRanges: string[]) => aks(scope, { privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges } });

const internalLoadBalancer = (loadBalancerSourceRanges: string[]) =>
  merge(compliantGatewayValues(), {
    proxy: { type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }, loadBalancerSourceRanges },
  });

describe.each(EVERYONE_SPELLINGS)('the Internet spelt as %s', (_spelling, ranges) => {
  test('KP-AWS-001 refuses it as EKS public_access_cidrs', () => {
    expect(messagesOf('KP-AWS-001', (s) => eksWithPublicAccess(s, ranges))).toEqual([expect.stringMatching(/^public endpoint open too wide: .* together cover /)]);
  });

  test('KP-AZR-004 refuses it as AKS authorized_ip_ranges', () => {
    expect(messagesOf('KP-AZR-004', (s) => aksWithAuthorizedRanges(s, ranges))).toEqual([expect.stringMatching(/authorized_ip_ranges .* together cover /)]);
  });

  test('KP-KONG-005 refuses it as Kong trusted_ips', () => {
    expect(messagesOf('KP-KONG-005', (s) => kongRelease(s, { env: { trusted_ips: ranges.join(',') } }))).toEqual([expect.stringMatching(/^env\.trusted_ips .* together cover /)]);
  });

  test('KP-KONG-006 refuses it as the proxy load balancer source ranges', () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, internalLoadBalancer(ranges)))).toEqual([expect.stringMatching(/^proxy\.loadBalancerSourceRanges .* together cover /)]);
  });
});

describe('narrow lists pass', () => {
  const admin = ['203.0.113.0/24', '2001:db8:1234::/48'];

  test('an admin /24 and /48 on EKS and AKS', () => {
    expect(messagesOf('KP-AWS-001', (s) => eksWithPublicAccess(s, admin))).toEqual([]);
    expect(messagesOf('KP-AZR-004', (s) => aksWithAuthorizedRanges(s, admin))).toEqual([]);
  });

  test('all of RFC 1918 as trusted_ips (load balancers in private subnets)', () => {
    expect(messagesOf('KP-KONG-005', (s) => kongRelease(s, { env: { trusted_ips: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16' } }))).toEqual([]);
  });

  test('a /16 of public addresses as trusted_ips is the limit; a /15 is refused', () => {
    expect(messagesOf('KP-KONG-005', (s) => kongRelease(s, { env: { trusted_ips: '198.51.0.0/16' } }))).toEqual([]);
    expect(messagesOf('KP-KONG-005', (s) => kongRelease(s, { env: { trusted_ips: '52.0.0.0/15' } }))).toHaveLength(1);
  });
});

describe('entries that are not address ranges', () => {
  test('EKS public_access_cidrs with a word instead of a CIDR are refused, named', () => {
    expect(messagesOf('KP-AWS-001', (s) => eksWithPublicAccess(s, ['203.0.113.0/24', 'anywhere']))).toEqual(['public_access_cidrs has entries that are not CIDRs: ["anywhere"]']);
  });

  test('the Azure service tags for everyone are refused in any case', () => {
    expect(messagesOf('KP-AZR-004', (s) => aksWithAuthorizedRanges(s, ['Internet']))).toEqual(['api_server_access_profile.authorized_ip_ranges contains Internet']);
    expect(messagesOf('KP-AZR-004', (s) => aksWithAuthorizedRanges(s, ['INTERNET']))).toEqual(['api_server_access_profile.authorized_ip_ranges contains INTERNET']);
  });
});

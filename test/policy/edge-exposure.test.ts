/** Exposure around the edge: what the cloud's own load balancer controller does with the proxy Service. */
import { compliantGatewayValues, kongRelease, merge, messagesOf } from './support';

const loadBalancer = (annotations: Record<string, string>) => merge(compliantGatewayValues(), { proxy: { type: 'LoadBalancer', annotations } });
const AZURE_INTERNAL = { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' };
const AWS_INTERNAL = { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' };

describe('KP-KONG-006: an internal load balancer annotation counts only on its own cloud', () => {
  test("GIVEN Azure's annotation on EKS THEN the load balancer is public and refused", () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, loadBalancer(AZURE_INTERNAL)), { cloud: 'aws' })).toEqual([
      'proxy.annotations ["service.beta.kubernetes.io/azure-load-balancer-internal"] are not read on EKS: the load balancer stays public and bypasses the edge (WAF)',
    ]);
  });

  test("GIVEN AWS's annotation on AKS THEN it is refused", () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, loadBalancer(AWS_INTERNAL)), { cloud: 'azure' })).toEqual([
      'proxy.annotations ["service.beta.kubernetes.io/aws-load-balancer-scheme"] are not read on AKS: the load balancer stays public and bypasses the edge (WAF)',
    ]);
  });

  test('GIVEN each cloud its own annotation THEN it passes', () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, loadBalancer(AWS_INTERNAL)), { cloud: 'aws' })).toEqual([]);
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, loadBalancer(AZURE_INTERNAL)), { cloud: 'azure' })).toEqual([]);
  });

  test.each([
    ['Azure', AZURE_INTERNAL],
    ['AWS', AWS_INTERNAL],
  ])("GIVEN an existing (hybrid) cluster THEN %s's internal annotation does not count: MetalLB, F5 ... do not read it", (_cloud, annotations) => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, loadBalancer(annotations)), { cloud: 'hybrid' })).toEqual([
      expect.stringMatching(/are not read on an existing cluster: the load balancer stays public .*; limit loadBalancerSourceRanges to private ranges, or keep ClusterIP/),
    ]);
  });

  test('GIVEN a hybrid load balancer limited to private source ranges THEN it passes; one public range refuses it', () => {
    const limited = (ranges: string[]) => merge(compliantGatewayValues(), { proxy: { type: 'LoadBalancer', loadBalancerSourceRanges: ranges } });
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, limited(['10.0.0.0/8', '192.168.0.0/16'])), { cloud: 'hybrid' })).toEqual([]);
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, limited(['10.0.0.0/8', '44.0.0.0/24'])), { cloud: 'hybrid' })).toEqual([
      expect.stringMatching(/^proxy\.type is "LoadBalancer" without an internal load balancer annotation/),
    ]);
  });

  test.each([
    ['admin', { admin: { enabled: true, type: 'ClusterIP', clusterIP: '', externalIPs: ['10.30.15.200'] } }, 'KP-KONG-001', /^admin\.externalIPs publishes the Admin API/],
    [
      'cluster listener',
      { cluster: { enabled: true, type: 'LoadBalancer' } },
      'KP-KONG-003',
      /^cluster\.type is "LoadBalancer": the hybrid-mode cluster listener must be a ClusterIP Service/,
    ],
    [
      'proxy Ingress of another class',
      { proxy: { ingress: { enabled: true, ingressClassName: 'webapprouting.kubernetes.azure.com' } } },
      'KP-KONG-006',
      /^proxy\.ingress\.enabled is true \(on\): an Ingress of another controller/,
    ],
  ])('GIVEN the %s published another way THEN it is refused', (_what, values, rule, message) => {
    expect(messagesOf(rule, (s) => kongRelease(s, merge(compliantGatewayValues(), values)))).toEqual([expect.stringMatching(message)]);
  });

  test.each([
    [
      'admin.http.enabled "false"',
      { admin: { enabled: true, type: 'ClusterIP', http: { enabled: 'false' } } },
      'KP-KONG-002',
      /^admin\.http\.enabled is "false" \(the chart reads it as true\)/,
    ],
    [
      'admin.ingress.enabled "disabled"',
      { admin: { enabled: true, type: 'ClusterIP', ingress: { enabled: 'disabled' } } },
      'KP-KONG-001',
      /^admin\.ingress\.enabled is "disabled" \(the chart reads it as true\)/,
    ],
    ['manager.enabled "false" with a LoadBalancer', { manager: { enabled: 'false', type: 'LoadBalancer' } }, 'KP-KONG-003', /^manager\.type is "LoadBalancer"/],
    ['udpProxy.enabled "yes"', { udpProxy: { enabled: 'yes', type: 'LoadBalancer' } }, 'KP-KONG-006', /^udpProxy\.type is "LoadBalancer"/],
  ])('GIVEN %s THEN the rule reads it as the chart does ({{ if }}: any non-empty string is true)', (_what, values, rule, message) => {
    expect(messagesOf(rule, (s) => kongRelease(s, merge(compliantGatewayValues(), values)))).toEqual([expect.stringMatching(message)]);
  });

  test('GIVEN a NodePort proxy THEN it is refused: every node serves it around the edge', () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, merge(compliantGatewayValues(), { proxy: { type: 'NodePort' } })))).toEqual([
      expect.stringMatching(/^proxy\.type is "NodePort"/),
    ]);
  });
});

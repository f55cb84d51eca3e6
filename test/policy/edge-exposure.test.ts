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

  test('GIVEN a hybrid cluster (any cloud) THEN any internal annotation counts', () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, loadBalancer(AZURE_INTERNAL)), { cloud: 'hybrid' })).toEqual([]);
  });

  test('GIVEN a NodePort proxy THEN it is refused: every node serves it around the edge', () => {
    expect(messagesOf('KP-KONG-006', (s) => kongRelease(s, merge(compliantGatewayValues(), { proxy: { type: 'NodePort' } })))).toEqual([
      expect.stringMatching(/^proxy\.type is "NodePort"/),
    ]);
  });
});

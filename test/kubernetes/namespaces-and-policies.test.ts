import { environment, resources, synthEnvironment } from '../support/platform-fixture';

const json = synthEnvironment(environment({ namespaces: { applications: [{ name: 'payments' }] }, gateway: { trustedIps: ['10.9.0.0/24'] } })).stack('platform');
const namespaces = resources(json, 'kubernetes_namespace_v1');
const policies = resources(json, 'kubernetes_network_policy_v1');
const policy = (namespace: string, name: string) => {
  const found = policies.find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  if (!found) throw new Error(`no NetworkPolicy ${namespace}/${name}`);
  return found;
};

describe('namespaces', () => {
  test('the Kong and application namespaces enforce the restricted Pod Security Standard', () => {
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(['kong', 'payments']);
    for (const ns of namespaces) {
      expect(ns.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
    }
  });

  test('only application namespaces are routable by the gateway', () => {
    const byName = Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels]));
    expect(byName.payments['kong-platform.io/routable']).toBe('true');
    expect(byName.kong['kong-platform.io/routable']).toBeUndefined();
  });
});

describe('network policies', () => {
  test('everything in the Kong namespace is denied by default, both ways', () => {
    expect(policy('kong', 'default-deny-all').spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
  });

  test('the proxy ports are open only to the load balancer CIDRs', () => {
    const ingress = policy('kong', 'gateway-ingress-proxy').spec.ingress[0];
    expect(ingress.from).toEqual([{ ip_block: { cidr: '10.9.0.0/24' } }]);
    expect(ingress.ports.map((p: any) => p.port)).toEqual(['8000', '8443']);
  });

  test('the Admin API port is open to the controller pods only', () => {
    const spec = policy('kong', 'gateway-ingress-admin-from-controller').spec;
    expect(spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/instance': 'kong-gateway' });
    expect(spec.ingress).toEqual([{ from: [{ pod_selector: { match_labels: { 'app.kubernetes.io/instance': 'kong-controller' } } }], ports: [{ port: '8444', protocol: 'TCP' }] }]);
  });

  test('the gateway may call routable namespaces only (plus DNS)', () => {
    const egress = policy('kong', 'gateway-egress-upstreams').spec.egress;
    expect(egress).toEqual([{ to: [{ namespace_selector: { match_labels: { 'kong-platform.io/routable': 'true' } } }] }]);
    expect(policy('kong', 'allow-dns-egress').spec.egress[0].ports.map((p: any) => `${p.protocol}/${p.port}`)).toEqual(['UDP/53', 'TCP/53']);
  });

  test('application namespaces accept traffic from the Kong gateway only', () => {
    expect(policy('payments', 'default-deny-ingress').spec.policy_types).toEqual(['Ingress']);
    const from = policy('payments', 'allow-from-kong-gateway').spec.ingress[0].from[0];
    expect(from.namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'kong' });
    expect(from.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/instance': 'kong-gateway' });
  });

  test('policies are created after their namespaces', () => {
    for (const p of policies) expect(p.depends_on.some((d: string) => d.startsWith('kubernetes_namespace_v1.'))).toBe(true);
  });
});

import { Endpoint, NetworkModel, PodEndpoint } from '../support/network-policies';
import { environment, problems, rawEnvironment, resources, synthEnvironment } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';

/**
 * On EKS the NetworkPolicies are enforced (VPC CNI add-on), so every flow the platform needs must
 * be admitted by them, and nothing else. The aws-dev sample once enforced nothing, and would then
 * have blocked the ALB's health checks on Kong's status port.
 */

const synth = sampleSynth('aws-dev');

/** The aws-dev platform's policies, with the namespaces a cluster has besides ours. */
function platformModel(): { platform: any; model: NetworkModel } {
  const platform = synth.stack('platform');
  const extra = { 'kube-system': {}, monitoring: { 'kong-platform.io/monitoring': 'true' }, other: {} };
  return { platform, model: new NetworkModel(platform, NetworkModel.namespacesOf(platform, extra)) };
}
const pod = (name: string, namespace: string, labels: Record<string, string>): PodEndpoint => ({ kind: 'pod', name, namespace, labels });
const gateway = pod('gateway', 'kong', { 'app.kubernetes.io/instance': 'kong-gateway' });
const paymentsApi = pod('payments-api', 'payments', { app: 'payments-api' });
const monitoring = pod('prometheus', 'monitoring', { app: 'prometheus' });
const stranger = pod('stranger', 'other', { app: 'stranger' });
const kubeDns = pod('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' });
const internet: Endpoint = { kind: 'ip', name: 'internet', ip: '203.0.113.9' };

describe('VPC CNI enforces NetworkPolicies', () => {
  test('the cluster stack installs vpc-cni as a managed add-on with network policy enforcement on', () => {
    const addons = resources(synth.stack('cluster'), 'aws_eks_addon').filter((a) => a.addon_name === 'vpc-cni');
    expect(addons).toHaveLength(1);
    expect(JSON.parse(addons[0].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(addons[0].resolve_conflicts_on_create).toBe('OVERWRITE');
    expect(addons[0].cluster_name).toMatch(/^\$\{aws_eks_cluster\./);
  });

  test('production refuses switching enforcement off', () => {
    const raw = rawEnvironment({
      cloud: 'aws',
      production: true,
      kubernetes: undefined,
      aws: { region: 'eu-west-1', vpcCni: { enableNetworkPolicy: false }, edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } },
    });
    expect(problems(raw)).toContainEqual(expect.stringMatching(/^test-env\.yaml: aws\.vpcCni\.enableNetworkPolicy: must be true in production/));
  });

  test('outside production it can be switched off, and the add-on then says so', () => {
    const env = environment({
      cloud: 'aws',
      kubernetes: undefined,
      aws: {
        region: 'eu-west-1',
        vpcCni: { enableNetworkPolicy: false, addonVersion: 'v1.19.2-eksbuild.1' },
        edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      },
    });
    const [addon] = resources(synthEnvironment(env).stack('cluster'), 'aws_eks_addon');
    expect(JSON.parse(addon.configuration_values)).toEqual({ enableNetworkPolicy: 'false' });
    expect(addon.addon_version).toBe('v1.19.2-eksbuild.1');
  });
});

describe('aws-dev: the flows the NetworkPolicies admit', () => {
  const { platform, model } = platformModel();
  const controller = pod('controller', 'kong', { 'app.kubernetes.io/instance': 'kong-controller' });
  const ledger = pod('ledger', 'payments', { app: 'ledger' });
  const meshControlPlane = pod('mesh-control-plane', 'kong-mesh-system', { 'app.kubernetes.io/name': 'kong-mesh' });
  // The ALB's nodes live in the public subnets (10.0.240.0/24, 10.0.241.0/24 of 10.0.0.0/16); the Internet is everything else.
  const alb: Endpoint = { kind: 'ip', name: 'alb', ip: '10.0.240.20' };
  // Anything else in the VPC (a node in a private subnet).
  const vpcHost: Endpoint = { kind: 'ip', name: 'vpc-host', ip: '10.0.1.20' };

  const sources: Endpoint[] = [alb, internet, gateway, controller, paymentsApi, ledger, monitoring, stranger];
  const destinations: Endpoint[] = [gateway, controller, paymentsApi, ledger, kubeDns, meshControlPlane, internet];
  const ports = [53, 443, 5678, 8000, 8001, 8080, 8100, 8443, 8444, 9080];
  const platformPods = new Set([gateway, controller, paymentsApi, ledger].map((p) => p.name));
  const kongPods = new Set([gateway, controller].map((p) => p.name));

  /** Flows the platform decides: into its pods, or out of Kong's pods. */
  function admittedFlows(): string[] {
    const out: string[] = [];
    for (const source of sources) {
      for (const destination of destinations) {
        if (source === destination) continue;
        if (!platformPods.has(destination.name) && !kongPods.has(source.name)) continue;
        for (const port of ports) if (model.allows(source, destination, port)) out.push(`${source.name} -> ${destination.name}:${port}`);
      }
    }
    return out.sort();
  }

  test('exactly the needed flows are admitted', () => {
    const webhookCallers = [alb, internet, paymentsApi, ledger, monitoring, stranger].map((s) => `${s.name} -> controller:8080`);
    expect(admittedFlows()).toEqual(
      [
        // The edge: ALB to the proxy ports, and its target health checks on the status port.
        'alb -> gateway:8000',
        'alb -> gateway:8443',
        'alb -> gateway:8100',
        // Metrics scrape from namespaces labelled for monitoring.
        'prometheus -> gateway:8100',
        // The controller configures the gateway over the Admin API (mTLS).
        'controller -> gateway:8444',
        // The controller reaches the API server (address unknown at synth: any on 443/6443) and DNS.
        'controller -> internet:443',
        'controller -> kube-dns:53',
        // The gateway: DNS, its mesh sidecar to the control plane, and the one upstream of the traffic matrix.
        'gateway -> kube-dns:53',
        'gateway -> mesh-control-plane:5678',
        'gateway -> payments-api:8080',
        // The traffic matrix inside payments.
        'payments-api -> ledger:8080',
        // The admission webhook is called by the API server, whose address is not known at synth.
        ...webhookCallers,
      ].sort(),
    );
  });

  test('the status/metrics port is not open to the rest of the VPC: only the ALB subnets and the monitoring namespace', () => {
    // GIVEN a host in a private subnet of the VPC
    // THEN it cannot reach Kong's status port, the ALB and Prometheus can
    expect(model.allows(vpcHost, gateway, 8100)).toBe(false);
    expect(model.allows(alb, gateway, 8100)).toBe(true);
    expect(model.allows(monitoring, gateway, 8100)).toBe(true);
  });

  test('the ALB health check needs its own rule: without it the status port is closed to the ALB', () => {
    // GIVEN the same policies without the extra ingress rule the load balancer controller add-on contributes
    const withoutHealthCheck = JSON.parse(JSON.stringify(platform));
    const policies = withoutHealthCheck.resource.kubernetes_network_policy_v1;
    for (const [key, policy] of Object.entries<any>(policies)) if (policy.metadata.name.startsWith('gateway-ingress-extra-')) delete policies[key];
    const stripped = new NetworkModel(withoutHealthCheck, NetworkModel.namespacesOf(withoutHealthCheck));
    // THEN the health check is refused, while the proxy port still passes
    expect(stripped.allows(alb, gateway, 8100)).toBe(false);
    expect(stripped.allows(alb, gateway, 8443)).toBe(true);
  });

  test('the Internet reaches nothing directly, and no pod but the controller reaches the Admin API', () => {
    for (const port of ports) expect(model.allows(internet, gateway, port)).toBe(false);
    for (const source of [paymentsApi, ledger, monitoring, stranger]) expect(model.allows(source, gateway, 8444)).toBe(false);
  });
});

describe('aws-dev: the mesh control plane namespace', () => {
  const { platform, model } = platformModel();
  const controlPlane = pod('control-plane', 'kong-mesh-system', { 'app.kubernetes.io/name': 'kong-mesh' });
  const apiServer: Endpoint = { kind: 'ip', name: 'api-server', ip: '10.0.2.30' };

  test('carries the restricted Pod Security labels and the label the chart would patch on', () => {
    const namespace = resources(platform, 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'kong-mesh-system');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'kuma.io/system-namespace': 'true',
    });
  });

  test('admits sidecars on the data plane server, the webhook, metrics scrapes, and nothing else', () => {
    const ports = [443, 5443, 5678, 5680, 5681, 5682, 8080];
    const admitted: string[] = [];
    for (const source of [gateway, paymentsApi, monitoring, stranger, apiServer, internet]) {
      for (const port of ports) if (model.allows(source, controlPlane, port)) admitted.push(`${source.name}:${port}`);
    }
    expect(admitted.sort()).toEqual(
      [
        'gateway:5678',
        'payments-api:5678',
        'prometheus:5680',
        // The admission webhook: the API server's address is not known at synth.
        'api-server:5443',
        'internet:5443',
        'payments-api:5443',
        'prometheus:5443',
        'stranger:5443',
      ].sort(),
    );
  });

  test('the control plane reaches DNS and the API server only', () => {
    expect(model.allows(controlPlane, kubeDns, 53)).toBe(true);
    expect(model.allows(controlPlane, apiServer, 443)).toBe(true);
    expect(model.allows(controlPlane, paymentsApi, 8080)).toBe(false);
    expect(model.allows(controlPlane, internet, 80)).toBe(false);
  });
});

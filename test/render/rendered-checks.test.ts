/**
 * Each rendered-object check of rendered-checks.ts fails on the defect it is for (the objects
 * below are what the charts rendered before the fixes), and passes on the fixed form.
 */
import { POD_SECURITY_EXCEPTIONS, podSecurityExceptionFor, unexceptedPodSecurityViolations } from '../../constructs/policy/pod-security-exceptions';
import {
  RenderedObject,
  cidrContains,
  kubectlSkewProblems,
  plainHttpLoadBalancerProblems,
  policyDriftProblems,
  pullSecretProblems,
  statusPortProblems,
  targetGroupDrainProblems,
  webhookAvailabilityProblems,
} from './rendered-checks';

type Obj = Record<string, any>;
const at = (namespace: string | undefined, object: Obj): RenderedObject => ({ source: 'test/release', namespace, object });
const deployment = (namespace: string, name: string, spec: Obj, replicas = 1) =>
  at(namespace, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, template: { metadata: { labels: { app: name } }, spec } } });
const service = (namespace: string, name: string, app: string, spec: Obj = {}) =>
  at(namespace, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app }, ...spec } });
const namespaceObject = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

describe('pull secrets (defect 1: on-prem Kuma pods without imagePullSecrets)', () => {
  const cp = (account: Obj) => [
    deployment('kuma-system', 'kuma-control-plane', { serviceAccountName: 'kuma-control-plane', containers: [{ name: 'cp', image: 'r/kuma-cp' }] }),
    at('kuma-system', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kuma-control-plane' }, ...account }),
  ];

  test('a pod whose service account has no pull secret is a problem', () => {
    // GIVEN the control plane as rendered without global.imagePullSecrets
    // THEN
    expect(pullSecretProblems(cp({}), [], 'regcred', 'kong')).toEqual([
      expect.stringContaining('neither the pod nor its service account "kuma-control-plane" has imagePullSecrets "regcred"'),
    ]);
  });

  test('the secret on the service account but not in the namespace is a problem; copied there it passes', () => {
    const objects = cp({ imagePullSecrets: [{ name: 'regcred' }] });
    expect(pullSecretProblems(objects, [], 'regcred', 'kong')).toEqual([expect.stringContaining('which does not exist in namespace "kuma-system"')]);
    const copy = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', namespace: 'kuma-system' } };
    expect(pullSecretProblems(objects, [copy], 'regcred', 'kong')).toEqual([]);
  });
});

describe('ALB drain (defect 2: no readiness gate label, deregistration delay 30 s > grace 20 s)', () => {
  const objects = [
    at('kong', {
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'edge' },
      spec: { serviceRef: { name: 'kong-gateway-kong-proxy', port: 443 } },
    }),
    service('kong', 'kong-gateway-kong-proxy', 'gateway'),
    deployment('kong', 'gateway', { terminationGracePeriodSeconds: 20, containers: [] }),
  ];

  test('the defect as rendered before: both problems', () => {
    expect(targetGroupDrainProblems(objects, [namespaceObject('kong')], 30)).toEqual([
      expect.stringContaining('lacks elbv2.k8s.aws/pod-readiness-gate-inject=enabled'),
      expect.stringContaining('deregistration delay 30 s is not shorter than terminationGracePeriodSeconds 20 s'),
    ]);
  });

  test('fixed: labelled namespace, 15 s delay', () => {
    expect(targetGroupDrainProblems(objects, [namespaceObject('kong', { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' })], 15)).toEqual([]);
  });
});

describe('TLS-only load balancer (defect 3: Azure internal LB published 80 -> 8000)', () => {
  test('port 80 on a LoadBalancer Service is a problem, a ClusterIP Service with 80 is not', () => {
    const ports = [
      { name: 'kong-proxy', port: 80, targetPort: 8000 },
      { name: 'kong-proxy-tls', port: 443, targetPort: 8443 },
    ];
    expect(plainHttpLoadBalancerProblems([service('kong', 'lb', 'g', { type: 'LoadBalancer', ports })])).toEqual([expect.stringContaining('publishes port 80 (targetPort 8000)')]);
    expect(plainHttpLoadBalancerProblems([service('kong', 'internal', 'g', { type: 'ClusterIP', ports })])).toEqual([]);
    expect(plainHttpLoadBalancerProblems([service('kong', 'lb', 'g', { type: 'LoadBalancer', ports: [ports[1]] })])).toEqual([]);
  });
});

describe('status port sources (defect 4: 8100 open to the whole VPC)', () => {
  const policy = (from: Obj[], ports: Obj[] = [{ port: '8100', protocol: 'TCP' }]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'kong' },
    spec: { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'kong-gateway' } }, ingress: [{ from, ports }] },
  });
  const gateway = { 'app.kubernetes.io/instance': 'kong-gateway', 'app.kubernetes.io/name': 'kong' };
  const publicSubnets = ['10.0.240.0/24', '10.0.241.0/24'];
  const check = (p: Obj) => statusPortProblems([p], 'kong', gateway, publicSubnets, 'kong-platform.io/monitoring');

  test('the VPC CIDR is a problem; the public subnets and the monitoring namespace are not', () => {
    expect(check(policy([{ ipBlock: { cidr: '10.0.0.0/16' } }]))).toEqual([expect.stringContaining('admits port 8100 from {"ipBlock":{"cidr":"10.0.0.0/16"}}')]);
    expect(check(policy([{ ipBlock: { cidr: '10.0.240.0/24' } }, { namespaceSelector: { matchLabels: { 'kong-platform.io/monitoring': 'true' } } }]))).toEqual([]);
  });

  test('a rule without ports or without sources admits the status port too', () => {
    expect(check(policy([{ ipBlock: { cidr: '0.0.0.0/0' } }], []))).toHaveLength(1);
    expect(check(policy([]))).toEqual([expect.stringContaining('admits port 8100 from everywhere')]);
  });

  test('cidrContains', () => {
    expect(cidrContains('10.0.240.0/24', '10.0.240.0/25')).toBe(true);
    expect(cidrContains('10.0.240.0/24', '10.0.0.0/16')).toBe(false);
  });
});

describe('fail-closed webhooks (defect 6: failurePolicy Fail with one control-plane replica)', () => {
  const webhook = (failurePolicy: string) =>
    at(undefined, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'kuma' },
      webhooks: [{ name: 'pods.kuma.io', failurePolicy, clientConfig: { service: { name: 'kuma-control-plane', namespace: 'kuma-system' } } }],
    });
  const backend = (replicas: number) => [service('kuma-system', 'kuma-control-plane', 'cp'), deployment('kuma-system', 'cp', { containers: [] }, replicas)];

  test('one replica behind a Fail webhook is a problem; two replicas, or Ignore, are not', () => {
    expect(webhookAvailabilityProblems([webhook('Fail'), ...backend(1)])).toEqual([expect.stringContaining('has failurePolicy Fail and is served by 1 replica of cp')]);
    expect(webhookAvailabilityProblems([webhook('Fail'), ...backend(2)])).toEqual([]);
    expect(webhookAvailabilityProblems([webhook('Ignore'), ...backend(1)])).toEqual([]);
  });
});

describe('kubectl skew (defect 7: the chart kubectl 1.36 against 1.33 clusters)', () => {
  const job = (image: string) =>
    at('kuma-system', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'kuma-patch-ns' }, spec: { template: { spec: { containers: [{ name: 'kubectl', image }] } } } });

  test('kubectl v1.36.1 against 1.33 is a problem, v1.33.4 is not; other images are ignored', () => {
    expect(kubectlSkewProblems([job('registry.k8s.io/kubectl:v1.36.1@sha256:abc')], '1.33')).toEqual([expect.stringContaining('runs kubectl v1.36.1 against a 1.33 cluster')]);
    expect(kubectlSkewProblems([job('reg.example.com/hardened/kubectl:v1.33.4@sha256:abc')], '1.33')).toEqual([]);
    expect(kubectlSkewProblems([job('reg.example.com/hardened/kumactl:2.14.3')], '1.33')).toEqual([]);
  });
});

describe('Pod Security exceptions (defect 5: the CNI DaemonSet in kube-system)', () => {
  const cni = (
    extra: Obj = {},
    volumes: Obj[] = [
      { name: 'bin', hostPath: { path: '/opt/cni/bin' } },
      { name: 'net', hostPath: { path: '/etc/cni/net.d' } },
    ],
  ) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kuma-cni-node' },
    spec: {
      template: {
        spec: {
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          volumes,
          containers: [
            {
              name: 'install-cni',
              image: 'i',
              securityContext: { runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...extra },
            },
          ],
        },
      },
    },
  });

  test('the exception covers exactly root and the two CNI host paths', () => {
    expect(POD_SECURITY_EXCEPTIONS.map((e) => e.id)).toEqual(['kuma-cni']);
    expect(podSecurityExceptionFor(cni(), 'kube-system')?.id).toBe('kuma-cni');
    expect(unexceptedPodSecurityViolations(cni(), 'kube-system')).toEqual([]);
  });

  test('anything beyond it is still a violation: privileged, another host path, or the same pod elsewhere', () => {
    expect(unexceptedPodSecurityViolations(cni({ privileged: true }), 'kube-system').map((v) => v.check)).toContain('privileged');
    expect(unexceptedPodSecurityViolations(cni({}, [{ name: 'root', hostPath: { path: '/' } }]), 'kube-system')).toEqual([
      expect.objectContaining({ check: 'hostPathVolumes', message: expect.stringContaining('mounts /, outside the paths of exception kuma-cni') }),
    ]);
    expect(unexceptedPodSecurityViolations(cni(), 'default').map((v) => v.check)).toEqual(expect.arrayContaining(['hostPathVolumes', 'runAsNonRoot', 'runAsUser']));
  });
});

describe('policy drift (the guardrails judge values; the cluster gets the rendered objects)', () => {
  const release = (values: string) => ({
    name: 'kuma',
    chart: 'kuma',
    repository: 'https://kumahq.github.io/charts',
    version: '2.14.3',
    namespace: 'kuma-system',
    values: [values],
  });
  const report = (values: string, containerSecurityContext: Obj) => ({
    platform: { environment: 'test', stackName: 'test-platform', stackDirectory: '/nonexistent', json: { resource: { helm_release: { kuma: release(values) } } } },
    rendered: [
      {
        release: { id: 'test-platform/kuma', name: 'kuma', source: 'upstream' } as any,
        lintProblems: [],
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'kuma-control-plane' },
            spec: {
              template: {
                spec: {
                  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                  containers: [{ name: 'control-plane', image: 'reg.example.com/kuma-cp:2.14.3', securityContext: containerSecurityContext }],
                },
              },
            },
          },
        ],
      },
    ],
  });
  const values =
    'global: {image: {registry: reg.example.com}}\ncontrolPlane: {containerSecurityContext: {readOnlyRootFilesystem: true}}\nkumactl: {image: {repository: kumactl, tag: x}}\n';

  test('a security context the policy reads but the chart does not render is drift', () => {
    // GIVEN a release whose values say readOnlyRootFilesystem, rendered without it
    const problems = policyDriftProblems(report(values, {}) as any);
    // THEN the control plane container disagrees, and the hook images the policy checks are not rendered here
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('kuma/control-plane: the policy reads securityContext.readOnlyRootFilesystem=true, Deployment kuma-control-plane/control-plane renders undefined'),
        expect.stringContaining('the policy checks kuma/hooks (kumactl) with image reg.example.com/kumactl:x, which no rendered container runs'),
      ]),
    );
    expect(policyDriftProblems(report(values, { readOnlyRootFilesystem: true }) as any).filter((p) => p.includes('control-plane:'))).toEqual([]);
  });
});

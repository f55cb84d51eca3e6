import { Release, ReleaseConfig } from '@cdktf/provider-helm/lib/release';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Construct } from '../../constructs/core/cdktf';
import { checkStack, compliantGatewayValues, merge, messagesOf, valuesYaml, violatedRules } from './support';

/** The rules over effective Helm values, chart by chart, one behaviour per test. */

const DIGEST = `sha256:${'a'.repeat(64)}`;

const release = (scope: Construct, chart: string, values: Record<string, unknown>, overrides: Partial<ReleaseConfig> = {}) =>
  new Release(scope, chart, {
    name: chart,
    namespace: 'system',
    chart,
    repository: 'https://charts.example.com',
    version: '2.14.3',
    atomic: true,
    values: [valuesYaml(values)],
    ...overrides,
  });

const kong = (scope: Construct, values: Record<string, unknown>) => release(scope, 'kong', merge(compliantGatewayValues(), values), { name: 'kong-gateway', version: '3.4.1' });

const restricted = {
  podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};
const image = (repository: string) => ({ repository, tag: `2.14.3@${DIGEST}` });

/** Kuma values as a hardened platform renders them: private images by digest, restricted contexts, limits. */
const hardenedKuma = (cni: boolean): Record<string, any> => ({
  global: { image: { registry: 'registry.example.com/kuma' } },
  controlPlane: {
    ...restricted,
    image: image('kuma-cp'),
    resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    defaults: { skipMeshCreation: true },
  },
  hooks: restricted,
  dataPlane: { image: image('kuma-dp'), initImage: image('kuma-init') },
  kumactl: { image: image('kumactl') },
  kubectl: { image: { registry: 'registry.example.com/kuma', repository: 'kubectl', tag: `v1.36.1@${DIGEST}` } },
  ...(cni
    ? {
        cni: {
          enabled: true,
          image: image('kuma-cni'),
          resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '200m', memory: '100Mi' } },
          podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 0 },
        },
      }
    : {}),
});

describe('Kong chart releases', () => {
  test('a LoadBalancer proxy annotated internal passes', () => {
    const build = (s: Construct) => kong(s, { proxy: { type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } } });
    expect(violatedRules(build)).toEqual([]);
  });

  test('the controller is told to skip verification by the chart default when its env block is gone', () => {
    const build = (s: Construct) =>
      kong(s, {
        deployment: { kong: { enabled: false } },
        ingressController: { enabled: true, image: { unifiedRepoTag: `registry.example.com/kic:3.4.4@${DIGEST}` }, resources: compliantGatewayValues().resources },
      });
    expect(messagesOf('KP-KONG-002', build)).toEqual([
      'ingressController.env.kong_admin_tls_skip_verify is true (chart default): the controller must verify the Admin API certificate',
    ]);
  });

  test('an Admin API listener with ssl on every interface passes (the ClusterIP Service keeps it in the cluster)', () => {
    expect(violatedRules((s) => kong(s, { env: { admin_listen: '0.0.0.0:8444 http2 ssl, [::]:8444 http2 ssl' } }))).toEqual([]);
  });

  test('Kong Manager listening on every interface fails KP-KONG-003', () => {
    expect(messagesOf('KP-KONG-003', (s) => kong(s, { env: { admin_gui_listen: '0.0.0.0:8445 ssl' } }))).toEqual([
      'env.admin_gui_listen listens on 0.0.0.0:8445: Kong Manager and the Portal stay on 127.0.0.1 or off',
    ]);
  });

  test('trusted_ips listing the load balancer subnets passes', () => {
    expect(violatedRules((s) => kong(s, { env: { trusted_ips: '10.20.0.0/24,10.30.0.0/16' } }))).toEqual([]);
  });

  test('added capabilities fail KP-K8S-004 even when ALL is dropped', () => {
    expect(messagesOf('KP-K8S-004', (s) => kong(s, { containerSecurityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] } } }))).toEqual([
      'kong-gateway/proxy: securityContext.capabilities.add adds SYS_ADMIN (only NET_BIND_SERVICE is allowed)',
      'kong-gateway/clear-stale-pid: securityContext.capabilities.add adds SYS_ADMIN (only NET_BIND_SERVICE is allowed)',
    ]);
  });

  test('a sidecar container is checked like the chart own containers', () => {
    const build = (s: Construct) => kong(s, { deployment: { sidecarContainers: [{ name: 'shell', image: 'busybox:latest' }] } });
    expect(violatedRules(build)).toEqual(['KP-K8S-002', 'KP-K8S-003', 'KP-K8S-004', 'KP-K8S-006', 'KP-K8S-007']);
  });

  test('a hostPath volume fails KP-K8S-008 with its path', () => {
    const build = (s: Construct) => kong(s, { deployment: { userDefinedVolumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] } });
    expect(messagesOf('KP-K8S-008', build)).toEqual(['values: deployment.userDefinedVolumes[0].hostPath mounts "/var/run/docker.sock" from the node']);
  });

  test('high availability is a production rule: a single replica is n/a elsewhere', () => {
    const build = (s: Construct) => kong(s, { replicaCount: 1, autoscaling: { enabled: false } });
    expect(checkStack(build, { production: false }).status['KP-KONG-007']).toBe('n/a');
    expect(checkStack(build, { production: true }).status['KP-KONG-007']).toBe('FAIL');
  });

  test('images from the configured private registry pass KP-K8S-009', () => {
    expect(checkStack((s) => kong(s, {}), { registries: ['registry.example.com'] }).status['KP-K8S-009']).toBe('pass');
  });
});

describe('other charts: mesh control plane, AWS Load Balancer Controller, unknown charts', () => {
  test('a hardened Kuma release with the CNI passes every rule (the CNI node agent may run as root)', () => {
    expect(violatedRules((s) => release(s, 'kuma', hardenedKuma(true)), { registries: ['registry.example.com'] })).toEqual([]);
  });

  test('a Kuma release on the chart defaults pulls every image from Docker Hub by tag', () => {
    const messages = messagesOf('KP-K8S-007', (s) => release(s, 'kuma', { controlPlane: { defaults: { skipMeshCreation: true } } }));
    expect(messages).toEqual([
      'kuma/control-plane: image "docker.io/kumahq/kuma-cp:2.14.3" is not pinned by digest (…@sha256:<64 hex>)',
      'kuma/hooks (kumactl): image "docker.io/kumahq/kumactl:2.14.3" is not pinned by digest (…@sha256:<64 hex>)',
      'kuma/sidecar (kuma-dp): image "docker.io/kumahq/kuma-dp:2.14.3" is not pinned by digest (…@sha256:<64 hex>)',
      'kuma/sidecar init (kuma-init): image "docker.io/kumahq/kuma-init:2.14.3" is not pinned by digest (…@sha256:<64 hex>)',
    ]);
  });

  test('kong-mesh reads the same values under kuma:', () => {
    const values = hardenedKuma(false);
    values.controlPlane.containerSecurityContext = { ...values.controlPlane.containerSecurityContext, privileged: true };
    expect(messagesOf('KP-K8S-003', (s) => release(s, 'kong-mesh', { kuma: values }))).toEqual(['kong-mesh/control-plane: securityContext.privileged is true']);
  });

  test('the AWS Load Balancer Controller on its chart defaults fails image, capabilities, seccomp and resources', () => {
    const build = (s: Construct) => release(s, 'aws-load-balancer-controller', { clusterName: 'c' }, { version: '1.13.0' });
    expect(violatedRules(build, { registries: ['registry.example.com'] })).toEqual(['KP-K8S-004', 'KP-K8S-005', 'KP-K8S-006', 'KP-K8S-007', 'KP-K8S-009']);
    expect(messagesOf('KP-K8S-009', build, { registries: ['registry.example.com'] })).toEqual([
      'aws-load-balancer-controller/controller: image "public.ecr.aws/eks/aws-load-balancer-controller:v2.13.0" comes from public.ecr.aws, not from registry.example.com',
    ]);
  });

  test('an unknown chart is flagged, and insecure settings in its values are still found', () => {
    const build = (s: Construct) => release(s, 'redis', { master: { containerSecurityContext: { privileged: true }, hostNetwork: true } });
    expect(violatedRules(build)).toEqual(['KP-HELM-007', 'KP-K8S-003', 'KP-K8S-008']);
    expect(messagesOf('KP-K8S-003', build)).toEqual(['values: master.containerSecurityContext.privileged is true']);
  });

  test('a kubernetes_deployment_v1 on the host network fails KP-K8S-008', () => {
    const build = (s: Construct) =>
      new DeploymentV1(s, 'app', {
        metadata: { name: 'app' },
        spec: {
          selector: { matchLabels: { app: 'app' } },
          template: { metadata: { labels: { app: 'app' } }, spec: { hostNetwork: true, container: [{ name: 'app', image: 'x' }] } },
        },
      });
    expect(messagesOf('KP-K8S-008', build)).toEqual(['hostNetwork is true']);
  });
});

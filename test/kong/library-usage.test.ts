import { ContainerImage } from '../../constructs/kong/container-image';
import type { KongPlatformProps } from '../../constructs/kong/kong-platform';
import { DeploymentProfile } from '../../constructs/kong/profiles';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { PlatformAddOn } from '../../constructs/core/platform-add-on';
import { DIGEST_A, DIGEST_B, libraryPlatform } from '../support/platform-fixture';
import { synthJson } from '../support/terraform-json';

/** A team's own cdktf app: no YAML, just the construct. */
const platform = (props: Partial<KongPlatformProps> = {}) => libraryPlatform(props);

describe('KongPlatform as a library construct', () => {
  test('synthesizes without any environment file', () => {
    // WHEN
    const { stack } = platform();
    const json = synthJson(stack);
    // THEN
    expect(
      Object.values(json.resource.helm_release)
        .map((r: any) => r.name)
        .sort(),
    ).toEqual(['kong-controller', 'kong-gateway']);
  });

  test('refuses an unpinned image in production, naming the construct path', () => {
    expect(() =>
      platform({
        production: true,
        images: {
          gateway: ContainerImage.fromTag('registry.example.com', 'kong/kong-gateway', '3.9.1'),
          controller: ContainerImage.fromDigest('registry.example.com', 'kong/kubernetes-ingress-controller', DIGEST_B, '3.4.4'),
        },
      }),
    ).toThrow('team-stack/kong/gateway: image must be pinned by digest in production, got "registry.example.com/kong/kong-gateway:3.9.1"');
  });

  test('refuses a single replica in the ha profile, naming the field', () => {
    expect(() => platform({ profile: DeploymentProfile.HA, gateway: { replicas: 1 } })).toThrow(
      'team-stack/kong: gateway.replicas: must be at least 2 in the ha profile (or set gateway.autoscaling), got 1',
    );
  });

  test('refuses the dev profile in production', () => {
    expect(() => platform({ production: true, profile: DeploymentProfile.DEV })).toThrow('team-stack/kong: profile: must be "ha" (or omitted) on a production platform, got "dev"');
  });

  test('warns about an unpinned image outside production', () => {
    const { stack } = platform({
      images: {
        gateway: ContainerImage.fromTag('registry.example.com', 'kong/kong-gateway', '3.9.1'),
        controller: ContainerImage.fromDigest('registry.example.com', 'kong/kubernetes-ingress-controller', DIGEST_B, '3.4.4'),
      },
    });
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning' || m.type === 'cdktf:warning' || /warn/i.test(m.type)));
    expect(warnings.map((w) => String(w.data))).toEqual(expect.arrayContaining([expect.stringContaining('is not pinned by digest')]));
  });

  test('ContainerImage refuses "latest" and malformed digests', () => {
    expect(() => ContainerImage.fromTag('r.example.com', 'kong', 'latest')).toThrow('tag "latest" is not allowed');
    expect(() => ContainerImage.fromDigest('r.example.com', 'kong', 'sha256:123')).toThrow('digest must be "sha256:" followed by 64 lowercase hex digits, got "sha256:123"');
  });

  test('add-ons contribute values, namespace labels and egress, in order, before extraValues', () => {
    // GIVEN
    const addOn: PlatformAddOn = {
      id: 'example',
      gatewayValues: () => ({ podAnnotations: { 'example.com/added': 'yes' }, env: { nginx_worker_processes: '3' } }),
      namespaceLabels: () => ({ applications: { 'example.com/mesh': 'on' } }),
      gatewayEgress: () => [{ cidr: '203.0.113.0/24', ports: [443] }],
    };
    // WHEN
    const { kong, stack } = platform({ addOns: [addOn], applicationNamespaces: [{ name: 'team-a' }], gateway: { extraValues: { env: { nginx_worker_processes: '4' } } } });
    const json = synthJson(stack);
    // THEN
    expect(kong.gateway.values.podAnnotations).toMatchObject({ 'example.com/added': 'yes' });
    expect((kong.gateway.values.env as any).nginx_worker_processes).toBe('4');
    const namespaces: any[] = Object.values(json.resource.kubernetes_namespace_v1);
    expect(namespaces.find((n) => n.metadata.name === 'team-a').metadata.labels['example.com/mesh']).toBe('on');
    const egress: any = Object.values(json.resource.kubernetes_network_policy_v1).find((p: any) => p.metadata.name === 'gateway-egress-upstreams');
    expect(egress.spec.egress).toContainEqual({ to: [{ ip_block: { cidr: '203.0.113.0/24' } }], ports: [{ port: '443', protocol: 'TCP' }] });
  });

  test('an add-on can replace the in-cluster controller; the Admin API then stays on loopback', () => {
    const { kong, stack } = platform({ addOns: [{ id: 'managed-cp', needsIngressController: () => false }] });
    const json = synthJson(stack);
    expect(kong.controller).toBeUndefined();
    expect(kong.gateway.values.admin).toMatchObject({ enabled: false });
    expect(json.resource.tls_private_key).toBeUndefined();
    expect(Object.values(json.resource.helm_release).map((r: any) => r.name)).toEqual(['kong-gateway']);
  });

  test('an add-on with per-service ingress policies replaces the namespace-wide gateway allow', () => {
    const names = (addOns: PlatformAddOn[]) => {
      const { stack } = platform({ addOns, applicationNamespaces: [{ name: 'team-a' }] });
      const json = synthJson(stack);
      return Object.values(json.resource.kubernetes_network_policy_v1).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`);
    };
    expect(names([])).toContain('team-a/allow-from-kong-gateway');
    const fine = names([{ id: 'matrix', providesApplicationIngressPolicies: () => true }]);
    expect(fine).not.toContain('team-a/allow-from-kong-gateway');
    expect(fine).toContain('team-a/default-deny-ingress');
  });

  test('duplicate add-on ids are refused', () => {
    expect(() => platform({ addOns: [{ id: 'x' }, { id: 'x' }] })).toThrow('team-stack/kong: addOns.1.id: is used twice (also addOns.0): add-on ids are unique, got "x"');
  });

  test('ClusterAccess never relies on the current kubeconfig context', () => {
    expect(() => ClusterAccess.fromKubeconfig('/tmp/kubeconfig', '')).toThrow('configContext must not be empty');
  });
});

describe('KongPlatform refuses what would weaken a production platform in library use too', () => {
  test('the gateway digest copied to the controller', () => {
    expect(() =>
      platform({
        production: true,
        images: {
          gateway: ContainerImage.fromDigest('registry.example.com', 'kong/kong-gateway', DIGEST_A, '3.9.1'),
          controller: ContainerImage.fromDigest('registry.example.com', 'kong/kubernetes-ingress-controller', DIGEST_A, '3.4.4'),
        },
      }),
    ).toThrow(`team-stack/kong: images.controller.digest: is the gateway's digest too: two different images cannot share one`);
  });

  test.each([
    ['pod-security.kubernetes.io/enforce', 'privileged'],
    ['pod-security.kubernetes.io/warn', 'privileged'],
    ['kong-platform.io/role', 'kong-system'],
    ['pod-security.kubernetes.io/audit', 'baseline'],
  ])('an application namespace label %s the platform owns', (key, value) => {
    expect(() => platform({ applicationNamespaces: [{ name: 'team-a', labels: { [key]: value } }] })).toThrow(
      `team-stack/kong: applicationNamespaces.0.labels.${key}: is set by the platform`,
    );
  });
});

import { parse } from 'yaml';
import { meshSectionSchema } from '../../config/sections/mesh';
import { MeshAddOn } from '../../constructs/mesh/mesh-add-on';
import { meshNamespaceLabels, meshServiceAnnotations, meshSystemNamespaceLabels } from '../../constructs/mesh/mesh-labels';
import { addOnProps, context, deployedStack, resourcesOf, synth } from './fixtures';

function releasesByName(json: any): Record<string, any> {
  return Object.fromEntries(resourcesOf(json, 'helm_release').map((release) => [release.name, release]));
}

/** Logical reference (`helm_release.<id>`) of the release with this name. */
function ref(json: any, name: string): string {
  const [id] = Object.entries(json.resource.helm_release).find(([, release]: [string, any]) => release.name === name)!;
  return `helm_release.${id}`;
}

describe('MeshAddOn hooks', () => {
  test('gateway pods join the mesh as a delegated gateway, opted in on the pod', () => {
    expect(new MeshAddOn(addOnProps()).gatewayValues(context())).toEqual({
      podAnnotations: { 'kuma.io/gateway': 'enabled' },
      podLabels: { 'kuma.io/sidecar-injection': 'enabled' },
    });
  });

  test('application namespaces get injection enabled, the Kong namespace disabled', () => {
    expect(new MeshAddOn(addOnProps()).namespaceLabels(context())).toEqual({
      system: { 'kuma.io/sidecar-injection': 'disabled' },
      applications: { 'kuma.io/sidecar-injection': 'enabled' },
    });
  });

  test('label and annotation helpers for the namespaces construct and application charts', () => {
    expect(meshNamespaceLabels(true)).toEqual({ 'kuma.io/sidecar-injection': 'enabled' });
    expect(meshNamespaceLabels(false)).toEqual({});
    expect(meshSystemNamespaceLabels(true)).toEqual({ 'kuma.io/sidecar-injection': 'disabled' });
    expect(meshServiceAnnotations()).toEqual({ 'ingress.kubernetes.io/service-upstream': 'true' });
  });

  test('an edge to an unknown service fails when the add-on is created', () => {
    expect(() => new MeshAddOn(addOnProps({ traffic: [{ from: 'gateway', to: 'shop/basket' }] }))).toThrow(
      /MeshAddOn: invalid traffic matrix: traffic\[0\]\.to: unknown service "shop\/basket"/,
    );
  });
});

describe('MeshAddOn deploy', () => {
  test('control plane, Mesh, permissions: each after what it needs, and the gateway after the Mesh', () => {
    // GIVEN / WHEN
    const { stack } = deployedStack(new MeshAddOn(addOnProps()));
    const json = synth(stack);
    const releases = releasesByName(json);
    // THEN
    expect(Object.keys(releases).sort()).toEqual(['kong-controller', 'kong-gateway', 'kong-mesh', 'mesh-default', 'mesh-default-traffic-permissions']);
    expect(releases['mesh-default'].depends_on).toEqual([ref(json, 'kong-mesh')]);
    expect(releases['kong-gateway'].depends_on).toEqual([ref(json, 'mesh-default')]);
    expect(releases['mesh-default-traffic-permissions'].depends_on).toEqual([ref(json, 'mesh-default'), ref(json, 'kong-gateway')]);
    expect(releases['mesh-default-traffic-permissions'].chart).toMatch(/^\.\/assets\//);
    expect(releases['mesh-default-traffic-permissions'].version).toMatch(/^0\.1\.0\+[0-9a-f]{12}$/);
  });

  test('the production control plane is HA and licensed', () => {
    const { stack } = deployedStack(new MeshAddOn(addOnProps()));
    const values = parse(releasesByName(synth(stack))['kong-mesh'].values[0]);
    expect(values.kuma.controlPlane).toMatchObject({ replicas: 3, podDisruptionBudget: { enabled: true }, secrets: [{ Secret: 'kong-mesh-license' }] });
  });

  test('NetworkPolicies: one per called service plus the gateway sidecar egress to the control plane', () => {
    const { stack } = deployedStack(new MeshAddOn(addOnProps()));
    const policies = resourcesOf(synth(stack), 'kubernetes_network_policy_v1').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(policies.sort()).toEqual(
      [
        'kong/mesh-gateway-egress-control-plane',
        'pay/allow-to-ledger',
        'pay/allow-to-payments',
        'shop/allow-to-catalog',
        'shop/allow-to-orders',
        // The control plane namespace is default-deny too (flows: test/aws/network-flows.test.ts).
        ...['default-deny-all', 'allow-dns-egress', 'allow-api-server-egress', 'allow-sidecars-to-dp-server', 'allow-admission-webhook', 'allow-metrics-scrape'].map(
          (name) => `kong-mesh-system/${name}`,
        ),
      ].sort(),
    );
    const egress = resourcesOf(synth(stack), 'kubernetes_network_policy_v1').find((p) => p.metadata.name === 'mesh-gateway-egress-control-plane')!;
    expect(egress.spec.egress).toEqual([
      { to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kong-mesh-system' } } }], ports: [{ port: '5678', protocol: 'TCP' }] },
    ]);
  });

  test('production refuses PERMISSIVE mTLS', () => {
    // GIVEN
    const addOn = new MeshAddOn(addOnProps({ mtls: { mode: 'PERMISSIVE', caRsaBits: 4096, caExpiration: '5y', dpCertRotation: '24h' } }));
    // WHEN / THEN
    expect(addOn.validate(context())).toEqual([
      { field: 'mtls.mode', value: 'PERMISSIVE', message: 'must be "STRICT" in a production environment: PERMISSIVE still accepts plaintext' },
    ]);
  });

  test('PERMISSIVE is allowed outside production (rollout)', () => {
    const addOn = new MeshAddOn(addOnProps({ mtls: { mode: 'PERMISSIVE', caRsaBits: 4096, caExpiration: '5y', dpCertRotation: '24h' } }));
    expect(addOn.validate(context({ production: false }))).toEqual([]);
    expect(() => deployedStack(addOn, context({ production: false }))).not.toThrow();
  });

  test('library use gets the mesh section rules too: license, control plane replicas, certificate lifetimes, in one list', () => {
    // GIVEN kong-mesh without a license, one control plane, proxy certificates outliving their CA
    const addOn = new MeshAddOn(
      addOnProps({ product: 'kong-mesh', license: undefined, controlPlaneReplicas: 1, mtls: { mode: 'STRICT', caRsaBits: 4096, caExpiration: '30d', dpCertRotation: '1y' } }),
    );
    // WHEN / THEN
    expect(addOn.validate(context()).map((p) => p.field)).toEqual(['license.secretName', 'controlPlaneReplicas', 'mtls.dpCertRotation']);
    expect(addOn.validate(context())[1]).toEqual(expect.objectContaining({ value: 1, message: expect.stringContaining('must be at least 2 in a production environment') }));
  });

  test('services outside the application namespaces are refused', () => {
    expect(new MeshAddOn(addOnProps()).validate(context({ applicationNamespaces: ['shop'] }))).toEqual([
      expect.objectContaining({ field: 'services', value: ['pay'], message: expect.stringContaining('only application namespaces (shop) join the mesh') }),
    ]);
  });
});

describe('MeshAddOn.fromConfig', () => {
  const section = (input: Record<string, unknown>) => meshSectionSchema.parse(input);

  test('disabled mesh: no add-on', () => {
    expect(MeshAddOn.fromConfig(section({}), { production: false, cloud: 'aws' })).toBeUndefined();
  });

  test('effective production settings: STRICT, 3 replicas, CNI config per cloud', () => {
    const addOn = MeshAddOn.fromConfig(section({ enabled: true, licenseSecretName: 'lic' }), { production: true, cloud: 'azure' })!;
    const { stack } = deployedStack(addOn, context({ applicationNamespaces: [] }));
    const releases = releasesByName(synth(stack));
    const values = parse(releases['kong-mesh'].values[0]);
    expect(values.kuma.controlPlane.replicas).toBe(3);
    expect(values.kuma.cni.confName).toBe('10-azure.conflist');
    expect(addOn.matrix.edges).toEqual([]);
  });

  test('hybrid with an explicit CNI config, kuma product, dev sizing', () => {
    const addOn = MeshAddOn.fromConfig(section({ enabled: true, product: 'kuma', cni: { confName: '10-calico.conflist' } }), { production: false, cloud: 'hybrid' })!;
    const values = parse(releasesByName(synth(deployedStack(addOn, context({ production: false })).stack)).kuma.values[0]);
    expect(values).toMatchObject({ controlPlane: { replicas: 2 }, cni: { confName: '10-calico.conflist' } });
  });
});

describe('MeshAddOn.validate: the control plane namespace is its own', () => {
  test.each([
    ['the Kong namespace', 'kong', /not the Kong namespace/],
    ['an application namespace', 'shop', /not the application namespace/],
    ['kube-system', 'kube-system', /must not be a Kubernetes or cloud system namespace/],
  ])('GIVEN %s THEN it is refused, naming the field', (_name, namespace, message) => {
    // GIVEN
    const addOn = new MeshAddOn(addOnProps({ namespace }));
    // WHEN
    const problems = addOn.validate(context({ systemNamespace: 'kong' }));
    // THEN
    expect(problems).toEqual([{ field: 'namespace', value: namespace, message: expect.stringMatching(message) }]);
  });

  test('the default namespace passes', () => {
    expect(new MeshAddOn(addOnProps()).validate(context({ systemNamespace: 'kong' }))).toEqual([]);
  });
});

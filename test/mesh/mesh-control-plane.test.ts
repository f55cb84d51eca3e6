import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { parse } from 'yaml';
import { TerraformStack, Testing } from '../../constructs/core/cdktf';
import { ContainerImage } from '../../constructs/kong/container-image';
import { MeshControlPlane, MeshControlPlaneProps, MeshImages, meshControlPlaneValues } from '../../constructs/mesh/mesh-control-plane';
import { ChartValuesKeys, KUMA_CHART_FREE_FORM_PATHS } from '../support/chart-values-keys';
import { KUMA_VALUES, resourcesOf, synth } from './fixtures';

const kumaChart = new ChartValuesKeys(KUMA_VALUES, KUMA_CHART_FREE_FORM_PATHS);

function stackWith(props: Partial<MeshControlPlaneProps> = {}): { stack: TerraformStack; controlPlane: MeshControlPlane } {
  const stack = new TerraformStack(Testing.app(), 'platform');
  new HelmProvider(stack, 'helm', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  const controlPlane = new MeshControlPlane(stack, 'mesh-cp', {
    product: 'kong-mesh',
    chartVersion: '2.14.3',
    replicas: 3,
    license: { secretName: 'kong-mesh-license' },
    cni: { confName: '10-aws.conflist' },
    ...props,
  });
  return { stack, controlPlane };
}

function releaseValues(stack: TerraformStack): any {
  const [release] = resourcesOf(synth(stack), 'helm_release');
  return { release, values: parse(release.values[0]) };
}

describe('mesh control plane values', () => {
  test('kong-mesh nests the kuma values under kuma: and every key exists in the kuma 2.14.3 values.yaml', () => {
    const values = meshControlPlaneValues({ product: 'kong-mesh', replicas: 3, license: { secretName: 'lic' }, cni: { confName: '10-aws.conflist', enabled: true } });
    expect(Object.keys(values)).toEqual(['kuma']);
    expect(kumaChart.unknownKeys(values.kuma)).toEqual([]);
  });

  test('kuma takes the values at the top level, all known keys', () => {
    const values = meshControlPlaneValues({ product: 'kuma', replicas: 1 });
    expect(values.kuma).toBeUndefined();
    expect(kumaChart.unknownKeys(values)).toEqual([]);
  });

  test('a misspelt override is caught by the key check (the check can fail)', () => {
    const values = meshControlPlaneValues({ product: 'kuma', replicas: 1, extraValues: { controlPlane: { replica: 2 } } });
    expect(kumaChart.unknownKeys(values)).toEqual(['controlPlane.replica']);
  });

  test('HA: replicas with a PodDisruptionBudget from 2 replicas', () => {
    expect(meshControlPlaneValues({ product: 'kuma', replicas: 3 }).controlPlane).toMatchObject({
      replicas: 3,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    });
    expect((meshControlPlaneValues({ product: 'kuma', replicas: 1 }).controlPlane as any).podDisruptionBudget.enabled).toBe(false);
  });

  test('the licence comes from the Secret as KMESH_LICENSE_INLINE, never inline', () => {
    const values = meshControlPlaneValues({ product: 'kong-mesh', replicas: 1, license: { secretName: 'lic', secretKey: 'mesh.json' } }) as any;
    expect(values.kuma.controlPlane.secrets).toEqual([{ Env: 'KMESH_LICENSE_INLINE', Secret: 'lic', Key: 'mesh.json' }]);
  });

  test('no default Mesh from the chart: the platform creates it with mTLS', () => {
    expect((meshControlPlaneValues({ product: 'kuma', replicas: 1 }).controlPlane as any).defaults).toEqual({ skipMeshCreation: true });
  });

  test('CNI in chained mode onto the cluster CNI config', () => {
    expect(meshControlPlaneValues({ product: 'kuma', replicas: 1, cni: { confName: '10-calico.conflist', enabled: true } }).cni).toMatchObject({
      enabled: true,
      chained: true,
      netDir: '/etc/cni/net.d',
      binDir: '/opt/cni/bin',
      confName: '10-calico.conflist',
    });
  });

  test('the CNI installer runs as root (node files) with nothing else: no capabilities, no escalation, RuntimeDefault, CPU limit', () => {
    const cni = meshControlPlaneValues({ product: 'kuma', replicas: 1, cni: { confName: '10-calico.conflist', enabled: true } }).cni;
    expect(cni.containerSecurityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: true,
    });
    expect(cni.resources.limits.cpu).toBe('500m');
  });
});

describe('MeshControlPlane', () => {
  test('installs the pinned kong-mesh chart from the Kong repository into its own namespace', () => {
    const { stack } = stackWith();
    const { release, values } = releaseValues(stack);
    expect(release).toMatchObject({
      name: 'kong-mesh',
      chart: 'kong-mesh',
      repository: 'https://kong.github.io/kong-mesh-charts',
      version: '2.14.3',
      namespace: 'kong-mesh-system',
      atomic: true,
      create_namespace: false,
    });
    expect(release.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\./)]);
    expect(values.kuma.controlPlane.replicas).toBe(3);
    expect(resourcesOf(synth(stack), 'kubernetes_namespace_v1')[0].metadata.name).toBe('kong-mesh-system');
  });

  test('kuma installs the kuma chart from the Kuma repository', () => {
    const { stack } = stackWith({ product: 'kuma', license: undefined });
    expect(releaseValues(stack).release).toMatchObject({ chart: 'kuma', repository: 'https://kumahq.github.io/charts', namespace: 'kuma-system' });
  });

  test('an existing namespace (provisioned with the licence Secret) is not created', () => {
    const { stack } = stackWith({ createNamespace: false, namespace: 'mesh' });
    expect(resourcesOf(synth(stack), 'kubernetes_namespace_v1')).toEqual([]);
  });

  test.each([
    ['a 3.x chart', { chartVersion: '3.0.0' }, /mesh-cp: chartVersion must be an exact 2.x version such as 2.14.3 \(Kuma 3.0 removes Mesh.spec.mtls\), got "3.0.0"/],
    ['a version range', { chartVersion: '~2.14' }, /chartVersion must be an exact 2.x version/],
    ['kong-mesh without licence', { license: undefined }, /mesh-cp: license is required for product "kong-mesh"/],
    ['kuma with a licence', { product: 'kuma' as const }, /mesh-cp: license is only used by product "kong-mesh"/],
    ['zero replicas', { replicas: 0 }, /mesh-cp: replicas must be a whole number >= 1, got 0/],
    ['CNI without conf name', { cni: { confName: '' } }, /mesh-cp: cni.confName is required when the CNI is enabled/],
  ])('rejects %s', (_case, props, message) => {
    expect(() => stackWith(props as Partial<MeshControlPlaneProps>)).toThrow(message);
  });
});

describe('mesh images from the private registry', () => {
  const pinned = (repository: string, tag = '2.14.3', registry = 'registry.example.com') => ContainerImage.fromDigest(registry, repository, `sha256:${'c'.repeat(64)}`, tag);
  const images: MeshImages = {
    controlPlane: pinned('hardened/kuma-cp'),
    dataPlane: pinned('hardened/kuma-dp'),
    dataPlaneInit: pinned('hardened/kuma-init'),
    kumactl: pinned('hardened/kumactl'),
    kubectl: pinned('hardened/kubectl', 'v1.36.1'),
    cni: pinned('hardened/kuma-cni'),
  };
  const options = { product: 'kuma' as const, replicas: 2, images, cni: { confName: '10-calico.conflist', enabled: true } };

  test('every image of the chart is set, the digest in the tag, and every key exists in the kuma chart', () => {
    // WHEN
    const values = meshControlPlaneValues(options);
    // THEN
    expect(values.global.image.registry).toBe('registry.example.com');
    expect(values.controlPlane.image).toEqual({ repository: 'hardened/kuma-cp', tag: `2.14.3@sha256:${'c'.repeat(64)}` });
    expect(values.dataPlane.image.repository).toBe('hardened/kuma-dp');
    expect(values.dataPlane.initImage.repository).toBe('hardened/kuma-init');
    expect(values.cni.image.repository).toBe('hardened/kuma-cni');
    expect(values.kumactl.image.repository).toBe('hardened/kumactl');
    expect(values.kubectl.image).toEqual({ registry: 'registry.example.com', repository: 'hardened/kubectl', tag: `v1.36.1@sha256:${'c'.repeat(64)}` });
    expect(kumaChart.unknownKeys(values)).toEqual([]);
  });

  test('images keep the CNI settings and the control plane settings they are merged into', () => {
    const values = meshControlPlaneValues(options);
    expect(values.cni.confName).toBe('10-calico.conflist');
    expect(values.controlPlane.replicas).toBe(2);
  });

  test('images from two registries are refused (the chart takes one)', () => {
    expect(() => meshControlPlaneValues({ ...options, images: { ...images, dataPlane: pinned('hardened/kuma-dp', '2.14.3', 'other.example.com') } })).toThrow(
      /one registry for its images \(global\.image\.registry\), got registry\.example\.com, other\.example\.com/,
    );
  });

  test('the CNI without its image is refused', () => {
    const { cni: _cni, ...withoutCni } = images;
    expect(() => meshControlPlaneValues({ ...options, images: withoutCni })).toThrow(/cni is required when the CNI is enabled/);
  });

  test('control plane and hook pods meet the restricted Pod Security level', () => {
    const values = meshControlPlaneValues(options);
    for (const part of [values.controlPlane, values.hooks]) {
      expect(part.podSecurityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(part.containerSecurityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });
});

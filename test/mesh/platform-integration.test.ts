/**
 * The mesh inside the real platform stack (KongPlatformStack + KongPlatform), for the sample
 * environments with the `mesh:` sections proposed in test/mesh/samples/ (what docs/mesh.md and the
 * committed diagrams show). Once environments/*.yaml carry these sections and the platform
 * stack adds the mesh add-on itself, this test keeps proving the same thing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { EnvironmentConfig } from '../../config/environment';
import { validateEnvironment } from '../../config/load';
import { Testing } from '../../constructs/core/cdktf';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { ManifestChart } from '../../constructs/manifest-chart/manifest-chart';
import { MeshAddOn } from '../../constructs/mesh/mesh-add-on';
import { KongPlatformStack } from '../../stacks/platform/kong-platform-stack';
import { ChartValuesKeys, KUMA_CHART_FREE_FORM_PATHS } from '../support/chart-values-keys';
import { loadCrdSchemas } from '../support/crd-schema';
import { describeWithHelm } from '../support/helm';
import { PLUGINS_DIR, REPO_ROOT } from '../support/platform-fixture';
import { KUMA_VALUES, MESH_CRD, MTP_CRD, resourcesOf } from './fixtures';
import { synthJson } from '../support/terraform-json';

const SAMPLES = ['onprem-hybrid', 'aws-dev'];

/** The sample environment file with the proposed `mesh:` section appended, validated by the loader. */
function sampleWithMesh(name: string): EnvironmentConfig {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'environments', `${name}.yaml`), 'utf8');
  const raw = parse(text) as Record<string, unknown>;
  if (raw.mesh === undefined) Object.assign(raw, parse(fs.readFileSync(path.join(__dirname, 'samples', `${name}.mesh.yaml`), 'utf8')));
  const result = validateEnvironment(raw, `${name}.yaml`, { pluginsDirectory: PLUGINS_DIR, expectedName: name });
  if (!result.environment) throw new Error(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
  return result.environment;
}

/**
 * Synthesizes the platform stack. If the platform stack does not add the mesh add-on by itself
 * (not wired yet), it is passed in, built from the same section.
 */
function synthPlatform(env: EnvironmentConfig) {
  const build = (addOns: MeshAddOn[]) => {
    const stack = new KongPlatformStack(Testing.app(), `${env.name}-platform`, {
      environment: env,
      clusterAccess: ClusterAccess.fromKubeconfig('/tmp/kubeconfig', 'test'),
      addOns,
      pluginsDirectory: PLUGINS_DIR,
    });
    const json = synthJson(stack);
    const charts = stack.node.findAll().filter((node): node is ManifestChart => node instanceof ManifestChart && node.chartName.startsWith('mesh'));
    return { json, charts };
  };
  const wired = build([]);
  if (wired.charts.some((chart) => chart.chartName === 'mesh')) return wired;
  return build([MeshAddOn.fromConfig(env.mesh!, { production: env.production, cloud: env.cloud })!]);
}

const kumaChart = new ChartValuesKeys(KUMA_VALUES, KUMA_CHART_FREE_FORM_PATHS);
const crds = loadCrdSchemas(MESH_CRD, MTP_CRD);

describe.each(SAMPLES)('%s with the mesh enabled', (name) => {
  const env = sampleWithMesh(name);
  const { json, charts } = synthPlatform(env);
  const releases = Object.fromEntries(resourcesOf(json, 'helm_release').map((release) => [release.name, release]));
  const controlPlane = releases[env.mesh!.product === 'kuma' ? 'kuma' : 'kong-mesh'];

  test('the sample mesh section is valid and enabled', () => {
    expect(env.mesh!.enabled).toBe(true);
    expect(env.mesh!.traffic.length).toBeGreaterThan(0);
  });

  test('control plane values: only keys of the kuma 2.14.3 chart', () => {
    const values = parse(controlPlane.values[0]);
    expect(kumaChart.unknownKeys(env.mesh!.product === 'kong-mesh' ? values.kuma : values)).toEqual([]);
  });

  test('gateway pods join the mesh: annotation and pod-level injection label in the gateway values', () => {
    const gateway = parse(releases['kong-gateway'].values[0]);
    expect(gateway.podAnnotations).toMatchObject({ 'kuma.io/gateway': 'enabled' });
    expect(gateway.podLabels).toMatchObject({ 'kuma.io/sidecar-injection': 'enabled' });
  });

  test('namespaces: application namespaces enabled, Kong namespace disabled', () => {
    const labels = Object.fromEntries(resourcesOf(json, 'kubernetes_namespace_v1').map((ns) => [ns.metadata.name, ns.metadata.labels ?? {}]));
    expect(labels[env.namespaces.system]['kuma.io/sidecar-injection']).toBe('disabled');
    for (const app of env.namespaces.applications) expect(labels[app.name]['kuma.io/sidecar-injection']).toBe('enabled');
  });

  test('the gateway release waits for the Mesh', () => {
    expect(releases['kong-gateway'].depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\..*mesh.*Release/)]));
  });

  test('every generated custom resource validates against its CRD', () => {
    expect(charts.map((chart) => chart.chartName).sort()).toEqual(['mesh', 'mesh-traffic-permissions']);
    const objects = charts.flatMap((chart) => chart.manifests);
    expect(objects.filter((object) => object.kind === 'MeshTrafficPermission').reduce((n, object: any) => n + object.spec.from.length, 0)).toBe(env.mesh!.traffic.length);
    for (const object of objects) expect({ name: object.metadata.name, problems: crds.problems(object as any) }).toEqual({ name: object.metadata.name, problems: [] });
  });
});

describeWithHelm('sample mesh charts with the real helm binary', (helm) => {
  test.each(SAMPLES)('%s: both generated charts lint and render', (name) => {
    const { charts } = synthPlatform(sampleWithMesh(name));
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      helm().lint(chart.chartDirectory);
      expect(helm().template(chart.chartDirectory, chart.releaseName, chart.namespace)).toHaveLength(chart.manifests.length);
    }
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { ChartValuesKeys, KONG_CHART_FREE_FORM_PATHS, KONG_CHART_TEMPLATE_ONLY_KEYS } from '../support/chart-values-keys';
import { REPO_ROOT, environment, releaseValues, resources, synthEnvironment } from '../support/platform-fixture';
import { sampleSynths } from '../support/sample-synth';

const KONG_CHART_DIR = path.join(REPO_ROOT, 'test/fixtures/upstream/kong-charts-3.4.1');
const kongChart = new ChartValuesKeys(path.join(KONG_CHART_DIR, 'values.yaml'), KONG_CHART_FREE_FORM_PATHS, {
  // admin.clusterIP ("None": headless Admin API) is documented by the chart's gateway-discovery example.
  exampleValuesFiles: fs.readdirSync(path.join(KONG_CHART_DIR, 'example-values')).map((f) => path.join(KONG_CHART_DIR, 'example-values', f)),
  // proxy.externalTrafficPolicy (Azure edge: keep the client address) is read by the chart's
  // kong.service template (_helpers.tpl, `if .externalTrafficPolicy`) but not listed in values.yaml.
  templateOnlyKeys: [...KONG_CHART_TEMPLATE_ONLY_KEYS, 'proxy.externalTrafficPolicy'],
});
const samples = sampleSynths();

/** Every kong chart release of a synthesized stack: its values document and its --set names. */
function kongReleases(json: any): Array<{ name: string; values: any; setNames: string[] }> {
  return resources(json, 'helm_release')
    .filter((r) => r.chart === 'kong')
    .map((r) => ({ name: r.name, values: releaseValues(json, r.name), setNames: (r.set ?? []).map((s: any) => s.name) }));
}

describe('every Helm values key we set exists in the kong chart values.yaml (3.4.1)', () => {
  test.each(samples.map((sample) => [sample.environment, sample] as const))('%s', (_name, sample) => {
    // GIVEN the synthesized platform stack of a sample environment
    const releases = kongReleases(sample.stack('platform'));
    expect(releases.length).toBeGreaterThanOrEqual(1);
    for (const r of releases) {
      // THEN no values key is unknown to the chart
      expect({ release: r.name, unknown: kongChart.unknownKeys(r.values) }).toEqual({ release: r.name, unknown: [] });
      expect({ release: r.name, unknownSet: r.setNames.filter((n) => !kongChart.isKnownPath(n)) }).toEqual({ release: r.name, unknownSet: [] });
    }
  });

  test('the production (ha) profile sets only known keys too', () => {
    const env = environment({ production: true, backend: { type: 's3', bucket: 'state', region: 'eu-west-1' }, gateway: { autoscaling: { minReplicas: 3 } } });
    for (const r of kongReleases(synthEnvironment(env).stack('platform'))) expect(kongChart.unknownKeys(r.values)).toEqual([]);
  });

  test('a misspelt key is caught', () => {
    // GIVEN an override with a typo (replicaCont)
    const env = environment({ gateway: { extraValues: { replicaCont: 4, podDisruptionBudget: { maxUnavalable: 1 } } } });
    const gateway = kongReleases(synthEnvironment(env).stack('platform')).find((r) => r.name === 'kong-gateway')!;
    // THEN
    expect(kongChart.unknownKeys(gateway.values)).toEqual(['podDisruptionBudget.maxUnavalable', 'replicaCont']);
  });

  test('keys documented only in comments are known (image.pullSecrets, plugins.configMaps, topologySpreadConstraints)', () => {
    expect(
      kongChart.unknownKeys({ image: { pullSecrets: ['x'] }, plugins: { configMaps: [] }, topologySpreadConstraints: [], podDisruptionBudget: { maxUnavailable: 1 } }),
    ).toEqual([]);
  });

  test('free-form maps accept any key, their siblings do not', () => {
    expect(kongChart.unknownKeys({ env: { anything_kong_conf: 'x' }, proxy: { annotations: { 'a/b': 'c' }, typo: 1 } })).toEqual(['proxy.typo']);
  });
});

// Differential test: the policy's model of the Kong and controller settings against what helm renders from the
// vendored kong chart 3.4.1, for spellings an environment file can reach the chart with (through extraValues), on
// every sample environment's kong releases. The releases as synthesized are compared in test/render/render.test.ts.
// A new route through the chart shows up here as a failing test.
import { describeWithHelm } from '../support/helm';
import { extraDocument, kongEnvDrift } from '../support/kong-env-drift';
import { sampleEnvironmentNames } from '../support/sample-synth';
import { HelmReleaseSpec, helmReleases, renderRelease, samplePlatform } from '../render/harness';

type Obj = Record<string, any>;

/** Layered over each release's values. */
const VARIANT: Obj = {
  env: {
    TRUSTED_IPS: '10.0.0.0/8',
    Real_Ip_Header: 'X-Real-IP',
    headers: { value: 'server_tokens' },
    nginx_worker_processes: 'value: "3" # valueFrom',
    log_level: { valueFrom: { secretKeyRef: { name: 'kong-log', key: 'level' } } },
    // Two spellings of one setting: the later key in sort order wins.
    MEM_CACHE_SIZE: '256m',
    mem_cache_size: '512m',
  },
  customEnv: { KONG_ANONYMOUS_REPORTS: 'on', kong_proxy_listen: { value: '0.0.0.0:8443 http2 ssl' } },
  ingressController: {
    env: { KONG_ADMIN_TLS_SKIP_VERIFY: 'value: "false" # valueFrom', log_level: { value: 'info' } },
    customEnv: { controller_anonymous_reports: 'false' },
  },
};

describeWithHelm('the policy reads the Kong and controller settings the vendored chart renders, however they are spelt', (helm) => {
  const cases = sampleEnvironmentNames().flatMap((environment) =>
    helmReleases(samplePlatform(environment))
      .filter((r) => r.chart === 'kong' && r.chartDirectory)
      .map((release) => [`${environment} ${release.name}`, environment, release] as const),
  );

  test('every sample environment has its gateway and controller to compare', () => {
    expect(cases.length).toBeGreaterThanOrEqual(sampleEnvironmentNames().length * 2);
  });

  test.each(cases)('%s: keys in other case, two spellings, customEnv, maps and valueFrom strings', (_title, environment, release: HelmReleaseSpec) => {
    // GIVEN the release as synthesized, plus the variant's values document
    const attributes = Object.values(samplePlatform(environment).json.resource.helm_release as Record<string, Obj>).find((r) => r.name === release.name)!;
    // WHEN helm renders it
    const rendered = renderRelease(helm(), { ...release, values: [...release.values, ...extraDocument(VARIANT)] }).objects;
    // THEN the policy's settings are exactly the rendered ones, for Kong and for the controller
    const { problems, containers } = kongEnvDrift(attributes, VARIANT, rendered);
    expect(containers).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

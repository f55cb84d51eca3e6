// Differential test: the policy's model of Kong's and the controller's settings (constructs/policy/kong-effective-env.ts)
// against the KONG_* / CONTROLLER_* environment helm renders from the vendored kong chart 3.4.1, for every sample
// environment and for variants that spell settings every way the chart accepts. A new route through the chart shows
// up here as a failing test.
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { RUNTIME_VALUE, effectiveControllerSettings, effectiveKongSettings } from '../../constructs/policy/kong-effective-env';
import type { PolicySubject } from '../../constructs/policy/rule';
import { helmRelease } from '../../constructs/policy/workloads';
import { describeWithHelm } from '../support/helm';
import { sampleEnvironmentNames } from '../support/sample-synth';
import { HelmReleaseSpec, VENDORED_CHARTS_DIR, helmReleases, renderRelease, samplePlatform } from '../render/harness';

type Obj = Record<string, any>;

/** The variables the chart computes itself ($autoEnv in "kong.env"); everything else comes from env/customEnv. */
const HELPERS = fs.readFileSync(path.join(VENDORED_CHARTS_DIR, 'kong-3.4.1', 'templates', '_helpers.tpl'), 'utf8');
const AUTO_ENV = new Set([
  ...[...HELPERS.matchAll(/set \$autoEnv "([A-Z_]+)"/g)].map((m) => m[1]),
  // Written literally after "kong.env" (the chart's own, not a setting a user can reach).
  ...[...HELPERS.matchAll(/^- name: ([A-Z_]+)\n\s+value: "/gm)].map((m) => m[1]),
]);

/** Spellings an environment file can reach the chart with (through extraValues), layered over a release's values. */
const VARIANTS: Record<string, Obj> = {
  'as synthesized': {},
  'keys in other case, two spellings, customEnv, maps and valueFrom strings': {
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
  },
};

/** A release's effective values as the policy sees them, with one more values document on top. */
function modelValues(release: Obj, extra: Obj): Obj {
  const attributes = { ...release, values: [...(release.values ?? []), ...(Object.keys(extra).length ? [stringify(extra)] : [])] };
  const subject = { type: 'helm_release', path: String(release.name), construct: undefined as never, attributes, manifests: [] } as PolicySubject;
  return helmRelease(subject)!.effective;
}

/** The rendered environment of the named container of the release's Deployment, by variable name. */
function renderedEnv(objects: Obj[], container: string): Map<string, Obj> {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const spec = deployment?.spec?.template?.spec ?? {};
  const found = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((c: Obj) => c.name === container);
  return new Map(((found?.env ?? []) as Obj[]).map((e) => [String(e.name), e]));
}

/** Where model and rendering disagree, as lines (empty: they agree). */
function disagreements(model: Obj, rendered: Map<string, Obj>, prefix: string, auto: Set<string>): string[] {
  const out: string[] = [];
  const shown = (entry: Obj | undefined) => (entry === undefined ? 'nothing' : entry.valueFrom !== undefined ? RUNTIME_VALUE : JSON.stringify(entry.value ?? ''));
  for (const [setting, value] of Object.entries(model)) {
    const name = `${prefix}${setting.toUpperCase()}`;
    const entry = rendered.get(name);
    // A Terraform reference is known at apply time only; the harness renders a placeholder in its place.
    if (typeof value === 'string' && value.includes('${') && entry !== undefined) continue;
    const expected = value === RUNTIME_VALUE ? RUNTIME_VALUE : JSON.stringify(String(value));
    if (shown(entry) !== expected) out.push(`${name}: the policy reads ${expected}, the chart renders ${shown(entry)}`);
  }
  for (const name of rendered.keys()) {
    if (!name.startsWith(prefix) || auto.has(name)) continue;
    if (!(name.slice(prefix.length).toLowerCase() in model)) out.push(`${name}: rendered by the chart, unknown to the policy`);
  }
  return out;
}

describeWithHelm('the policy reads the Kong and controller settings the vendored chart renders', (helm) => {
  const cases = sampleEnvironmentNames().flatMap((environment) =>
    helmReleases(samplePlatform(environment))
      .filter((r) => r.chart === 'kong' && r.chartDirectory)
      .flatMap((release) => Object.keys(VARIANTS).map((variant) => [`${environment} ${release.name}: ${variant}`, environment, release, variant] as const)),
  );

  test('every sample environment has kong releases to compare', () => {
    expect(cases.length).toBeGreaterThanOrEqual(sampleEnvironmentNames().length * 2 * Object.keys(VARIANTS).length);
  });

  test.each(cases)('%s', (_title, environment, release: HelmReleaseSpec, variant) => {
    // GIVEN the release as synthesized, plus the variant's values document
    const attributes = Object.values(samplePlatform(environment).json.resource.helm_release as Record<string, Obj>).find((r) => r.name === release.name)!;
    const extra = VARIANTS[variant];
    const values = modelValues(attributes, extra);
    // WHEN helm renders it
    const rendered = renderRelease(helm(), { ...release, values: [...release.values, ...(Object.keys(extra).length ? [stringify(extra)] : [])] }).objects;
    // THEN the policy's settings are exactly the rendered ones, for Kong and for the controller
    const proxy = renderedEnv(rendered, 'proxy');
    const controller = renderedEnv(rendered, 'ingress-controller');
    const problems = [
      ...(proxy.size > 0 ? disagreements(effectiveKongSettings(values), proxy, 'KONG_', AUTO_ENV) : []),
      ...(controller.size > 0 ? disagreements(effectiveControllerSettings(values), controller, 'CONTROLLER_', AUTO_ENV) : []),
    ];
    expect(proxy.size + controller.size).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

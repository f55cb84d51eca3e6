// The policy's model of Kong's and the controller's settings (constructs/policy/kong-effective-env.ts) against the
// KONG_* / CONTROLLER_* environment helm renders from the vendored kong chart 3.4.1. Used by the render suite (every
// sample as synthesized) and by test/policy/kong-env-differential.test.ts (spelling variants).
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { RUNTIME_VALUE, effectiveControllerSettings, effectiveKongSettings } from '../../constructs/policy/kong-effective-env';
import type { PolicySubject } from '../../constructs/policy/rule';
import { helmRelease } from '../../constructs/policy/workloads';
import { VENDORED_CHARTS_DIR } from '../render/harness';

type Obj = Record<string, any>;

/** The variables the chart computes itself ($autoEnv in "kong.env"); everything else comes from env/customEnv. */
const HELPERS = fs.readFileSync(path.join(VENDORED_CHARTS_DIR, 'kong-3.4.1', 'templates', '_helpers.tpl'), 'utf8');
export const AUTO_ENV = new Set([
  ...[...HELPERS.matchAll(/set \$autoEnv "([A-Z_]+)"/g)].map((m) => m[1]),
  // Written literally after "kong.env" (the chart's own, not a setting a user can reach).
  ...[...HELPERS.matchAll(/^- name: ([A-Z_]+)\n\s+value: "/gm)].map((m) => m[1]),
]);

/** A release's effective values as the policy sees them, with one more values document on top. */
export function modelValues(release: Obj, extra: Obj): Obj {
  const attributes = { ...release, values: [...(release.values ?? []), ...(Object.keys(extra).length ? [stringify(extra)] : [])] };
  const subject = { type: 'helm_release', path: String(release.name), construct: undefined as never, attributes, manifests: [] } as PolicySubject;
  return helmRelease(subject)!.effective;
}

/** The rendered environment of the named container of the release's Deployment, by variable name. */
export function renderedEnv(objects: Obj[], container: string): Map<string, Obj> {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const spec = deployment?.spec?.template?.spec ?? {};
  const found = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((c: Obj) => c.name === container);
  return new Map(((found?.env ?? []) as Obj[]).map((e) => [String(e.name), e]));
}

/** Where model and rendering disagree, as lines (empty: they agree). */
export function disagreements(model: Obj, rendered: Map<string, Obj>, prefix: string, auto: Set<string>): string[] {
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

/**
 * Where the model and the rendered Deployment disagree for one kong chart release (`attributes`: the synthesized
 * helm_release, `extra` a values document layered on top), as lines; empty when they agree.
 */
export function kongEnvDrift(attributes: Obj, extra: Obj, rendered: Obj[]): { problems: string[]; containers: number } {
  const values = modelValues(attributes, extra);
  const proxy = renderedEnv(rendered, 'proxy');
  const controller = renderedEnv(rendered, 'ingress-controller');
  return {
    containers: (proxy.size > 0 ? 1 : 0) + (controller.size > 0 ? 1 : 0),
    problems: [
      ...(proxy.size > 0 ? disagreements(effectiveKongSettings(values), proxy, 'KONG_', AUTO_ENV) : []),
      ...(controller.size > 0 ? disagreements(effectiveControllerSettings(values), controller, 'CONTROLLER_', AUTO_ENV) : []),
    ],
  };
}

/** The values document `extra` as the test layers it over a release. */
export const extraDocument = (extra: Obj): string[] => (Object.keys(extra).length ? [stringify(extra)] : []);

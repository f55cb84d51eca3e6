/**
 * The Kong and controller settings a release really gets, read the way the kong chart 3.4.1
 * builds the container environment and the way Kong and KIC read it back:
 *
 * - chart `env.<key>` becomes `KONG_<KEY>` (upper-cased, `_helpers.tpl` "kong.env"), and
 *   `ingressController.env.<key>` becomes `CONTROLLER_<KEY>`;
 * - `customEnv.<key>` / `ingressController.customEnv.<key>` become `<KEY>` verbatim (upper-cased)
 *   and win over both (`mergeOverwrite $autoEnv $userEnv $customEnv`);
 * - Kong reads `KONG_<NAME>` as the setting `<name>` in lower case, KIC `CONTROLLER_<NAME>` likewise.
 *
 * So `env.TRUSTED_IPS`, `env.Trusted_Ips` and `customEnv.KONG_TRUSTED_IPS` are all
 * `trusted_ips`, and a guardrail that reads the result cannot be passed by a new spelling.
 * Values are read the way the chart's "kong.renderEnv" writes them into the pod spec: a map is
 * written out as the env entry's own fields (`{value: X}` is the literal X; `{valueFrom: ...}` is
 * read at run time), a string that mentions `valueFrom` is pasted in raw as YAML (so
 * `"value: 0.0.0.0/0 # valueFrom"` is the literal 0.0.0.0/0), anything else is quoted. Only a real
 * `valueFrom` is returned as an unknown token. test/policy/kong-env-differential.test.ts compares
 * the result with what helm renders from the vendored chart.
 */
import { parse } from 'yaml';

type Values = Record<string, any>;
const isObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Stands for a value only known at run time (a `valueFrom` reference); `isUnknown` treats it as such. */
export const RUNTIME_VALUE = '${runtime}';

function effectiveEnv(env: unknown, customEnv: unknown, prefix: 'KONG_' | 'CONTROLLER_'): Values {
  const variables = new Map<string, unknown>();
  // Go templates range over a map in sorted key order, so when two spellings meet, the later key wins.
  const sorted = (map: Values) => Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (isObject(env)) for (const key of sorted(env)) variables.set(`${prefix}${key.toUpperCase()}`, env[key]);
  if (isObject(customEnv)) for (const key of sorted(customEnv)) variables.set(key.toUpperCase(), customEnv[key]);
  const settings: Values = {};
  for (const [name, value] of variables) {
    if (!name.startsWith(prefix)) continue;
    settings[name.slice(prefix.length).toLowerCase()] = renderedValue(value);
  }
  return settings;
}

/** The env entry fields a value becomes in the pod spec, read back as the variable's value. */
function renderedValue(value: unknown): unknown {
  let entry: unknown = value;
  if (typeof value === 'string' && /valueFrom/.test(value)) {
    try {
      entry = parse(value);
    } catch {
      return RUNTIME_VALUE; // helm would render invalid YAML: the release fails, nothing is deployed
    }
    if (!isObject(entry)) return RUNTIME_VALUE;
  }
  if (!isObject(entry)) return value;
  if (entry.valueFrom !== undefined) return RUNTIME_VALUE;
  return entry.value ?? '';
}

/** Kong's own settings (`trusted_ips`, `admin_listen`, ...) from a kong chart release's values. */
export function effectiveKongSettings(values: Values): Values {
  return effectiveEnv(values.env, values.customEnv, 'KONG_');
}

/** The ingress controller's settings (`kong_admin_tls_skip_verify`, ...) from a kong chart release's values. */
export function effectiveControllerSettings(values: Values): Values {
  const controller = isObject(values.ingressController) ? values.ingressController : {};
  return effectiveEnv(controller.env, controller.customEnv, 'CONTROLLER_');
}

/**
 * The release values with `env` and `ingressController.env` replaced by the effective settings,
 * so rules written against `v.env.<setting>` judge what Kong and the controller read.
 */
export function withEffectiveKongEnv(values: Values): Values {
  const controller = isObject(values.ingressController) ? values.ingressController : undefined;
  return {
    ...values,
    env: effectiveKongSettings(values),
    ...(controller ? { ingressController: { ...controller, env: effectiveControllerSettings(values) } } : {}),
  };
}

/** True for every spelling the controller (Go `strconv.ParseBool`) reads as true: 1, t, T, true, TRUE, True. */
export function controllerReadsTrue(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value.trim()));
}

/** True for every spelling Kong's configuration loader reads as true ("on" and "true", any case). */
export function kongReadsTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && ['on', 'true'].includes(value.trim().toLowerCase()));
}

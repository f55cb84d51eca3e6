import { VAULT_REFERENCE, isSecretKey } from '../constructs/policy';
import { RuleViolation } from './rules';
import { describeValue } from './errors';

/**
 * Checks that keep the environment file from smuggling anything past the typed schema:
 *
 * - no Terraform template sequences (`${`, `%{`) in any string or key: every string ends up in
 *   the generated Terraform JSON, where Terraform would evaluate them as expressions;
 * - no secrets written inline in custom plugin config (`api_key`, `password`, `client_secret`, ...):
 *   they would land in the state, the plan and the KongPlugin resource; a Kong vault reference
 *   (`{vault://env/...}`) takes the value from the gateway's environment instead;
 * - in production, images set through `gateway.extraValues` / `controller.extraValues` come from
 *   the private registry (`images.registry`).
 */

type Raw = Record<string, any>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value written inline (not a vault reference, not empty). */
function inlineSecret(value: unknown): boolean {
  if (typeof value === 'string') return value !== '' && !VAULT_REFERENCE.test(value.trim());
  if (typeof value === 'number') return true;
  if (Array.isArray(value)) return value.some(inlineSecret);
  return false;
}

function walk(node: unknown, path: string, visit: (path: string, key: string | undefined, value: unknown) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      visit(`${path}.${i}`, undefined, item);
      walk(item, `${path}.${i}`, visit);
    });
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      const child = path ? `${path}.${key}` : key;
      visit(child, key, value);
      walk(value, child, visit);
    }
  }
}

const TEMPLATE_SEQUENCE = /\$\{|%\{/;

/** Strings and keys with Terraform template sequences. */
function interpolationRules(env: Raw): RuleViolation[] {
  const out: RuleViolation[] = [];
  walk(env, '', (path, key, value) => {
    if (key !== undefined && TEMPLATE_SEQUENCE.test(key)) {
      out.push({ path, message: 'key must not contain "${" or "%{": Terraform would evaluate it as an expression in the generated configuration' });
    }
    if (typeof value === 'string' && TEMPLATE_SEQUENCE.test(value)) {
      out.push({ path, message: `must not contain "\${" or "%{": Terraform would evaluate it as an expression in the generated configuration, got ${describeValue(value)}` });
    }
  });
  return out;
}

/** Secret-looking keys with inline values in the config of custom plugins, wherever a plugin is declared. */
function pluginSecretRules(env: Raw): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isObject(env.apis)) return out;
  walk(env.apis, 'apis', (path, _key, value) => {
    if (!isObject(value) || value.plugin !== 'custom' || !isObject(value.options) || !isObject(value.options.config)) return;
    const plugin = typeof value.options.name === 'string' ? value.options.name : 'custom';
    walk(value.options.config, `${path}.options.config`, (configPath, configKey, configValue) => {
      if (configKey === undefined || !isSecretKey(configKey) || !inlineSecret(configValue)) return;
      const size =
        typeof configValue === 'string' ? `a literal string of ${configValue.length} characters` : `a literal ${Array.isArray(configValue) ? 'list' : typeof configValue}`;
      out.push({
        path: configPath,
        message:
          `must not hold a secret inline (plugin "${plugin}", key "${configKey}"): it would be stored in the Terraform state and the KongPlugin resource; ` +
          `reference it with a Kong vault reference such as "{vault://env/<variable>}" fed from a Secret, got ${size}`,
      });
    });
  });
  return out;
}

/** Image references set through the Helm escape hatches. */
function extraValuesImageRules(env: Raw): RuleViolation[] {
  const out: RuleViolation[] = [];
  const registry = isObject(env.images) && typeof env.images.registry === 'string' ? env.images.registry : undefined;
  if (env.production !== true || !registry) return out;
  for (const section of ['gateway', 'controller']) {
    const extraValues = isObject(env[section]) ? env[section].extraValues : undefined;
    if (!isObject(extraValues)) continue;
    walk(extraValues, `${section}.extraValues`, (path, key, value) => {
      if (typeof value !== 'string' || key === undefined) return;
      const parentKey = path.split('.').slice(-2, -1)[0] ?? '';
      const isImage = key === 'unifiedRepoTag' || key === 'image' || (key === 'repository' && /image$/i.test(parentKey));
      if (isImage && !value.startsWith(`${registry}/`)) {
        out.push({ path, message: `must be an image from the private registry "${registry}" (images.registry) in a production environment, got ${describeValue(value)}` });
      }
    });
  }
  return out;
}

/** `YYYY-MM-DD` strings that are no calendar date (2026-02-30 would silently mean 2026-03-02). */
function waiverDateRules(env: Raw): RuleViolation[] {
  const waivers = isObject(env.policy) && Array.isArray(env.policy.waivers) ? env.policy.waivers : [];
  const out: RuleViolation[] = [];
  waivers.forEach((waiver: unknown, i: number) => {
    const expires = isObject(waiver) ? waiver.expires : undefined;
    if (typeof expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(expires)) return;
    const date = new Date(`${expires}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== expires) {
      out.push({ path: `policy.waivers.${i}.expires`, message: `must be a real calendar date, got ${describeValue(expires)}` });
    }
  });
  return out;
}

/** Every hardening check of an environment file (raw parsed YAML; types checked defensively). */
export function hardeningRules(env: unknown): RuleViolation[] {
  if (!isObject(env)) return [];
  return [...interpolationRules(env), ...pluginSecretRules(env), ...extraValuesImageRules(env), ...waiverDateRules(env)];
}

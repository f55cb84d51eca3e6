import { z } from 'zod';

/**
 * What one Kong plugin instance becomes: the plugin name and its Kong `config` (snake_case, as the
 * Admin API takes it), plus secret-sourced patches. Builders in this folder produce it from typed,
 * validated camelCase options; `plugin-resources.ts` turns it into a KongPlugin or KongClusterPlugin.
 */
export interface KongPluginSpec {
  /** Kong plugin name, e.g. `key-auth`. */
  readonly plugin: string;
  /** Kong `config` (snake_case keys). */
  readonly config: Record<string, unknown>;
  /**
   * Values taken from Secrets at reconcile time (KongPlugin `configPatches`), so a password never
   * appears in the resource. @default none
   */
  readonly configPatches?: ConfigPatch[];
  /** True for plugins that identify the caller (key-auth, jwt, openid-connect, mtls-auth). */
  readonly authenticates: boolean;
  /** Legal but risky settings, for `Annotations.addWarning` by the construct that uses the spec. @default none */
  readonly warnings?: string[];
}

/** Facts a builder needs besides its options. */
export interface PluginBuildContext {
  /** Production environment: risky settings become errors instead of warnings. */
  readonly production: boolean;
}

/** A JSON patch whose value comes from a key of a Secret in the plugin's namespace. */
export interface ConfigPatch {
  /** JSON pointer into `config`, e.g. `/redis/password`. */
  readonly path: string;
  /** Secret name and key holding the value. */
  readonly secretKeyRef: { readonly name: string; readonly key: string };
}

/** Names of the plugins this module types. `custom` stands for any plugin from `plugins/`. */
export const TYPED_PLUGINS = [
  'key-auth',
  'jwt',
  'openid-connect',
  'mtls-auth',
  'acl',
  'cors',
  'request-transformer',
  'rate-limiting',
  'ip-restriction',
  'prometheus',
  'datadog',
  'opentelemetry',
  'tenant-header',
] as const;
export type TypedPluginName = (typeof TYPED_PLUGINS)[number];

/** Plugins that only exist in Kong Gateway Enterprise. */
export const ENTERPRISE_PLUGINS: readonly string[] = ['openid-connect', 'mtls-auth', 'header-cert-auth'];
/** Plugins that authenticate the caller (an API needs one of them unless it is public). */
export const AUTHENTICATION_PLUGINS: readonly string[] = ['key-auth', 'jwt', 'openid-connect', 'mtls-auth', 'header-cert-auth'];

/**
 * Parses builder options with the plugin's schema; a bad option throws an Error naming the plugin,
 * the field, the value and what is allowed (the same messages the environment file gets).
 */
export function parseOptions<S extends z.ZodTypeAny>(plugin: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const at = issue.path.length > 0 ? issue.path.join('.') : '(options)';
    const got = valueAt(options, issue.path);
    const received = got === undefined ? '' : `, got ${JSON.stringify(got)}`;
    return issue.code === 'unrecognized_keys' ? `${at}: unknown option(s) ${issue.keys.join(', ')}` : `${at}: ${issue.message}${received}`;
  });
  throw new Error(`${plugin} plugin: invalid options: ${problems.join('; ')}`);
}

function valueAt(value: unknown, path: Array<string | number>): unknown {
  let current: any = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[part];
  }
  return current;
}

/** Drops undefined entries so the rendered config holds only what was set or defaulted. */
export function compact<T extends Record<string, unknown>>(config: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}

/** HTTP header name (RFC 7230 token). */
export const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name such as X-Api-Key');
/** A consumer or consumer-group reference by Kubernetes name. */
export const kubernetesName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS label (lowercase letters, digits and '-', at most 63 characters)");
/** An http(s) URL. */
export const httpUrl = z.string().url('must be a URL').refine((url) => /^https?:\/\//.test(url), 'must be an http:// or https:// URL');

import { z } from 'zod';
import { KongPluginSpec, PluginBuildContext, compact, headerName, parseOptions } from './plugin-spec';

const ORIGIN = /^https?:\/\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/;
const METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'] as const;

/** Options of the `cors` plugin. */
export const corsOptionsSchema = z
  .object({
    origins: z
      .array(
        z
          .string()
          .refine((o) => o === '*' || ORIGIN.test(o), 'must be "*" or an exact origin such as https://app.example.com (scheme, host, optional port; no path, no regex)'),
      )
      .min(1)
      .describe('Allowed origins: exact origins such as https://app.example.com, or "*" (never with credentials).'),
    methods: z.array(z.enum(METHODS)).min(1).default(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']).describe('Allowed methods. @default GET, HEAD, PUT, PATCH, POST, DELETE'),
    headers: z.array(headerName).optional().describe('Allowed request headers. @default the preflight Access-Control-Request-Headers'),
    exposedHeaders: z.array(headerName).default([]).describe('Response headers the browser may read. @default []'),
    credentials: z.boolean().default(false).describe('Send Access-Control-Allow-Credentials (cookies, client certificates). @default false'),
    maxAge: z.number().int().min(0).max(86400).default(600).describe('Seconds a preflight result may be cached. @default 600'),
    preflightContinue: z.boolean().default(false).describe('Proxy OPTIONS preflight requests to the upstream. @default false'),
  })
  .strict();

export type CorsOptions = z.input<typeof corsOptionsSchema>;

/** True when the options let any origin send credentialed requests (Kong then reflects the caller's Origin). */
export function corsWildcardWithCredentials(options: { origins?: unknown; credentials?: unknown }): boolean {
  return options.credentials === true && Array.isArray(options.origins) && options.origins.includes('*');
}

/**
 * Indexes of `http://` origins while credentials are on (the schema admits exact origins only). A
 * page served over http can be altered by anyone on the path, who then makes credentialed calls in
 * the user's name.
 */
export function corsPlainHttpOriginsWithCredentials(options: { origins?: unknown; credentials?: unknown }): number[] {
  if (options.credentials !== true || !Array.isArray(options.origins)) return [];
  return options.origins.flatMap((origin, i) => (typeof origin === 'string' && /^http:\/\//i.test(origin.trim()) ? [i] : []));
}

/**
 * `cors`. `*` with credentials makes Kong reflect any Origin with Allow-Credentials, so any web
 * site can call the API with the user's cookies: refused in production, a warning elsewhere.
 */
export function corsPlugin(options: CorsOptions, context: PluginBuildContext): KongPluginSpec {
  const o = parseOptions('cors', corsOptionsSchema, options);
  const warnings: string[] = [];
  if (corsWildcardWithCredentials(o)) {
    const message = 'cors plugin: origins "*" with credentials true lets any web site make credentialed calls; list the exact origins';
    if (context.production) throw new Error(`${message} (refused in a production environment)`);
    warnings.push(message);
  }
  return {
    plugin: 'cors',
    authenticates: false,
    warnings,
    config: compact({
      origins: o.origins,
      methods: o.methods,
      headers: o.headers,
      exposed_headers: o.exposedHeaders,
      credentials: o.credentials,
      max_age: o.maxAge,
      preflight_continue: o.preflightContinue,
    }),
  };
}

import { z } from 'zod';
import { KongPluginSpec, compact, headerName, parseOptions } from './plugin-spec';

/** Options of the `key-auth` plugin (API keys from KongConsumer credentials). */
export const keyAuthOptionsSchema = z
  .object({
    keyNames: z
      .array(headerName)
      .min(1)
      .default(['apikey'])
      .describe('Header (or query/body parameter) names the key is read from. @default ["apikey"]'),
    hideCredentials: z
      .boolean()
      .default(true)
      .describe('Strip the key from the request before it reaches the upstream. @default true (the upstream never sees a key)'),
    keyInHeader: z.boolean().default(true).describe('Accept the key in a request header. @default true'),
    keyInQuery: z
      .boolean()
      .default(false)
      .describe('Accept the key in the query string. Off by default: query strings end up in access logs. @default false'),
    keyInBody: z.boolean().default(false).describe('Accept the key in a form body. @default false'),
    runOnPreflight: z
      .boolean()
      .default(true)
      .describe('Authenticate CORS preflight (OPTIONS) requests too; set false when cors runs before key-auth. @default true'),
    anonymous: z
      .string()
      .min(1)
      .optional()
      .describe('Username of a consumer used when no key is sent (turns authentication optional). @default none (no key: 401)'),
  })
  .strict();

export type KeyAuthOptions = z.input<typeof keyAuthOptionsSchema>;

/** `key-auth`: API keys, kept out of the upstream request by default. */
export function keyAuthPlugin(options: KeyAuthOptions = {}): KongPluginSpec {
  const o = parseOptions('key-auth', keyAuthOptionsSchema, options);
  return {
    plugin: 'key-auth',
    authenticates: true,
    config: compact({
      key_names: o.keyNames,
      hide_credentials: o.hideCredentials,
      key_in_header: o.keyInHeader,
      key_in_query: o.keyInQuery,
      key_in_body: o.keyInBody,
      run_on_preflight: o.runOnPreflight,
      anonymous: o.anonymous,
    }),
  };
}

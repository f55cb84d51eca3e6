import { z } from 'zod';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

const HEADER_VALUE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+:.*$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const RENAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+:[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const KEY_VALUE = /^[^:]+:.*$/;

const nameValues = (what: string) => z.array(z.string().regex(HEADER_VALUE, `must be "<${what}>:<value>"`));
const pairs = (what: string) => z.array(z.string().regex(KEY_VALUE, `must be "<${what}>:<value>"`));

const withValues = z
  .object({
    headers: nameValues('header').default([]).describe('"Header:value" entries.'),
    querystring: pairs('parameter').default([]).describe('"param:value" entries.'),
    body: pairs('parameter').default([]).describe('"param:value" entries (form or JSON bodies).'),
  })
  .strict();

/** Options of the `request-transformer` plugin. */
export const requestTransformerOptionsSchema = z
  .object({
    httpMethod: z.enum(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']).optional().describe('Method sent upstream. @default unchanged'),
    remove: z
      .object({
        headers: z.array(z.string().regex(HEADER_NAME, 'must be a header name')).default([]).describe('Header names to drop.'),
        querystring: z.array(z.string().min(1)).default([]).describe('Query parameters to drop.'),
        body: z.array(z.string().min(1)).default([]).describe('Body parameters to drop.'),
      })
      .strict()
      .default({})
      .describe('Removed before anything else.'),
    rename: z
      .object({
        headers: z.array(z.string().regex(RENAME, 'must be "<old>:<new>"')).default([]).describe('"Old:New" header renames.'),
        querystring: pairs('old').default([]).describe('"old:new" parameter renames.'),
        body: pairs('old').default([]).describe('"old:new" parameter renames.'),
      })
      .strict()
      .default({})
      .describe('Renamed after removal.'),
    replace: withValues
      .extend({ uri: z.string().startsWith('/').optional().describe('Upstream path replacing the request path.') })
      .default({})
      .describe('Values replaced only when present.'),
    add: withValues.default({}).describe('Values added only when absent.'),
    append: withValues.default({}).describe('Values appended (headers may repeat).'),
  })
  .strict();

export type RequestTransformerOptions = z.input<typeof requestTransformerOptionsSchema>;

/** `request-transformer`: reshape the upstream request. */
export function requestTransformerPlugin(options: RequestTransformerOptions): KongPluginSpec {
  const o = parseOptions('request-transformer', requestTransformerOptionsSchema, options);
  const nothing = [o.remove, o.rename, o.replace, o.add, o.append].every((part) =>
    Object.values(part).every((v) => v === undefined || (Array.isArray(v) && v.length === 0)),
  );
  if (nothing && o.httpMethod === undefined) {
    throw new Error('request-transformer plugin: invalid options: nothing to transform (set httpMethod, remove, rename, replace, add or append)');
  }
  return {
    plugin: 'request-transformer',
    authenticates: false,
    config: compact({
      http_method: o.httpMethod,
      remove: o.remove,
      rename: o.rename,
      replace: compact({ ...o.replace }),
      add: o.add,
      append: o.append,
    }),
  };
}

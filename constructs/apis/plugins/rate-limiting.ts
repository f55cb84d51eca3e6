import { z } from 'zod';
import { KongPluginSpec, PluginBuildContext, compact, headerName, parseOptions } from './plugin-spec';

const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
const limit = (period: string) => z.number().int().min(1).optional().describe(`Requests allowed per ${period}.`);

const redisSchema = z
  .object({
    host: z.string().min(1).describe('Redis host name.'),
    port: z.number().int().min(1).max(65535).default(6379).describe('Redis port. @default 6379'),
    database: z.number().int().min(0).default(0).describe('Redis database number. @default 0'),
    timeoutMs: z.number().int().min(1).default(2000).describe('Connect/send/read timeout in milliseconds. @default 2000'),
    ssl: z.boolean().default(true).describe('TLS to Redis. Production refuses false. @default true'),
    sslVerify: z.boolean().default(true).describe('Verify the Redis server certificate. Production refuses false. @default true'),
    serverName: z.string().min(1).optional().describe('SNI / name checked on the Redis certificate. @default host'),
    username: z.string().min(1).optional().describe('Redis ACL user name. @default none'),
    passwordSecret: z
      .object({
        name: z.string().min(1).describe('Secret name, in the plugin namespace.'),
        key: z.string().min(1).default('password').describe('Key in the Secret. @default password'),
      })
      .strict()
      .optional()
      .describe('Existing Secret holding the Redis password (patched in by KIC; never in this file). @default none'),
  })
  .strict();

/** Options of the `rate-limiting` plugin. */
export const rateLimitingOptionsSchema = z
  .object({
    second: limit('second'),
    minute: limit('minute'),
    hour: limit('hour'),
    day: limit('day'),
    month: limit('month'),
    year: limit('year'),
    limitBy: z
      .enum(['consumer', 'credential', 'ip', 'service', 'header', 'path', 'consumer-group'])
      .default('consumer')
      .describe('What a counter is kept for. @default consumer'),
    headerName: headerName.optional().describe('Header counted by when limitBy is header.'),
    path: z.string().startsWith('/').optional().describe('Path counted by when limitBy is path.'),
    policy: z
      .enum(['local', 'redis'])
      .default('local')
      .describe('local: a counter per gateway pod (limits multiply by the pod count). redis: shared counters. @default local'),
    redis: redisSchema.optional().describe('Redis connection; required when policy is redis.'),
    faultTolerant: z.boolean().default(true).describe('Keep proxying when the counter store fails. @default true'),
    hideClientHeaders: z.boolean().default(false).describe('Do not send X-RateLimit-* headers to the client. @default false'),
    errorCode: z.number().int().min(400).max(599).default(429).describe('Status returned over the limit. @default 429'),
    errorMessage: z.string().min(1).default('API rate limit exceeded').describe('Message returned over the limit.'),
  })
  .strict();

export type RateLimitingOptions = z.input<typeof rateLimitingOptionsSchema>;

/** `rate-limiting`, local or redis counters; the Redis password only ever comes from a Secret. */
export function rateLimitingPlugin(options: RateLimitingOptions, context: PluginBuildContext): KongPluginSpec {
  const o = parseOptions('rate-limiting', rateLimitingOptionsSchema, options);
  const fail = (message: string): never => {
    throw new Error(`rate-limiting plugin: invalid options: ${message}`);
  };
  const set = PERIODS.filter((p) => o[p] !== undefined);
  if (set.length === 0) fail(`set at least one limit (${PERIODS.join(', ')})`);
  for (let i = 0; i < set.length - 1; i++) {
    if (o[set[i + 1]]! < o[set[i]]!) fail(`${set[i + 1]} (${o[set[i + 1]]}) must not be lower than ${set[i]} (${o[set[i]]})`);
  }
  if (o.limitBy === 'header' && !o.headerName) fail('headerName is required when limitBy is header');
  if (o.limitBy === 'path' && !o.path) fail('path is required when limitBy is path');
  if (o.policy === 'redis' && !o.redis) fail('redis is required when policy is redis');
  if (o.policy === 'local' && o.redis) fail('redis is set but policy is local; set policy: redis or drop redis');
  if (context.production && o.redis && (!o.redis.ssl || !o.redis.sslVerify)) {
    fail('redis.ssl and redis.sslVerify must stay true in a production environment');
  }
  const warnings = o.policy === 'local' ? ['rate-limiting plugin: policy local keeps one counter per gateway pod; the effective limit is the limit times the pod count'] : [];
  const redis = o.redis;
  return {
    plugin: 'rate-limiting',
    authenticates: false,
    warnings,
    config: compact({
      ...Object.fromEntries(set.map((p) => [p, o[p]])),
      limit_by: o.limitBy,
      header_name: o.headerName,
      path: o.path,
      policy: o.policy,
      fault_tolerant: o.faultTolerant,
      hide_client_headers: o.hideClientHeaders,
      error_code: o.errorCode,
      error_message: o.errorMessage,
      redis: redis
        ? compact({
            host: redis.host,
            port: redis.port,
            database: redis.database,
            timeout: redis.timeoutMs,
            ssl: redis.ssl,
            ssl_verify: redis.sslVerify,
            server_name: redis.serverName,
            username: redis.username,
          })
        : undefined,
    }),
    configPatches: redis?.passwordSecret ? [{ path: '/redis/password', secretKeyRef: { name: redis.passwordSecret.name, key: redis.passwordSecret.key } }] : undefined,
  };
}

import {
  aclPlugin,
  corsPlugin,
  customPlugin,
  datadogPlugin,
  ipRestrictionPlugin,
  jwtPlugin,
  keyAuthPlugin,
  kongPluginObject,
  globalKongClusterPluginObject,
  kongPluginCelProblems,
  mtlsAuthPlugin,
  openidConnectPlugin,
  opentelemetryPlugin,
  prometheusPlugin,
  rateLimitingPlugin,
  requestTransformerPlugin,
  tenantHeaderPlugin,
  KongPluginSpec,
} from '../../constructs/apis';
import { kongCrds } from './fixtures';

const dev = { production: false };
const prod = { production: true };

/** Every spec must also make a KongPlugin and a KongClusterPlugin the CRDs (and their CEL rules) accept. */
function expectValidResources(spec: KongPluginSpec): void {
  const crds = kongCrds();
  for (const object of [kongPluginObject(spec, 'p', 'payments'), globalKongClusterPluginObject(spec, 'p', 'kong', 'kong')]) {
    expect(crds.problems(object)).toEqual([]);
    expect(kongPluginCelProblems(object)).toEqual([]);
  }
}

describe('key-auth', () => {
  test('hides credentials and refuses keys in the query string by default', () => {
    const spec = keyAuthPlugin();
    expect(spec).toMatchObject({ plugin: 'key-auth', authenticates: true });
    expect(spec.config).toEqual({ key_names: ['apikey'], hide_credentials: true, key_in_header: true, key_in_query: false, key_in_body: false, run_on_preflight: true });
    expectValidResources(spec);
  });
  test('rejects an invalid header name and unknown options', () => {
    expect(() => keyAuthPlugin({ keyNames: ['x api key'] })).toThrow(/key-auth plugin: invalid options: keyNames.0: must be an HTTP header name.*got "x api key"/);
    expect(() => keyAuthPlugin({ hideCredential: false } as any)).toThrow(/unknown option\(s\) hideCredential/);
  });
});

describe('jwt', () => {
  test('verifies exp, caps lifetime and reads tokens from the Authorization header only', () => {
    const spec = jwtPlugin();
    expect(spec.config).toMatchObject({ claims_to_verify: ['exp'], maximum_expiration: 3600, header_names: ['authorization'], uri_param_names: [], key_claim_name: 'iss' });
    expect(spec.authenticates).toBe(true);
    expectValidResources(spec);
  });
  test('refuses turning off every claim check and a lifetime cap without exp', () => {
    expect(() => jwtPlugin({ claimsToVerify: [] })).toThrow(/claimsToVerify: must verify at least "exp"/);
    expect(() => jwtPlugin({ claimsToVerify: ['nbf'] })).toThrow(/claimsToVerify: must include "exp" while maximumExpiration is 3600/);
  });
});

describe('openid-connect', () => {
  test('bearer validation against the issuer, no client secret', () => {
    const spec = openidConnectPlugin({ issuer: 'https://idp.example.com/realms/a', audienceRequired: ['payments'], consumerClaim: ['sub'] });
    expect(spec.config).toEqual({
      issuer: 'https://idp.example.com/realms/a',
      auth_methods: ['bearer'],
      bearer_token_param_type: ['header'],
      audience_required: ['payments'],
      consumer_claim: ['sub'],
      consumer_by: ['username', 'custom_id'],
      hide_credentials: true,
    });
    expectValidResources(spec);
  });
  test('refuses a plaintext issuer', () => {
    expect(() => openidConnectPlugin({ issuer: 'http://idp.example.com' })).toThrow(/issuer: must be an https:\/\/ URL/);
  });
});

describe('mtls-auth', () => {
  test('maps CA certificate names to Kong ids', () => {
    const spec = mtlsAuthPlugin({ caCertificates: ['partners'] }, (name) => `id-of-${name}`);
    expect(spec.config).toMatchObject({ ca_certificates: ['id-of-partners'], revocation_check_mode: 'IGNORE_CA_ERROR', skip_consumer_lookup: false });
    expectValidResources(spec);
  });
  test('needs at least one CA certificate', () => {
    expect(() => mtlsAuthPlugin({ caCertificates: [] }, (n) => n)).toThrow(/caCertificates: must name at least one CA certificate/);
  });
});

describe('acl', () => {
  test('allow list, groups header hidden', () => {
    const spec = aclPlugin({ allow: ['payments-read'] });
    expect(spec.config).toEqual({ allow: ['payments-read'], hide_groups_header: true, include_consumer_groups: false });
    expectValidResources(spec);
  });
  test('needs exactly one of allow or deny', () => {
    expect(() => aclPlugin({})).toThrow(/set exactly one of allow or deny/);
    expect(() => aclPlugin({ allow: ['a'], deny: ['b'] })).toThrow(/set exactly one of allow or deny/);
  });
});

describe('cors', () => {
  test('exact origins with credentials', () => {
    const spec = corsPlugin({ origins: ['https://app.example.com'], credentials: true }, prod);
    expect(spec.config).toMatchObject({ origins: ['https://app.example.com'], credentials: true, max_age: 600 });
    expect(spec.warnings).toEqual([]);
    expectValidResources(spec);
  });
  test('wildcard origin with credentials: refused in production, a warning elsewhere', () => {
    expect(() => corsPlugin({ origins: ['*'], credentials: true }, prod)).toThrow(/origins "\*" with credentials true.*refused in a production environment/);
    expect(corsPlugin({ origins: ['*'], credentials: true }, dev).warnings).toEqual([expect.stringContaining('any web site')]);
  });
  test('rejects regex and path origins', () => {
    expect(() => corsPlugin({ origins: ['https://.*\\.example\\.com'] }, dev)).toThrow(/origins.0: must be "\*" or an exact origin/);
    expect(() => corsPlugin({ origins: ['https://app.example.com/path'] }, dev)).toThrow(/origins.0/);
  });
});

describe('request-transformer', () => {
  test('renders the transformation lists', () => {
    const spec = requestTransformerPlugin({ add: { headers: ['X-Platform:kong'] }, remove: { headers: ['Cookie'] }, replace: { uri: '/internal' } });
    expect(spec.config).toMatchObject({ add: { headers: ['X-Platform:kong'], querystring: [], body: [] }, remove: { headers: ['Cookie'] }, replace: { uri: '/internal' } });
    expectValidResources(spec);
  });
  test('rejects a malformed header entry and an empty transformation', () => {
    expect(() => requestTransformerPlugin({ add: { headers: ['X-Platform'] } })).toThrow(/add.headers.0: must be "<header>:<value>"/);
    expect(() => requestTransformerPlugin({})).toThrow(/nothing to transform/);
  });
});

describe('rate-limiting', () => {
  test('local policy with a warning about per-pod counters', () => {
    const spec = rateLimitingPlugin({ minute: 100, hour: 1000 }, dev);
    expect(spec.config).toMatchObject({ minute: 100, hour: 1000, policy: 'local', limit_by: 'consumer', error_code: 429 });
    expect(spec.warnings).toEqual([expect.stringContaining('one counter per gateway pod')]);
    expectValidResources(spec);
  });
  test('redis policy: TLS on, password patched in from a Secret, never in config', () => {
    const spec = rateLimitingPlugin({ minute: 100, policy: 'redis', redis: { host: 'redis.cache', passwordSecret: { name: 'redis-auth' } } }, prod);
    expect(spec.config.redis).toEqual({ host: 'redis.cache', port: 6379, database: 0, timeout: 2000, ssl: true, ssl_verify: true });
    expect(JSON.stringify(spec.config)).not.toContain('password');
    const object = kongPluginObject(spec, 'rl', 'payments');
    expect(object.configPatches).toEqual([{ path: '/redis/password', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } }]);
    const global = globalKongClusterPluginObject(spec, 'rl', 'kong', 'kong');
    expect(global.configPatches).toEqual([{ path: '/redis/password', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password', namespace: 'kong' } } }]);
    expectValidResources(spec);
  });
  test('rejects missing limits, decreasing limits, redis without TLS in production, header without name', () => {
    expect(() => rateLimitingPlugin({}, dev)).toThrow(/set at least one limit/);
    expect(() => rateLimitingPlugin({ minute: 100, hour: 50 }, dev)).toThrow(/hour \(50\) must not be lower than minute \(100\)/);
    expect(() => rateLimitingPlugin({ minute: 1, policy: 'redis', redis: { host: 'r', ssl: false } }, prod)).toThrow(/must stay true in a production/);
    expect(() => rateLimitingPlugin({ minute: 1, limitBy: 'header' }, dev)).toThrow(/headerName is required/);
    expect(() => rateLimitingPlugin({ minute: 1, policy: 'cluster' as any }, dev)).toThrow(/policy: Invalid enum value/);
  });
});

describe('ip-restriction', () => {
  test('allow list', () => {
    const spec = ipRestrictionPlugin({ allow: ['10.0.0.0/8', '192.168.1.7'] });
    expect(spec.config).toEqual({ allow: ['10.0.0.0/8', '192.168.1.7'], status: 403, message: 'Forbidden' });
    expectValidResources(spec);
  });
  test('rejects a bad address, an empty rule and allow-everyone', () => {
    expect(() => ipRestrictionPlugin({ allow: ['10.0.0.300/8'] })).toThrow(/allow.0: must be an IP address or CIDR/);
    expect(() => ipRestrictionPlugin({})).toThrow(/set allow, deny or both/);
    expect(() => ipRestrictionPlugin({ allow: ['0.0.0.0/0'] })).toThrow(/allows everyone/);
  });
});

describe('observability plugins', () => {
  test('prometheus, datadog and opentelemetry render their Kong config', () => {
    expect(prometheusPlugin({ perConsumer: true }).config).toMatchObject({ per_consumer: true, status_code_metrics: true });
    expect(datadogPlugin({ host: 'datadog-agent.monitoring' }).config).toMatchObject({ host: 'datadog-agent.monitoring', port: 8125, prefix: 'kong' });
    const otel = opentelemetryPlugin({ tracesEndpoint: 'http://otel.observability:4318/v1/traces', resourceAttributes: { 'service.name': 'kong' } });
    expect(otel.config).toEqual({
      traces_endpoint: 'http://otel.observability:4318/v1/traces',
      resource_attributes: { 'service.name': 'kong' },
      propagation: { default_format: 'w3c' },
    });
    for (const spec of [prometheusPlugin(), datadogPlugin(), otel]) expectValidResources(spec);
  });
  test('rejects a bad endpoint and port', () => {
    expect(() => opentelemetryPlugin({ tracesEndpoint: 'otel:4318' })).toThrow(/tracesEndpoint: must be an http:\/\/ or https:\/\/ URL/);
    expect(() => datadogPlugin({ port: 70000 })).toThrow(/port: Number must be less than or equal to 65535/);
  });
});

describe('custom plugins', () => {
  test('tenant-header defaults match plugins/tenant-header/schema.lua', () => {
    const spec = tenantHeaderPlugin();
    expect(spec.config).toEqual({ header_name: 'X-Tenant-Id', tag_prefix: 'tenant:', reject_unknown: true });
    expectValidResources(spec);
    expect(() => tenantHeaderPlugin({ headerName: 'X Tenant' })).toThrow(/headerName: must be an HTTP header name/);
  });
  test('any other custom plugin passes its config through', () => {
    expect(customPlugin({ name: 'my-plugin', config: { a: 1 } })).toEqual({ plugin: 'my-plugin', authenticates: false, config: { a: 1 } });
  });
});

describe('CEL rules of KongPlugin the JSON schema cannot check', () => {
  test('config with configFrom, and configFrom with configPatches, are reported', () => {
    const base = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'p', namespace: 'n' }, plugin: 'key-auth' };
    const configFrom = { secretKeyRef: { name: 's', key: 'k' } };
    expect(kongCrds().problems({ ...base, config: {}, configFrom })).toEqual([]); // what plain JSON schema misses
    expect(kongPluginCelProblems({ ...base, config: {}, configFrom })).toEqual(['Using both config and configFrom fields is not allowed.']);
    expect(kongPluginCelProblems({ ...base, configFrom, configPatches: [] })).toEqual(['Using both configFrom and configPatches fields is not allowed.']);
  });
});

describe('plugin option rules reach the environment file at their field', () => {
  test('GIVEN jwt claimsToVerify without exp (maximumExpiration left at its default) THEN the file names the field, not the builder', () => {
    const { problems, rawEnvironment } = require('../support/platform-fixture');
    const { section } = require('./fixtures');
    const apis = section({ apis: [{ ...section().apis[0], plugins: [{ plugin: 'jwt', options: { claimsToVerify: ['nbf'] } }] }] });
    expect(problems({ ...rawEnvironment(), namespaces: { applications: [{ name: 'payments' }] }, apis })).toContainEqual(
      expect.stringMatching(/^test-env\.yaml: apis\.apis\.0\.plugins\.0\.options\.claimsToVerify: must include "exp" while maximumExpiration is 3600/),
    );
  });
});

describe('ip-restriction allow lists by what they cover', () => {
  const { ipRestrictionPlugin } = require('../../constructs/apis/plugins/ip-restriction');
  test.each([
    ['0.0.0.0/0', ['0.0.0.0/0']],
    ['the IPv4 halves', ['0.0.0.0/1', '128.0.0.0/1']],
    ['every /8', Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`)],
    ['::/0', ['::/0']],
  ])('GIVEN allow %s THEN it is refused: it allows everyone', (_what, allow) => {
    expect(() => ipRestrictionPlugin({ allow })).toThrow(/allow: allow must not cover every address/);
  });
  test('GIVEN office ranges THEN it builds', () => {
    expect(ipRestrictionPlugin({ allow: ['203.0.113.0/24', '10.0.0.0/8'] }).config.allow).toEqual(['203.0.113.0/24', '10.0.0.0/8']);
  });
});

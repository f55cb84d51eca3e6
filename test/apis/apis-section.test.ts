import * as fs from 'fs';
import * as path from 'path';
import { certificateProblem } from '../../constructs/apis/apis-section';
import { problems } from '../support/platform-fixture';
import { IDP_PUBLIC_KEY, LEAF_NOT_CA, PARTNERS_CA, UPSTREAM_CA, section } from './fixtures';

const NAMESPACES = { namespaces: { applications: [{ name: 'payments' }, { name: 'accounts' }] }, plugins: { custom: ['tenant-header'] } };
const PROD = { production: true, backend: { type: 's3', bucket: 'state-bucket', region: 'eu-west-1' } };

function check(apis: Record<string, unknown>, extra: Record<string, unknown> = {}): string[] {
  return problems({ ...baseEnv(), ...NAMESPACES, ...extra, apis }).filter((p) => p.includes('apis'));
}
function baseEnv(): Record<string, any> {
  const { rawEnvironment } = require('../support/platform-fixture');
  return rawEnvironment();
}
const api = (overrides: Record<string, unknown> = {}) => ({ ...section().apis![0], ...overrides });

describe('apis section: schema and references', () => {
  test('the fixture section is valid in dev and production', () => {
    expect(check(section())).toEqual([]);
    expect(check(section(), PROD)).toEqual([]);
  });
  test('an API in a namespace that is not an application namespace is refused', () => {
    expect(check(section({ apis: [api({ namespace: 'billing' })] }))).toEqual([
      expect.stringContaining('apis.apis.0.namespace: "billing" is not one of namespaces.applications (payments, accounts)'),
    ]);
  });
  test('every field is strict: a misspelt field is reported with a suggestion', () => {
    expect(check(section({ apis: [api({ rutes: [] })] }))).toContainEqual(expect.stringContaining('apis.apis.0.rutes: unknown field (did you mean "routes"?)'));
  });
  test('typed plugin options are validated in the environment file', () => {
    const bad = api({ plugins: [{ plugin: 'rate-limiting', options: { minute: 'lots' } }] });
    expect(check(section({ apis: [bad] }))).toContainEqual(expect.stringContaining('apis.apis.0.plugins.0.options.minute: must be number'));
  });
  test('enterprise plugins need apis.enterprise', () => {
    const mtls = api({ plugins: [{ plugin: 'mtls-auth', options: { caCertificates: ['partners'] } }] });
    const apis = section({ apis: [mtls], certificates: { authorities: [{ name: 'partners', namespace: 'payments', pem: PARTNERS_CA }] } });
    expect(check(apis)).toEqual([expect.stringContaining('"mtls-auth" needs Kong Gateway Enterprise: set apis.enterprise: true')]);
    expect(check({ ...apis, enterprise: true })).toEqual([]);
  });
  test('a custom plugin must be enabled in plugins.custom', () => {
    const withHeader = section({ apis: [api({ plugins: [{ plugin: 'key-auth' }, { plugin: 'tenant-header' }] })] });
    expect(check(withHeader, { plugins: { custom: [] } })).toEqual([expect.stringContaining('custom plugin "tenant-header" is not enabled: add it to plugins.custom')]);
  });
  test('unknown CA certificates, consumer groups and ACL groups are reported', () => {
    const apis = section({
      enterprise: true,
      tenants: [{ name: 'acme', namespace: 'payments', consumers: [{ username: 'acme-web', aclGroups: ['payments-read'], consumerGroups: ['gold'] }] }],
      apis: [
        api({
          plugins: [
            { plugin: 'mtls-auth', options: { caCertificates: ['nope'] } },
            { plugin: 'acl', options: { allow: ['payments-reed'] } },
          ],
        }),
      ],
    });
    expect(check(apis)).toEqual([
      expect.stringContaining('consumers.0.consumerGroups.0: unknown consumer group "gold"'),
      expect.stringContaining('plugins.0.options.caCertificates.0: unknown CA certificate "nope"'),
      expect.stringContaining('plugins.1.options.allow.0: no consumer is in ACL group "payments-reed"'),
    ]);
  });
  test('a consumer username is unique across tenants', () => {
    const tenants = [
      { name: 'acme', namespace: 'payments', consumers: [{ username: 'shared', aclGroups: ['payments-read'] }] },
      { name: 'globex', namespace: 'accounts', consumers: [{ username: 'shared' }] },
    ];
    expect(check(section({ tenants }))).toEqual([expect.stringContaining('tenants.1.consumers.0.username: "shared" is already a consumer')]);
  });
  test('authentication plugins cannot be attached to a consumer', () => {
    const tenants = [{ name: 'acme', namespace: 'payments', consumers: [{ username: 'a', aclGroups: ['payments-read'], plugins: [{ plugin: 'key-auth' }] }] }];
    expect(check(section({ tenants }))).toEqual([expect.stringContaining('"key-auth" authenticates callers and cannot be attached to a consumer')]);
  });
  test('PEMs: a private key, a leaf certificate and garbage are refused', () => {
    const authority = (pem: string) => section({ certificates: { authorities: [{ name: 'ca', namespace: 'payments', pem }] } });
    expect(check(authority(UPSTREAM_CA))).toEqual([]);
    expect(check(authority('-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----'))).toEqual([expect.stringContaining('contains a private key')]);
    expect(check(authority(LEAF_NOT_CA))).toEqual([expect.stringContaining('is not a CA certificate')]);
    expect(check(authority('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'))).toEqual([expect.stringContaining('is not a valid PEM certificate')]);
  });
  test('gateway-api routing needs a Gateway', () => {
    expect(check(section({ routing: 'gateway-api' }))).toEqual([expect.stringContaining('apis.gateway: is required when apis.routing is "gateway-api"')]);
  });
});

describe('apis section: production guardrails', () => {
  const open = api({ plugins: [] });
  test('an API without authentication is refused in production, allowed in dev', () => {
    expect(check(section({ apis: [open] }), PROD)).toEqual([expect.stringContaining('apis.apis.0: API "payments" has no authentication plugin')]);
    expect(check(section({ apis: [open] }))).toEqual([]);
  });
  test('... unless marked public, covered by a global plugin, or authenticated on every route', () => {
    expect(check(section({ apis: [{ ...open, public: true }] }), PROD)).toEqual([]);
    expect(check(section({ apis: [open], globalPlugins: [{ plugin: 'key-auth' }] }), PROD)).toEqual([]);
    const perRoute = { ...open, routes: [{ name: 'read', hosts: ['p.example.com'], plugins: [{ plugin: 'jwt' }] }] };
    expect(check(section({ apis: [perRoute] }), PROD)).toEqual([]);
    const oneRouteOpen = { ...perRoute, routes: [...perRoute.routes, { name: 'open', hosts: ['p.example.com'], paths: ['/open'] }] };
    expect(check(section({ apis: [oneRouteOpen] }), PROD)).toEqual([expect.stringContaining('has no authentication plugin')]);
  });
  test('cors with "*" and credentials is refused in production', () => {
    const cors = api({ plugins: [{ plugin: 'key-auth' }, { plugin: 'cors', options: { origins: ['*'], credentials: true } }] });
    expect(check(section({ apis: [cors] }), PROD)).toEqual([expect.stringContaining('plugins.1.options.origins: must not contain "*" while credentials is true')]);
    expect(check(section({ apis: [cors] }))).toEqual([]);
  });
  test.each([
    ['an http:// origin', ['https://app.example.com', 'http://app.example.com'], 1],
    ['an http:// origin with a port', ['http://app.example.com:8080'], 0],
    ['an http:// origin of a local address', ['https://app.example.com', 'https://admin.example.com', 'http://127.0.0.1:3000'], 2],
  ])('cors with credentials and %s is refused in production, allowed in dev', (_given, origins, index) => {
    const cors = api({ plugins: [{ plugin: 'key-auth' }, { plugin: 'cors', options: { origins, credentials: true } }] });
    expect(check(section({ apis: [cors] }), PROD)).toEqual([expect.stringContaining(`plugins.1.options.origins.${index}: must be an https origin while credentials is true`)]);
    expect(check(section({ apis: [cors] }))).toEqual([]);
  });
  test('cors with http origins but no credentials passes in production', () => {
    const cors = api({ plugins: [{ plugin: 'key-auth' }, { plugin: 'cors', options: { origins: ['http://app.example.com'], credentials: false } }] });
    expect(check(section({ apis: [cors] }), PROD)).toEqual([]);
  });
  test('tls-verify off for an https upstream is refused in production unless waived with a reason', () => {
    const off = (extra: Record<string, unknown> = {}) => section({ apis: [api({ service: { name: 'p', port: 8443, protocol: 'https', tlsVerify: false, ...extra } })] });
    expect(check(off(), PROD)).toEqual([expect.stringContaining('apis.apis.0.service.tlsVerify: must not be false for a https upstream in a production environment')]);
    expect(check(off({ tlsVerifyWaiver: { reason: 'legacy upstream, certificate replaced in Q3 (CHG-1234)' } }), PROD)).toEqual([]);
    expect(check(off({ tlsVerifyWaiver: { reason: 'because' } }), PROD)).toContainEqual(expect.stringContaining('tlsVerifyWaiver.reason: must explain why'));
    expect(check(off())).toEqual([]);
  });
  test('a waiver without tlsVerify false, and TLS settings on an http upstream, are reported', () => {
    const waived = section({ apis: [api({ service: { name: 'p', port: 8443, protocol: 'https', tlsVerifyWaiver: { reason: 'nothing to waive here' } } })] });
    expect(check(waived)).toEqual([expect.stringContaining('tlsVerifyWaiver: waives nothing')]);
    const plain = section({ apis: [api({ service: { name: 'p', port: 80, tlsVerifyDepth: 2 } })] });
    expect(check(plain)).toEqual([expect.stringContaining('service.tlsVerifyDepth: only applies to an https or grpcs upstream')]);
  });
  test('rate-limiting Redis without TLS is refused in production', () => {
    const rl = api({ plugins: [{ plugin: 'key-auth' }, { plugin: 'rate-limiting', options: { minute: 5, policy: 'redis', redis: { host: 'r', ssl: false } } }] });
    expect(check(section({ apis: [rl] }), PROD)).toEqual([expect.stringContaining('plugins.1.options.redis: ssl and sslVerify must stay true')]);
  });
});

describe('apis section: weak or broken cryptography is refused', () => {
  const fixture = (file: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'apis', file), 'utf8');
  const authority = (pem: string) => section({ certificates: { authorities: [{ name: 'ca', namespace: 'payments', pem }] } });
  const jwtConsumer = (publicKey: string, algorithm?: string) =>
    section({
      tenants: [
        {
          name: 'acme',
          namespace: 'payments',
          consumers: [{ username: 'batch', aclGroups: ['payments-read'], jwt: { issuer: 'https://idp.example.com', publicKey, ...(algorithm ? { algorithm } : {}) } }],
        },
      ],
    });

  test.each([
    ['an RSA-1024 CA', () => fixture('weak-rsa-ca.pem'), 'has an RSA key of 1024 bits; at least 2048 are required'],
    ['an expired CA', () => fixture('expired-ca.pem'), 'expired on 2021-01-01'],
    ['a CA with trailing text after the block', () => `${UPSTREAM_CA.trimEnd()}\nsee https://pki.example.com\n`, 'must be one "CERTIFICATE" PEM block and nothing else'],
    ['a CA with text before the block', () => `Issuer: ACME\n${UPSTREAM_CA}`, 'must be one "CERTIFICATE" PEM block and nothing else'],
    ['two certificates in one entry', () => `${UPSTREAM_CA.trimEnd()}\n${PARTNERS_CA}`, 'must hold exactly one PEM block (found 2)'],
  ])('GIVEN %s THEN certificates.authorities.0.pem is refused', (_given, pem, message) => {
    expect(check(authority(pem()))).toEqual([expect.stringContaining(`certificates.authorities.0.pem: ${message}`)]);
  });

  test('GIVEN a CA that is not valid yet THEN it is refused', () => {
    expect(certificateProblem(UPSTREAM_CA, new Date('2000-01-01T00:00:00Z'))).toMatch(/^is not valid before \d{4}-\d{2}-\d{2}/);
  });

  test.each([
    ['an RSA-1024 JWT key', () => fixture('rsa1024-public.pem'), undefined, 'has an RSA key of 1024 bits'],
    ['an EC key with RS256 (the default)', () => fixture('ec-p256-public.pem'), undefined, 'is a ec prime256v1 key, but RS256 verifies with an RSA key'],
    ['an RSA key with ES256', () => IDP_PUBLIC_KEY, 'ES256', 'is a rsa key, but ES256 verifies with an EC prime256v1 key'],
    ['a P-256 key with ES384', () => fixture('ec-p256-public.pem'), 'ES384', 'is a ec prime256v1 key, but ES384 verifies with an EC secp384r1 key'],
    ['a key with trailing text', () => `${IDP_PUBLIC_KEY.trimEnd()}\n# rotated 2026\n`, undefined, 'must be one "PUBLIC KEY" PEM block and nothing else'],
  ])('GIVEN %s THEN the consumer jwt.publicKey is refused', (_given, key, algorithm, message) => {
    expect(check(jwtConsumer(key(), algorithm))).toEqual([expect.stringContaining(`jwt.publicKey: ${message}`)]);
  });

  test('GIVEN a P-256 key with ES256, or an RSA-2048 key with RS256 THEN both pass', () => {
    expect(check(jwtConsumer(fixture('ec-p256-public.pem'), 'ES256'))).toEqual([]);
    expect(check(jwtConsumer(IDP_PUBLIC_KEY))).toEqual([]);
  });
});

describe('apis section: one credential, one consumer', () => {
  const twoTenants = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    section({
      tenants: [
        { name: 'acme', namespace: 'payments', consumers: [{ username: 'acme-app', aclGroups: ['payments-read'], ...a }] },
        { name: 'globex', namespace: 'payments', consumers: [{ username: 'globex-app', ...b }] },
      ],
    });

  test.each([
    [
      'the same API key Secret',
      { keyAuth: { existingSecret: 'shared-key' } },
      { keyAuth: { existingSecret: 'shared-key' } },
      'keyAuth.existingSecret: "payments/shared-key" is already the API key Secret of apis.tenants.0.consumers.0',
    ],
    [
      'the same customId',
      { customId: 'ACC-1001' },
      { customId: 'ACC-1001' },
      'customId: "ACC-1001" is already the customId of apis.tenants.0.consumers.0: Kong keeps custom_id unique',
    ],
    [
      "a customId equal to another consumer's username",
      {},
      { customId: 'acme-app' },
      'customId: "acme-app" is the username of apis.tenants.0.consumers.0: a certificate or lookup by that name would match two consumers',
    ],
    [
      'the same client certificate subject (case differs)',
      { mtlsSubjectName: 'app.example.com' },
      { mtlsSubjectName: 'APP.example.com' },
      'mtlsSubjectName: "APP.example.com" is already the client certificate subject of apis.tenants.0.consumers.0',
    ],
    [
      'the same JWT issuer (trailing slash differs)',
      { jwt: { issuer: 'https://idp.example.com', publicKey: IDP_PUBLIC_KEY } },
      { jwt: { issuer: 'https://idp.example.com/', publicKey: fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'apis', 'ec-p256-public.pem'), 'utf8'), algorithm: 'ES256' } },
      'jwt.issuer: "https://idp.example.com/" is already the JWT issuer of apis.tenants.0.consumers.0',
    ],
    [
      'the same JWT key (reformatted)',
      { jwt: { issuer: 'https://a.example.com', publicKey: IDP_PUBLIC_KEY } },
      { jwt: { issuer: 'https://b.example.com', publicKey: IDP_PUBLIC_KEY.replace(/\n/g, '\r\n') } },
      'jwt.publicKey: this key is already the JWT public key of apis.tenants.0.consumers.0',
    ],
  ])('GIVEN two tenants sharing %s THEN the second is refused, naming the first', (_given, a, b, message) => {
    expect(check(twoTenants(a, b))).toEqual([expect.stringContaining(`tenants.1.consumers.0.${message}`)]);
  });

  test('GIVEN different credentials THEN no problem', () => {
    expect(check(twoTenants({ mtlsSubjectName: 'acme.example.com' }, { mtlsSubjectName: 'globex.example.com' }))).toEqual([]);
  });
});

describe('apis section: entries that would make the same Kubernetes object', () => {
  const NS = { namespaces: { applications: [{ name: 'payments' }] } };
  const check = (apis: Record<string, unknown>) => problems({ ...baseEnv(), ...NS, apis }).filter((p) => p.includes('apis'));
  const apiNamed = (name: string, routes: Array<Record<string, unknown>>, plugins: unknown[] = [{ plugin: 'key-auth' }]) => ({
    name,
    namespace: 'payments',
    service: { name: 'svc', port: 8080 },
    plugins,
    routes,
  });

  test('GIVEN API payments-a route b and API payments route a-b THEN the second Ingress is refused, naming the first', () => {
    const apis = section({ apis: [apiNamed('payments-a', [{ name: 'b', hosts: ['a.example.com'] }]), apiNamed('payments', [{ name: 'a-b', hosts: ['b.example.com'] }])] });
    expect(check(apis)).toEqual([
      expect.stringContaining('apis.apis.1.routes.0.name: makes the Ingress "payments-a-b" in namespace "payments", which apis.apis.0.routes.0.name makes too: rename one of them'),
    ]);
  });

  test("GIVEN a plugin's own name equal to a generated one THEN it is refused", () => {
    const apis = section({
      apis: [
        apiNamed('payments', [
          { name: 'read', hosts: ['a.example.com'], plugins: [{ plugin: 'cors', name: 'payments-key-auth', options: { origins: ['https://app.example.com'] } }] },
        ]),
      ],
    });
    expect(check(apis)).toEqual([expect.stringContaining('apis.apis.0.routes.0.plugins.0.name: makes the KongPlugin "payments-key-auth" in namespace "payments"')]);
  });

  test('GIVEN two route plugin names that meet once cut to 63 characters THEN it is refused', () => {
    const route = (name: string) => ({ name, hosts: ['a.example.com'], paths: [`/${name}`], plugins: [{ plugin: 'key-auth' }] });
    const apis = section({ apis: [apiNamed('p'.repeat(60), [route('aaaa-x'), route('aaaa-y')], [])] });
    expect(check(apis)).toEqual([expect.stringMatching(/apis\.apis\.0\.routes\.1\.plugins\.0\.plugin: makes the KongPlugin "p{60}-aa" in namespace "payments"/)]);
  });
});

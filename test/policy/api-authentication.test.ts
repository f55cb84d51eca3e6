/**
 * KP-API-001 judges the KongPlugin objects the platform installs, with Kong's own defaults under
 * their config: a plugin that leaves key_in_query out accepts keys in the query string.
 */
import { Construct } from '../../constructs/core/cdktf';
import { ManifestChart } from '../../constructs/manifest-chart/manifest-chart';
import { messagesOf } from './support';

const plugin = (name: string, pluginName: string, config: Record<string, unknown>) => ({
  apiVersion: 'configuration.konghq.com/v1',
  kind: 'KongPlugin',
  metadata: { name, namespace: 'payments' },
  plugin: pluginName,
  config,
});
const chart =
  (...manifests: Array<Record<string, unknown>>) =>
  (s: Construct) =>
    new ManifestChart(s, 'apis', { chartName: 'apis', namespace: 'payments', manifests: manifests as any });
const production = { production: true };
const hardenedKeyAuth = { key_names: ['apikey'], key_in_query: false, key_in_body: false, hide_credentials: true };
const hardenedJwt = { uri_param_names: [], claims_to_verify: ['exp'], maximum_expiration: 3600 };

describe('KP-API-001: authentication not weakened in production', () => {
  test.each([
    ['an anonymous consumer', plugin('k', 'key-auth', { ...hardenedKeyAuth, anonymous: 'guest' }), /config\.anonymous is "guest"/],
    ['keys in the query string', plugin('k', 'key-auth', { ...hardenedKeyAuth, key_in_query: true }), /config\.key_in_query is true: keys in the query string/],
    ['key_in_query left to the Kong default', plugin('k', 'key-auth', { key_names: ['apikey'], hide_credentials: true }), /config\.key_in_query is true \(Kong default\)/],
    [
      'key-auth forwarding the key upstream',
      plugin('k', 'key-auth', { ...hardenedKeyAuth, hide_credentials: false }),
      /config\.hide_credentials is false: the credential is forwarded/,
    ],
    ['hide_credentials left to the Kong default', plugin('k', 'key-auth', { key_names: ['apikey'], key_in_query: false }), /config\.hide_credentials is false \(Kong default\)/],
    ['JWTs from a cookie', plugin('j', 'jwt', { ...hardenedJwt, cookie_names: ['session'] }), /config\.cookie_names is \["session"\]: a token read from a cookie/],
    ['mtls-auth skipping revocation checks', plugin('m', 'mtls-auth', { ca_certificates: ['x'], revocation_check_mode: 'SKIP' }), /revocation_check_mode is "SKIP"/],
    ['mtls-auth accepting partial chains', plugin('m', 'mtls-auth', { ca_certificates: ['x'], allow_partial_chain: true }), /allow_partial_chain is true/],
    [
      'OIDC without an audience',
      plugin('o', 'openid-connect', { issuer: 'https://idp.example.com', hide_credentials: true }),
      /audience_required is not set: any token the issuer signs/,
    ],
    ['JWTs from the URI', plugin('j', 'jwt', { ...hardenedJwt, uri_param_names: ['jwt'] }), /config\.uri_param_names is \["jwt"\]/],
    ['JWTs with no maximum lifetime', plugin('j', 'jwt', { ...hardenedJwt, maximum_expiration: 0 }), /config\.maximum_expiration is 0/],
    ['skip_consumer_lookup on mtls-auth', plugin('m', 'mtls-auth', { ca_certificates: ['x'], skip_consumer_lookup: true }), /skip_consumer_lookup is true/],
    ['header-cert-auth trusting the header from anyone', plugin('h', 'header-cert-auth', { ca_certificates: ['x'], secure_source: false }), /secure_source is false/],
    [
      'OIDC without claim verification',
      plugin('o', 'openid-connect', { issuer: 'https://idp.example.com', verify_claims: false, hide_credentials: true, audience_required: ['payments'] }),
      /verify_claims is false/,
    ],
  ])('refuses %s', (_name, manifest, message) => {
    expect(messagesOf('KP-API-001', chart(manifest), production)).toEqual([expect.stringMatching(message)]);
  });

  test('names the object and the plugin', () => {
    expect(messagesOf('KP-API-001', chart(plugin('partner-auth', 'key-auth', { ...hardenedKeyAuth, anonymous: 'guest' })), production)[0]).toMatch(
      /^KongPlugin payments\/partner-auth \(key-auth\): /,
    );
  });

  test('hardened plugins pass; outside production the rule does not apply', () => {
    const hardened = chart(plugin('k', 'key-auth', hardenedKeyAuth), plugin('j', 'jwt', hardenedJwt));
    expect(messagesOf('KP-API-001', hardened, production)).toEqual([]);
    expect(messagesOf('KP-API-001', chart(plugin('k', 'key-auth', { anonymous: 'guest' })))).toEqual([]);
  });

  test('the key-auth, jwt and openid-connect builders of the library produce plugins that pass', () => {
    // GIVEN the library's own defaults  THEN they are the hardened ones
    const { keyAuthPlugin } = require('../../constructs/apis/plugins/key-auth');
    const { jwtPlugin } = require('../../constructs/apis/plugins/jwt');
    const { openidConnectPlugin } = require('../../constructs/apis/plugins/openid-connect');
    const oidc = [openidConnectPlugin({ issuer: 'https://idp.example.com', audienceRequired: ['payments'] })];
    const built = [keyAuthPlugin(), jwtPlugin(), ...oidc].map((p: any, i: number) => plugin(`p${i}`, p.plugin, p.config));
    expect(messagesOf('KP-API-001', chart(...built), production)).toEqual([]);
  });
});

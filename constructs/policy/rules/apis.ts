import { isUnknown, show } from '../attributes';
import { PolicyManifest, PolicyRule, PolicySubject, policyRule } from '../rule';

type Config = Record<string, unknown>;

/**
 * Kong 3.9 schema defaults of the authentication settings the rule judges: a KongPlugin that leaves
 * a field out gets these, so they are what Kong enforces (`key_in_query` and `uri_param_names` are
 * on by default, `maximum_expiration` is off).
 */
const KONG_AUTH_DEFAULTS: Record<string, Config> = {
  'key-auth': { key_in_query: true, key_in_body: false, hide_credentials: false, anonymous: null },
  jwt: { uri_param_names: ['jwt'], cookie_names: [], maximum_expiration: 0, claims_to_verify: null, anonymous: null },
  'basic-auth': { hide_credentials: false, anonymous: null },
  'hmac-auth': { hide_credentials: false, anonymous: null },
  'ldap-auth': { hide_credentials: false, anonymous: null },
  oauth2: { hide_credentials: false, anonymous: null },
  'mtls-auth': { skip_consumer_lookup: false, revocation_check_mode: 'IGNORE_CA_ERROR', allow_partial_chain: false, anonymous: null },
  'header-cert-auth': { skip_consumer_lookup: false, secure_source: true, revocation_check_mode: 'IGNORE_CA_ERROR', allow_partial_chain: false, anonymous: null },
  'openid-connect': { verify_signature: true, verify_claims: true, hide_credentials: false, audience_required: null, audience: null, anonymous: null },
};

const PLUGIN_KINDS = ['KongPlugin', 'KongClusterPlugin'];
const authPlugins = (s: PolicySubject): PolicyManifest[] =>
  s.manifests.filter((m) => PLUGIN_KINDS.includes(String(m.kind)) && typeof m.plugin === 'string' && m.plugin in KONG_AUTH_DEFAULTS);

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

/** What weakens one authentication plugin, read with Kong's defaults under the given config. */
function weakenings(plugin: string, config: Config): string[] {
  const c: Config = { ...KONG_AUTH_DEFAULTS[plugin], ...config };
  const problems: string[] = [];
  const judge = (field: string, bad: (v: unknown) => boolean, why: string) => {
    const value = c[field];
    if (isUnknown(value as string) || !bad(value)) return;
    const origin = config[field] === undefined ? ' (Kong default)' : '';
    problems.push(`config.${field} is ${show(value)}${origin}: ${why}`);
  };
  judge('anonymous', present, 'requests without credentials pass as that consumer; production APIs authenticate every caller (use public: true for an open API)');
  if ('hide_credentials' in c) {
    judge('hide_credentials', (v) => v === false, 'the credential is forwarded to the upstream, which can replay it; set hide_credentials: true');
  }
  if (plugin === 'key-auth') {
    judge('key_in_query', (v) => v === true, 'keys in the query string end up in access logs, proxies and browser history; set key_in_query: false');
    judge('key_in_body', (v) => v === true, 'keys in the body are logged by body-inspecting tools; send them in a header');
  }
  if (plugin === 'jwt') {
    judge('uri_param_names', (v) => Array.isArray(v) && v.length > 0, 'tokens accepted from the URI end up in logs; set uri_param_names: []');
    judge('maximum_expiration', (v) => v === 0 || v === '0', 'no maximum token lifetime; set maximum_expiration (with exp in claims_to_verify)');
    judge('claims_to_verify', (v) => !(Array.isArray(v) && v.includes('exp')), 'the exp claim is not verified, so expired tokens pass');
    judge(
      'cookie_names',
      (v) => Array.isArray(v) && v.length > 0,
      "a token read from a cookie is sent by the browser on any site's request (CSRF); send it in the Authorization header",
    );
  }
  if (plugin === 'mtls-auth' || plugin === 'header-cert-auth') {
    judge('skip_consumer_lookup', (v) => v === true, 'any certificate of the CA passes without a consumer: no per-tenant identity or ACL');
  }
  if (plugin === 'mtls-auth' || plugin === 'header-cert-auth') {
    judge('revocation_check_mode', (v) => v === 'SKIP', 'revoked client certificates keep working; use IGNORE_CA_ERROR or STRICT');
    judge('allow_partial_chain', (v) => v === true, 'a certificate chaining to an intermediate only (not the configured root) passes');
  }
  if (plugin === 'header-cert-auth') {
    judge('secure_source', (v) => v === false, 'the certificate header is trusted from any client, not only from trusted_ips');
  }
  if (plugin === 'openid-connect') {
    judge('verify_signature', (v) => v === false, 'unsigned or forged tokens pass');
    judge('verify_claims', (v) => v === false, 'issuer, audience and expiry are not checked');
    const audiences = [c.audience_required, c.audience].some((v) => Array.isArray(v) && v.length > 0);
    if (!audiences && !isUnknown(c.audience_required as string)) {
      problems.push(
        "config.audience_required is not set: any token the issuer signs, for any application of the tenant, is accepted; require this API's audience (audienceRequired)",
      );
    }
  }
  return problems;
}

export const apiRules: PolicyRule[] = [
  policyRule({
    id: 'KP-API-001',
    area: 'kong',
    title: 'Authentication plugins not weakened in production',
    rationale: 'An anonymous fallback, keys or tokens from the URL, unlimited token lifetimes or skipped consumer lookups quietly turn authentication off.',
    productionOnly: true,
    reads:
      'KongPlugin / KongClusterPlugin objects (ManifestChart, kubernetes_manifest) of authentication plugins: config over Kong 3.9 defaults (anonymous, hide_credentials, key_in_query, key_in_body, uri_param_names, cookie_names, maximum_expiration, claims_to_verify, skip_consumer_lookup, secure_source, revocation_check_mode, allow_partial_chain, verify_signature, verify_claims, audience_required)',
    appliesTo: (s) => authPlugins(s).length > 0,
    check: (s) =>
      authPlugins(s).flatMap((m) => {
        const config = m.config && typeof m.config === 'object' && !Array.isArray(m.config) ? (m.config as Config) : {};
        const name = `${String(m.kind)} ${String(m.metadata?.namespace ?? '')}/${String(m.metadata?.name ?? '')}`.replace(' /', ' ');
        return weakenings(String(m.plugin), config).map((p) => `${name} (${String(m.plugin)}): ${p}`);
      }),
  }),
];

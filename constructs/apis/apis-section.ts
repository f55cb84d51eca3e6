import { KeyObject, X509Certificate, createPublicKey } from 'crypto';
import { z } from 'zod';
import { AUTHENTICATION_PLUGINS, ENTERPRISE_PLUGINS, corsPlainHttpOriginsWithCredentials, corsWildcardWithCredentials, pluginDeclarationSchema } from './plugins';
import { ClientCertificateDelivery } from './client-certificate-delivery';
import { RouteMatch, routeShadows } from './route-shadowing';
import { pluginObjectName, routeObjectName } from './object-names';

/**
 * `apis:` section of the environment file: the APIs application teams publish through Kong, who
 * may call them (tenants, consumers, credentials), the security plugins and the certificates.
 * Everything becomes Kong custom resources and annotated Ingresses (or HTTPRoutes) reconciled
 * by the Kong Ingress Controller. The reader's guide is docs/apis.md.
 *
 * Cross-field rules (namespaces, references, production guardrails) are in {@link checkApisRules}.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

const dnsLabel = (what: string) => z.string().regex(DNS_LABEL, `must be ${what}: a DNS label (lowercase letters, digits, '-', at most 63)`);
const namespaceField = (what: string) => dnsLabel('a namespace').describe(`Namespace of the ${what}; one of namespaces.applications.`);
const pemBlock = (what: string) => z.string().includes('-----BEGIN ', { message: `must be a PEM ${what}` });

const certManagerSchema = z
  .object({
    issuerName: dnsLabel('an issuer name').describe('cert-manager Issuer or ClusterIssuer that signs the certificate.'),
    issuerKind: z.enum(['Issuer', 'ClusterIssuer']).default('ClusterIssuer').describe('Kind of the issuer. @default ClusterIssuer'),
    duration: z
      .string()
      .regex(/^\d+h$/, 'must be hours such as 2160h')
      .default('2160h')
      .describe('Certificate lifetime. @default 2160h (90 days)'),
    renewBefore: z
      .string()
      .regex(/^\d+h$/, 'must be hours such as 360h')
      .default('360h')
      .describe('Renewal lead time. @default 360h (15 days)'),
  })
  .strict();

const tlsSourceSchema = (what: string) =>
  z
    .object({
      secretName: dnsLabel('a Secret name').optional().describe(`Existing kubernetes.io/tls Secret holding the ${what}.`),
      certManager: certManagerSchema.optional().describe(`Have cert-manager issue the ${what} (a Certificate resource; needs cert-manager in the cluster).`),
    })
    .strict()
    .refine((s) => (s.secretName === undefined) !== (s.certManager === undefined), { message: 'set exactly one of secretName or certManager' });

export const authoritySchema = z
  .object({
    name: dnsLabel('the CA certificate name').describe('Name of the CA certificate (its Secret is named after it).'),
    namespace: namespaceField('CA certificate Secret'),
    pem: pemBlock('certificate').optional().describe('The CA certificate, PEM (public data). The construct creates the konghq.com/ca-cert Secret from it.'),
    existingSecret: z
      .object({
        name: dnsLabel('a Secret name').describe('Existing Secret labelled konghq.com/ca-cert: "true" with keys cert and id.'),
        id: z.string().uuid('must be the UUID stored under the Secret key id').describe('The id stored in the Secret (Kong CA certificate id).'),
      })
      .strict()
      .optional()
      .describe('Reference an existing CA certificate Secret instead of pem.'),
  })
  .strict()
  .refine((a) => (a.pem === undefined) !== (a.existingSecret === undefined), { message: 'set exactly one of pem or existingSecret' });

export const serverCertificateSchema = z
  .object({
    name: dnsLabel('the certificate name').describe('Name of the certificate (and of the Secret cert-manager writes).'),
    namespace: namespaceField('certificate (the Ingresses that use it live there)'),
    hosts: z.array(z.string().regex(HOSTNAME, 'must be a host name such as api.example.com or *.example.com')).min(1).describe('SNI host names the certificate serves.'),
    source: tlsSourceSchema('certificate and key').describe('Where the certificate and key come from.'),
  })
  .strict();

export const apiRouteSchema = z
  .object({
    name: dnsLabel('the route name').describe('Route name, unique within the API (the Ingress is <api>-<route>).'),
    hosts: z.array(z.string().regex(HOSTNAME, 'must be a host name such as api.example.com or *.example.com')).min(1).describe('Host names the route matches.'),
    paths: z.array(z.string().regex(PATH, "must be a path starting with '/'")).min(1).default(['/']).describe('Path prefixes (or exact paths) the route matches. @default ["/"]'),
    pathType: z.enum(['Prefix', 'Exact']).default('Prefix').describe('How paths match. @default Prefix'),
    methods: z
      .array(z.enum(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS']))
      .min(1)
      .optional()
      .describe('HTTP methods the route matches. @default every method'),
    stripPath: z.boolean().default(false).describe('Remove the matched path prefix before proxying. @default false'),
    httpsOnly: z
      .boolean()
      .default(false)
      .describe('Serve the route over HTTPS only and redirect plain HTTP (301). Leave false when TLS ends at a load balancer in front. @default false'),
    plugins: z.array(pluginDeclarationSchema).default([]).describe('Plugins on this route only; one of the same kind on the API is replaced for this route.'),
  })
  .strict();

const serviceSchema = z
  .object({
    name: dnsLabel('the Service name').describe('Existing Kubernetes Service of the upstream, in the API namespace.'),
    port: z.number().int().min(1).max(65535).describe('Service port Kong proxies to.'),
    protocol: z.enum(['http', 'https', 'grpc', 'grpcs']).default('http').describe('Protocol Kong speaks to the upstream. @default http'),
    tlsVerify: z.boolean().optional().describe('Verify the upstream certificate (https/grpcs). Turning it off in production needs tlsVerifyWaiver. @default true for https/grpcs'),
    tlsVerifyWaiver: z
      .object({
        reason: z.string().min(10, 'must explain why (at least 10 characters)').describe('Why verification is off, and until when.'),
      })
      .strict()
      .optional()
      .describe('Explicit, reviewed waiver for tlsVerify: false in production.'),
    tlsVerifyDepth: z.number().int().min(0).max(64).optional().describe('Longest certificate chain accepted. @default Kong default'),
    caCertificates: z
      .array(dnsLabel('a CA certificate name'))
      .default([])
      .describe('CA certificates (certificates.authorities, same namespace) the upstream certificate must chain to. @default [] (Kong trust store)'),
    clientCertificate: tlsSourceSchema('upstream client certificate')
      .optional()
      .describe('Client certificate Kong presents to the upstream (mutual TLS; konghq.com/client-cert). @default none'),
  })
  .strict();

export const apiSchema = z
  .object({
    name: dnsLabel('the API name').describe('API name, unique within its namespace.'),
    namespace: namespaceField('API (the team that owns it)'),
    public: z
      .boolean()
      .default(false)
      .describe('Deliberately open to anonymous callers. Production refuses an API without an authentication plugin unless this is true. @default false'),
    service: serviceSchema.describe('The upstream Kubernetes Service.'),
    routes: z.array(apiRouteSchema).min(1).describe('Routes of the API.'),
    plugins: z.array(pluginDeclarationSchema).default([]).describe('Plugins on every route of the API.'),
  })
  .strict();

const consumerSchema = z
  .object({
    username: dnsLabel('the consumer name').describe('Kong consumer username (also the KongConsumer name); unique across the environment.'),
    customId: z.string().min(1).optional().describe('Kong consumer custom_id (e.g. the tenant account number). @default none'),
    keyAuth: z
      .object({
        existingSecret: dnsLabel('a Secret name')
          .optional()
          .describe('Existing Secret labelled konghq.com/credential: key-auth with the key under `key`. @default a Secret from the Terraform variable'),
      })
      .strict()
      .optional()
      .describe(
        'API key credential. Without existingSecret the key comes from the sensitive Terraform variable ' +
          'apikey_<tenant>_<consumer> (TF_VAR_...), never from this file. @default none',
      ),
    jwt: z
      .object({
        issuer: z.string().min(1).describe('The token `iss` (the jwt plugin keyClaimName) this credential matches.'),
        algorithm: z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']).default('RS256').describe('Signing algorithm. @default RS256'),
        publicKey: pemBlock('public key').describe("The identity provider's signing public key, PEM."),
      })
      .strict()
      .optional()
      .describe('JWT credential: tokens of this issuer authenticate as this consumer. @default none'),
    mtlsSubjectName: z.string().min(1).optional().describe('Client certificate subject (CN) mapped to this consumer by mtls-auth. @default none'),
    aclGroups: z.array(dnsLabel('an ACL group')).default([]).describe('ACL groups of the consumer (acl plugin allow/deny). @default []'),
    consumerGroups: z.array(dnsLabel('a consumer group')).default([]).describe('Consumer groups (apis.consumerGroups, same namespace). @default []'),
    plugins: z.array(pluginDeclarationSchema).default([]).describe('Plugins for this consumer only (e.g. its own rate limit). @default []'),
  })
  .strict();

export const tenantSchema = z
  .object({
    name: dnsLabel('the tenant name').describe('Tenant id; consumers are tagged tenant:<name> (read by the tenant-header plugin).'),
    namespace: namespaceField('tenant consumers and credentials'),
    consumers: z.array(consumerSchema).min(1).describe('Consumers of the tenant.'),
  })
  .strict();

export const consumerGroupSchema = z
  .object({
    name: dnsLabel('the consumer group name').describe('Consumer group name.'),
    namespace: namespaceField('consumer group'),
    plugins: z.array(pluginDeclarationSchema).default([]).describe('Plugins for the members of the group. @default []'),
  })
  .strict();

export const apisSectionSchema = z
  .object({
    enterprise: z.boolean().default(false).describe('The gateway image is Kong Gateway Enterprise (allows openid-connect and mtls-auth). @default false'),
    routing: z
      .enum(['ingress', 'gateway-api'])
      .default('ingress')
      .describe('ingress: annotated networking.k8s.io Ingresses. gateway-api: HTTPRoutes attached to apis.gateway. @default ingress'),
    gateway: z
      .object({
        name: dnsLabel('the Gateway name').describe('Gateway the HTTPRoutes attach to.'),
        namespace: dnsLabel('the Gateway namespace').describe('Namespace of the Gateway.'),
      })
      .strict()
      .optional()
      .describe('Gateway API Gateway; required when routing is gateway-api.'),
    certManager: z
      .enum(['provided'])
      .optional()
      .describe(
        'cert-manager in the cluster: "provided" says it is installed there (CRDs cert-manager.io/v1, v1.21.x tested) before the platform stack runs; ' +
          'required as soon as a certificate uses certManager (no stack installs cert-manager). @default not declared',
      ),
    ingressClass: dnsLabel('an ingress class').optional().describe('Ingress class of the resources. @default controller.ingressClass'),
    globalPlugins: z.array(pluginDeclarationSchema).default([]).describe('Plugins on every request (KongClusterPlugins labelled global). @default []'),
    certificates: z
      .object({
        authorities: z.array(authoritySchema).default([]).describe('CA certificates: client CAs for mtls-auth and upstream CA bundles. @default []'),
        servers: z.array(serverCertificateSchema).default([]).describe('SNI server certificates, used by the routes whose hosts they cover. @default []'),
        default: z
          .object({
            secretName: dnsLabel('a Secret name').describe('Existing kubernetes.io/tls Secret in the Kong namespace.'),
          })
          .strict()
          .optional()
          .describe('Certificate served when no SNI certificate matches (mounted into the gateway). @default Kong self-signed'),
      })
      .strict()
      .default({})
      .describe('TLS certificates.'),
    consumerGroups: z.array(consumerGroupSchema).default([]).describe('Consumer groups. @default []'),
    tenants: z.array(tenantSchema).default([]).describe('Tenants and their consumers. @default []'),
    apis: z.array(apiSchema).default([]).describe('The APIs. @default []'),
  })
  .strict()
  .describe('APIs, consumers, security plugins and certificates as Kong resources (docs/apis.md).');

/** The parsed `apis:` section. */
export type ApisSection = z.infer<typeof apisSectionSchema>;

/**
 * Every host name the `apis:` section routes: the hosts of its routes. A cloud edge must serve
 * each of them (certificate names, DNS, listener host names), or clients never reach the route.
 */
export function apiHostNames(section: ApisSection | unknown): string[] {
  // Read defensively: the config rules call it on the raw YAML, the stacks on the validated section.
  if (!isObject(section)) return [];
  const hosts = list(section.apis)
    .filter(isObject)
    .flatMap((api) =>
      list(api.routes)
        .filter(isObject)
        .flatMap((route) => list(route.hosts)),
    )
    .filter((host): host is string => typeof host === 'string');
  return [...new Set(hosts)].sort();
}
export type ApisSectionInput = z.input<typeof apisSectionSchema>;
export type ApiConfig = ApisSection['apis'][number];
export type ApiRouteConfig = ApiConfig['routes'][number];
export type TenantConfig = ApisSection['tenants'][number];
export type ConsumerConfig = TenantConfig['consumers'][number];
export type CertificateAuthorityConfig = ApisSection['certificates']['authorities'][number];
export type ServerCertificateConfig = ApisSection['certificates']['servers'][number];
export type ApiConfigInput = z.input<typeof apiSchema>;
export type TenantConfigInput = z.input<typeof tenantSchema>;
export type ConsumerGroupConfig = ApisSection['consumerGroups'][number];
export type ConsumerGroupConfigInput = z.input<typeof consumerGroupSchema>;

/** The Terraform variable holding a consumer's API key (`TF_VAR_apikey_<tenant>_<consumer>`). */
export function apiKeyVariableName(tenant: string, username: string): string {
  return `apikey_${tenant}_${username}`.replace(/-/g, '_');
}

/** Upstream TLS verification in effect: explicit, else on for https/grpcs. */
export function effectiveTlsVerify(service: { protocol?: string; tlsVerify?: boolean }): boolean | undefined {
  const tls = service.protocol === 'https' || service.protocol === 'grpcs';
  if (!tls) return undefined;
  return service.tlsVerify ?? true;
}

/** A problem in the `apis:` section; `path` is the dotted path from the file root. */
export interface ApisRuleViolation {
  readonly path: string;
  readonly message: string;
}

type Raw = Record<string, any>;
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const pluginsAt = (value: unknown): Raw[] => list(value).filter(isObject);

/**
 * Cross-field rules of the `apis:` section on the raw parsed environment file: namespaces,
 * references between entries, plugin availability, PEM contents and the production guardrails
 * (authentication, CORS, upstream TLS verification). Types are checked defensively; a field the
 * schema rejects is left to the schema.
 */
export function checkApisRules(environment: unknown, options: { readonly delivery?: ClientCertificateDelivery } = {}): ApisRuleViolation[] {
  if (!isObject(environment) || !isObject(environment.apis)) return [];
  const apis = environment.apis;
  const production = environment.production === true;
  const enterprise = apis.enterprise === true;
  const out: ApisRuleViolation[] = [];
  const add = (path: string, message: string) => out.push({ path: `apis.${path}`, message });

  const delivery = options.delivery ?? clientCertificateDelivery(environment);
  const namespaces = isObject(environment.namespaces)
    ? list(environment.namespaces.applications)
        .filter(isObject)
        .map((n) => n.name)
    : [];
  const customPlugins = new Set(isObject(environment.plugins) ? list(environment.plugins.custom).filter((p): p is string => typeof p === 'string') : []);
  const checkNamespace = (path: string, value: unknown) => {
    if (typeof value === 'string' && DNS_LABEL.test(value) && !namespaces.includes(value)) {
      add(path, `"${value}" is not one of namespaces.applications (${namespaces.join(', ') || 'none declared'}); APIs and consumers live in team namespaces`);
    }
  };

  if (environment.cloud === 'azure') {
    const hosts = new Set(apiHostNames(apis));
    const edgeHost = isObject(environment.azure) && isObject(environment.azure.edge) ? environment.azure.edge.hostName : undefined;
    if (typeof edgeHost === 'string') hosts.add(edgeHost);
    if (hosts.size > 5) {
      add(
        'apis',
        `route hosts and azure.edge.hostName make ${hosts.size} host names, but an Application Gateway listener takes at most 5; use a wildcard host such as *.api.example.com (${[...hosts].sort().join(', ')})`,
      );
    }
  }
  if (apis.routing === 'gateway-api' && apis.gateway === undefined) add('gateway', 'is required when apis.routing is "gateway-api" (the Gateway the HTTPRoutes attach to)');

  // Certificates.
  const certificates = isObject(apis.certificates) ? apis.certificates : {};
  const authorities = new Map<string, string>();
  list(certificates.authorities).forEach((authority, i) => {
    if (!isObject(authority)) return;
    checkNamespace(`certificates.authorities.${i}.namespace`, authority.namespace);
    if (typeof authority.name === 'string') {
      if (authorities.has(authority.name)) add(`certificates.authorities.${i}.name`, `"${authority.name}" is declared twice (CA certificate names are global)`);
      authorities.set(authority.name, authority.namespace);
    }
    if (typeof authority.pem === 'string') {
      const problem = certificateProblem(authority.pem);
      if (problem) add(`certificates.authorities.${i}.pem`, problem);
    }
  });
  list(certificates.servers).forEach((server, i) => {
    if (isObject(server)) checkNamespace(`certificates.servers.${i}.namespace`, server.namespace);
  });

  // Consumer groups, tenants, consumers.
  const groups = new Set<string>();
  list(apis.consumerGroups).forEach((group, i) => {
    if (!isObject(group)) return;
    checkNamespace(`consumerGroups.${i}.namespace`, group.namespace);
    const key = `${group.namespace}/${group.name}`;
    if (groups.has(key)) add(`consumerGroups.${i}.name`, `"${group.name}" is declared twice in namespace "${group.namespace}"`);
    groups.add(key);
    checkPlugins(`consumerGroups.${i}.plugins`, group.plugins, 'consumer');
  });
  const usernames = new Map<string, string>();
  const keyVariables = new Map<string, string>();
  const aclGroups = new Set<string>();
  const customIds = new Map<string, string>();
  const pendingCustomIds: Array<{ at: string; id: string; shown: string }> = [];
  // One credential, one consumer: a key, certificate subject, JWT issuer or JWT key shared by two
  // consumers (two tenants, often) authenticates as whichever Kong finds first.
  const credentials = new Map<string, string>();
  const credentialOnce = (consumerAt: string, field: string, kind: string, identity: string, shown: string) => {
    const other = credentials.get(`${kind}|${identity}`);
    if (other) add(`${consumerAt}.${field}`, `${shown} is already the ${kind} of ${other}: each credential belongs to one consumer`);
    else credentials.set(`${kind}|${identity}`, `apis.${consumerAt}`);
  };
  list(apis.tenants).forEach((tenant, t) => {
    if (!isObject(tenant)) return;
    checkNamespace(`tenants.${t}.namespace`, tenant.namespace);
    list(tenant.consumers).forEach((consumer, c) => {
      if (!isObject(consumer)) return;
      const at = `tenants.${t}.consumers.${c}`;
      if (typeof consumer.username === 'string') {
        if (usernames.has(consumer.username))
          add(`${at}.username`, `"${consumer.username}" is already a consumer (${usernames.get(consumer.username)}); Kong usernames are unique across the gateway`);
        else usernames.set(consumer.username, `apis.${at}`);
        // Names that differ in the file can collide once normalised ('-' becomes '_' in variable names).
        if (isObject(consumer.keyAuth) && consumer.keyAuth.existingSecret === undefined && typeof tenant.name === 'string') {
          const variable = apiKeyVariableName(tenant.name, consumer.username);
          const other = keyVariables.get(variable);
          if (other) {
            add(
              `${at}.username`,
              `its API key variable ${variable} (tenant "${tenant.name}", consumer "${consumer.username}") collides with the one of ${other}; rename the tenant or the consumer`,
            );
          } else keyVariables.set(variable, `apis.${at}`);
        }
      }
      list(consumer.aclGroups).forEach((g) => typeof g === 'string' && aclGroups.add(g));
      list(consumer.consumerGroups).forEach((g, k) => {
        if (typeof g === 'string' && !groups.has(`${tenant.namespace}/${g}`)) {
          add(`${at}.consumerGroups.${k}`, `unknown consumer group "${g}" in namespace "${tenant.namespace}"; declare it under apis.consumerGroups`);
        }
      });
      if (isObject(consumer.jwt) && typeof consumer.jwt.publicKey === 'string') {
        const problem = publicKeyProblem(consumer.jwt.publicKey, typeof consumer.jwt.algorithm === 'string' ? consumer.jwt.algorithm : 'RS256');
        if (problem) add(`${at}.jwt.publicKey`, problem);
        else credentialOnce(at, 'jwt.publicKey', 'JWT public key', consumer.jwt.publicKey.replace(/\s+/g, ''), 'this key');
      }
      if (isObject(consumer.jwt) && typeof consumer.jwt.issuer === 'string') {
        credentialOnce(at, 'jwt.issuer', 'JWT issuer', consumer.jwt.issuer.trim().replace(/\/+$/, ''), `"${consumer.jwt.issuer}"`);
      }
      // Kong keeps custom_id unique, and mtls-auth (consumer_by username, custom_id) matches a certificate
      // to either: a custom_id equal to another consumer's username makes one certificate name two consumers.
      if (typeof consumer.customId === 'string') {
        const id = consumer.customId.trim();
        const other = customIds.get(id);
        if (other) add(`${at}.customId`, `"${consumer.customId}" is already the customId of ${other}: Kong keeps custom_id unique`);
        else customIds.set(id, `apis.${at}`);
        pendingCustomIds.push({ at, id, shown: consumer.customId });
      }
      if (typeof consumer.mtlsSubjectName === 'string') {
        credentialOnce(at, 'mtlsSubjectName', 'client certificate subject', consumer.mtlsSubjectName.trim().toLowerCase(), `"${consumer.mtlsSubjectName}"`);
      }
      if (isObject(consumer.keyAuth) && typeof consumer.keyAuth.existingSecret === 'string' && typeof tenant.namespace === 'string') {
        credentialOnce(
          at,
          'keyAuth.existingSecret',
          'API key Secret',
          `${tenant.namespace}/${consumer.keyAuth.existingSecret}`,
          `"${tenant.namespace}/${consumer.keyAuth.existingSecret}"`,
        );
      }
      checkPlugins(`${at}.plugins`, consumer.plugins, 'consumer');
    });
  });

  for (const { at, id, shown } of pendingCustomIds) {
    const owner = usernames.get(id);
    if (owner && owner !== `apis.${at}`) add(`${at}.customId`, `"${shown}" is the username of ${owner}: a certificate or lookup by that name would match two consumers`);
  }

  // Global plugins, then APIs.
  const globalAuth = checkPlugins('globalPlugins', apis.globalPlugins, 'global');
  const apiKeys = new Set<string>();
  const routes: RouteMatch[] = [];
  list(apis.apis).forEach((api, a) => {
    if (!isObject(api)) return;
    const at = `apis.${a}`;
    checkNamespace(`${at}.namespace`, api.namespace);
    const key = `${api.namespace}/${api.name}`;
    if (apiKeys.has(key)) add(`${at}.name`, `"${api.name}" is declared twice in namespace "${api.namespace}"`);
    apiKeys.add(key);
    const apiAuth = checkPlugins(`${at}.plugins`, api.plugins, 'api');
    const routeNames = new Set<string>();
    let everyRouteAuthenticated = true;
    list(api.routes).forEach((route, r) => {
      if (!isObject(route)) return;
      if (routeNames.has(route.name)) add(`${at}.routes.${r}.name`, `"${route.name}" is declared twice in this API`);
      routeNames.add(route.name);
      const routeAuth = checkPlugins(`${at}.routes.${r}.plugins`, route.plugins, 'route');
      if (!routeAuth) everyRouteAuthenticated = false;
      const strings = (value: unknown) => list(value).filter((v): v is string => typeof v === 'string');
      const authenticated = globalAuth || apiAuth || routeAuth;
      // An unauthenticated route of an API not marked public is refused on its own, below.
      if (!authenticated && api.public !== true) return;
      routes.push({
        at: `${at}.routes.${r}`,
        name: `${String(api.name)}/${String(route.name)}`,
        hosts: strings(route.hosts),
        paths: route.paths === undefined ? ['/'] : strings(route.paths),
        exact: route.pathType === 'Exact',
        methods: route.methods === undefined ? undefined : strings(route.methods),
        authenticated,
      });
    });
    if (production && api.public !== true && !globalAuth && !apiAuth && !everyRouteAuthenticated) {
      add(
        `${at}`,
        `API "${api.name}" has no authentication plugin (${AUTHENTICATION_PLUGINS.join(', ')}) in a production environment; ` +
          'add one to the API (or to every route, or globally), or set public: true if anonymous access is intended',
      );
    }
    const service = isObject(api.service) ? api.service : {};
    const verify = effectiveTlsVerify(service);
    if (production && verify === false && !isObject(service.tlsVerifyWaiver)) {
      add(
        `${at}.service.tlsVerify`,
        `must not be false for a ${service.protocol} upstream in a production environment (a forged upstream would go unnoticed); ` +
          'add caCertificates, or add tlsVerifyWaiver: { reason: ... } to waive it explicitly',
      );
    }
    if (service.tlsVerifyWaiver !== undefined && verify !== false) {
      add(`${at}.service.tlsVerifyWaiver`, 'waives nothing: it is only allowed with tlsVerify: false on an https or grpcs upstream');
    }
    if (verify === undefined) {
      for (const field of ['tlsVerify', 'tlsVerifyDepth', 'caCertificates', 'clientCertificate'] as const) {
        const value = service[field];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          add(`${at}.service.${field}`, `only applies to an https or grpcs upstream (protocol is "${service.protocol ?? 'http'}")`);
        }
      }
    }
    list(service.caCertificates).forEach((name, k) => {
      if (typeof name !== 'string') return;
      if (!authorities.has(name)) add(`${at}.service.caCertificates.${k}`, `unknown CA certificate "${name}"; declare it under apis.certificates.authorities`);
      else if (authorities.get(name) !== api.namespace) {
        add(
          `${at}.service.caCertificates.${k}`,
          `CA certificate "${name}" is in namespace "${authorities.get(name)}"; the upstream Service is in "${api.namespace}" and KIC only reads Secrets of the Service's namespace`,
        );
      }
    });
  });
  for (const v of objectNameCollisions(apis)) add(v.path, v.message);
  if (production) {
    for (const { publicRoute, protectedRoute, example } of routeShadows(routes)) {
      add(
        publicRoute.at,
        `public route ${publicRoute.name} takes requests of the authenticated route ${protectedRoute.name} (apis.${protectedRoute.at}): ` +
          `Kong sends ${example} to it without authentication in a production environment; give it a host or path outside the protected one, or authenticate it`,
      );
    }
  }
  return out;

  /** Checks one plugin list; returns true when it holds an authentication plugin. */
  function checkPlugins(path: string, plugins: unknown, level: 'global' | 'api' | 'route' | 'consumer'): boolean {
    let authenticates = false;
    const seen = new Map<string, number>();
    pluginsAt(plugins).forEach((plugin, i) => {
      const at = `${path}.${i}`;
      const kind = typeof plugin.plugin === 'string' ? plugin.plugin : undefined;
      if (!kind) return;
      const options = isObject(plugin.options) ? plugin.options : {};
      const kongName = kind === 'custom' ? options.name : kind;
      if (typeof kongName === 'string') {
        if (seen.has(kongName)) add(`${at}.plugin`, `"${kongName}" is already attached here (${path}.${seen.get(kongName)}); Kong runs one instance per plugin and entity`);
        seen.set(kongName, i);
      }
      if (AUTHENTICATION_PLUGINS.includes(kind)) {
        authenticates = true;
        if (level === 'consumer') add(`${at}.plugin`, `"${kind}" authenticates callers and cannot be attached to a consumer or consumer group`);
      }
      if (ENTERPRISE_PLUGINS.includes(kind) && !enterprise)
        add(`${at}.plugin`, `"${kind}" needs Kong Gateway Enterprise: set apis.enterprise: true (or use ${kind === 'mtls-auth' ? 'key-auth or jwt' : 'jwt'})`);
      if ((kind === 'tenant-header' || kind === 'custom') && typeof kongName === 'string' && !customPlugins.has(kongName)) {
        add(`${at}.plugin`, `custom plugin "${kongName}" is not enabled: add it to plugins.custom (enabled: ${[...customPlugins].join(', ') || 'none'})`);
      }
      if (kind === 'tenant-header' && level === 'consumer') add(`${at}.plugin`, 'tenant-header cannot be attached to a consumer (its schema declares no_consumer)');
      if (kind === 'cors' && production && corsWildcardWithCredentials(options)) {
        add(
          `${at}.options.origins`,
          'must not contain "*" while credentials is true in a production environment (any web site could make credentialed calls); list the exact origins',
        );
      }
      if (kind === 'cors' && production) {
        for (const i of corsPlainHttpOriginsWithCredentials(options)) {
          add(
            `${at}.options.origins.${i}`,
            "must be an https origin while credentials is true in a production environment (a page served over http can be altered on the way and call the API in the user's name)",
          );
        }
      }
      if (kind === 'rate-limiting' && production && isObject(options.redis) && (options.redis.ssl === false || options.redis.sslVerify === false)) {
        add(`${at}.options.redis`, 'ssl and sslVerify must stay true in a production environment (the Redis password and counters would cross the network in clear)');
      }
      if (kind === 'mtls-auth' || kind === 'header-cert-auth') {
        const explicitHeader = typeof options.certificateHeaderName === 'string' && typeof options.certificateHeaderFormat === 'string';
        const problem = delivery.problemWith(kind, explicitHeader);
        if (problem) add(`${at}.plugin`, problem);
        list(options.caCertificates).forEach((name, k) => {
          if (typeof name === 'string' && !authorities.has(name))
            add(`${at}.options.caCertificates.${k}`, `unknown CA certificate "${name}"; declare it under apis.certificates.authorities`);
        });
      }
      if (kind === 'acl') {
        for (const field of ['allow', 'deny'] as const) {
          list(options[field]).forEach((group, k) => {
            if (typeof group === 'string' && !aclGroups.has(group)) {
              add(`${at}.options.${field}.${k}`, `no consumer is in ACL group "${group}" (known: ${[...aclGroups].join(', ') || 'none'}); a typo here locks everyone out`);
            }
          });
        }
      }
    });
    return authenticates;
  }
}

/**
 * How client certificates reach Kong in an environment: through TLS at Kong on an existing cluster
 * (hybrid), in the ALB's header with mutual authentication passthrough on AWS, not at all behind the
 * Application Gateway on Azure (it terminates TLS and has no per-route optional client certificates).
 */
export function clientCertificateDelivery(environment: Raw): ClientCertificateDelivery {
  if (environment.cloud === 'aws') {
    const edge = isObject(environment.aws) && isObject(environment.aws.edge) ? environment.aws.edge : {};
    return edge.clientCertificates === 'passthrough'
      ? ClientCertificateDelivery.albPassthrough()
      : ClientCertificateDelivery.none('the ALB', 'set aws.edge.clientCertificates: passthrough and use header-cert-auth');
  }
  if (environment.cloud === 'azure') {
    return ClientCertificateDelivery.none(
      'the Application Gateway',
      'client certificate authentication behind the Application Gateway edge is not supported; use jwt, openid-connect or key-auth',
    );
  }
  return ClientCertificateDelivery.tlsAtKong();
}

/** RSA keys below this size are breakable by a determined attacker (NIST SP 800-131A disallows them). */
export const MINIMUM_RSA_BITS = 2048;

/** The curve each ES algorithm signs with (RFC 7518 3.4). */
const EC_CURVE_OF: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/**
 * The text outside the one PEM block of the given label: a second block or trailing bytes would be
 * read by one parser and not another (Node reads the first block, Kong the whole string).
 */
function pemEnvelopeProblem(pem: string, label: string): string | undefined {
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  if (blocks.length !== 1) return `must hold exactly one PEM block (found ${blocks.length})`;
  const exact = new RegExp(`^\\s*-----BEGIN ${label}-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END ${label}-----\\s*$`);
  if (!exact.test(pem)) return `must be one "${label}" PEM block and nothing else (no text before or after it, base64 only inside)`;
  return undefined;
}

/** RSA keys under {@link MINIMUM_RSA_BITS}. */
function weakKeyProblem(key: KeyObject): string | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return key.asymmetricKeyType === 'rsa' && bits !== undefined && bits < MINIMUM_RSA_BITS ? `has an RSA key of ${bits} bits; at least ${MINIMUM_RSA_BITS} are required` : undefined;
}

/** Why a PEM is not a usable CA certificate, or undefined. `now` is when it must be valid. */
export function certificateProblem(pem: string, now: Date = new Date()): string | undefined {
  if (pem.includes('PRIVATE KEY')) return 'contains a private key: only the public certificate belongs in the environment file';
  const envelope = pemEnvelopeProblem(pem, 'CERTIFICATE');
  if (envelope) return envelope;
  try {
    const certificate = new X509Certificate(pem);
    const subject = certificate.subject.replace(/\n/g, ', ');
    if (!certificate.ca) return `is not a CA certificate (basicConstraints CA:FALSE; subject ${subject})`;
    if (new Date(certificate.validTo) < now) return `expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)} (subject ${subject})`;
    if (new Date(certificate.validFrom) > now) return `is not valid before ${new Date(certificate.validFrom).toISOString().slice(0, 10)} (subject ${subject})`;
    return weakKeyProblem(certificate.publicKey);
  } catch (error) {
    return `is not a valid PEM certificate (${(error as Error).message})`;
  }
}

/** Why a PEM is not a usable public key (for `algorithm`, when given), or undefined. */
export function publicKeyProblem(pem: string, algorithm?: string): string | undefined {
  if (pem.includes('PRIVATE KEY')) return 'contains a private key: only the public key belongs in the environment file';
  const envelope = pemEnvelopeProblem(pem, 'PUBLIC KEY');
  if (envelope) return envelope;
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    return `is not a valid PEM public key (${(error as Error).message})`;
  }
  const weak = weakKeyProblem(key);
  if (weak) return weak;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const kind = `${key.asymmetricKeyType}${curve ? ` ${curve}` : ''}`;
  if (algorithm?.startsWith('RS') && key.asymmetricKeyType !== 'rsa') return `is a ${kind} key, but ${algorithm} verifies with an RSA key`;
  if (algorithm?.startsWith('ES')) {
    if (key.asymmetricKeyType !== 'ec' || curve !== EC_CURVE_OF[algorithm]) {
      return `is a ${kind} key, but ${algorithm} verifies with an EC ${EC_CURVE_OF[algorithm]} key`;
    }
  }
  return undefined;
}

/**
 * Entries that would make the same Kubernetes object (kind, namespace, name): API `payments-a` route `b`
 * and API `payments` route `a-b` are both the Ingress `payments-a-b`; a plugin's own `name` can equal a
 * generated one; names cut to 63 characters can meet. Paths are relative to `apis.`.
 */
function objectNameCollisions(apis: Raw): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const made = new Map<string, string>();
  const make = (kind: string, namespace: unknown, name: string, path: string) => {
    if (typeof namespace !== 'string') return;
    const key = `${kind}|${namespace}|${name}`;
    const first = made.get(key);
    if (first) out.push({ path, message: `makes the ${kind} "${name}" in namespace "${namespace}", which apis.${first} makes too: rename one of them` });
    else made.set(key, path);
  };
  const plugins = (owner: unknown, namespace: unknown, declarations: unknown, at: string) => {
    if (typeof owner !== 'string') return;
    pluginsAt(declarations).forEach((declaration, i) => {
      if (typeof declaration.plugin !== 'string') return;
      const name = pluginObjectName(owner, declaration as { plugin: string; name?: string; options?: unknown });
      make('KongPlugin', namespace, name, `${at}.${i}${declaration.name === undefined ? '.plugin' : '.name'}`);
    });
  };
  const routeKind = apis.routing === 'gateway-api' ? 'HTTPRoute' : 'Ingress';
  list(apis.apis).forEach((api, a) => {
    if (!isObject(api) || typeof api.name !== 'string') return;
    plugins(api.name, api.namespace, api.plugins, `apis.${a}.plugins`);
    list(api.routes).forEach((route, r) => {
      if (!isObject(route) || typeof route.name !== 'string') return;
      const objectName = routeObjectName(api.name, route.name);
      make(routeKind, api.namespace, objectName, `apis.${a}.routes.${r}.name`);
      plugins(objectName, api.namespace, route.plugins, `apis.${a}.routes.${r}.plugins`);
    });
  });
  list(apis.consumerGroups).forEach((group, g) => isObject(group) && plugins(group.name, group.namespace, group.plugins, `consumerGroups.${g}.plugins`));
  list(apis.tenants).forEach((tenant, t) =>
    list(isObject(tenant) ? tenant.consumers : []).forEach(
      (consumer, c) => isObject(consumer) && isObject(tenant) && plugins(consumer.username, tenant.namespace, consumer.plugins, `tenants.${t}.consumers.${c}.plugins`),
    ),
  );
  return out;
}

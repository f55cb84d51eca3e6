import { z } from 'zod';
import { aclOptionsSchema, aclPlugin } from './acl';
import { corsOptionsSchema, corsPlugin } from './cors';
import { customPlugin, customPluginOptionsSchema } from './custom';
import { datadogOptionsSchema, datadogPlugin } from './datadog';
import { ipRestrictionOptionsSchema, ipRestrictionPlugin } from './ip-restriction';
import { jwtOptionsSchema, jwtPlugin } from './jwt';
import { keyAuthOptionsSchema, keyAuthPlugin } from './key-auth';
import { headerCertAuthOptionsSchema, headerCertAuthPlugin, ClientCertificateHeader } from './header-cert-auth';
import { mtlsAuthOptionsSchema, mtlsAuthPlugin } from './mtls-auth';
import { openidConnectOptionsSchema, openidConnectPlugin } from './openid-connect';
import { opentelemetryOptionsSchema, opentelemetryPlugin } from './opentelemetry';
import { KongPluginSpec, PluginBuildContext, kubernetesName } from './plugin-spec';
import { prometheusOptionsSchema, prometheusPlugin } from './prometheus';
import { rateLimitingOptionsSchema, rateLimitingPlugin } from './rate-limiting';
import { requestTransformerOptionsSchema, requestTransformerPlugin } from './request-transformer';
import { tenantHeaderOptionsSchema, tenantHeaderPlugin } from './tenant-header';

export * from './plugin-spec';
export * from './acl';
export * from './cors';
export * from './custom';
export * from './datadog';
export * from './ip-restriction';
export * from './jwt';
export * from './key-auth';
export * from './mtls-auth';
export * from './header-cert-auth';
export * from './openid-connect';
export * from './opentelemetry';
export * from './prometheus';
export * from './rate-limiting';
export * from './request-transformer';
export * from './tenant-header';

const instanceName = kubernetesName
  .optional()
  .describe('Name of the generated KongPlugin / KongClusterPlugin. @default <owner>-<plugin>');

function declaration<P extends string, S extends z.ZodTypeAny>(plugin: P, options: S, what: string) {
  return z
    .object({
      plugin: z.literal(plugin).describe(what),
      name: instanceName,
      options: options.describe(`Typed options of ${plugin} (camelCase; the generated Kong config is snake_case).`),
    })
    .strict();
}

/**
 * One plugin instance as written in the environment file: `plugin` picks the typed options.
 * Attached where it is declared: `apis.globalPlugins` (KongClusterPlugin), an API, a route,
 * a consumer or a consumer group (KongPlugin).
 */
export const pluginDeclarationSchema = z.discriminatedUnion('plugin', [
  declaration('key-auth', keyAuthOptionsSchema.default({}), 'API keys (consumer key-auth credentials).'),
  declaration('jwt', jwtOptionsSchema.default({}), 'JWT validation (OSS) against identity provider keys on consumer jwt credentials.'),
  declaration('openid-connect', openidConnectOptionsSchema, 'Bearer-token validation against an OpenID Connect issuer (Enterprise).'),
  declaration('mtls-auth', mtlsAuthOptionsSchema, 'Client certificate authentication in the TLS handshake at Kong (Enterprise).'),
  declaration(
    'header-cert-auth',
    headerCertAuthOptionsSchema,
    'Client certificate authentication when TLS ends at the edge and the certificate arrives in a header (Enterprise, Kong 3.8+).',
  ),
  declaration('acl', aclOptionsSchema, 'Allow or deny consumer ACL groups.'),
  declaration('cors', corsOptionsSchema, 'Cross-origin resource sharing for browser clients.'),
  declaration('request-transformer', requestTransformerOptionsSchema, 'Reshape the upstream request.'),
  declaration('rate-limiting', rateLimitingOptionsSchema, 'Request limits, local or Redis counters.'),
  declaration('ip-restriction', ipRestrictionOptionsSchema, 'Allow or deny client addresses.'),
  declaration('prometheus', prometheusOptionsSchema.default({}), 'Prometheus metrics.'),
  declaration('datadog', datadogOptionsSchema.default({}), 'DogStatsD metrics.'),
  declaration('opentelemetry', opentelemetryOptionsSchema, 'OpenTelemetry traces (and logs).'),
  declaration('tenant-header', tenantHeaderOptionsSchema.default({}), 'Custom plugin: tenant of the consumer as an upstream header.'),
  declaration('custom', customPluginOptionsSchema, 'Any other custom plugin from plugins/, config passed through.'),
]);

/** A validated plugin declaration (defaults applied). */
export type PluginDeclaration = z.infer<typeof pluginDeclarationSchema>;
/** A plugin declaration as written. */
export type PluginDeclarationInput = z.input<typeof pluginDeclarationSchema>;

/** Facts for {@link buildPlugin}: production, and CA certificate name -> Kong id (for mtls-auth). */
export interface BuildPluginContext extends PluginBuildContext {
  readonly caCertificateId: (name: string) => string;
  /** How the edge forwards client certificates (header-cert-auth defaults). @default none */
  readonly clientCertificateHeader?: ClientCertificateHeader;
}

/** The Kong plugin name a declaration configures. */
export function kongPluginName(declaration: { plugin: string; options?: unknown }): string {
  if (declaration.plugin === 'custom') return String((declaration.options as { name?: unknown } | undefined)?.name ?? 'custom');
  return declaration.plugin;
}

/** Builds the Kong plugin spec of a declaration with its typed builder. */
export function buildPlugin(declaration: PluginDeclarationInput, context: BuildPluginContext): KongPluginSpec {
  switch (declaration.plugin) {
    case 'key-auth':
      return keyAuthPlugin(declaration.options);
    case 'jwt':
      return jwtPlugin(declaration.options);
    case 'openid-connect':
      return openidConnectPlugin(declaration.options);
    case 'mtls-auth':
      return mtlsAuthPlugin(declaration.options, context.caCertificateId);
    case 'header-cert-auth':
      return headerCertAuthPlugin(declaration.options, context.caCertificateId, context.clientCertificateHeader);
    case 'acl':
      return aclPlugin(declaration.options);
    case 'cors':
      return corsPlugin(declaration.options, context);
    case 'request-transformer':
      return requestTransformerPlugin(declaration.options);
    case 'rate-limiting':
      return rateLimitingPlugin(declaration.options, context);
    case 'ip-restriction':
      return ipRestrictionPlugin(declaration.options);
    case 'prometheus':
      return prometheusPlugin(declaration.options);
    case 'datadog':
      return datadogPlugin(declaration.options);
    case 'opentelemetry':
      return opentelemetryPlugin(declaration.options);
    case 'tenant-header':
      return tenantHeaderPlugin(declaration.options);
    case 'custom':
      return customPlugin(declaration.options);
  }
}

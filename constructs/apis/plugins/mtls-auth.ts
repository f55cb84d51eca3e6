import { z } from 'zod';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

/** Options of the Enterprise `mtls-auth` plugin (client certificate authentication). */
export const mtlsAuthOptionsSchema = z
  .object({
    caCertificates: z
      .array(z.string().min(1))
      .min(1, 'must name at least one CA certificate')
      .describe('Names of CA certificates (apis.certificates.authorities) client certificates must chain to.'),
    consumerBy: z
      .array(z.enum(['username', 'custom_id']))
      .min(1)
      .default(['username', 'custom_id'])
      .describe('Consumer fields matched against the certificate subject. @default ["username", "custom_id"]'),
    skipConsumerLookup: z
      .boolean()
      .default(false)
      .describe('Accept any certificate from the CA without mapping it to a consumer. @default false'),
    authenticatedGroupBy: z
      .enum(['CN', 'DN'])
      .optional()
      .describe('Certificate field used as the authenticated group (for acl). @default none'),
    revocationCheckMode: z
      .enum(['SKIP', 'IGNORE_CA_ERROR', 'STRICT'])
      .default('IGNORE_CA_ERROR')
      .describe('OCSP/CRL checking: SKIP, IGNORE_CA_ERROR or STRICT. @default IGNORE_CA_ERROR'),
    allowPartialChain: z.boolean().default(false).describe('Accept a chain that ends at an intermediate. @default false'),
  })
  .strict();

export type MtlsAuthOptions = z.input<typeof mtlsAuthOptionsSchema>;

/** The certificate verification and consumer mapping settings mtls-auth and header-cert-auth share, as Kong config. */
export function clientCertificateConfig(o: z.output<typeof mtlsAuthOptionsSchema>, caCertificateIds: (name: string) => string): Record<string, unknown> {
  return {
    ca_certificates: o.caCertificates.map(caCertificateIds),
    consumer_by: o.consumerBy,
    skip_consumer_lookup: o.skipConsumerLookup,
    authenticated_group_by: o.authenticatedGroupBy,
    revocation_check_mode: o.revocationCheckMode,
    allow_partial_chain: o.allowPartialChain,
  };
}

/**
 * `mtls-auth` (Enterprise). Kong takes CA certificate ids, so `caCertificateIds` maps each CA
 * certificate name to the `id` of its `konghq.com/ca-cert` Secret.
 */
export function mtlsAuthPlugin(options: MtlsAuthOptions, caCertificateIds: (name: string) => string): KongPluginSpec {
  const o = parseOptions('mtls-auth', mtlsAuthOptionsSchema, options);
  return {
    plugin: 'mtls-auth',
    authenticates: true,
    config: compact(clientCertificateConfig(o, caCertificateIds)),
  };
}

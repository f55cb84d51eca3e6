import { z } from 'zod';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

/** Header in which the AWS ALB forwards the client certificate chain (mutual authentication, passthrough mode). */
export const ALB_CLIENT_CERTIFICATE_HEADER = 'X-Amzn-Mtls-Clientcert';

/** Options of the Enterprise `header-cert-auth` plugin (Kong Gateway 3.8+). */
export const headerCertAuthOptionsSchema = z
  .object({
    caCertificates: z
      .array(z.string().min(1))
      .min(1, 'must name at least one CA certificate')
      .describe('Names of CA certificates (apis.certificates.authorities) client certificates must chain to.'),
    certificateHeaderName: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name such as X-Client-Cert')
      .optional()
      .describe(`Header the edge forwards the client certificate in. @default ${ALB_CLIENT_CERTIFICATE_HEADER} on AWS (ALB passthrough); required elsewhere`),
    certificateHeaderFormat: z
      .enum(['url_encoded', 'base64_encoded'])
      .optional()
      .describe('Encoding of the header: url_encoded (PEM, as the ALB sends it) or base64_encoded. @default url_encoded on AWS; required elsewhere'),
    secureSource: z
      .boolean()
      .default(true)
      .describe('Accept the header only from trusted_ips (the edge); false lets any client forge a certificate. @default true'),
    consumerBy: z
      .array(z.enum(['username', 'custom_id']))
      .min(1)
      .default(['username', 'custom_id'])
      .describe('Consumer fields matched against the certificate subject CN. @default ["username", "custom_id"]'),
    skipConsumerLookup: z.boolean().default(false).describe('Accept any certificate from the CA without mapping it to a consumer. @default false'),
    authenticatedGroupBy: z.enum(['CN', 'DN']).optional().describe('Certificate field used as the authenticated group (for acl). @default none'),
    revocationCheckMode: z
      .enum(['SKIP', 'IGNORE_CA_ERROR', 'STRICT'])
      .default('IGNORE_CA_ERROR')
      .describe('OCSP/CRL checking: SKIP, IGNORE_CA_ERROR or STRICT. @default IGNORE_CA_ERROR'),
    allowPartialChain: z.boolean().default(false).describe('Accept a chain that ends at an intermediate. @default false'),
  })
  .strict();

export type HeaderCertAuthOptions = z.input<typeof headerCertAuthOptionsSchema>;

/** How the edge in front of Kong forwards client certificates, when it does. */
export interface ClientCertificateHeader {
  readonly name: string;
  readonly format: 'url_encoded' | 'base64_encoded';
}

/**
 * `header-cert-auth` (Enterprise): client certificate authentication when TLS ends at the edge
 * (ALB mutual authentication in passthrough mode) and the certificate arrives in a header. Kong
 * verifies the chain against the CA certificates and only trusts the header from `trusted_ips`.
 */
export function headerCertAuthPlugin(
  options: HeaderCertAuthOptions,
  caCertificateIds: (name: string) => string,
  edgeHeader?: ClientCertificateHeader,
): KongPluginSpec {
  const o = parseOptions('header-cert-auth', headerCertAuthOptionsSchema, options);
  const name = o.certificateHeaderName ?? edgeHeader?.name;
  const format = o.certificateHeaderFormat ?? edgeHeader?.format;
  if (!name || !format) {
    throw new Error(
      'header-cert-auth plugin: certificateHeaderName and certificateHeaderFormat are required when the edge does not define them ' +
        '(on AWS enable aws.edge.clientCertificates: passthrough)',
    );
  }
  return {
    plugin: 'header-cert-auth',
    authenticates: true,
    config: compact({
      ca_certificates: o.caCertificates.map(caCertificateIds),
      certificate_header_name: name,
      certificate_header_format: format,
      secure_source: o.secureSource,
      consumer_by: o.consumerBy,
      skip_consumer_lookup: o.skipConsumerLookup,
      authenticated_group_by: o.authenticatedGroupBy,
      revocation_check_mode: o.revocationCheckMode,
      allow_partial_chain: o.allowPartialChain,
    }),
  };
}

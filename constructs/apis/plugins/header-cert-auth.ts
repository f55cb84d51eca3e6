import { z } from 'zod';
import { clientCertificateConfig, mtlsAuthOptionsSchema } from './mtls-auth';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

/** Header in which the AWS ALB forwards the client certificate chain (mutual authentication, passthrough mode). */
export const ALB_CLIENT_CERTIFICATE_HEADER = 'X-Amzn-Mtls-Clientcert';

/** Options of the Enterprise `header-cert-auth` plugin (Kong Gateway 3.8+). */
export const headerCertAuthOptionsSchema = mtlsAuthOptionsSchema
  .extend({
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
      ...clientCertificateConfig(o, caCertificateIds),
      certificate_header_name: name,
      certificate_header_format: format,
      secure_source: o.secureSource,
    }),
  };
}

import { ALB_CLIENT_CERTIFICATE_HEADER, ClientCertificateHeader } from './plugins/header-cert-auth';

/**
 * How a client certificate reaches Kong, which decides the plugin that can authenticate it:
 * `mtls-auth` needs the TLS handshake at Kong; `header-cert-auth` needs an edge that forwards the
 * certificate in a header. Pick one with the static factories.
 */
export class ClientCertificateDelivery {
  /** Kong terminates TLS (a TCP load balancer or none in front): `mtls-auth` works. */
  public static tlsAtKong(): ClientCertificateDelivery {
    return new ClientCertificateDelivery('tls-at-kong', undefined, undefined);
  }

  /** The edge terminates TLS and forwards the certificate in a header: `header-cert-auth` works. */
  public static fromHeader(header: ClientCertificateHeader, edge: string): ClientCertificateDelivery {
    return new ClientCertificateDelivery('header', header, edge);
  }

  /** The AWS ALB with mutual authentication in passthrough mode (`X-Amzn-Mtls-Clientcert`, URL-encoded PEM). */
  public static albPassthrough(): ClientCertificateDelivery {
    return ClientCertificateDelivery.fromHeader({ name: ALB_CLIENT_CERTIFICATE_HEADER, format: 'url_encoded' }, 'the ALB (mutual authentication, passthrough)');
  }

  /** The edge terminates TLS and drops the certificate: no client certificate authentication. */
  public static none(edge: string, hint: string): ClientCertificateDelivery {
    return new ClientCertificateDelivery('none', undefined, `${edge}\u0000${hint}`);
  }

  private constructor(
    public readonly kind: 'tls-at-kong' | 'header' | 'none',
    /** The header, when the edge forwards the certificate in one. */
    public readonly header: ClientCertificateHeader | undefined,
    private readonly detail: string | undefined,
  ) {}

  /** Why `plugin` cannot authenticate with this delivery, or undefined when it can. */
  public problemWith(plugin: string, explicitHeader: boolean): string | undefined {
    if (plugin === 'mtls-auth' && this.kind !== 'tls-at-kong') {
      const [edge, hint] = this.parts();
      return this.kind === 'header'
        ? `mtls-auth needs the TLS handshake at Kong, but ${edge} terminates TLS and forwards the certificate in a header: use header-cert-auth`
        : `mtls-auth needs the TLS handshake at Kong, but ${edge} terminates TLS and drops the client certificate; ${hint}`;
    }
    if (plugin === 'header-cert-auth' && this.kind === 'none') {
      const [edge, hint] = this.parts();
      return `header-cert-auth needs an edge that forwards the client certificate, but ${edge} drops it; ${hint}`;
    }
    if (plugin === 'header-cert-auth' && this.kind === 'tls-at-kong' && !explicitHeader) {
      return 'header-cert-auth needs certificateHeaderName and certificateHeaderFormat here (no edge forwards a certificate header); with TLS at Kong use mtls-auth';
    }
    return undefined;
  }

  private parts(): [string, string] {
    if (this.kind === 'header') return [this.detail ?? 'the edge', ''];
    const [edge, hint] = (this.detail ?? 'the edge\u0000').split('\u0000');
    return [edge, hint];
  }
}

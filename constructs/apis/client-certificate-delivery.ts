import { ALB_CLIENT_CERTIFICATE_HEADER, ClientCertificateHeader } from './plugins/header-cert-auth';

/**
 * How a client certificate reaches Kong, which decides the plugin that can authenticate it:
 * `mtls-auth` needs the TLS handshake at Kong; `header-cert-auth` needs an edge that forwards the
 * certificate in a header. Pick one with the static factories.
 */
export class ClientCertificateDelivery {
  /** Kong terminates TLS (a TCP load balancer or none in front): `mtls-auth` works. */
  public static tlsAtKong(): ClientCertificateDelivery {
    return new ClientCertificateDelivery('tls-at-kong', undefined, 'Kong', '');
  }

  /** The edge terminates TLS and forwards the certificate in a header: `header-cert-auth` works. */
  public static fromHeader(header: ClientCertificateHeader, edge: string): ClientCertificateDelivery {
    return new ClientCertificateDelivery('header', header, edge, '');
  }

  /** The AWS ALB with mutual authentication in passthrough mode (`X-Amzn-Mtls-Clientcert`, URL-encoded PEM). */
  public static albPassthrough(): ClientCertificateDelivery {
    return ClientCertificateDelivery.fromHeader({ name: ALB_CLIENT_CERTIFICATE_HEADER, format: 'url_encoded' }, 'the ALB (mutual authentication, passthrough)');
  }

  /** The edge terminates TLS and drops the certificate: no client certificate authentication. */
  public static none(edge: string, hint: string): ClientCertificateDelivery {
    return new ClientCertificateDelivery('none', undefined, edge, hint);
  }

  private constructor(
    public readonly kind: 'tls-at-kong' | 'header' | 'none',
    /** The header, when the edge forwards the certificate in one. */
    public readonly header: ClientCertificateHeader | undefined,
    /** Who terminates TLS, as the messages name it. */
    private readonly edge: string,
    /** What to do instead, for a delivery that drops the certificate. */
    private readonly hint: string,
  ) {}

  /** Why `plugin` cannot authenticate with this delivery, or undefined when it can. */
  public problemWith(plugin: string, explicitHeader: boolean): string | undefined {
    if (plugin === 'mtls-auth' && this.kind !== 'tls-at-kong') {
      return this.kind === 'header'
        ? `mtls-auth needs the TLS handshake at Kong, but ${this.edge} terminates TLS and forwards the certificate in a header: use header-cert-auth`
        : `mtls-auth needs the TLS handshake at Kong, but ${this.edge} terminates TLS and drops the client certificate; ${this.hint}`;
    }
    if (plugin === 'header-cert-auth' && this.kind === 'none') {
      return `header-cert-auth needs an edge that forwards the client certificate, but ${this.edge} drops it; ${this.hint}`;
    }
    if (plugin === 'header-cert-auth' && this.kind === 'tls-at-kong' && !explicitHeader) {
      return 'header-cert-auth needs certificateHeaderName and certificateHeaderFormat here (no edge forwards a certificate header); with TLS at Kong use mtls-auth';
    }
    return undefined;
  }
}

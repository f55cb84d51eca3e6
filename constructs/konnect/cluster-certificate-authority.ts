import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { Construct, TerraformProvider } from '../core/cdktf';
import { ClusterCertificateAuthority, HOURS_PER_DAY } from './data-plane-certificate';
import { singletonProvider } from '../core/stack-providers';

/** Options of {@link ClusterCertificateAuthorityKeyPair}. */
export interface ClusterCaProps {
  /** Subject common name of the CA. */
  readonly commonName: string;
  /** Lifetime in days. @default 1825 */
  readonly validityDays?: number;
  /** tls provider to use. @default the stack's default tls provider */
  readonly tlsProvider?: TerraformProvider;
}

/** A self-signed CA for Kong hybrid PKI mode (`cluster_mtls = pki`) or Konnect `pki_client_certs`. */
export class ClusterCertificateAuthorityKeyPair extends Construct implements ClusterCertificateAuthority {
  public readonly certPem: string;
  public readonly privateKeyPem: string;

  constructor(scope: Construct, id: string, props: ClusterCaProps) {
    super(scope, id);
    const validityDays = props.validityDays ?? 1825;
    if (!Number.isInteger(validityDays) || validityDays < 365) {
      throw new Error(`${this.node.path}: validityDays must be an integer of at least 365 for a CA, got ${validityDays}`);
    }
    const provider = props.tlsProvider ?? singletonProvider(this, 'tls', (stack) => new TlsProvider(stack, 'tls'));
    const key = new PrivateKey(this, 'key', { provider, algorithm: 'ECDSA', ecdsaCurve: 'P384' });
    const cert = new SelfSignedCert(this, 'cert', {
      provider,
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName: props.commonName }],
      isCaCertificate: true,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature'],
      validityPeriodHours: validityDays * HOURS_PER_DAY,
    });
    this.certPem = cert.certPem;
    this.privateKeyPem = key.privateKeyPem;
  }
}

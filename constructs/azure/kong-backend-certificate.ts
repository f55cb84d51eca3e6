import { CertRequest } from '@cdktf/provider-tls/lib/cert-request';
import { LocallySignedCert } from '@cdktf/provider-tls/lib/locally-signed-cert';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { Construct } from '../core/cdktf';
import { singletonProvider } from '../core/stack-providers';
import { invalidProp } from './validation';

const DAY_HOURS = 24;

/** Options of {@link KongBackendCertificate} that have defaults. */
export interface KongBackendCertificateOptions {
  /** @default 1095 (3 years) */
  readonly caValidityDays?: number;
  /** Renewed by Terraform 30 days before expiry. @default 365 */
  readonly certificateValidityDays?: number;
}

/** Props of {@link KongBackendCertificate}. */
export interface KongBackendCertificateProps extends KongBackendCertificateOptions {
  /** Host names the gateway sends as SNI (the public API host name). */
  readonly dnsNames: string[];
  /** Common name of the private CA. */
  readonly caName: string;
}

/**
 * The TLS hop from the Application Gateway to Kong: Application Gateway v2 verifies its HTTPS
 * backends, so Kong's proxy presents a certificate from a private CA that only this gateway
 * trusts (`trusted_root_certificate`). The CA key stays in this stack's state; the Kong key
 * reaches the platform stack as a sensitive cross-stack output and lands in a Kubernetes Secret.
 * Keep the state in the encrypted azurerm backend.
 */
export class KongBackendCertificate extends Construct {
  /** PEM of the private CA (public data). */
  public readonly caCertificatePem: string;
  /** PEM of Kong's proxy certificate (public data). */
  public readonly certificatePem: string;
  /** PEM of Kong's proxy private key (secret: sensitive outputs only). */
  public readonly privateKeyPem: string;

  constructor(scope: Construct, id: string, props: KongBackendCertificateProps) {
    super(scope, id);
    const caDays = props.caValidityDays ?? 1095;
    const certDays = props.certificateValidityDays ?? 365;
    if (props.dnsNames.length === 0) invalidProp(this, 'dnsNames', props.dnsNames, 'list the host name(s) the gateway sends as SNI');
    if (!Number.isInteger(certDays) || certDays < 31) invalidProp(this, 'certificateValidityDays', certDays, 'use at least 31 days (renewal starts 30 days before expiry)');
    if (certDays > caDays) invalidProp(this, 'certificateValidityDays', certDays, `must not exceed caValidityDays ${caDays}`);
    singletonProvider(this, 'tls', (stack) => new TlsProvider(stack, 'tls'));

    const caKey = new PrivateKey(this, 'ca-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    const ca = new SelfSignedCert(this, 'ca', {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      subject: [{ commonName: props.caName, organization: 'kong-platform' }],
      validityPeriodHours: caDays * DAY_HOURS,
      earlyRenewalHours: 90 * DAY_HOURS,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature'],
    });
    const key = new PrivateKey(this, 'proxy-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    const request = new CertRequest(this, 'proxy-csr', {
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName: props.dnsNames[0], organization: 'kong-platform' }],
      dnsNames: props.dnsNames,
    });
    const cert = new LocallySignedCert(this, 'proxy-cert', {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: certDays * DAY_HOURS,
      earlyRenewalHours: 30 * DAY_HOURS,
      allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
    });
    this.caCertificatePem = ca.certPem;
    this.certificatePem = cert.certPem;
    this.privateKeyPem = key.privateKeyPem;
  }
}

import { CertRequest } from '@cdktf/provider-tls/lib/cert-request';
import { LocallySignedCert } from '@cdktf/provider-tls/lib/locally-signed-cert';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { Construct, DataResource, Fn, Op, TerraformStack, conditional } from '../core/cdktf';
import { singletonProvider } from '../core/stack-providers';
import { invalidProp } from './validation';

const DAY_HOURS = 24;

/** The two root slots of Kong's backend CA: the gateway always trusts both. */
export const BACKEND_CA_SLOTS = ['a', 'b'] as const;
/**
 * The year the plan runs in (Terraform >= 1.5: `plantimestamp`), as a Terraform expression. Slot `a`
 * is re-issued when an even year begins, slot `b` when an odd one begins, and the slot issued most
 * recently signs Kong's certificate (`a` in even years): see {@link KongBackendCertificate}.
 */
const planYear = () => Fn.tonumber(Fn.formatdate('YYYY', Fn.plantimestamp()));

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
 * trusts (`trusted_root_certificate`). The CA keys stay in this stack's state; the Kong key
 * reaches the platform stack as a sensitive cross-stack output and lands in a Kubernetes Secret.
 * Keep the state in the encrypted azurerm backend.
 *
 * Rotation never breaks the chain. The gateway learns a new root in a cluster apply, Kong presents
 * a new certificate only after the next platform apply: in between, Kong's current certificate must
 * stay trusted. So there are two roots (slots `a` and `b`), the gateway trusts both at all times, and
 * they are re-issued in turn, one per calendar year (`a` when an even year begins, `b` when an odd one
 * does, through `replace_triggered_by` on a `terraform_data` keyed by the plan year). Kong's
 * certificate is signed by the root re-issued most recently (`a` in even years): when a root is
 * re-issued, Kong still presents a certificate of the other one, which stays trusted for a whole
 * year, until the platform apply hands Kong the new one. Roots are valid 3 years (2 between
 * re-issues, 1 of margin) and have no early renewal of their own; Kong's certificate renews 30 days
 * before it expires (and whenever the signing root changes).
 *
 * Condition: apply the cluster stack, then the platform stack, at least once a year (Kong's
 * certificate lives a year anyway). A cluster stack left alone for more than a year re-issues both
 * roots in one apply: the gateway then answers 502 until the platform apply.
 */
export class KongBackendCertificate extends Construct {
  /** PEMs of both roots (public data), slot a first: the gateway trusts every one. */
  public readonly caCertificatePems: string[];
  /** PEM of root slot a. @deprecated trust {@link caCertificatePems} (both roots). */
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

    if (caDays < 2 * 365 + 31) invalidProp(this, 'caValidityDays', caDays, 'use at least 761 days: a root is re-issued every 2 years and must outlive that');

    const roots = BACKEND_CA_SLOTS.map((slot) => {
      // Changes once every 2 years, in the slot's own years (a: even years begin, b: odd years begin).
      const generation = new DataResource(this, `ca-${slot}-generation`, {
        // (cdktf 0.21 renders a literal 0 operand as `undefined`: no `+ 0`, no `== 0`.)
        triggersReplace: { generation: Fn.floor(Op.div(slot === 'a' ? planYear() : Op.add(planYear(), 1), 2)) },
      });
      const caKey = new PrivateKey(this, `ca-${slot}-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
      const ca = new SelfSignedCert(this, `ca-${slot}`, {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: [{ commonName: `${props.caName} (${slot})`, organization: 'kong-platform' }],
        validityPeriodHours: caDays * DAY_HOURS,
        allowedUses: ['cert_signing', 'crl_signing', 'digital_signature'],
        lifecycle: { replaceTriggeredBy: [generation] },
      });
      if (slot === 'a') {
        // Environments deployed before the two roots had one root (`ca`, `ca-key`): it becomes slot a
        // (a `moved` block), so the upgrade keeps the root Kong's current certificate chains to, trusted.
        caKey.moveFromId(`tls_private_key.${this.formerLogicalId('ca-key')}`);
        ca.moveFromId(`tls_self_signed_cert.${this.formerLogicalId('ca')}`);
      }
      return { slot, key: caKey, ca };
    });
    const [a, b] = roots;
    const signedByA = () => Op.neq(Op.mod(planYear(), 2), 1);
    const signerCert = conditional(signedByA(), a.ca.certPem, b.ca.certPem) as unknown as string;
    const signerKey = conditional(signedByA(), a.key.privateKeyPem, b.key.privateKeyPem) as unknown as string;
    const key = new PrivateKey(this, 'proxy-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    const request = new CertRequest(this, 'proxy-csr', {
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName: props.dnsNames[0], organization: 'kong-platform' }],
      dnsNames: props.dnsNames,
    });
    const cert = new LocallySignedCert(this, 'proxy-cert', {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: Fn.sensitive(signerKey),
      caCertPem: signerCert,
      validityPeriodHours: certDays * DAY_HOURS,
      earlyRenewalHours: 30 * DAY_HOURS,
      allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
    });
    this.caCertificatePems = roots.map((r) => r.ca.certPem);
    this.caCertificatePem = this.caCertificatePems[0];
    this.certificatePem = cert.certPem;
    this.privateKeyPem = key.privateKeyPem;
  }

  /** The logical id a child with this construct id had (computed on a throw-away child). */
  private formerLogicalId(childId: string): string {
    const probe = new Construct(this, childId);
    const id = TerraformStack.of(this).getLogicalId(probe.node);
    this.node.tryRemoveChild(childId);
    return id;
  }
}

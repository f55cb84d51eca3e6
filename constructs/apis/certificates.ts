import { createHash } from 'crypto';
import type { KubernetesObject } from '../manifest-chart';
import type { HelmValues } from '../core/platform-add-on';
import { INGRESS_CLASS_ANNOTATION } from './plugin-resources';

/** Label KIC looks for on CA certificate Secrets (data keys `cert` and `id`). */
export const CA_CERT_LABEL = 'konghq.com/ca-cert';

/** A CA certificate Kong knows by id: for mtls-auth and for upstream verification. */
export interface CertificateAuthority {
  /** Name of the CA certificate and of its Secret. */
  readonly name: string;
  /** Namespace of the Secret (upstream verification only reads the Service's namespace). */
  readonly namespace: string;
  /** PEM to create the Secret from; omit to reference an existing Secret. */
  readonly pem?: string;
  /** Existing Secret (already labelled `konghq.com/ca-cert: "true"`) and the id stored in it. */
  readonly existingSecret?: { readonly name: string; readonly id: string };
}

/** Where a TLS key pair comes from: an existing `kubernetes.io/tls` Secret, or cert-manager. */
export interface TlsSource {
  readonly secretName?: string;
  readonly certManager?: CertManagerIssuance;
}

/** How cert-manager issues a certificate. */
export interface CertManagerIssuance {
  readonly issuerName: string;
  /** @default ClusterIssuer */
  readonly issuerKind?: 'Issuer' | 'ClusterIssuer';
  /** @default 2160h */
  readonly duration?: string;
  /** @default 360h */
  readonly renewBefore?: string;
}

/**
 * Stable Kong id of a CA certificate: a name-based UUID from namespace and name, so the id
 * does not change across synths and the plugin config that lists it stays put.
 */
export function caCertificateId(namespace: string, name: string): string {
  const hex = createHash('sha256').update(`kong-platform/ca-certificate/${namespace}/${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Kong id of a CA certificate (existing Secret: the id it stores). */
export function authorityId(authority: CertificateAuthority): string {
  return authority.existingSecret?.id ?? caCertificateId(authority.namespace, authority.name);
}

/** The Secret name of a CA certificate. */
export function authoritySecretName(authority: CertificateAuthority): string {
  return authority.existingSecret?.name ?? authority.name;
}

/** The `konghq.com/ca-cert` Secret for a CA given as PEM (public data only), or undefined for an existing one. */
export function caCertificateSecret(authority: CertificateAuthority, ingressClass: string, labels: Record<string, string> = {}): KubernetesObject | undefined {
  if (authority.pem === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: authority.name,
      namespace: authority.namespace,
      labels: { ...labels, [CA_CERT_LABEL]: 'true' },
      annotations: { [INGRESS_CLASS_ANNOTATION]: ingressClass },
    },
    type: 'Opaque',
    stringData: { cert: authority.pem.trim() + '\n', id: authorityId(authority) },
  };
}

/** The Secret a TLS source ends up in: the existing one, or the one cert-manager writes (named after the certificate). */
export function tlsSecretName(name: string, source: TlsSource): string {
  return source.secretName ?? name;
}

/**
 * A cert-manager `Certificate` (ECDSA P-256, key rotated on every renewal). `usage` picks server
 * auth (SNI certificates) or client auth (the certificate Kong presents to an upstream).
 */
export function certManagerCertificate(
  name: string,
  namespace: string,
  dnsNames: string[],
  issuance: CertManagerIssuance,
  usage: 'server' | 'client',
  labels: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name, namespace, labels },
    spec: {
      secretName: name,
      ...(usage === 'client' ? { commonName: dnsNames[0] } : {}),
      dnsNames,
      duration: issuance.duration ?? '2160h',
      renewBefore: issuance.renewBefore ?? '360h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: usage === 'server' ? ['digital signature', 'key encipherment', 'server auth'] : ['digital signature', 'key encipherment', 'client auth'],
      issuerRef: { name: issuance.issuerName, kind: issuance.issuerKind ?? 'ClusterIssuer', group: 'cert-manager.io' },
    },
  };
}

/** True when a certificate host (`api.example.com` or `*.example.com`) covers `host`. */
export function hostCovered(certificateHost: string, host: string): boolean {
  if (certificateHost === host) return true;
  if (!certificateHost.startsWith('*.')) return false;
  const suffix = certificateHost.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length;
}

/**
 * Gateway values that make an existing TLS Secret (in the Kong namespace) Kong's default
 * certificate, served when no SNI certificate matches: mounted by the chart under
 * `/etc/secrets/<name>/` and named in kong.conf `ssl_cert` / `ssl_cert_key`.
 */
export function defaultCertificateValues(secretName: string): HelmValues {
  return {
    secretVolumes: [secretName],
    env: { ssl_cert: `/etc/secrets/${secretName}/tls.crt`, ssl_cert_key: `/etc/secrets/${secretName}/tls.key` },
  };
}

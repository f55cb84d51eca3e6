import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { stringify } from 'yaml';
import { Construct, TerraformProvider } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import type { HelmValues } from '../core/platform-add-on';
import { ClusterCertificateAuthorityKeyPair } from './cluster-certificate-authority';
import { ClusterCertificate, ClusterKeyAlgorithm } from './data-plane-certificate';

/** Port of the Kong hybrid-mode cluster listener (kong.conf `cluster_listen`). */
export const KONG_CLUSTER_PORT = 8005;

/** PostgreSQL the control plane stores its configuration in. */
export interface ControlPlanePostgres {
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** @default kong */
  readonly database?: string;
  /** @default kong */
  readonly user?: string;
  /** Existing Secret in the control plane namespace with the password. */
  readonly passwordSecretName: string;
  /** @default password */
  readonly passwordSecretKey?: string;
}

/** Options of {@link SelfManagedControlPlane}. */
export interface SelfManagedControlPlaneProps {
  /** Environment name, used in certificate names. */
  readonly environment: string;
  /** Namespace of the control plane release (must exist, or set `createNamespace`). @default kong-cp */
  readonly namespace?: string;
  /** Create the namespace with the release. @default true */
  readonly createNamespace?: boolean;
  /** Helm release name; the cluster Service is `<releaseName>-kong-cluster`. @default kong-cp */
  readonly releaseName?: string;
  /** kong chart version. @default 3.4.1 */
  readonly chartVersion?: string;
  /** Host name data planes dial; must resolve from every data plane cluster. @default <releaseName>-kong-cluster.<namespace>.svc */
  readonly endpoint?: string;
  /** Service type of the cluster listener: LoadBalancer when data planes run in other clusters. @default ClusterIP */
  readonly clusterServiceType?: 'ClusterIP' | 'LoadBalancer';
  /** Database of the control plane. */
  readonly postgres: ControlPlanePostgres;
  /** CA lifetime, days. @default 1825 */
  readonly caValidityDays?: number;
  /** Control plane certificate lifetime, days. @default 365 */
  readonly certificateValidityDays?: number;
  /** Bump to rotate the control plane certificate. @default 0 */
  readonly certificateRotation?: number;
  /** Values merged last (image, plugins.configMaps for custom plugins, resources...). @default none */
  readonly extraValues?: HelmValues;
  /** helm provider of the control plane cluster. @default the stack's default helm provider */
  readonly helmProvider?: TerraformProvider;
  /** kubernetes provider of the control plane cluster. @default the stack's default kubernetes provider */
  readonly kubernetesProvider?: TerraformProvider;
  /** Resources that must exist before the release. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Options of {@link SelfManagedControlPlane.issueDataPlaneCertificate}. */
export interface DataPlaneIssueOptions {
  readonly validityDays?: number;
  readonly earlyRenewalDays?: number;
  readonly rotation?: number;
  readonly algorithm?: ClusterKeyAlgorithm;
}

const CP_SECRET_NAME = 'kong-cluster-cert';

/**
 * A Kong control plane release we run ourselves (hybrid mode, `cluster_mtls = pki`), with the
 * CA that signs both ends: its own server certificate and every data plane's client certificate
 * ({@link issueDataPlaneCertificate}). Data planes may run in other clusters: give them aliased
 * kubernetes/helm providers in the same stack, so no private key ever crosses a stack boundary
 * (a cross-stack reference would be a Terraform output).
 */
export class SelfManagedControlPlane extends Construct {
  public readonly namespace: string;
  public readonly releaseName: string;
  /** Host name data planes dial and check the control plane certificate against (`cluster_server_name`). */
  public readonly serverName: string;
  /** kong.conf `cluster_control_plane` for data planes: `<serverName>:8005`. */
  public readonly clusterControlPlane: string;
  /** The CA of this control plane's cluster. */
  public readonly ca: ClusterCertificateAuthorityKeyPair;
  /** The control plane's server certificate. */
  public readonly certificate: ClusterCertificate;
  public readonly secret: SecretV1;
  public readonly release: Release;
  /** The Helm values of the control plane release (for inspection and tests). */
  public readonly values: HelmValues;

  constructor(scope: Construct, id: string, props: SelfManagedControlPlaneProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'kong-cp';
    this.releaseName = props.releaseName ?? 'kong-cp';
    const serviceName = `${this.releaseName}-kong-cluster`;
    const inClusterName = `${serviceName}.${this.namespace}.svc`;
    this.serverName = props.endpoint ?? inClusterName;
    this.clusterControlPlane = `${this.serverName}:${KONG_CLUSTER_PORT}`;
    this.validate(props);

    this.ca = new ClusterCertificateAuthorityKeyPair(this, 'ca', {
      commonName: `kong-cluster-ca-${props.environment}`,
      validityDays: props.caValidityDays,
    });
    this.certificate = new ClusterCertificate(this, 'cp-cert', {
      commonName: `kong-cp-${props.environment}`,
      dnsNames: [...new Set([this.serverName, inClusterName, `${inClusterName}.cluster.local`])],
      usage: 'server',
      ca: this.ca,
      validityDays: props.certificateValidityDays,
      rotation: props.certificateRotation,
    });
    this.secret = this.certificate.addKubernetesSecret(this, 'cp-cert-secret', {
      name: CP_SECRET_NAME,
      namespace: this.namespace,
      caCertPem: this.ca.certPem,
      kubernetesProvider: props.kubernetesProvider,
      dependsOn: props.dependsOn,
    });

    this.values = controlPlaneValues({
      secretName: CP_SECRET_NAME,
      postgres: props.postgres,
      clusterServiceType: props.clusterServiceType ?? 'ClusterIP',
      certSha256: this.certificate.certSha256,
      extraValues: props.extraValues ?? {},
    });
    this.release = new Release(this, 'release', {
      provider: props.helmProvider,
      name: this.releaseName,
      namespace: this.namespace,
      createNamespace: props.createNamespace ?? true,
      repository: 'https://charts.konghq.com',
      chart: 'kong',
      version: props.chartVersion ?? '3.4.1',
      values: [stringify(this.values)],
      atomic: true,
      wait: true,
      timeout: 900,
      dependsOn: [this.secret, ...(props.dependsOn ?? [])],
    });
  }

  /** A data plane client certificate signed by this control plane's CA. */
  public issueDataPlaneCertificate(scope: Construct, id: string, commonName: string, options: DataPlaneIssueOptions = {}): ClusterCertificate {
    return new ClusterCertificate(scope, id, { commonName, usage: 'client', ca: this.ca, ...options });
  }

  private validate(props: SelfManagedControlPlaneProps): void {
    const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
    for (const [field, value] of [
      ['namespace', this.namespace],
      ['releaseName', this.releaseName],
    ] as const) {
      if (!dnsLabel.test(value)) throw new Error(`${this.node.path}: ${field} must be a DNS label, got "${value}"`);
    }
    if (!props.postgres?.host || !props.postgres.passwordSecretName) {
      throw new Error(`${this.node.path}: postgres.host and postgres.passwordSecretName are required (a Secret holding the password, never the password)`);
    }
  }
}

interface ControlPlaneValuesInput {
  readonly secretName: string;
  readonly postgres: ControlPlanePostgres;
  readonly clusterServiceType: 'ClusterIP' | 'LoadBalancer';
  /** Checksum of the certificate: Kong reads it at start, so a new certificate must roll the pods. */
  readonly certSha256: string;
  readonly extraValues: HelmValues;
}

/** kong chart values of a hybrid-mode control plane (every key exists in the chart's values.yaml). */
export function controlPlaneValues(input: ControlPlaneValuesInput): HelmValues {
  const certDir = `/etc/secrets/${input.secretName}`;
  const base: HelmValues = {
    env: {
      role: 'control_plane',
      database: 'postgres',
      pg_host: input.postgres.host,
      pg_port: String(input.postgres.port ?? 5432),
      pg_database: input.postgres.database ?? 'kong',
      pg_user: input.postgres.user ?? 'kong',
      pg_password: { valueFrom: { secretKeyRef: { name: input.postgres.passwordSecretName, key: input.postgres.passwordSecretKey ?? 'password' } } },
      pg_ssl: 'on',
      pg_ssl_verify: 'on',
      lua_ssl_trusted_certificate: 'system',
      cluster_mtls: 'pki',
      cluster_ca_cert: `${certDir}/ca.crt`,
      cluster_cert: `${certDir}/tls.crt`,
      cluster_cert_key: `${certDir}/tls.key`,
    },
    // The Admin API stays inside the cluster (ClusterIP, TLS only); the chart default is NodePort.
    admin: { enabled: true, type: 'ClusterIP', http: { enabled: false }, tls: { enabled: true } },
    cluster: { enabled: true, type: input.clusterServiceType, tls: { enabled: true, servicePort: KONG_CLUSTER_PORT, containerPort: KONG_CLUSTER_PORT } },
    proxy: { enabled: false },
    ingressController: { enabled: false },
    secretVolumes: [input.secretName],
    podAnnotations: { [CERT_CHECKSUM_ANNOTATION]: input.certSha256 },
  };
  return mergeValues(base, input.extraValues);
}

/** Pod annotation holding the SHA-256 of the mounted cluster certificate. */
export const CERT_CHECKSUM_ANNOTATION = 'kong-platform/cluster-cert-sha256';

/** Deep merge of plain objects; arrays and scalars from `override` replace. */
function mergeValues(base: HelmValues, override: HelmValues): HelmValues {
  const out: HelmValues = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is HelmValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

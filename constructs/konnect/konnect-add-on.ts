import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Construct, TerraformResource } from '../core/cdktf';
import { singletonProvider } from '../core/stack-providers';
import { ManifestChart } from '../manifest-chart/manifest-chart';
import type { KubernetesObject } from '../manifest-chart/render';
import type { TerraformProvider } from '../core/cdktf';
import type { HelmValues, KongReleases, PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { KonnectSection, KonnectSectionInput, konnectSectionSchema } from './konnect-section';
import { PropsProblems } from '../core/validation';
import { ClusterCertificateAuthorityKeyPair } from './cluster-certificate-authority';
import { CustomPluginSchemaSource } from './custom-plugin-schemas';
import { ClusterCertificate } from './data-plane-certificate';
import { KonnectControlPlane } from './konnect-control-plane';
import { CERT_CHECKSUM_ANNOTATION, KONG_CLUSTER_PORT, SelfManagedControlPlane } from './self-managed-control-plane';
import { KONNECT_ENDPOINT_PORT } from './endpoints';

/**
 * What the platform does with the Kong Ingress Controller release:
 *   - `disabled`: do not deploy it. The control plane (Konnect CLUSTER_TYPE_CONTROL_PLANE, or a
 *     self-managed one) configures the data planes; KIC would fight it over the configuration.
 *   - `konnect`: deploy it in Konnect mode (CLUSTER_TYPE_K8S_INGRESS_CONTROLLER): KIC configures
 *     the gateways from Kubernetes resources and mirrors the configuration to Konnect.
 */
export type KonnectControllerMode = 'disabled' | 'konnect';

/** Options of {@link KonnectAddOn}. */
export interface KonnectAddOnProps {
  /**
   * The `konnect:` settings (must be enabled), as written in an environment file or in code:
   * validated here, defaults applied here (see docs/konnect.md for every field and its default).
   */
  readonly section: KonnectSectionInput;
  /** Environment name: default control plane name, certificate common name, `env` label. */
  readonly environment: string;
  /** Production: the Konnect control plane refuses `terraform destroy`. @default false */
  readonly production?: boolean;
  /** Custom plugin schemas to upload to Konnect (see readCustomPluginSchemas). @default none */
  readonly customPlugins?: CustomPluginSchemaSource[];
  /** The control plane release, required with `mode: self-managed`. */
  readonly selfManagedControlPlane?: SelfManagedControlPlane;
  /** kubernetes provider of the cluster the gateway runs in. @default the stack's default kubernetes provider */
  readonly kubernetesProvider?: TerraformProvider;
}

/**
 * Runs the environment's Kong gateways as data planes of a Kong Konnect control plane (or of a
 * self-managed one). Built once per environment stack, before `KongPlatform` asks for values:
 *   - constructor: control plane (created or looked up), data plane key and certificate;
 *   - `gatewayValues`: kong.conf cluster settings (`env`), the certificate Secret in
 *     `secretVolumes`, a checksum pod annotation that rolls pods on a new certificate;
 *   - `controllerValues`: `ingressController.konnect.*` when `controllerMode` is `konnect`;
 *   - `deploy`: the certificate Secret (ordered before the gateway release), its registration
 *     with Konnect, the custom plugin schemas.
 */
export class KonnectAddOn extends Construct implements PlatformAddOn {
  public readonly id = 'konnect';
  /** Whether the platform deploys the Kong Ingress Controller release, and how (see {@link KonnectControllerMode}). */
  public readonly controllerMode: KonnectControllerMode;
  /** Name of the kubernetes.io/tls Secret the gateway mounts. */
  public readonly secretName: string;
  /** The Konnect control plane (`mode: konnect`). */
  public readonly controlPlane?: KonnectControlPlane;
  /** The data plane key and certificate from the tls provider (`certificate.issuer.type: terraform`). */
  public readonly certificate?: ClusterCertificate;
  /** cert-manager issuer: the epoch whose change re-issues the data plane certificate and rolls the pods. */
  public readonly reissueEpoch?: Rotating;
  /** Konnect `pki_client_certs`: the CA registered instead of the certificate. */
  public readonly konnectCa?: ClusterCertificateAuthorityKeyPair;

  private readonly section: KonnectSection;
  private readonly customPlugins: CustomPluginSchemaSource[];
  private readonly selfManaged?: SelfManagedControlPlane;
  private readonly kubernetesProvider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: KonnectAddOnProps) {
    super(scope, id);
    const parsed = konnectSectionSchema.safeParse(props.section);
    if (!parsed.success) {
      const problems = new PropsProblems(this.node.path);
      for (const issue of parsed.error.issues) {
        let value: unknown = props.section;
        for (const part of issue.path) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[part];
        problems.add(['section', ...issue.path].join('.'), value, value === undefined && issue.code === 'invalid_type' ? `is required (${issue.expected})` : issue.message);
      }
      problems.throwIfAny();
    }
    const section: KonnectSection = parsed.data!;
    this.section = section;
    this.customPlugins = props.customPlugins ?? [];
    this.kubernetesProvider = props.kubernetesProvider;
    this.secretName = section.certificate.secretName;
    if (!section.enabled) {
      throw new Error(`${this.node.path}: konnect.enabled is false; do not add the KonnectAddOn for this environment`);
    }
    const cert = section.certificate;
    const certOptions = {
      commonName: `kong-dp-${props.environment}`,
      validityDays: cert.validityDays,
      earlyRenewalDays: cert.earlyRenewalDays,
      rotation: cert.rotation,
      algorithm: cert.algorithm,
    };

    if (section.mode === 'self-managed') {
      if (!props.selfManagedControlPlane) {
        throw new Error(`${this.node.path}: konnect.mode is "self-managed" but no selfManagedControlPlane was given`);
      }
      this.selfManaged = props.selfManagedControlPlane;
      this.controllerMode = 'disabled';
      this.certificate = this.selfManaged.issueDataPlaneCertificate(this, 'dp-cert', certOptions.commonName, certOptions);
      return;
    }

    const cp = section.controlPlane;
    this.controlPlane = new KonnectControlPlane(this, 'control-plane', {
      region: section.region,
      tokenSource: section.tokenSource,
      name: cp.name ?? `kong-${props.environment}`,
      description: cp.description ?? `Kong data planes of environment ${props.environment} (kong-platform)`,
      clusterType: cp.clusterType,
      authType: cp.authType,
      labels: { env: props.environment, ...cp.labels },
      existingId: cp.existingId,
      preventDestroy: props.production ?? false,
    });
    this.controllerMode = cp.clusterType === 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER' ? 'konnect' : 'disabled';
    if (cert.issuer.type === 'cert-manager') {
      // A third of the lifetime: an apply may be two periods late before the certificate expires.
      singletonProvider(this, 'time', (stack) => new TimeProvider(stack, 'time'));
      this.reissueEpoch = new Rotating(this, 'dp-cert-epoch', { rotationDays: Math.max(1, Math.floor(cert.validityDays / 3)) });
    } else if (cp.authType === 'pki_client_certs') {
      this.konnectCa = new ClusterCertificateAuthorityKeyPair(this, 'dp-ca', { commonName: `kong-dp-ca-${props.environment}` });
      this.certificate = new ClusterCertificate(this, 'dp-cert', { ...certOptions, ca: this.konnectCa });
    } else {
      this.certificate = new ClusterCertificate(this, 'dp-cert', certOptions);
    }
  }

  /** KongPlatform deploys the KIC release only in Konnect KIC mode (see {@link KonnectControllerMode}). */
  public needsIngressController(_context: PlatformContext): boolean {
    return this.controllerMode === 'konnect';
  }

  /**
   * Data planes dial out: Konnect endpoints on 443 (Konnect publishes no fixed address ranges),
   * or the self-managed control plane's cluster port.
   */
  public gatewayEgress(_context: PlatformContext): Array<{ cidr: string; ports: number[] }> {
    return [{ cidr: '0.0.0.0/0', ports: [this.selfManaged ? KONG_CLUSTER_PORT : KONNECT_ENDPOINT_PORT] }];
  }

  public gatewayValues(_context: PlatformContext): HelmValues {
    return {
      env: this.gatewayEnv(),
      secretVolumes: [this.secretName],
      podAnnotations: {
        [CERT_CHECKSUM_ANNOTATION]: this.certificate ? this.certificate.certSha256 : `${this.reissueEpoch!.rfc3339} rotation ${this.section.certificate.rotation}`,
      },
    };
  }

  public controllerValues(_context: PlatformContext): HelmValues {
    if (this.controllerMode !== 'konnect' || !this.controlPlane) return {};
    return {
      ingressController: {
        konnect: {
          enabled: true,
          controlPlaneID: this.controlPlane.controlPlaneId,
          apiHostname: this.controlPlane.kicApiHostname,
          // KIC authenticates to Konnect with the same registered client certificate.
          tlsClientCertSecretName: this.secretName,
        },
      },
    };
  }

  public deploy(scope: Construct, context: PlatformContext, kongReleases: KongReleases): void {
    // The add-on itself may sit in `scope` under the same id (it is a construct, built before KongPlatform).
    const root = new Construct(scope, scope.node.tryFindChild(this.id) ? `${this.id}-deploy` : this.id);
    const gateway = kongReleases.gateway;
    // The Secret must exist before the gateway pods mount it; it also waits for whatever the gateway waits for (its namespace).
    const secret: TerraformResource = this.certificate
      ? this.certificate.addKubernetesSecret(root, 'cluster-cert-secret', {
          name: this.secretName,
          namespace: context.systemNamespace,
          caCertPem: this.selfManaged ? this.selfManaged.ca.certPem : undefined,
          kubernetesProvider: this.kubernetesProvider,
        })
      : this.certManagerCertificate(root, context).release;
    secret.dependsOn = [...(gateway.dependsOn ?? [])];
    if (this.controlPlane) {
      const issuer = this.section.certificate.issuer;
      const registered = issuer.type === 'cert-manager' ? issuer.caCertificatePem : this.konnectCa ? this.konnectCa.certPem : this.certificate!.certPem;
      const registration = this.controlPlane.registerDataPlaneCertificate('dp-cert-registration', registered);
      // Secret after registration, gateway after Secret: a rotated certificate is accepted before pods present it,
      // and the old registration is destroyed (create-before-destroy) only after the pods rolled.
      secret.dependsOn = [...(secret.dependsOn ?? []), dependsOnAddress(registration)];
      if (this.section.customPluginSchemas) {
        for (const plugin of this.customPlugins) this.controlPlane.addCustomPluginSchema(plugin.name, plugin.luaSchema);
      }
    }
    gateway.dependsOn = [...new Set([...(gateway.dependsOn ?? []), dependsOnAddress(secret)])];
    const controller = kongReleases.controller;
    if (this.controllerMode === 'konnect' && controller) {
      controller.dependsOn = [...new Set([...(controller.dependsOn ?? []), dependsOnAddress(secret)])];
    }
  }

  /**
   * The data plane certificate as a cert-manager Certificate, signed by the environment's issuer.
   * The epoch and `rotation` are in its subject: a new value is a changed spec, which cert-manager
   * re-issues at once (a new key), and the pod annotation rolls the data planes in the same apply.
   */
  private certManagerCertificate(scope: Construct, context: PlatformContext): ManifestChart {
    const cert = this.section.certificate;
    const issuer = cert.issuer;
    if (issuer.type !== 'cert-manager') throw new Error(`${this.node.path}: certificate.issuer.type is not cert-manager`);
    const certificate: KubernetesObject = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: {
        name: this.secretName,
        namespace: context.systemNamespace,
        labels: { 'app.kubernetes.io/managed-by': 'kong-platform', 'app.kubernetes.io/component': 'kong-cluster-certificate' },
      },
      spec: {
        secretName: this.secretName,
        commonName: `kong-dp-${context.environment}`,
        subject: { serialNumber: ManifestChart.valueRef('epoch') },
        duration: `${cert.validityDays * 24}h`,
        renewBefore: `${cert.earlyRenewalDays * 24}h`,
        privateKey: cert.algorithm === 'ECDSA' ? { algorithm: 'ECDSA', size: 384, rotationPolicy: 'Always' } : { algorithm: 'RSA', size: 4096, rotationPolicy: 'Always' },
        usages: ['digital signature', ...(cert.algorithm === 'RSA' ? ['key encipherment'] : []), 'client auth'],
        issuerRef: { name: issuer.issuerName, kind: issuer.issuerKind, group: 'cert-manager.io' },
      },
    };
    return new ManifestChart(scope, 'cluster-certificate', {
      chartName: 'konnect-dp-certificate',
      releaseName: `${context.gatewayReleaseName}-dp-certificate`,
      namespace: context.systemNamespace,
      values: { epoch: `${this.reissueEpoch!.rfc3339} rotation ${cert.rotation}` },
      manifests: [certificate],
      description: `cert-manager Certificate of the ${context.environment} Konnect data planes`,
    });
  }

  /** kong.conf settings (the chart's free-form `env` map). */
  private gatewayEnv(): Record<string, string> {
    const certDir = `/etc/secrets/${this.secretName}`;
    const clientCert = { cluster_cert: `${certDir}/tls.crt`, cluster_cert_key: `${certDir}/tls.key` };
    if (this.selfManaged) {
      return {
        role: 'data_plane',
        database: 'off',
        cluster_mtls: 'pki',
        cluster_ca_cert: `${certDir}/ca.crt`,
        cluster_control_plane: this.selfManaged.clusterControlPlane,
        cluster_server_name: this.selfManaged.serverName,
        ...clientCert,
        lua_ssl_trusted_certificate: 'system',
      };
    }
    const cp = this.controlPlane!;
    const konnect = {
      konnect_mode: 'on',
      // Konnect always authenticates data planes with mTLS; `pki` also covers pinned certificates there.
      cluster_mtls: 'pki',
      cluster_telemetry_endpoint: cp.clusterTelemetryEndpoint,
      cluster_telemetry_server_name: cp.clusterTelemetryServerName,
      ...clientCert,
      lua_ssl_trusted_certificate: 'system',
    };
    if (this.controllerMode === 'konnect') {
      // KIC configures this gateway through its Admin API; Konnect only receives telemetry.
      return konnect;
    }
    return {
      role: 'data_plane',
      database: 'off',
      cluster_control_plane: cp.clusterControlPlane,
      cluster_server_name: cp.clusterServerName,
      ...konnect,
    };
  }
}

/**
 * `depends_on` entry of a resource created after the dependent: `<type>.<name>`, the bare
 * address Terraform wants (`fqn` is an interpolation, `${...}`, which depends_on rejects).
 */
function dependsOnAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

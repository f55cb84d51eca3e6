import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Construct, Fn, Lazy, TerraformResource, Token } from '../core/cdktf';
import { singletonProvider } from '../core/stack-providers';
import { ManifestChart } from '../manifest-chart/manifest-chart';
import { certificateReissueDaysProblem } from '../core/certificate-reissue';
import { HelmValues, KongReleases, PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { isUsableAzureAddress, parseAddress, parseCidr } from './ip-ranges';

/** Service annotation that makes the Azure cloud provider create an internal load balancer. */
export const AZURE_INTERNAL_LB_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';
/** Service annotation that pins the load balancer frontend address. */
export const AZURE_LB_IPV4_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
/** Service annotation that puts the internal load balancer frontend in a named subnet of the cluster VNet. */
export const AZURE_INTERNAL_LB_SUBNET_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';
/** Pod annotation whose value changes with the proxy certificate, so the pods roll onto a new one. */
export const PROXY_CERT_CHECKSUM_ANNOTATION = 'kong-platform/proxy-backend-cert-sha256';

/** Kong's proxy key pair for the gateway-to-Kong TLS hop (cross-stack references). */
export interface ProxyCertificate {
  /** PEM certificate. */
  readonly certificatePem: string;
  /** PEM private key (sensitive). */
  readonly privateKeyPem: string;
}

/**
 * Kong's proxy certificate from cert-manager, signed by the team's issuer whose CA the Application
 * Gateway trusts: the key is generated in the cluster, never in Terraform state.
 */
export interface ProxyCertificateIssuer {
  /** cert-manager Issuer (in the Kong namespace) or ClusterIssuer. */
  readonly issuerName: string;
  /** @default ClusterIssuer */
  readonly issuerKind?: 'Issuer' | 'ClusterIssuer';
  /** Host names the gateway sends as SNI (the public API host names). */
  readonly hostNames: string[];
  /**
   * Days between re-issues: each platform apply after this many days re-issues the certificate and
   * rolls the pods in the same apply. Valid three periods. @default 30
   */
  readonly reissueEveryDays?: number;
}

/** Props of {@link AzureEdgeAddOn}: literals from the `azure:` section and cluster stack outputs. */
export interface AzureEdgeAddOnProps {
  /** Application Gateway subnet, a literal: Kong trusts X-Forwarded-For only from it. */
  readonly gatewaySubnetCidr: string;
  /** Node subnet, a literal: the fixed load balancer address must be usable in it. */
  readonly nodeSubnetCidr: string;
  /** Name of the node subnet (the internal load balancer frontend goes there). */
  readonly nodeSubnetName: string;
  /** Fixed private address of the internal load balancer (the gateway backend pool's only target). */
  readonly kongInternalLoadBalancerIp: string;
  /**
   * Kong's proxy certificate, issued by the CA the gateway trusts; stored in a Secret and
   * served by Kong as its default certificate (kong.conf `ssl_cert` / `ssl_cert_key`).
   * @default Kong's self-signed certificate (the gateway's backend check then fails: only for tests)
   */
  readonly proxyCertificate?: ProxyCertificate;
  /** Kong's proxy certificate from cert-manager instead (exclusive with `proxyCertificate`). @default none */
  readonly proxyCertificateIssuer?: ProxyCertificateIssuer;
}

/**
 * Platform add-on for AKS behind the Application Gateway edge:
 * - Kong's proxy Service becomes an internal Azure load balancer at the fixed address the
 *   gateway's backend pool targets, in the node subnet, accepting only the gateway subnet;
 * - `externalTrafficPolicy: Local` keeps the gateway's address as the connection source (no
 *   SNAT through another node), so Kong can trust X-Forwarded-For from the gateway subnet only;
 * - Kong serves the proxy certificate the gateway verifies (from a Secret, through `valueFrom`).
 */
export class AzureEdgeAddOn implements PlatformAddOn {
  public readonly id = 'azure-edge';
  private readonly props: AzureEdgeAddOnProps;
  /** cert-manager issuer: created by `deploy`, read (lazily) by the gateway values. */
  private reissueEpoch?: Rotating;

  constructor(props: AzureEdgeAddOnProps) {
    for (const field of ['gatewaySubnetCidr', 'nodeSubnetCidr', 'nodeSubnetName', 'kongInternalLoadBalancerIp'] as const) {
      if (Token.isUnresolved(props[field])) {
        throw new Error(`${this.id}: invalid ${field} (a Terraform reference): pass the literal from the azure section, Helm values and checks need it at synth time`);
      }
    }
    for (const field of ['gatewaySubnetCidr', 'nodeSubnetCidr'] as const) {
      if (!parseCidr(props[field])) throw new Error(`${this.id}: invalid ${field} ${JSON.stringify(props[field])}: use an IPv4 CIDR such as 10.30.16.0/24`);
    }
    if (parseAddress(props.kongInternalLoadBalancerIp) === undefined || !isUsableAzureAddress(props.nodeSubnetCidr, props.kongInternalLoadBalancerIp)) {
      throw new Error(
        `${this.id}: invalid kongInternalLoadBalancerIp ${JSON.stringify(props.kongInternalLoadBalancerIp)}: use a usable address of nodeSubnetCidr ${props.nodeSubnetCidr}`,
      );
    }
    if (!/^[-\w.]{1,80}$/.test(props.nodeSubnetName)) throw new Error(`${this.id}: invalid nodeSubnetName ${JSON.stringify(props.nodeSubnetName)}: use the subnet's name`);
    const issuer = props.proxyCertificateIssuer;
    if (issuer && props.proxyCertificate) throw new Error(`${this.id}: give proxyCertificate or proxyCertificateIssuer, not both`);
    if (issuer) {
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(issuer.issuerName)) {
        throw new Error(`${this.id}: invalid proxyCertificateIssuer.issuerName ${JSON.stringify(issuer.issuerName)}: a cert-manager issuer name (DNS label)`);
      }
      if (!Array.isArray(issuer.hostNames) || issuer.hostNames.length === 0) throw new Error(`${this.id}: proxyCertificateIssuer.hostNames must list the API host names`);
      const days = issuer.reissueEveryDays ?? 30;
      const problem = certificateReissueDaysProblem(days);
      if (problem) throw new Error(`${this.id}: invalid proxyCertificateIssuer.reissueEveryDays ${days}: ${problem}`);
    }
    this.props = props;
  }

  /** Name of the Secret holding Kong's proxy certificate. */
  public secretName(context: PlatformContext): string {
    return `${context.gatewayReleaseName}-proxy-backend-tls`;
  }

  public gatewayValues(context: PlatformContext): HelmValues {
    const p = this.props;
    const secretKey = (key: string) => ({ valueFrom: { secretKeyRef: { name: this.secretName(context), key } } });
    const served = p.proxyCertificate !== undefined || p.proxyCertificateIssuer !== undefined;
    // Known once deploy has created the epoch (synth resolves it after every add-on ran).
    const restartOn = p.proxyCertificate
      ? Fn.sha256(p.proxyCertificate.certificatePem)
      : Lazy.stringValue({ produce: () => (this.reissueEpoch ? this.reissueEpoch.rfc3339 : 'not deployed') });
    return {
      proxy: {
        type: 'LoadBalancer',
        annotations: {
          [AZURE_INTERNAL_LB_ANNOTATION]: 'true',
          [AZURE_LB_IPV4_ANNOTATION]: p.kongInternalLoadBalancerIp,
          [AZURE_INTERNAL_LB_SUBNET_ANNOTATION]: p.nodeSubnetName,
        },
        loadBalancerSourceRanges: [p.gatewaySubnetCidr],
        // The Application Gateway talks TLS to Kong only (backend settings and probe on 443):
        // no plain-HTTP port 80 -> 8000 on the internal load balancer.
        http: { enabled: false },
        // Read by the chart's kong.service template (not listed in values.yaml).
        externalTrafficPolicy: 'Local',
      },
      env: {
        trusted_ips: p.gatewaySubnetCidr,
        real_ip_header: 'X-Forwarded-For',
        ...(served ? { ssl_cert: secretKey('tls.crt'), ssl_cert_key: secretKey('tls.key') } : {}),
      },
      ...(served ? { podAnnotations: { [PROXY_CERT_CHECKSUM_ANNOTATION]: restartOn } } : {}),
    };
  }

  public deploy(scope: Construct, context: PlatformContext, kongReleases: KongReleases): void {
    const certificate = this.props.proxyCertificate;
    const gateway = kongReleases.gateway;
    if (this.props.proxyCertificateIssuer) {
      const chart = this.certManagerCertificate(new Construct(scope, this.id), context, this.props.proxyCertificateIssuer);
      chart.release.dependsOn = [...(gateway.dependsOn ?? [])];
      gateway.dependsOn = [...new Set([...(gateway.dependsOn ?? []), dependsOnAddress(chart.release)])];
      return;
    }
    if (!certificate) return;
    const root = new Construct(scope, this.id);
    const secret = new SecretV1(root, 'proxy-backend-tls', {
      metadata: {
        name: this.secretName(context),
        namespace: context.systemNamespace,
        labels: { 'app.kubernetes.io/managed-by': 'kong-platform', 'app.kubernetes.io/component': 'kong-proxy-backend-certificate' },
      },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': certificate.certificatePem, 'tls.key': certificate.privateKeyPem },
    });
    // The Secret waits for what the gateway waits for (its namespace); the gateway pods need the Secret.
    secret.dependsOn = [...(gateway.dependsOn ?? [])];
    gateway.dependsOn = [...new Set([...(gateway.dependsOn ?? []), dependsOnAddress(secret)])];
  }

  /**
   * Kong's proxy certificate as a cert-manager Certificate. The re-issue epoch is in its subject: a new
   * epoch is a changed spec, which cert-manager re-issues at once (a new key), and the pod annotation
   * rolls the gateway in the same apply.
   */
  private certManagerCertificate(scope: Construct, context: PlatformContext, issuer: ProxyCertificateIssuer): ManifestChart {
    const days = issuer.reissueEveryDays ?? 30;
    singletonProvider(scope, 'time', (stack) => new TimeProvider(stack, 'time'));
    this.reissueEpoch = new Rotating(scope, 'proxy-certificate-epoch', { rotationDays: days });
    return new ManifestChart(scope, 'proxy-backend-certificate', {
      chartName: 'kong-proxy-backend-certificate',
      releaseName: `${context.gatewayReleaseName}-proxy-backend-certificate`,
      namespace: context.systemNamespace,
      values: { epoch: this.reissueEpoch.rfc3339 },
      description: `cert-manager Certificate Kong presents to the Application Gateway (${context.environment})`,
      manifests: [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: {
            name: this.secretName(context),
            namespace: context.systemNamespace,
            labels: { 'app.kubernetes.io/managed-by': 'kong-platform', 'app.kubernetes.io/component': 'kong-proxy-backend-certificate' },
          },
          spec: {
            secretName: this.secretName(context),
            commonName: issuer.hostNames[0],
            dnsNames: issuer.hostNames,
            subject: { serialNumber: ManifestChart.valueRef('epoch') },
            duration: hours(3 * days),
            renewBefore: hours(days),
            privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
            usages: ['digital signature', 'key encipherment', 'server auth'],
            issuerRef: { name: issuer.issuerName, kind: issuer.issuerKind ?? 'ClusterIssuer', group: 'cert-manager.io' },
          },
        },
      ],
    });
  }
}

/** Hours, as cert-manager durations are written. */
const hours = (days: number) => `${days * 24}h`;

/** `type.name` of a resource, the form `depends_on` accepts. */
function dependsOnAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

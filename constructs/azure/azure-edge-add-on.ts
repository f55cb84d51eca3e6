import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct, Fn, TerraformResource, Token } from '../core/cdktf';
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
    this.props = props;
  }

  /** Name of the Secret holding Kong's proxy certificate. */
  public secretName(context: PlatformContext): string {
    return `${context.gatewayReleaseName}-proxy-backend-tls`;
  }

  public gatewayValues(context: PlatformContext): HelmValues {
    const p = this.props;
    const secretKey = (key: string) => ({ valueFrom: { secretKeyRef: { name: this.secretName(context), key } } });
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
        ...(p.proxyCertificate ? { ssl_cert: secretKey('tls.crt'), ssl_cert_key: secretKey('tls.key') } : {}),
      },
      ...(p.proxyCertificate ? { podAnnotations: { [PROXY_CERT_CHECKSUM_ANNOTATION]: Fn.sha256(p.proxyCertificate.certificatePem) } } : {}),
    };
  }

  public deploy(scope: Construct, context: PlatformContext, kongReleases: KongReleases): void {
    const certificate = this.props.proxyCertificate;
    if (!certificate) return;
    const root = new Construct(scope, this.id);
    const gateway = kongReleases.gateway;
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
}

/** `type.name` of a resource, the form `depends_on` accepts. */
function dependsOnAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

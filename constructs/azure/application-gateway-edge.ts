import { ApplicationGateway } from '@cdktf/provider-azurerm/lib/application-gateway';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { WebApplicationFirewallPolicy } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { Annotations, Construct, Fn } from '../core/cdktf';
import { parseAddress } from './ip-ranges';
import { rbacPropagationWait } from './rbac-propagation';
import { LogAnalytics } from './log-analytics';
import { AzurePlacement, invalidProp } from './validation';

/** Predefined TLS policy: TLS 1.2+ with strong (ECDHE/GCM) cipher suites only. */
export const APP_GATEWAY_TLS_POLICY = 'AppGwSslPolicy20220101S';
/** Managed rule sets of the WAF policy: OWASP core rules and the bot manager. */
export const WAF_MANAGED_RULE_SETS = [
  { type: 'OWASP', version: '3.2' },
  { type: 'Microsoft_BotManagerRuleSet', version: '1.1' },
] as const;
/** Gateway logs sent to Log Analytics. */
export const APP_GATEWAY_LOG_CATEGORIES = ['ApplicationGatewayAccessLog', 'ApplicationGatewayPerformanceLog', 'ApplicationGatewayFirewallLog'] as const;
/** Host names one multi-site listener takes (Azure limit). */
export const APP_GATEWAY_MAX_LISTENER_HOST_NAMES = 5;

/** Status codes that mean "Kong answers": 404 is Kong's "no route matched" on the probe path. */
export const KONG_PROBE_STATUS_CODES = ['200-399', '404'];

/** Options of {@link ApplicationGatewayEdge} that have defaults. */
export interface ApplicationGatewayEdgeOptions {
  /** @default ['1', '2', '3'] */
  readonly availabilityZones?: string[];
  /** Autoscaling minimum. @default 2 */
  readonly minCapacity?: number;
  /** Autoscaling maximum. @default 10 */
  readonly maxCapacity?: number;
  /** WAF rate-limit rule: requests per client IP per minute. @default 1200 */
  readonly rateLimitPerMinute?: number;
  /** Production: destroy protection on the gateway and its public IP. @default true */
  readonly production?: boolean;
}

/** Props of {@link ApplicationGatewayEdge}. */
export interface ApplicationGatewayEdgeProps extends ApplicationGatewayEdgeOptions, AzurePlacement {
  /** Name prefix of the gateway, its public IP, WAF policy and identity. */
  readonly name: string;
  /** Public API host name (listener host and SNI). */
  readonly hostName: string;
  /**
   * More host names served (route hosts): the listeners take them too; the Key Vault certificate
   * must cover them (a warning lists them: it cannot be checked at synth). At most 5 names per listener.
   * @default none
   */
  readonly additionalHostNames?: string[];
  /** Dedicated gateway subnet id. */
  readonly subnetId: string;
  /** Key Vault holding the TLS certificate (the gateway identity gets Key Vault Secrets User on it). */
  readonly keyVaultId: string;
  /** Key Vault secret id of the TLS certificate (versionless to follow renewals). */
  readonly keyVaultCertificateSecretId: string;
  /** Fixed private address of Kong's internal load balancer: the whole backend pool. */
  readonly kongInternalLoadBalancerIp: string;
  /**
   * PEMs of the roots Kong's proxy certificate may come from (see KongBackendCertificate: two roots,
   * re-issued in turn, both always trusted so a rotation never breaks the chain).
   */
  readonly backendCaCertificatePems: string[];
  /** Workspace of the access, performance and firewall logs. */
  readonly logAnalytics: LogAnalytics;
}

/**
 * The Internet edge in front of Kong: Application Gateway WAF_v2 across the zones, with
 * - a WAF policy in Prevention mode (OWASP CRS 3.2, bot manager, a per-client rate limit),
 *   associated with the gateway and enforced (`force_firewall_policy_association`);
 * - TLS 1.2+ only (`AppGwSslPolicy20220101S`), the certificate from Key Vault through a
 *   user-assigned identity, and HTTP answered by a permanent redirect to HTTPS;
 * - a single backend: Kong's internal load balancer at its fixed address, over HTTPS verified
 *   against Kong's private CA, the client's Host header passed through;
 * - access, performance and firewall logs in Log Analytics.
 */
export class ApplicationGatewayEdge extends Construct {
  public readonly gateway: ApplicationGateway;
  public readonly wafPolicy: WebApplicationFirewallPolicy;
  public readonly publicIp: PublicIp;
  public readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: ApplicationGatewayEdgeProps) {
    super(scope, id);
    const production = props.production ?? true;
    const zones = props.availabilityZones ?? ['1', '2', '3'];
    const minCapacity = props.minCapacity ?? 2;
    const maxCapacity = props.maxCapacity ?? 10;
    const rateLimit = props.rateLimitPerMinute ?? 1200;
    if (!/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.hostName))
      invalidProp(this, 'hostName', props.hostName, 'use a lowercase DNS name such as api.example.com');
    const hostNames = [props.hostName, ...[...new Set(props.additionalHostNames ?? [])].filter((h) => h !== props.hostName).sort()];
    for (const host of hostNames.slice(1)) {
      if (!/^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host))
        invalidProp(this, 'additionalHostNames', host, 'use lowercase DNS names such as payments.example.com or *.example.com');
    }
    if (hostNames.length > APP_GATEWAY_MAX_LISTENER_HOST_NAMES) {
      invalidProp(
        this,
        'additionalHostNames',
        hostNames,
        `a listener takes at most ${APP_GATEWAY_MAX_LISTENER_HOST_NAMES} host names; cover route hosts with a wildcard such as *.api.example.com`,
      );
    }
    if (hostNames.length > 1) {
      Annotations.of(this).addWarning(`the Key Vault certificate must cover ${hostNames.join(', ')} (the route hosts), or clients get a name mismatch`);
    }
    if (parseAddress(props.kongInternalLoadBalancerIp) === undefined)
      invalidProp(this, 'kongInternalLoadBalancerIp', props.kongInternalLoadBalancerIp, 'use an IPv4 address in the node subnet');
    if (!Number.isInteger(minCapacity) || minCapacity < 0 || minCapacity > 125) invalidProp(this, 'minCapacity', minCapacity, 'use a whole number between 0 and 125');
    if (!Number.isInteger(maxCapacity) || maxCapacity < Math.max(2, minCapacity) || maxCapacity > 125)
      invalidProp(this, 'maxCapacity', maxCapacity, `use a whole number between ${Math.max(2, minCapacity)} and 125`);
    if (production && minCapacity < 2) invalidProp(this, 'minCapacity', minCapacity, 'production keeps at least 2 instances (one zone can fail)');
    if (!Number.isInteger(rateLimit) || rateLimit < 1) invalidProp(this, 'rateLimitPerMinute', rateLimit, 'use a whole number >= 1');
    if (!/^https:\/\/[a-zA-Z0-9-]+\.vault\.[a-z.]+\/secrets\/[a-zA-Z0-9-]+(\/[0-9a-f]{32})?$/.test(props.keyVaultCertificateSecretId)) {
      invalidProp(
        this,
        'keyVaultCertificateSecretId',
        props.keyVaultCertificateSecretId,
        'use a Key Vault secret id such as https://<vault>.vault.azure.net/secrets/<certificate-name>',
      );
    }
    if (props.backendCaCertificatePems.length === 0) invalidProp(this, 'backendCaCertificatePems', props.backendCaCertificatePems, "give the root(s) of Kong's proxy certificate");
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    this.wafPolicy = new WebApplicationFirewallPolicy(this, 'waf-policy', {
      ...placement,
      name: `${props.name}-waf`,
      policySettings: {
        enabled: true,
        mode: 'Prevention',
        requestBodyCheck: true,
        requestBodyEnforcement: true,
        requestBodyInspectLimitInKb: 128,
        maxRequestBodySizeInKb: 128,
        fileUploadEnforcement: true,
        fileUploadLimitInMb: 100,
      },
      managedRules: { managedRuleSet: WAF_MANAGED_RULE_SETS.map((set) => ({ ...set })) },
      customRules: [
        {
          name: 'RateLimitPerClientIp',
          priority: 10,
          ruleType: 'RateLimitRule',
          action: 'Block',
          rateLimitDuration: 'OneMin',
          rateLimitThreshold: rateLimit,
          groupRateLimitBy: 'ClientAddr',
          matchConditions: [{ matchVariables: [{ variableName: 'RemoteAddr' }], operator: 'IPMatch', matchValues: ['0.0.0.0/0'], negationCondition: false }],
        },
      ],
    });

    this.publicIp = new PublicIp(this, 'public-ip', {
      ...placement,
      name: `${props.name}-pip`,
      sku: 'Standard',
      allocationMethod: 'Static',
      zones,
      lifecycle: { preventDestroy: production },
    });
    this.identity = new UserAssignedIdentity(this, 'identity', { ...placement, name: `${props.name}-appgw` });
    // The gateway reads the certificate at creation: the permission must exist first.
    const certificateAccess = new RoleAssignment(this, 'key-vault-secrets-user', {
      scope: props.keyVaultId,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      description: `${props.name}: Application Gateway reads its TLS certificate`,
    });

    // Azure RBAC is eventually consistent: the gateway reads the certificate as soon as it is created,
    // so it waits for the assignment to propagate (first apply; see rbac-propagation.ts).
    const certificateAccessPropagated = rbacPropagationWait(this, 'key-vault-access-propagation', [certificateAccess]);

    const n = {
      gatewayIp: 'gateway-ip',
      frontendIp: 'public-frontend',
      httpPort: 'http',
      httpsPort: 'https',
      certificate: 'api-certificate',
      httpListener: 'http-listener',
      httpsListener: 'https-listener',
      redirect: 'http-to-https',
      pool: 'kong',
      settings: 'kong-https',
      probe: 'kong-https',
    };
    // One trusted root per slot (kong-backend-ca-a, -b), or the single one of older callers.
    const backendRoots = props.backendCaCertificatePems.map((_pem, i) =>
      props.backendCaCertificatePems.length === 1 ? 'kong-backend-ca' : `kong-backend-ca-${String.fromCharCode(97 + i)}`,
    );
    this.gateway = new ApplicationGateway(this, 'gateway', {
      ...placement,
      name: `${props.name}-appgw`,
      zones,
      sku: { name: 'WAF_v2', tier: 'WAF_v2' },
      autoscaleConfiguration: { minCapacity, maxCapacity },
      enableHttp2: true,
      firewallPolicyId: this.wafPolicy.id,
      forceFirewallPolicyAssociation: true,
      identity: { type: 'UserAssigned', identityIds: [this.identity.id] },
      sslPolicy: { policyType: 'Predefined', policyName: APP_GATEWAY_TLS_POLICY },
      gatewayIpConfiguration: [{ name: n.gatewayIp, subnetId: props.subnetId }],
      frontendIpConfiguration: [{ name: n.frontendIp, publicIpAddressId: this.publicIp.id }],
      frontendPort: [
        { name: n.httpPort, port: 80 },
        { name: n.httpsPort, port: 443 },
      ],
      sslCertificate: [{ name: n.certificate, keyVaultSecretId: props.keyVaultCertificateSecretId }],
      trustedRootCertificate: backendRoots.map((name, i) => ({ name, data: Fn.base64encode(props.backendCaCertificatePems[i]) })),
      httpListener: [
        { name: n.httpListener, frontendIpConfigurationName: n.frontendIp, frontendPortName: n.httpPort, protocol: 'Http', hostNames },
        {
          name: n.httpsListener,
          frontendIpConfigurationName: n.frontendIp,
          frontendPortName: n.httpsPort,
          protocol: 'Https',
          hostNames,
          requireSni: true,
          sslCertificateName: n.certificate,
        },
      ],
      redirectConfiguration: [{ name: n.redirect, redirectType: 'Permanent', targetListenerName: n.httpsListener, includePath: true, includeQueryString: true }],
      backendAddressPool: [{ name: n.pool, ipAddresses: [props.kongInternalLoadBalancerIp] }],
      probe: [
        {
          name: n.probe,
          protocol: 'Https',
          host: props.hostName,
          path: '/',
          interval: 15,
          timeout: 10,
          unhealthyThreshold: 3,
          match: { statusCode: KONG_PROBE_STATUS_CODES },
        },
      ],
      backendHttpSettings: [
        {
          name: n.settings,
          protocol: 'Https',
          port: 443,
          cookieBasedAffinity: 'Disabled',
          requestTimeout: 60,
          // Kong routes on the client's Host: pass it through (and send it as SNI).
          pickHostNameFromBackendAddress: false,
          probeName: n.probe,
          trustedRootCertificateNames: backendRoots,
          connectionDraining: { enabled: true, drainTimeoutSec: 30 },
        },
      ],
      requestRoutingRule: [
        { name: 'https-to-kong', priority: 100, ruleType: 'Basic', httpListenerName: n.httpsListener, backendAddressPoolName: n.pool, backendHttpSettingsName: n.settings },
        { name: 'http-redirect', priority: 200, ruleType: 'Basic', httpListenerName: n.httpListener, redirectConfigurationName: n.redirect },
      ],
      lifecycle: { preventDestroy: production },
      dependsOn: [certificateAccess, certificateAccessPropagated],
    });

    props.logAnalytics.sendDiagnostics(this, 'diagnostics', { targetResourceId: this.gateway.id, logCategories: [...APP_GATEWAY_LOG_CATEGORIES] });
  }
}

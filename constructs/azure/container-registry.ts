import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Annotations, Construct } from '../core/cdktf';
import { parseCidr } from './ip-ranges';
import { LogAnalytics } from './log-analytics';
import { AzurePlacement, invalidProp } from './validation';
import { registryPublicAccessProblems } from './aks-environment-rules';
import { PropsProblems } from '../core/validation';

/** Private DNS zone of registry private endpoints (Azure public cloud). */
export const ACR_PRIVATE_DNS_ZONE = 'privatelink.azurecr.io';
/** Registry audit events sent to Log Analytics. */
export const ACR_LOG_CATEGORIES = ['ContainerRegistryLoginEvents', 'ContainerRegistryRepositoryEvents'] as const;

/** Options of {@link AzureContainerRegistry} that have defaults. */
export interface AzureContainerRegistryOptions {
  /**
   * Reachable from outside the VNet. Refused in production.
   * @default false
   */
  readonly publicNetworkAccess?: boolean;
  /**
   * With public access: the only CIDRs allowed (firewall default action Deny).
   * @default [] (no public client)
   */
  readonly allowedIpRanges?: string[];
  /**
   * Days untagged manifests are kept (0 deletes them at once).
   * @default 7
   */
  readonly untaggedRetentionDays?: number;
  /**
   * Quarantine pushed images until a scanner releases them.
   * @default false
   */
  readonly quarantine?: boolean;
  /** @default true */
  readonly zoneRedundant?: boolean;
  /** @default true */
  readonly production?: boolean;
}

/** Props of {@link AzureContainerRegistry}. */
export interface AzureContainerRegistryProps extends AzureContainerRegistryOptions, AzurePlacement {
  /** Registry name (5-50 letters and digits, globally unique). */
  readonly name: string;
  /** Subnet of the private endpoint. */
  readonly privateEndpointSubnetId: string;
  /** VNet the private DNS zone is linked to (the nodes resolve the registry to its private address). */
  readonly virtualNetworkId: string;
  /** Object id of the AKS kubelet identity: gets AcrPull, nothing else. */
  readonly kubeletObjectId: string;
  /** Workspace of the registry's login and repository events. */
  readonly logAnalytics: LogAnalytics;
}

/**
 * A Premium Azure Container Registry for the hardened Kong images: no admin user, no anonymous
 * pull, no public network access (a private endpoint in the VNet, with its private DNS zone),
 * zone-redundant, untagged manifests expired by a retention policy, optional quarantine, login
 * and repository events in Log Analytics. The AKS kubelet identity may pull (AcrPull) and
 * nothing else; pushes come from the image pipeline's own identity (AcrPush, granted outside).
 */
export class AzureContainerRegistry extends Construct {
  public readonly registry: ContainerRegistry;
  public readonly privateEndpoint: PrivateEndpoint;
  /** `<name>.azurecr.io`. */
  public readonly loginServer: string;
  /** The kubelet's AcrPull assignment. */
  public readonly pullAssignment: RoleAssignment;

  constructor(scope: Construct, id: string, props: AzureContainerRegistryProps) {
    super(scope, id);
    const production = props.production ?? true;
    const publicAccess = props.publicNetworkAccess ?? false;
    const allowed = props.allowedIpRanges ?? [];
    const retention = props.untaggedRetentionDays ?? 7;
    if (!/^[a-zA-Z0-9]{5,50}$/.test(props.name)) invalidProp(this, 'name', props.name, 'use 5-50 letters and digits');
    const problems = new PropsProblems(this.node.path);
    registryPublicAccessProblems(problems, '', publicAccess, production);
    problems.throwIfAny();
    if (!publicAccess && allowed.length > 0) invalidProp(this, 'allowedIpRanges', allowed, 'only applies with publicNetworkAccess: remove it');
    allowed.forEach((cidr, i) => {
      if (!parseCidr(cidr)) invalidProp(this, `allowedIpRanges[${i}]`, cidr, 'use an IPv4 CIDR such as 203.0.113.0/24');
      if (cidr === '0.0.0.0/0') invalidProp(this, `allowedIpRanges[${i}]`, cidr, 'the whole Internet is not an allow-list: list your pipeline egress CIDRs');
    });
    if (!Number.isInteger(retention) || retention < 0 || retention > 365) invalidProp(this, 'untaggedRetentionDays', retention, 'use a whole number of days between 0 and 365');
    if (publicAccess) Annotations.of(this).addWarning('publicNetworkAccess: the registry endpoint is reachable from outside the VNet (limited to allowedIpRanges)');
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    this.registry = new ContainerRegistry(this, 'registry', {
      ...placement,
      name: props.name,
      sku: 'Premium',
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: publicAccess,
      networkRuleSet: publicAccess ? [{ defaultAction: 'Deny', ipRule: allowed.map((ipRange) => ({ action: 'Allow', ipRange })) }] : undefined,
      // Export is only switchable off without public access (the API refuses it otherwise).
      exportPolicyEnabled: publicAccess ? undefined : false,
      dataEndpointEnabled: true,
      retentionPolicyInDays: retention,
      quarantinePolicyEnabled: props.quarantine ?? false,
      zoneRedundancyEnabled: props.zoneRedundant ?? true,
      lifecycle: { preventDestroy: production },
    });
    this.loginServer = this.registry.loginServer;

    const zone = new PrivateDnsZone(this, 'private-dns-zone', { name: ACR_PRIVATE_DNS_ZONE, resourceGroupName: props.resourceGroupName, tags: props.tags });
    new PrivateDnsZoneVirtualNetworkLink(this, 'private-dns-link', {
      name: `${props.name}-vnet`,
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.virtualNetworkId,
      registrationEnabled: false,
      tags: props.tags,
    });
    this.privateEndpoint = new PrivateEndpoint(this, 'private-endpoint', {
      ...placement,
      name: `${props.name}-registry`,
      subnetId: props.privateEndpointSubnetId,
      privateServiceConnection: { name: `${props.name}-registry`, isManualConnection: false, privateConnectionResourceId: this.registry.id, subresourceNames: ['registry'] },
      privateDnsZoneGroup: { name: 'registry', privateDnsZoneIds: [zone.id] },
    });

    this.pullAssignment = new RoleAssignment(this, 'kubelet-acr-pull', {
      scope: this.registry.id,
      roleDefinitionName: 'AcrPull',
      principalId: props.kubeletObjectId,
      principalType: 'ServicePrincipal',
      description: 'AKS kubelet pulls the hardened images',
    });
    props.logAnalytics.sendDiagnostics(this, 'diagnostics', { targetResourceId: this.registry.id, logCategories: [...ACR_LOG_CATEGORIES] });
  }
}

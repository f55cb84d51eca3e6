import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from '../core/cdktf';
import { cidrContains, cidrsOverlap, isUsableAzureAddress, parseAddress, parseCidr } from './ip-ranges';
import { AzurePlacement, invalidProp } from './validation';

/** Ports the Application Gateway v2 infrastructure needs open from `GatewayManager`. */
export const APP_GATEWAY_V2_MANAGEMENT_PORTS = '65200-65535';

/** Options of {@link AzureNetwork} that have defaults. */
export interface AzureNetworkOptions {
  /**
   * Client CIDRs allowed to reach the Application Gateway on 80 and 443.
   * @default ['0.0.0.0/0'] (a public API)
   */
  readonly gatewayIngressCidrs?: string[];
}

/** Props of {@link AzureNetwork}. */
export interface AzureNetworkProps extends AzureNetworkOptions, AzurePlacement {
  /** Name prefix of the VNet, subnets and NSGs. */
  readonly name: string;
  /** VNet address space. */
  readonly vnetCidr: string;
  /** Subnet of the AKS nodes and of Kong's internal load balancer. */
  readonly nodeSubnetCidr: string;
  /** Dedicated Application Gateway subnet (/26 or larger). */
  readonly gatewaySubnetCidr: string;
  /** Subnet of the private endpoints. */
  readonly privateEndpointSubnetCidr: string;
  /** Fixed private address of Kong's internal load balancer (in the node subnet); the only node-subnet target the gateway may reach. */
  readonly kongInternalLoadBalancerIp: string;
}

/**
 * The VNet of an environment: separate subnets for the AKS nodes, the Application Gateway and
 * private endpoints, each behind its own NSG.
 * - gateway subnet: clients on 80/443, the Azure infrastructure ports the v2 SKU needs
 *   (GatewayManager 65200-65535, AzureLoadBalancer probes), everything else denied;
 * - node subnet: the gateway subnet may reach Kong's internal load balancer on 443, nothing
 *   from the Internet;
 * - private endpoint subnet: nothing from the Internet; NSGs enforced on the endpoints.
 */
export class AzureNetwork extends Construct {
  public readonly vnet: VirtualNetwork;
  public readonly nodeSubnet: Subnet;
  public readonly gatewaySubnet: Subnet;
  public readonly privateEndpointSubnet: Subnet;
  public readonly nodeSecurityGroup: NetworkSecurityGroup;
  public readonly gatewaySecurityGroup: NetworkSecurityGroup;
  public readonly privateEndpointSecurityGroup: NetworkSecurityGroup;

  constructor(scope: Construct, id: string, props: AzureNetworkProps) {
    super(scope, id);
    this.validate(props);
    const ingress = props.gatewayIngressCidrs ?? ['0.0.0.0/0'];
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    this.vnet = new VirtualNetwork(this, 'vnet', { ...placement, name: `${props.name}-vnet`, addressSpace: [props.vnetCidr] });
    const subnet = (sid: string, name: string, cidr: string, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}) =>
      new Subnet(this, sid, {
        name: `${props.name}-${name}`,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [cidr],
        // No implicit outbound Internet address: egress only through the explicit paths (AKS load balancer, gateway).
        defaultOutboundAccessEnabled: false,
        ...extra,
      });
    this.nodeSubnet = subnet('node-subnet', 'nodes', props.nodeSubnetCidr);
    // The v2 gateway needs outbound Internet (its control plane), hence default outbound stays on.
    this.gatewaySubnet = subnet('gateway-subnet', 'appgw', props.gatewaySubnetCidr, { defaultOutboundAccessEnabled: true });
    this.privateEndpointSubnet = subnet('private-endpoint-subnet', 'endpoints', props.privateEndpointSubnetCidr, { privateEndpointNetworkPolicies: 'Enabled' });

    const rule = (r: Omit<NetworkSecurityGroupSecurityRule, 'sourcePortRange' | 'sourcePortRanges'> & { sourcePortRange?: string }): NetworkSecurityGroupSecurityRule => ({
      sourcePortRange: '*',
      ...r,
    });
    const denyInternet = (priority: number) =>
      rule({
        name: 'DenyInternetInbound',
        priority,
        direction: 'Inbound',
        access: 'Deny',
        protocol: '*',
        sourceAddressPrefix: 'Internet',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
      });

    this.gatewaySecurityGroup = new NetworkSecurityGroup(this, 'gateway-nsg', {
      ...placement,
      name: `${props.name}-appgw-nsg`,
      securityRule: [
        rule({
          name: 'AllowGatewayManager',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: 'GatewayManager',
          destinationAddressPrefix: '*',
          destinationPortRange: APP_GATEWAY_V2_MANAGEMENT_PORTS,
        }),
        rule({
          name: 'AllowAzureLoadBalancer',
          priority: 110,
          direction: 'Inbound',
          access: 'Allow',
          protocol: '*',
          sourceAddressPrefix: 'AzureLoadBalancer',
          destinationAddressPrefix: '*',
          destinationPortRange: '*',
        }),
        rule({
          name: 'AllowClientsHttpHttps',
          priority: 120,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefixes: ingress,
          destinationAddressPrefix: props.gatewaySubnetCidr,
          destinationPortRanges: ['80', '443'],
        }),
        rule({
          name: 'DenyAllOtherInbound',
          priority: 4000,
          direction: 'Inbound',
          access: 'Deny',
          protocol: '*',
          sourceAddressPrefix: '*',
          destinationAddressPrefix: '*',
          destinationPortRange: '*',
        }),
      ],
    });
    this.nodeSecurityGroup = new NetworkSecurityGroup(this, 'node-nsg', {
      ...placement,
      name: `${props.name}-nodes-nsg`,
      securityRule: [
        rule({
          name: 'AllowAppGatewayToKong',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: props.gatewaySubnetCidr,
          destinationAddressPrefix: props.kongInternalLoadBalancerIp,
          destinationPortRange: '443',
        }),
        denyInternet(4000),
      ],
    });
    this.privateEndpointSecurityGroup = new NetworkSecurityGroup(this, 'private-endpoint-nsg', {
      ...placement,
      name: `${props.name}-endpoints-nsg`,
      securityRule: [denyInternet(4000)],
    });
    new SubnetNetworkSecurityGroupAssociation(this, 'gateway-nsg-association', { subnetId: this.gatewaySubnet.id, networkSecurityGroupId: this.gatewaySecurityGroup.id });
    new SubnetNetworkSecurityGroupAssociation(this, 'node-nsg-association', { subnetId: this.nodeSubnet.id, networkSecurityGroupId: this.nodeSecurityGroup.id });
    new SubnetNetworkSecurityGroupAssociation(this, 'private-endpoint-nsg-association', {
      subnetId: this.privateEndpointSubnet.id,
      networkSecurityGroupId: this.privateEndpointSecurityGroup.id,
    });
  }

  private validate(props: AzureNetworkProps): void {
    const cidrs: Array<[string, string]> = [
      ['vnetCidr', props.vnetCidr],
      ['nodeSubnetCidr', props.nodeSubnetCidr],
      ['gatewaySubnetCidr', props.gatewaySubnetCidr],
      ['privateEndpointSubnetCidr', props.privateEndpointSubnetCidr],
      ...(props.gatewayIngressCidrs ?? []).map((c, i) => [`gatewayIngressCidrs[${i}]`, c] as [string, string]),
    ];
    for (const [field, cidr] of cidrs) if (!parseCidr(cidr)) invalidProp(this, field, cidr, 'use an IPv4 CIDR such as 10.30.0.0/16');
    const subnets = cidrs.slice(1, 4);
    for (const [field, cidr] of subnets) {
      if (!cidrContains(props.vnetCidr, cidr)) invalidProp(this, field, cidr, `must lie inside vnetCidr ${props.vnetCidr}`);
    }
    subnets.forEach(([field, cidr], i) => {
      for (const [otherField, other] of subnets.slice(i + 1)) {
        if (cidrsOverlap(cidr, other)) invalidProp(this, otherField, other, `must not overlap ${field} ${cidr}`);
      }
    });
    if (parseCidr(props.gatewaySubnetCidr)!.prefix > 26) invalidProp(this, 'gatewaySubnetCidr', props.gatewaySubnetCidr, 'Application Gateway v2 needs a /26 or larger subnet');
    if (props.gatewayIngressCidrs && props.gatewayIngressCidrs.length === 0) invalidProp(this, 'gatewayIngressCidrs', [], 'list at least one client CIDR');
    if (parseAddress(props.kongInternalLoadBalancerIp) === undefined || !isUsableAzureAddress(props.nodeSubnetCidr, props.kongInternalLoadBalancerIp)) {
      invalidProp(
        this,
        'kongInternalLoadBalancerIp',
        props.kongInternalLoadBalancerIp,
        `use a usable address of nodeSubnetCidr ${props.nodeSubnetCidr} (Azure reserves the first four and the last)`,
      );
    }
  }
}

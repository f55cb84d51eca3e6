import { AzureContainerRegistry } from '../../constructs/azure/container-registry';
import { LogAnalytics } from '../../constructs/azure/log-analytics';
import { AzureNetwork } from '../../constructs/azure/network';
import { addressOf, azureInput, only, resources, synthCluster, testStack } from './fixture';

const nsg = (json: any, suffix: string) => resources(json, 'azurerm_network_security_group').find((g) => g.name.endsWith(suffix));
const ruleNamed = (group: any, name: string) => group.security_rule.find((r: any) => r.name === name);

describe('VNet and NSGs', () => {
  const { json } = synthCluster({ production: true });

  test('separate subnets for nodes, the Application Gateway and private endpoints, without implicit outbound access for nodes', () => {
    const subnets = Object.fromEntries(resources(json, 'azurerm_subnet').map((s) => [s.name, s]));
    expect(subnets['kong-test-nodes']).toMatchObject({ address_prefixes: ['10.30.0.0/20'], default_outbound_access_enabled: false });
    expect(subnets['kong-test-appgw']).toMatchObject({ address_prefixes: ['10.30.16.0/24'] });
    expect(subnets['kong-test-endpoints']).toMatchObject({ address_prefixes: ['10.30.17.0/24'], private_endpoint_network_policies: 'Enabled' });
  });

  test('every subnet has its NSG', () => {
    const associations = resources(json, 'azurerm_subnet_network_security_group_association');
    const pairs = associations.map((a) => [a.subnet_id.split('.')[1], a.network_security_group_id.split('.')[1]]);
    expect(pairs.sort()).toEqual(
      [
        [
          addressOf(json, 'azurerm_subnet', (s) => s.name === 'kong-test-appgw').split('.')[1],
          addressOf(json, 'azurerm_network_security_group', (g) => g.name === 'kong-test-appgw-nsg').split('.')[1],
        ],
        [
          addressOf(json, 'azurerm_subnet', (s) => s.name === 'kong-test-nodes').split('.')[1],
          addressOf(json, 'azurerm_network_security_group', (g) => g.name === 'kong-test-nodes-nsg').split('.')[1],
        ],
        [
          addressOf(json, 'azurerm_subnet', (s) => s.name === 'kong-test-endpoints').split('.')[1],
          addressOf(json, 'azurerm_network_security_group', (g) => g.name === 'kong-test-endpoints-nsg').split('.')[1],
        ],
      ].sort(),
    );
  });

  test('gateway NSG: clients on 80/443, the v2 infrastructure ports, everything else denied', () => {
    const group = nsg(json, 'appgw-nsg');
    expect(ruleNamed(group, 'AllowClientsHttpHttps')).toMatchObject({
      access: 'Allow',
      source_address_prefixes: ['0.0.0.0/0'],
      destination_port_ranges: ['80', '443'],
      protocol: 'Tcp',
    });
    expect(ruleNamed(group, 'AllowGatewayManager')).toMatchObject({ access: 'Allow', source_address_prefix: 'GatewayManager', destination_port_range: '65200-65535' });
    expect(ruleNamed(group, 'AllowAzureLoadBalancer')).toMatchObject({ access: 'Allow', source_address_prefix: 'AzureLoadBalancer' });
    expect(ruleNamed(group, 'DenyAllOtherInbound')).toMatchObject({ access: 'Deny', source_address_prefix: '*', priority: 4000 });
  });

  test("node NSG: only the gateway subnet reaches Kong's load balancer address, on 443; nothing from the Internet", () => {
    const group = nsg(json, 'nodes-nsg');
    expect(ruleNamed(group, 'AllowAppGatewayToKong')).toMatchObject({
      access: 'Allow',
      source_address_prefix: '10.30.16.0/24',
      destination_address_prefix: '10.30.15.250',
      destination_port_range: '443',
    });
    expect(ruleNamed(group, 'DenyInternetInbound')).toMatchObject({ access: 'Deny', source_address_prefix: 'Internet' });
  });

  test('the client CIDRs of the edge section reach the gateway NSG', () => {
    const { json: limited } = synthCluster({ azure: azureInput({ edge: { ingressCidrs: ['203.0.113.0/24'] } }) });
    expect(ruleNamed(nsg(limited, 'appgw-nsg'), 'AllowClientsHttpHttps').source_address_prefixes).toEqual(['203.0.113.0/24']);
  });
});

describe('VNet: bad input', () => {
  const base = {
    name: 'kong-test',
    resourceGroupName: 'rg',
    location: 'westeurope',
    vnetCidr: '10.30.0.0/16',
    nodeSubnetCidr: '10.30.0.0/20',
    gatewaySubnetCidr: '10.30.16.0/24',
    privateEndpointSubnetCidr: '10.30.17.0/24',
    kongInternalLoadBalancerIp: '10.30.15.250',
  };
  test.each([
    [{ nodeSubnetCidr: '10.31.0.0/20' }, 'stack/network: invalid nodeSubnetCidr "10.31.0.0/20": must lie inside vnetCidr 10.30.0.0/16'],
    [{ gatewaySubnetCidr: '10.30.8.0/24' }, 'stack/network: invalid gatewaySubnetCidr "10.30.8.0/24": must not overlap nodeSubnetCidr 10.30.0.0/20'],
    [{ gatewaySubnetCidr: '10.30.16.0/28' }, 'invalid gatewaySubnetCidr "10.30.16.0/28": Application Gateway v2 needs a /26 or larger subnet'],
    [{ kongInternalLoadBalancerIp: '10.30.17.5' }, 'invalid kongInternalLoadBalancerIp "10.30.17.5": use a usable address of nodeSubnetCidr 10.30.0.0/20'],
    [{ vnetCidr: '10.30.0.0' }, 'invalid vnetCidr "10.30.0.0": use an IPv4 CIDR'],
    [{ gatewayIngressCidrs: [] }, 'invalid gatewayIngressCidrs []: list at least one client CIDR'],
  ])('%j is refused with path, field, value and the fix', (props, message) => {
    expect(() => new AzureNetwork(testStack(), 'network', { ...base, ...props })).toThrow(message);
  });
});

describe('Container registry', () => {
  const { json } = synthCluster({ production: true });
  const registry = only(json, 'azurerm_container_registry');
  const registryAddress = addressOf(json, 'azurerm_container_registry');

  test('Premium, no admin user, no anonymous pull, no public network access, no export', () => {
    expect(registry).toMatchObject({
      name: 'kongplatformtest',
      sku: 'Premium',
      admin_enabled: false,
      anonymous_pull_enabled: false,
      public_network_access_enabled: false,
      export_policy_enabled: false,
    });
    expect(registry.network_rule_set).toBeUndefined();
  });

  test('untagged manifests expire, zone-redundant, quarantine only on request, destroy protection in production', () => {
    expect(registry).toMatchObject({ retention_policy_in_days: 7, zone_redundancy_enabled: true, quarantine_policy_enabled: false, lifecycle: { prevent_destroy: true } });
    const quarantined = only(synthCluster({ azure: azureInput({ acr: { name: 'kongplatformtest', quarantine: true } }) }).json, 'azurerm_container_registry');
    expect(quarantined.quarantine_policy_enabled).toBe(true);
  });

  test('the kubelet identity gets AcrPull on the registry, and only that', () => {
    const pulls = resources(json, 'azurerm_role_assignment').filter((r) => r.scope === `\${${registryAddress}.id}`);
    expect(pulls).toEqual([
      expect.objectContaining({
        role_definition_name: 'AcrPull',
        principal_id: `\${${addressOf(json, 'azurerm_kubernetes_cluster')}.kubelet_identity[0].object_id}`,
        principal_type: 'ServicePrincipal',
      }),
    ]);
  });

  test('the nodes reach it through a private endpoint with its private DNS zone linked to the VNet', () => {
    const endpoint = only(json, 'azurerm_private_endpoint');
    expect(endpoint.private_service_connection).toMatchObject({
      private_connection_resource_id: `\${${registryAddress}.id}`,
      subresource_names: ['registry'],
      is_manual_connection: false,
    });
    expect(endpoint.subnet_id).toBe(`\${${addressOf(json, 'azurerm_subnet', (s) => s.name === 'kong-test-endpoints')}.id}`);
    expect(only(json, 'azurerm_private_dns_zone').name).toBe('privatelink.azurecr.io');
    expect(only(json, 'azurerm_private_dns_zone_virtual_network_link').virtual_network_id).toBe(`\${${addressOf(json, 'azurerm_virtual_network')}.id}`);
  });

  test('login and repository events go to Log Analytics', () => {
    const setting = resources(json, 'azurerm_monitor_diagnostic_setting').find((d) => d.target_resource_id === `\${${registryAddress}.id}`);
    expect(setting.enabled_log.map((l: any) => l.category)).toEqual(['ContainerRegistryLoginEvents', 'ContainerRegistryRepositoryEvents']);
  });

  test('outside production a public registry is limited to the allowed ranges (firewall default Deny)', () => {
    const { json: dev } = synthCluster({ azure: azureInput({ acr: { name: 'kongplatformtest', publicNetworkAccess: true, allowedIpRanges: ['203.0.113.0/24'] } }) });
    expect(only(dev, 'azurerm_container_registry')).toMatchObject({
      public_network_access_enabled: true,
      network_rule_set: [{ default_action: 'Deny', ip_rule: [{ action: 'Allow', ip_range: '203.0.113.0/24' }] }],
    });
  });
});

describe('Container registry: bad input', () => {
  const build = (props: Record<string, unknown>) => {
    const stack = testStack();
    const logAnalytics = new LogAnalytics(stack, 'logs', { name: 'kong-logs', resourceGroupName: 'rg', location: 'westeurope' });
    return new AzureContainerRegistry(stack, 'registry', {
      name: 'kongplatformtest',
      resourceGroupName: 'rg',
      location: 'westeurope',
      privateEndpointSubnetId: 's',
      virtualNetworkId: 'v',
      kubeletObjectId: 'k',
      logAnalytics,
      ...props,
    });
  };
  test.each([
    [{ publicNetworkAccess: true }, 'stack/registry: publicNetworkAccess: must be false in production'],
    [{ production: false, publicNetworkAccess: true, allowedIpRanges: ['0.0.0.0/0'] }, 'invalid allowedIpRanges[0] "0.0.0.0/0": the whole Internet is not an allow-list'],
    [{ allowedIpRanges: ['203.0.113.0/24'] }, 'invalid allowedIpRanges ["203.0.113.0/24"]: only applies with publicNetworkAccess'],
    [{ name: 'kong-registry' }, 'invalid name "kong-registry": use 5-50 letters and digits'],
    [{ untaggedRetentionDays: 400 }, 'invalid untaggedRetentionDays 400'],
  ])('%j is refused', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

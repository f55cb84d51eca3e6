import { AKS_CONTROL_PLANE_LOG_CATEGORIES, AKS_RBAC_CLUSTER_ADMIN_ROLE, HardenedAksCluster } from '../../constructs/azure/aks-cluster';
import { LogAnalytics } from '../../constructs/azure/log-analytics';
import { ADMIN_GROUP, addressOf, azureInput, only, resources, synthCluster, testStack } from './fixture';

describe('AKS cluster', () => {
  const { json } = synthCluster({ production: true });
  const aks = only(json, 'azurerm_kubernetes_cluster');
  const clusterAddress = addressOf(json, 'azurerm_kubernetes_cluster');

  test('Entra ID integration with Azure RBAC, Kubernetes RBAC on, local accounts disabled', () => {
    expect(aks.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      tenant_id: '${data.azurerm_client_config.client.tenant_id}',
      admin_group_object_ids: [ADMIN_GROUP],
    });
    expect(aks.role_based_access_control_enabled).toBe(true);
    expect(aks.local_account_disabled).toBe(true);
  });

  test('the API server is private, without a public FQDN', () => {
    expect(aks).toMatchObject({ private_cluster_enabled: true, private_cluster_public_fqdn_enabled: false, private_dns_zone_id: 'System' });
    expect(aks.api_server_access_profile).toBeUndefined();
  });

  test('a public API server is limited to the authorized ranges', () => {
    const { json: pub } = synthCluster({ azure: azureInput({ apiServer: { privateCluster: false, authorizedIpRanges: ['198.51.100.0/24'] } }) });
    const cluster = only(pub, 'azurerm_kubernetes_cluster');
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ['198.51.100.0/24'] });
  });

  test('Azure CNI overlay with Cilium as data plane and NetworkPolicy engine', () => {
    expect(aks.network_profile).toMatchObject({ network_plugin: 'azure', network_plugin_mode: 'overlay', network_data_plane: 'cilium', network_policy: 'cilium' });
  });

  test('the Azure NPM choice sets the azure policy engine', () => {
    const cluster = only(synthCluster({ azure: azureInput({ network: { dataPlane: 'azure' } }) }).json, 'azurerm_kubernetes_cluster');
    expect(cluster.network_profile).toMatchObject({ network_data_plane: 'azure', network_policy: 'azure' });
  });

  test('Azure Policy add-on and Container Insights (managed identity auth) to the workspace', () => {
    const workspace = addressOf(json, 'azurerm_log_analytics_workspace');
    expect(aks.azure_policy_enabled).toBe(true);
    expect(aks.oms_agent).toEqual({ log_analytics_workspace_id: `\${${workspace}.id}`, msi_auth_for_monitoring_enabled: true });
  });

  test('the workspace accepts Entra ID only and keeps data for the configured retention', () => {
    expect(only(json, 'azurerm_log_analytics_workspace')).toMatchObject({ local_authentication_enabled: false, retention_in_days: 365, sku: 'PerGB2018' });
  });

  test('control-plane audit logs go to Log Analytics', () => {
    const setting = resources(json, 'azurerm_monitor_diagnostic_setting').find((d) => d.target_resource_id === `\${${clusterAddress}.id}`);
    expect(setting.enabled_log.map((l: any) => l.category)).toEqual([...AKS_CONTROL_PLANE_LOG_CATEGORIES]);
    expect(setting.enabled_log.map((l: any) => l.category)).toContain('kube-audit-admin');
  });

  test('workload identity with the OIDC issuer', () => {
    expect(aks).toMatchObject({ oidc_issuer_enabled: true, workload_identity_enabled: true });
  });

  test('the system pool runs critical add-ons only, across 3 zones, autoscaled, no public IPs, encryption at host', () => {
    expect(aks.default_node_pool).toMatchObject({
      only_critical_addons_enabled: true,
      zones: ['1', '2', '3'],
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 5,
      node_public_ip_enabled: false,
      host_encryption_enabled: true,
      vnet_subnet_id: expect.stringMatching(/^\$\{azurerm_subnet\.network_node-subnet_[^.]+\.id\}$/),
    });
  });

  test('user pools are autoscaled across the zones in the node subnet', () => {
    const pool = only(json, 'azurerm_kubernetes_cluster_node_pool');
    expect(pool).toMatchObject({
      name: 'user',
      mode: 'User',
      kubernetes_cluster_id: `\${${clusterAddress}.id}`,
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 9,
      zones: ['1', '2', '3'],
      node_public_ip_enabled: false,
      host_encryption_enabled: true,
      vnet_subnet_id: aks.default_node_pool.vnet_subnet_id,
    });
  });

  test('automatic patch upgrades and node image updates inside the weekly maintenance window', () => {
    const window = { frequency: 'Weekly', interval: 1, day_of_week: 'Sunday', start_time: '02:00', duration: 4, utc_offset: '+00:00' };
    expect(aks).toMatchObject({ automatic_upgrade_channel: 'patch', node_os_upgrade_channel: 'NodeImage' });
    expect(aks.maintenance_window_auto_upgrade).toEqual(window);
    expect(aks.maintenance_window_node_os).toEqual(window);
  });

  test('production: Standard tier, run command off, destroy protection; dev: Free tier, no protection', () => {
    expect(aks).toMatchObject({ sku_tier: 'Standard', run_command_enabled: false });
    expect(aks.lifecycle.prevent_destroy).toBe(true);
    const dev = only(synthCluster({ production: false }).json, 'azurerm_kubernetes_cluster');
    expect(dev).toMatchObject({ sku_tier: 'Free' });
    expect(dev.lifecycle.prevent_destroy).toBe(false);
  });

  test('the control plane identity may manage load balancers in the node subnet before the cluster exists', () => {
    const identity = addressOf(json, 'azurerm_user_assigned_identity', (i) => /control-plane$/.test(i.name));
    const assignment = resources(json, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'Network Contributor');
    expect(assignment).toMatchObject({ scope: aks.default_node_pool.vnet_subnet_id, principal_id: `\${${identity}.principal_id}` });
    expect(aks.identity).toEqual({ type: 'UserAssigned', identity_ids: [`\${${identity}.id}`] });
    expect(aks.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\.aks_control-plane-subnet-access_/)]);
  });

  test('admin groups and the deployer get the AKS RBAC Cluster Admin role on the cluster', () => {
    const admins = resources(json, 'azurerm_role_assignment').filter((r) => r.role_definition_name === AKS_RBAC_CLUSTER_ADMIN_ROLE);
    expect(admins.map((a) => a.principal_id).sort()).toEqual([ADMIN_GROUP, '${data.azurerm_client_config.client.object_id}'].sort());
    for (const admin of admins) expect(admin.scope).toBe(`\${${clusterAddress}.id}`);
  });

  test('without bootstrapDeployerAdmin only the admin groups are cluster-admin', () => {
    const { json: noDeployer } = synthCluster({ azure: azureInput({ bootstrapDeployerAdmin: false }) });
    const admins = resources(noDeployer, 'azurerm_role_assignment').filter((r) => r.role_definition_name === AKS_RBAC_CLUSTER_ADMIN_ROLE);
    expect(admins.map((a) => a.principal_id)).toEqual([ADMIN_GROUP]);
  });

  test('viewers (the CI plan identity) read every object, Secrets included, through a custom role assignable on this cluster only', () => {
    // GIVEN
    const planIdentity = '99999999-8888-7777-6666-555555555555';
    const { json: withViewer } = synthCluster({ azure: azureInput({ viewerObjectIds: [planIdentity] }) });
    const cluster = `\${${addressOf(withViewer, 'azurerm_kubernetes_cluster')}.id}`;
    // THEN the role reads and nothing else
    const role = only(withViewer, 'azurerm_role_definition');
    expect(role).toMatchObject({ scope: cluster, assignable_scopes: [cluster], permissions: [{ data_actions: ['Microsoft.ContainerService/managedClusters/*/read'] }] });
    expect(JSON.stringify(role.permissions)).not.toMatch(/write|delete|action"|\*"\]/i);
    // AND the viewer holds it on the cluster, and no admin role
    const roleAddress = addressOf(withViewer, 'azurerm_role_definition');
    const viewer = resources(withViewer, 'azurerm_role_assignment').filter((r) => r.principal_id === planIdentity);
    expect(viewer).toEqual([expect.objectContaining({ scope: cluster, role_definition_id: `\${${roleAddress}.role_definition_resource_id}` })]);
    // AND without viewers there is no custom role
    expect(resources(json, 'azurerm_role_definition')).toEqual([]);
  });

  test('a viewer that is also an admin, or not a GUID, is refused', () => {
    expect(() => synthCluster({ azure: azureInput({ viewerObjectIds: [ADMIN_GROUP] }) })).toThrow(
      /invalid viewerObjectIds "11111111-2222-3333-4444-555555555555": use Entra ID object ids/,
    );
  });
});

describe('AKS cluster: bad input', () => {
  const build = (props: Partial<ConstructorParameters<typeof HardenedAksCluster>[2]>, production = true) => {
    const stack = testStack();
    const logAnalytics = new LogAnalytics(stack, 'logs', { name: 'kong-logs', resourceGroupName: 'rg', location: 'westeurope' });
    return new HardenedAksCluster(stack, 'aks', {
      name: 'kong-test',
      resourceGroupName: 'rg',
      location: 'westeurope',
      tenantId: 't',
      nodeSubnetId: 's',
      logAnalytics,
      production,
      ...props,
    });
  };

  test('0.0.0.0/0 in the authorized ranges fails in production, naming path, field, value and the fix', () => {
    expect(() => build({ apiServer: { privateCluster: false, authorizedIpRanges: ['0.0.0.0/0'] } })).toThrow(
      'stack/aks: apiServer.authorizedIpRanges: must list admin networks only in production: these together cover 86.19% of the public IPv4 space',
    );
  });

  test('a public API server without authorized ranges fails in production', () => {
    expect(() => build({ apiServer: { privateCluster: false } })).toThrow('stack/aks: apiServer: a public API server needs authorizedIpRanges in production');
  });

  test.each([
    ['the Internet in halves', ['0.0.0.0/1', '128.0.0.0/1']],
    ['256 /8s', Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`)],
    ['a public /8', ['44.0.0.0/8']],
  ])('authorized ranges covering %s fail in production (judged by coverage, not spelling)', (_what, ranges) => {
    expect(() => build({ apiServer: { privateCluster: false, authorizedIpRanges: ranges }, adminGroupObjectIds: [ADMIN_GROUP] })).toThrow(
      /stack\/aks: apiServer\.authorizedIpRanges: must list admin networks only in production: these together cover/,
    );
  });

  test('through AksClusterStack every production problem of the section is listed at once', () => {
    const azure = azureInput({
      apiServer: { privateCluster: false, authorizedIpRanges: ['0.0.0.0/1', '128.0.0.0/1'] },
      acr: { name: 'kongplatformtest', publicNetworkAccess: true },
      availabilityZones: ['1', '2'],
    });
    let message = '';
    try {
      synthCluster({ production: true, azure });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n').map((line) => line.replace(/: (must|a public).*$/, ''))).toEqual([
      'Invalid construct props (3 problems):',
      '  test-cluster: azure.apiServer.authorizedIpRanges',
      '  test-cluster: azure.acr.publicNetworkAccess',
      '  test-cluster: azure.availabilityZones',
    ]);
  });

  test('outside production an open API server is a warning, not an error', () => {
    // GIVEN / WHEN
    const cluster = build({ apiServer: { privateCluster: false, authorizedIpRanges: ['0.0.0.0/0'] }, adminGroupObjectIds: [ADMIN_GROUP] }, false);
    // THEN
    const warnings = cluster.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => m.data);
    expect(warnings).toEqual([expect.stringContaining('admits the whole Internet')]);
  });

  test('authorized ranges on a private cluster are refused (they would be silently ignored)', () => {
    expect(() => build({ apiServer: { privateCluster: true, authorizedIpRanges: ['198.51.100.0/24'] } })).toThrow('only applies to a public API server');
  });

  test('fewer than 3 zones fail in production', () => {
    expect(() => build({ availabilityZones: ['1', '2'] })).toThrow('stack/aks: availabilityZones: must list all 3 zones in production (got 2), got ["1","2"]');
  });

  test.each([
    [{ adminGroupObjectIds: ['admins'] }, 'invalid adminGroupObjectIds "admins": use Entra ID group object ids'],
    [{ kubernetesVersion: '1.33.2' }, 'invalid kubernetesVersion "1.33.2"'],
    [{ userNodePools: [{ name: 'User-Pool' }] }, 'invalid userNodePools[0].name "User-Pool"'],
    [{ userNodePools: [{ name: 'system' }] }, 'node pool names must be unique'],
    [{ userNodePools: [{ name: 'user', minCount: 5, maxCount: 2 }] }, 'invalid userNodePools[0].minCount 5: must not exceed maxCount 2'],
    [{ userNodePools: [] }, 'give at least one user node pool'],
    [{ systemNodePool: { minCount: 1, maxCount: 3 } }, 'production needs at least one system node per zone'],
    [{ network: { podCidr: '172.16.0.0/12' } }, 'invalid network.serviceCidr "172.16.0.0/16": must not overlap network.podCidr'],
    [{ maintenanceWindow: { durationHours: 2 } }, 'invalid maintenanceWindow.durationHours 2'],
    [{ maintenanceWindow: { startTime: '25:00' } }, 'invalid maintenanceWindow.startTime "25:00"'],
  ])('%j is refused', (props, message) => {
    expect(() => build(props as any)).toThrow(message);
  });
});

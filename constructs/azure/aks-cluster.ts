import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Annotations, Construct } from '../core/cdktf';
import { cidrsOverlap, parseAddress, parseCidr } from './ip-ranges';
import { aksApiServerProblems, aksZoneProblems } from './aks-environment-rules';
import { PropsProblems } from '../core/validation';
import { coversEverything } from '../policy/address-ranges';
import { LogAnalytics } from './log-analytics';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINOR } from '../core/kubernetes-version';
import { AzurePlacement, invalidProp } from './validation';

/** AKS control-plane log categories sent to Log Analytics (audit first: what auditors ask for). */
export const AKS_CONTROL_PLANE_LOG_CATEGORIES = ['kube-audit-admin', 'guard', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler'] as const;

/**
 * Node pool upgrade settings, every attribute the AKS API returns on read spelled out. azurerm 4.55.0
 * sends 0 for an unset `drain_timeout_in_minutes` / `node_soak_duration_in_minutes` (SDK v2 integers)
 * and flattens whatever the API returns (AKS fills a 30 minute drain timeout): setting only
 * `max_surge` re-plans a change on every run. 30 and 0 are the AKS defaults; `Schedule` is AKS's
 * default behaviour for nodes that cannot be drained. See test/fixtures/upstream/azurerm-4.55.0/.
 */
export const AKS_UPGRADE_SETTINGS = {
  maxSurge: '33%',
  drainTimeoutInMinutes: 30,
  nodeSoakDurationInMinutes: 0,
  undrainableNodeBehavior: 'Schedule',
} as const;

/** Built-in role that makes an Entra principal cluster-admin through Azure RBAC for Kubernetes. */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE = 'Azure Kubernetes Service RBAC Cluster Admin';
/** Read every Kubernetes object (Secrets included) through Azure RBAC; no write, no exec, no proxy. */
export const AKS_READER_WITH_SECRETS_DATA_ACTIONS = ['Microsoft.ContainerService/managedClusters/*/read'];

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;

/** An autoscaled node pool spread over the cluster's zones. */
export interface AksNodePoolOptions {
  /** Pool name (1-12 lowercase letters and digits). */
  readonly name: string;
  /** @default 'Standard_D4ds_v5' */
  readonly vmSize?: string;
  /** Autoscaler minimum. @default 3 */
  readonly minCount?: number;
  /** Autoscaler maximum. @default 9 (user pools), 5 (system pool) */
  readonly maxCount?: number;
  /** @default 128 */
  readonly osDiskSizeGb?: number;
  /** Kubernetes node labels. @default {} */
  readonly labels?: Record<string, string>;
  /** Node taints, `key=value:Effect`. @default [] */
  readonly taints?: string[];
}

/** Where the Kubernetes API server is reachable from. */
export interface AksApiServerAccess {
  /**
   * Private cluster: the API server has only a private address in the VNet.
   * @default true
   */
  readonly privateCluster?: boolean;
  /**
   * Public API server only: the CIDRs allowed to reach it. 0.0.0.0/0 is refused in production.
   * @default []
   */
  readonly authorizedIpRanges?: string[];
}

/** A weekly maintenance window. */
export interface AksMaintenanceWindow {
  /** @default 'Sunday' */
  readonly dayOfWeek?: string;
  /** HH:MM. @default '02:00' */
  readonly startTime?: string;
  /** At least 4. @default 4 */
  readonly durationHours?: number;
  /** @default '+00:00' */
  readonly utcOffset?: string;
}

/** Cluster networking (Azure CNI overlay). */
export interface AksNetworkOptions {
  /** Network data plane and NetworkPolicy engine. @default 'cilium' */
  readonly dataPlane?: 'cilium' | 'azure';
  /** @default '192.168.0.0/16' */
  readonly podCidr?: string;
  /** @default '172.16.0.0/16' */
  readonly serviceCidr?: string;
  /** @default '172.16.0.10' */
  readonly dnsServiceIp?: string;
}

/** Options of {@link HardenedAksCluster} that have defaults. */
export interface HardenedAksClusterOptions {
  /** Kubernetes minor version. @default DEFAULT_KUBERNETES_VERSION (constructs/core/kubernetes-version.ts) */
  readonly kubernetesVersion?: string;
  /** @default private cluster */
  readonly apiServer?: AksApiServerAccess;
  /** Entra ID groups that are cluster-admin. @default [] */
  readonly adminGroupObjectIds?: string[];
  /**
   * Object id of the principal running Terraform: gets "Azure Kubernetes Service RBAC Cluster
   * Admin" so the same login can deploy the platform stack.
   * @default none
   */
  readonly deployerObjectId?: string;
  /**
   * Principals (object ids) that read every Kubernetes object, Secrets included, and change nothing: the CI plan
   * identity, so merge-request plans of the platform stack can read the cluster (the Helm provider keeps each
   * release in a Secret; the built-in "Azure Kubernetes Service RBAC Reader" cannot read Secrets). They get a custom
   * role, {@link AKS_READER_WITH_SECRETS_DATA_ACTIONS}, assignable on this cluster only.
   * @default none
   */
  readonly viewerObjectIds?: string[];
  /** Availability zones of the node pools. @default ['1', '2', '3'] */
  readonly availabilityZones?: string[];
  /** The system pool (critical add-ons only). @default Standard_D4ds_v5, 3-5 nodes */
  readonly systemNodePool?: Omit<AksNodePoolOptions, 'name' | 'labels' | 'taints'>;
  /** User pools (Kong and applications). @default one pool "user" */
  readonly userNodePools?: AksNodePoolOptions[];
  /** @default {} (cilium overlay) */
  readonly network?: AksNetworkOptions;
  /** Encryption at host of node disks and caches. @default true */
  readonly hostEncryption?: boolean;
  /** @default 'patch' */
  readonly upgradeChannel?: 'patch' | 'stable' | 'rapid' | 'node-image';
  /** @default 'NodeImage' */
  readonly nodeOsUpgradeChannel?: 'NodeImage' | 'SecurityPatch' | 'Unmanaged';
  /** Window of automatic upgrades. @default Sunday 02:00 UTC, 4 hours */
  readonly maintenanceWindow?: AksMaintenanceWindow;
  /**
   * Production: Standard tier (uptime SLA), no open API server, run command off, destroy protection.
   * @default true
   */
  readonly production?: boolean;
}

/** Props of {@link HardenedAksCluster}. */
export interface HardenedAksClusterProps extends HardenedAksClusterOptions, AzurePlacement {
  /** Cluster name (1-63 letters, digits, "-"), also the DNS prefix. */
  readonly name: string;
  /** Entra ID tenant of the Kubernetes RBAC integration. */
  readonly tenantId: string;
  /** Node subnet id. */
  readonly nodeSubnetId: string;
  /** Workspace of Container Insights and the control-plane logs. */
  readonly logAnalytics: LogAnalytics;
}

/**
 * An AKS cluster locked down the way regulated users expect:
 * - Entra ID integration with Azure RBAC, local accounts disabled (no static admin kubeconfig);
 * - private API server (or a public one restricted to authorized ranges, never 0.0.0.0/0 in production);
 * - Azure CNI overlay with a NetworkPolicy engine (Cilium or Azure NPM);
 * - Azure Policy add-on, Container Insights with managed-identity auth, control-plane audit logs to Log Analytics;
 * - workload identity with the OIDC issuer, Key Vault CSI driver with rotation, image cleaner;
 * - a system pool for critical add-ons and user pools, zone-spread and autoscaled, encryption at host;
 * - automatic patch upgrades and node image updates inside a weekly maintenance window.
 * The control plane runs as a user-assigned identity that may manage load balancers in the node
 * subnet (Kong's internal load balancer at a fixed address needs it).
 */
export class HardenedAksCluster extends Construct {
  public readonly cluster: KubernetesCluster;
  public readonly userNodePools: KubernetesClusterNodePool[];
  /** Identity of the control plane. */
  public readonly controlPlaneIdentity: UserAssignedIdentity;
  /** Object id of the kubelet identity (pulls images: give it AcrPull). */
  public readonly kubeletObjectId: string;
  /** Issuer URL of service account tokens (workload identity federation). */
  public readonly oidcIssuerUrl: string;

  constructor(scope: Construct, id: string, props: HardenedAksClusterProps) {
    super(scope, id);
    const production = props.production ?? true;
    const settings = this.validate(props, production);
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    this.controlPlaneIdentity = new UserAssignedIdentity(this, 'control-plane-identity', { ...placement, name: `${props.name}-control-plane` });
    // Before the cluster exists: AKS validates the subnet permission when it creates the internal load balancer.
    const subnetAccess = new RoleAssignment(this, 'control-plane-subnet-access', {
      scope: props.nodeSubnetId,
      roleDefinitionName: 'Network Contributor',
      principalId: this.controlPlaneIdentity.principalId,
      principalType: 'ServicePrincipal',
      description: 'AKS control plane: internal load balancers in the node subnet',
    });

    const window = settings.maintenanceWindow;
    const weekly = {
      frequency: 'Weekly',
      interval: 1,
      dayOfWeek: window.dayOfWeek,
      startTime: window.startTime,
      duration: window.durationHours,
      utcOffset: window.utcOffset,
    };
    const system = settings.systemNodePool;
    this.cluster = new KubernetesCluster(this, 'cluster', {
      ...placement,
      name: props.name,
      dnsPrefix: props.name,
      kubernetesVersion: settings.kubernetesVersion,
      skuTier: production ? 'Standard' : 'Free',
      identity: { type: 'UserAssigned', identityIds: [this.controlPlaneIdentity.id] },
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: settings.adminGroupObjectIds.length > 0 ? settings.adminGroupObjectIds : undefined,
      },
      privateClusterEnabled: settings.privateCluster,
      privateClusterPublicFqdnEnabled: settings.privateCluster ? false : undefined,
      privateDnsZoneId: settings.privateCluster ? 'System' : undefined,
      apiServerAccessProfile: settings.privateCluster ? undefined : { authorizedIpRanges: settings.authorizedIpRanges },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: settings.network.dataPlane,
        networkPolicy: settings.network.dataPlane,
        podCidr: settings.network.podCidr,
        serviceCidr: settings.network.serviceCidr,
        dnsServiceIp: settings.network.dnsServiceIp,
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
      },
      defaultNodePool: {
        name: 'system',
        vmSize: system.vmSize,
        autoScalingEnabled: true,
        minCount: system.minCount,
        maxCount: system.maxCount,
        zones: settings.availabilityZones,
        vnetSubnetId: props.nodeSubnetId,
        onlyCriticalAddonsEnabled: true,
        osSku: 'AzureLinux',
        osDiskSizeGb: system.osDiskSizeGb,
        hostEncryptionEnabled: settings.hostEncryption,
        nodePublicIpEnabled: false,
        temporaryNameForRotation: 'systemtmp',
        upgradeSettings: { ...AKS_UPGRADE_SETTINGS },
      },
      azurePolicyEnabled: true,
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalytics.workspaceId, msiAuthForMonitoringEnabled: true },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      runCommandEnabled: !production,
      httpApplicationRoutingEnabled: false,
      automaticUpgradeChannel: settings.upgradeChannel,
      nodeOsUpgradeChannel: settings.nodeOsUpgradeChannel,
      maintenanceWindowAutoUpgrade: weekly,
      maintenanceWindowNodeOs: weekly,
      lifecycle: {
        preventDestroy: production,
        // Upgrades are automatic (channel + window): the patch version AKS moves to is not drift.
        ignoreChanges: ['kubernetes_version', 'default_node_pool[0].orchestrator_version'],
      },
      dependsOn: [subnetAccess],
    });
    this.kubeletObjectId = this.cluster.kubeletIdentity.objectId;
    this.oidcIssuerUrl = this.cluster.oidcIssuerUrl;

    this.userNodePools = settings.userNodePools.map(
      (pool) =>
        new KubernetesClusterNodePool(this, `pool-${pool.name}`, {
          name: pool.name,
          kubernetesClusterId: this.cluster.id,
          mode: 'User',
          vmSize: pool.vmSize ?? 'Standard_D4ds_v5',
          autoScalingEnabled: true,
          minCount: pool.minCount ?? 3,
          maxCount: pool.maxCount ?? 9,
          zones: settings.availabilityZones,
          vnetSubnetId: props.nodeSubnetId,
          osSku: 'AzureLinux',
          osDiskSizeGb: pool.osDiskSizeGb ?? 128,
          hostEncryptionEnabled: settings.hostEncryption,
          nodePublicIpEnabled: false,
          nodeLabels: pool.labels,
          nodeTaints: pool.taints && pool.taints.length > 0 ? pool.taints : undefined,
          temporaryNameForRotation: `${pool.name.slice(0, 9)}tmp`,
          upgradeSettings: { ...AKS_UPGRADE_SETTINGS },
          tags: props.tags,
          lifecycle: { ignoreChanges: ['orchestrator_version'] },
        }),
    );

    props.logAnalytics.sendDiagnostics(this, 'control-plane-diagnostics', {
      targetResourceId: this.cluster.id,
      logCategories: [...AKS_CONTROL_PLANE_LOG_CATEGORIES],
    });

    const admins: Array<[string, string, 'User' | 'Group' | 'ServicePrincipal' | undefined]> = settings.adminGroupObjectIds.map((objectId, i) => [
      `admin-group-${i}`,
      objectId,
      'Group',
    ]);
    // The deployer may be a user or a service principal (CI): the principal type is left for Azure to find out.
    if (props.deployerObjectId) admins.push(['deployer-admin', props.deployerObjectId, undefined]);
    const viewers = props.viewerObjectIds ?? [];
    if (viewers.length > 0) {
      const reader = new RoleDefinition(this, 'reader-with-secrets', {
        name: `kong-platform reader with Secrets (${props.name})`,
        scope: this.cluster.id,
        assignableScopes: [this.cluster.id],
        description: `kong-platform: read every object of ${props.name}, Secrets included (CI plans); no write`,
        permissions: [{ dataActions: AKS_READER_WITH_SECRETS_DATA_ACTIONS }],
      });
      viewers.forEach(
        (principalId, i) =>
          new RoleAssignment(this, `viewer-${i}`, {
            scope: this.cluster.id,
            roleDefinitionId: reader.roleDefinitionResourceId,
            principalId,
            description: `kong-platform: reader (Secrets included) of ${props.name}`,
          }),
      );
    }
    for (const [adminId, principalId, principalType] of admins) {
      new RoleAssignment(this, adminId, {
        scope: this.cluster.id,
        roleDefinitionName: AKS_RBAC_CLUSTER_ADMIN_ROLE,
        principalId,
        principalType,
        description: `kong-platform: cluster-admin of ${props.name}`,
      });
    }
  }

  private validate(props: HardenedAksClusterProps, production: boolean) {
    if (!/^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/.test(props.name)) invalidProp(this, 'name', props.name, 'use 1-63 letters, digits and "-"');
    const kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    if (!KUBERNETES_MINOR.test(kubernetesVersion))
      invalidProp(this, 'kubernetesVersion', kubernetesVersion, `use a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}`);
    const privateCluster = props.apiServer?.privateCluster ?? true;
    const authorizedIpRanges = props.apiServer?.authorizedIpRanges ?? [];
    authorizedIpRanges.forEach((cidr, i) => {
      if (!parseCidr(cidr)) invalidProp(this, `apiServer.authorizedIpRanges[${i}]`, cidr, 'use an IPv4 CIDR such as 198.51.100.0/24');
    });
    if (privateCluster && authorizedIpRanges.length > 0) {
      invalidProp(this, 'apiServer.authorizedIpRanges', authorizedIpRanges, 'only applies to a public API server: remove it, or set privateCluster to false');
    }
    const problems = new PropsProblems(this.node.path);
    aksApiServerProblems(problems, '', { privateCluster, authorizedIpRanges }, production);
    aksZoneProblems(problems, '', props.availabilityZones ?? ['1', '2', '3'], production);
    problems.throwIfAny();
    if (coversEverything(authorizedIpRanges)) {
      Annotations.of(this).addWarning(
        `apiServer.authorizedIpRanges ${JSON.stringify(authorizedIpRanges)} admits the whole Internet: the Kubernetes API is reachable from anywhere`,
      );
    }
    if (!privateCluster && authorizedIpRanges.length === 0) {
      Annotations.of(this).addWarning('public API server without authorizedIpRanges: reachable from the whole Internet');
    }
    const adminGroupObjectIds = props.adminGroupObjectIds ?? [];
    const badGroup = adminGroupObjectIds.find((g) => !GUID.test(g));
    if (badGroup !== undefined) invalidProp(this, 'adminGroupObjectIds', badGroup, 'use Entra ID group object ids (GUIDs)');
    const badViewer = (props.viewerObjectIds ?? []).find((v) => !GUID.test(v) || adminGroupObjectIds.includes(v) || v === props.deployerObjectId);
    if (badViewer !== undefined) invalidProp(this, 'viewerObjectIds', badViewer, 'use Entra ID object ids (GUIDs) of read-only principals, not also admins');
    if (adminGroupObjectIds.length === 0 && !props.deployerObjectId) {
      Annotations.of(this).addWarning('no adminGroupObjectIds and no deployer admin: nobody can reach the cluster until an Azure RBAC role is assigned');
    }
    const availabilityZones = props.availabilityZones ?? ['1', '2', '3'];
    // Repeats are reported by aksZoneProblems above.
    if (availabilityZones.length === 0 || availabilityZones.some((z) => !['1', '2', '3'].includes(z))) {
      invalidProp(this, 'availabilityZones', availabilityZones, 'list distinct zones out of "1", "2", "3"');
    }
    const network = { dataPlane: 'cilium' as const, podCidr: '192.168.0.0/16', serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.10', ...props.network };
    for (const field of ['podCidr', 'serviceCidr'] as const) {
      if (!parseCidr(network[field])) invalidProp(this, `network.${field}`, network[field], 'use an IPv4 CIDR');
    }
    if (cidrsOverlap(network.podCidr, network.serviceCidr)) invalidProp(this, 'network.serviceCidr', network.serviceCidr, `must not overlap network.podCidr ${network.podCidr}`);
    if (parseAddress(network.dnsServiceIp) === undefined) invalidProp(this, 'network.dnsServiceIp', network.dnsServiceIp, 'use an IPv4 address inside serviceCidr');
    const systemNodePool = { vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5, osDiskSizeGb: 128, ...props.systemNodePool };
    const userNodePools = props.userNodePools ?? [{ name: 'user' }];
    if (userNodePools.length === 0) invalidProp(this, 'userNodePools', userNodePools, 'give at least one user node pool (the system pool runs critical add-ons only)');
    const pools = [{ field: 'systemNodePool', name: 'system', ...systemNodePool }, ...userNodePools.map((p, i) => ({ field: `userNodePools[${i}]`, ...p }))];
    const seen = new Set<string>();
    for (const pool of pools) {
      if (!/^[a-z][a-z0-9]{0,11}$/.test(pool.name)) invalidProp(this, `${pool.field}.name`, pool.name, 'use 1-12 lowercase letters and digits, starting with a letter');
      if (seen.has(pool.name)) invalidProp(this, `${pool.field}.name`, pool.name, 'node pool names must be unique ("system" is the system pool)');
      seen.add(pool.name);
      if (pool.vmSize !== undefined && !VM_SIZE.test(pool.vmSize)) invalidProp(this, `${pool.field}.vmSize`, pool.vmSize, 'use an Azure VM size such as Standard_D4ds_v5');
      const min = pool.minCount ?? 3;
      const max = pool.maxCount ?? 9;
      if (min > max) invalidProp(this, `${pool.field}.minCount`, min, `must not exceed maxCount ${max}`);
    }
    if (production && systemNodePool.minCount < availabilityZones.length) {
      invalidProp(this, 'systemNodePool.minCount', systemNodePool.minCount, `production needs at least one system node per zone (${availabilityZones.length})`);
    }
    const maintenanceWindow = { dayOfWeek: 'Sunday', startTime: '02:00', durationHours: 4, utcOffset: '+00:00', ...props.maintenanceWindow };
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(maintenanceWindow.startTime)) invalidProp(this, 'maintenanceWindow.startTime', maintenanceWindow.startTime, 'use HH:MM (24 h)');
    if (!Number.isInteger(maintenanceWindow.durationHours) || maintenanceWindow.durationHours < 4 || maintenanceWindow.durationHours > 24) {
      invalidProp(this, 'maintenanceWindow.durationHours', maintenanceWindow.durationHours, 'use a whole number of hours between 4 and 24');
    }
    return {
      kubernetesVersion,
      privateCluster,
      authorizedIpRanges,
      adminGroupObjectIds,
      availabilityZones,
      network,
      systemNodePool,
      userNodePools,
      maintenanceWindow,
      hostEncryption: props.hostEncryption ?? true,
      upgradeChannel: props.upgradeChannel ?? 'patch',
      nodeOsUpgradeChannel: props.nodeOsUpgradeChannel ?? 'NodeImage',
    };
  }
}

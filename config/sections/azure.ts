import { z } from 'zod';
import { cloudName } from '../schema';
import { ruleViolationsFromProps } from '../props-issues';
import {
  aksEnvironmentProblems,
  ANY_IPV4,
  cidrContains,
  cidrsOverlap,
  isUsableAzureAddress,
  parseAddress,
  parseCidr,
  resourceGroupNameProblem,
} from '../../constructs/azure/rules';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINOR } from '../../constructs/core';
import type { RuleViolation } from '../rules';
import { kubernetesLabels } from '../schema';

/**
 * The `azure:` section of an environment file (required when `cloud: azure`).
 * Consumed by `AksClusterStack` (stacks/aks) and `AzureEdgeAddOn` (constructs/azure).
 * Defaults are production-safe; the cost-relevant ones are listed in docs/azure.md.
 */

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IPV4_ADDRESS = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const AZURE_LOCATION = /^[a-z][a-z0-9]{2,30}$/;
const ACR_NAME = /^[a-zA-Z0-9]{5,50}$/;
const VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
const NODE_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const HOST_NAME = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const KEY_VAULT_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[a-zA-Z0-9-]{3,24}$/;
const KEY_VAULT_SECRET_ID = /^https:\/\/[a-zA-Z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[a-zA-Z0-9-]{1,127}(\/[0-9a-f]{32})?$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const UTC_OFFSET = /^[+-](0\d|1[0-4]):[0-5]\d$/;

/** The CIDR that means "the whole Internet"; never allowed for the production API server. */
export { ANY_IPV4 };

/** Days of the week, as AKS maintenance windows spell them. */
export const WEEK_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const ipv4Cidr = z.string().regex(IPV4_CIDR, 'must be an IPv4 CIDR such as 10.30.0.0/16');

export const azureNetworkSchema = z
  .object({
    vnetCidr: ipv4Cidr.default('10.30.0.0/16').describe('Address space of the VNet. @default 10.30.0.0/16'),
    nodeSubnetCidr: ipv4Cidr
      .default('10.30.0.0/20')
      .describe("Subnet of the AKS nodes and of Kong's internal load balancer (Azure CNI overlay: pods are not in it). @default 10.30.0.0/20"),
    gatewaySubnetCidr: ipv4Cidr
      .default('10.30.16.0/24')
      .describe("Dedicated subnet of the Application Gateway; also Kong's trusted_ips (only the gateway forwards X-Forwarded-For). @default 10.30.16.0/24"),
    privateEndpointSubnetCidr: ipv4Cidr.default('10.30.17.0/24').describe('Subnet of the private endpoints (container registry). @default 10.30.17.0/24'),
    podCidr: ipv4Cidr.default('192.168.0.0/16').describe('Overlay pod address space (not routable in the VNet; must not overlap it). @default 192.168.0.0/16'),
    serviceCidr: ipv4Cidr.default('172.16.0.0/16').describe('Kubernetes Service address space (must not overlap the VNet or the pods). @default 172.16.0.0/16'),
    dnsServiceIp: z
      .string()
      .regex(IPV4_ADDRESS, 'must be an IPv4 address such as 172.16.0.10')
      .default('172.16.0.10')
      .describe('Cluster DNS Service address, inside serviceCidr. @default 172.16.0.10'),
    dataPlane: z
      .enum(['cilium', 'azure'])
      .default('cilium')
      .describe('Network data plane and NetworkPolicy engine: "cilium" (Azure CNI powered by Cilium) or "azure" (Azure Network Policy Manager). @default cilium'),
  })
  .strict()
  .describe('VNet layout: separate subnets for nodes, the Application Gateway and private endpoints; Azure CNI overlay for pods.');

export const apiServerSchema = z
  .object({
    privateCluster: z
      .boolean()
      .default(true)
      .describe('Private cluster: the API server has only a private address in the VNet (deploy from a runner, bastion or VPN inside it). @default true'),
    authorizedIpRanges: z
      .array(ipv4Cidr)
      .default([])
      .describe(
        'Public API server only (privateCluster false): the CIDRs allowed to reach it. Required in production when the cluster is not private; ' +
          '0.0.0.0/0 is rejected in production. @default []',
      ),
  })
  .strict()
  .describe('Where the Kubernetes API server can be reached from. Never open to the Internet in production.');

export const systemNodePoolSchema = z
  .object({
    vmSize: z
      .string()
      .regex(VM_SIZE, 'must be an Azure VM size such as Standard_D4ds_v5')
      .default('Standard_D4ds_v5')
      .describe('VM size. Cost-relevant. @default Standard_D4ds_v5'),
    minCount: z.number().int().min(1).max(1000).default(3).describe('Autoscaler minimum (across all zones). @default 3'),
    maxCount: z.number().int().min(1).max(1000).default(5).describe('Autoscaler maximum. @default 5'),
    osDiskSizeGb: z.number().int().min(30).max(2048).default(128).describe('OS disk size in GiB. @default 128'),
  })
  .strict()
  .describe('The system node pool: critical add-ons only (CriticalAddonsOnly taint), spread over the zones.');

export const userNodePoolSchema = z
  .object({
    name: z.string().regex(NODE_POOL_NAME, 'must be 1-12 lowercase letters and digits, starting with a letter').describe('Node pool name.'),
    vmSize: z
      .string()
      .regex(VM_SIZE, 'must be an Azure VM size such as Standard_D4ds_v5')
      .default('Standard_D4ds_v5')
      .describe('VM size. Cost-relevant. @default Standard_D4ds_v5'),
    minCount: z.number().int().min(0).max(1000).default(3).describe('Autoscaler minimum (across all zones). @default 3'),
    maxCount: z.number().int().min(1).max(1000).default(9).describe('Autoscaler maximum. @default 9'),
    osDiskSizeGb: z.number().int().min(30).max(2048).default(128).describe('OS disk size in GiB. @default 128'),
    labels: kubernetesLabels().default({}).describe('Kubernetes node labels. @default {}'),
    taints: z
      .array(z.string().regex(/^[^=:\s]+(=[^:\s]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, 'must be key=value:Effect such as dedicated=kong:NoSchedule'))
      .default([])
      .describe('Node taints (key=value:Effect). @default []'),
  })
  .strict();

export const acrSchema = z
  .object({
    name: z.string().regex(ACR_NAME, 'must be 5-50 letters and digits (globally unique; the login server is <name>.azurecr.io)').describe('Azure Container Registry name.'),
    publicNetworkAccess: z
      .boolean()
      .default(false)
      .describe('Reachable from outside the VNet (push from a hosted CI runner). Rejected in production: the nodes pull through a private endpoint. @default false'),
    allowedIpRanges: z
      .array(ipv4Cidr)
      .default([])
      .describe('With publicNetworkAccess: the only public CIDRs allowed (firewall default action Deny). @default [] (no public client allowed)'),
    untaggedRetentionDays: z.number().int().min(0).max(365).default(7).describe('Untagged manifests are deleted after this many days (Premium retention policy). @default 7'),
    quarantine: z
      .boolean()
      .default(false)
      .describe(
        'Quarantine pushed images until a scanner (e.g. Microsoft Defender for Containers) releases them. Only turn it on with such a scanner: ' +
          'otherwise nothing is ever pullable. @default false',
      ),
    zoneRedundant: z.boolean().default(true).describe('Zone-redundant registry (Premium). @default true'),
  })
  .strict()
  .describe('Azure Container Registry (Premium, no admin user, no anonymous pull) for the hardened images; the kubelet identity gets AcrPull.');

const backendCertificateSchema = z.discriminatedUnion('issuer', [
  z
    .object({
      issuer: z
        .literal('terraform')
        .describe("A private CA and Kong's key from the tls provider, kept in the cluster stack's state (KP-SEC-002 refuses that in production unless waived)."),
    })
    .strict(),
  z
    .object({
      issuer: z
        .literal('cert-manager')
        .describe(
          "Kong's key generated in the cluster by cert-manager (installed there first), signed by your issuer; the gateway trusts that issuer's CA. No key in plans or state.",
        ),
      issuerName: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label')
        .describe('cert-manager Issuer (in the Kong namespace) or ClusterIssuer.'),
      issuerKind: z.enum(['Issuer', 'ClusterIssuer']).default('ClusterIssuer').describe('Kind of the issuer. @default ClusterIssuer'),
      // Whether each is a usable CA: constructs/azure/aks-environment-rules.ts (backendCertificateProblems).
      caCertificatePems: z
        .array(z.string())
        .max(2)
        .describe("PEM of the issuer's CA certificate (public data), the gateway's trusted root; list the next CA beside it while rolling it."),
      reissueEveryDays: z
        .number()
        .default(30)
        .describe("Days between re-issues; each platform apply after that re-issues Kong's certificate and rolls the pods. Valid three periods. @default 30"),
    })
    .strict(),
]);

export const azureEdgeSchema = z
  .object({
    hostName: z
      .string()
      .regex(HOST_NAME, 'must be a lowercase DNS name such as api.example.com')
      .describe('Public host name of the API platform, served by the Application Gateway.'),
    keyVaultId: z
      .string()
      .regex(KEY_VAULT_ID, 'must be a Key Vault resource id such as /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>')
      .describe("Key Vault (RBAC mode) holding the TLS certificate; the gateway's identity gets Key Vault Secrets User on it."),
    keyVaultCertificateSecretId: z
      .string()
      .regex(KEY_VAULT_SECRET_ID, 'must be a Key Vault secret id such as https://<vault>.vault.azure.net/secrets/<certificate-name>')
      .describe('Secret id of the TLS certificate for hostName (versionless: the gateway follows renewals).'),
    kongInternalLoadBalancerIp: z
      .string()
      .regex(IPV4_ADDRESS, 'must be an IPv4 address such as 10.30.15.250')
      .default('10.30.15.250')
      .describe(
        "Fixed private address of Kong's internal load balancer, in nodeSubnetCidr: the Application Gateway backend pool targets it and Kong's proxy " +
          'Service requests it (azure-load-balancer-ipv4). Pick one the nodes will not take (the end of the subnet). @default 10.30.15.250',
      ),
    ingressCidrs: z.array(ipv4Cidr).min(1).default([ANY_IPV4]).describe('Client CIDRs allowed to reach the gateway on 80/443 (NSG). @default ["0.0.0.0/0"] (a public API)'),
    minCapacity: z.number().int().min(0).max(125).default(2).describe('Autoscaling minimum of gateway instances (2+ for zone redundancy). @default 2'),
    maxCapacity: z.number().int().min(2).max(125).default(10).describe('Autoscaling maximum of gateway instances. Cost-relevant. @default 10'),
    rateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(1200)
      .describe('WAF rate-limit custom rule: requests per client IP per minute before blocking. @default 1200'),
    backendCertificate: backendCertificateSchema
      .default({ issuer: 'terraform' })
      .describe('The certificate Kong presents to the gateway on the gateway-to-Kong TLS hop, and the root the gateway trusts for it. @default terraform'),
  })
  .strict()
  .describe("Internet edge: Application Gateway WAF_v2 in front of Kong's internal load balancer.");

export const maintenanceWindowSchema = z
  .object({
    dayOfWeek: z.enum(WEEK_DAYS).default('Sunday').describe('Day of the weekly window. @default Sunday'),
    startTime: z.string().regex(TIME_OF_DAY, 'must be HH:MM (24 h) such as 02:00').default('02:00').describe('Start time, HH:MM. @default 02:00'),
    durationHours: z.number().int().min(4).max(24).default(4).describe('Window length in hours (AKS needs at least 4). @default 4'),
    utcOffset: z.string().regex(UTC_OFFSET, 'must be +HH:MM or -HH:MM such as +01:00').default('+00:00').describe('UTC offset of startTime. @default +00:00'),
  })
  .strict()
  .describe('Weekly window for automatic Kubernetes and node image upgrades.');

export const azureSectionSchema = z
  .object({
    location: z.string().regex(AZURE_LOCATION, 'must be an Azure region name such as westeurope').describe('Azure region of every resource.'),
    resourceGroupName: cloudName(resourceGroupNameProblem).optional().describe('Resource group the cluster stack creates. @default rg-kong-<environment>'),
    availabilityZones: z
      .array(z.enum(['1', '2', '3']))
      .min(1)
      .default(['1', '2', '3'])
      .describe('Availability zones of the node pools, the gateway and its public IP. Production needs all 3. @default ["1","2","3"]'),
    network: azureNetworkSchema.default({}),
    kubernetesVersion: z
      .string()
      .regex(KUBERNETES_MINOR, `must be a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}`)
      .default(DEFAULT_KUBERNETES_VERSION)
      .describe(`AKS Kubernetes minor version (patches follow the upgrade channel). @default ${DEFAULT_KUBERNETES_VERSION}`),
    apiServer: apiServerSchema.default({}),
    adminGroupObjectIds: z
      .array(z.string().regex(GUID, 'must be an Entra ID group object id (a GUID)'))
      .default([])
      .describe('Entra ID groups that are cluster-admin (Entra ID integration, Azure RBAC). @default []'),
    viewerObjectIds: z
      .array(z.string().regex(GUID, 'must be an Entra ID object id (a GUID)'))
      .default([])
      .describe(
        'Principals (object ids) that read every Kubernetes object, Secrets included, and change nothing: the CI plan identity, so merge-request plans of the platform stack can read the cluster (a custom role on this cluster; the built-in RBAC Reader cannot read the Secrets Helm keeps releases in). @default []',
      ),
    bootstrapDeployerAdmin: z
      .boolean()
      .default(true)
      .describe(
        'Give the identity that deploys the cluster stack "Azure Kubernetes Service RBAC Cluster Admin" (needed to deploy the platform stack with the same login). @default true',
      ),
    systemNodePool: systemNodePoolSchema.default({}),
    userNodePools: z
      .array(userNodePoolSchema)
      .min(1)
      .default([{ name: 'user' }])
      .describe('User node pools (Kong and the applications run here), each spread over the zones with autoscaling. @default one "user" pool of 3-9 Standard_D4ds_v5'),
    hostEncryption: z
      .boolean()
      .default(true)
      .describe('Encryption at host for node disks and caches (needs the Microsoft.Compute/EncryptionAtHost feature on the subscription). @default true'),
    upgradeChannel: z.enum(['patch', 'stable', 'rapid', 'node-image']).default('patch').describe('AKS automatic upgrade channel. @default patch'),
    nodeOsUpgradeChannel: z.enum(['NodeImage', 'SecurityPatch', 'Unmanaged']).default('NodeImage').describe('Node OS security updates. @default NodeImage'),
    maintenanceWindow: maintenanceWindowSchema.default({}),
    acr: acrSchema,
    edge: azureEdgeSchema,
    logRetentionDays: z
      .number()
      .int()
      .min(30)
      .max(730)
      .default(365)
      .describe('Retention of the Log Analytics workspace (Container Insights, control-plane and gateway logs). @default 365'),
    tags: z.record(z.string()).default({}).describe('Tags on every Azure resource. @default {}'),
  })
  .strict()
  .superRefine((azure, ctx) => {
    for (const issue of azureNetworkIssues(azure)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path.split('.'), message: issue.message });
  })
  .describe('Azure (AKS) settings. Required when cloud is "azure".');

/** A validated `azure:` section with every default applied. */
export type AzureSection = z.infer<typeof azureSectionSchema>;
/** The `azure:` section as written in the file (defaults not yet applied). */
export type AzureSectionInput = z.input<typeof azureSectionSchema>;
export type AzureNetwork = z.infer<typeof azureNetworkSchema>;
export type AzureUserNodePool = z.infer<typeof userNodePoolSchema>;
export type AzureEdge = z.infer<typeof azureEdgeSchema>;
export type AzureMaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

/**
 * Address-layout rules of a section with defaults applied (paths relative to the section):
 * subnets inside the VNet and apart, overlay ranges clear of the VNet, Kong's load balancer
 * address usable in the node subnet. The constructs check the same at synth time.
 */
export function azureNetworkIssues(azure: Pick<AzureSection, 'network' | 'edge' | 'systemNodePool' | 'userNodePools'>): RuleViolation[] {
  const out: RuleViolation[] = [];
  const n = azure.network;
  const subnets: Array<[string, string]> = [
    ['network.nodeSubnetCidr', n.nodeSubnetCidr],
    ['network.gatewaySubnetCidr', n.gatewaySubnetCidr],
    ['network.privateEndpointSubnetCidr', n.privateEndpointSubnetCidr],
  ];
  for (const [path, cidr] of subnets) {
    if (parseCidr(cidr) && parseCidr(n.vnetCidr) && !cidrContains(n.vnetCidr, cidr)) out.push({ path, message: `${cidr} is not inside network.vnetCidr ${n.vnetCidr}` });
  }
  subnets.forEach(([path, cidr], i) => {
    for (const [otherPath, other] of subnets.slice(i + 1)) {
      if (cidrsOverlap(cidr, other)) out.push({ path: otherPath, message: `${other} overlaps ${path} ${cidr}` });
    }
  });
  const gatewayPrefix = parseCidr(n.gatewaySubnetCidr)?.prefix;
  if (gatewayPrefix !== undefined && gatewayPrefix > 26) {
    out.push({
      path: 'network.gatewaySubnetCidr',
      message: `${n.gatewaySubnetCidr} is too small: Application Gateway v2 needs at least a /26 (autoscaling to 125 instances needs a /24)`,
    });
  }
  for (const [path, cidr] of [
    ['network.podCidr', n.podCidr],
    ['network.serviceCidr', n.serviceCidr],
  ] as const) {
    if (cidrsOverlap(cidr, n.vnetCidr)) out.push({ path, message: `${cidr} overlaps network.vnetCidr ${n.vnetCidr}` });
  }
  if (cidrsOverlap(n.podCidr, n.serviceCidr)) out.push({ path: 'network.serviceCidr', message: `${n.serviceCidr} overlaps network.podCidr ${n.podCidr}` });
  if (parseAddress(n.dnsServiceIp) !== undefined && parseCidr(n.serviceCidr) && !cidrContains(n.serviceCidr, `${n.dnsServiceIp}/32`)) {
    out.push({ path: 'network.dnsServiceIp', message: `${n.dnsServiceIp} is not inside network.serviceCidr ${n.serviceCidr}` });
  }
  const lbIp = azure.edge.kongInternalLoadBalancerIp;
  if (parseAddress(lbIp) !== undefined && parseCidr(n.nodeSubnetCidr) && !isUsableAzureAddress(n.nodeSubnetCidr, lbIp)) {
    out.push({
      path: 'edge.kongInternalLoadBalancerIp',
      message: `${lbIp} is not a usable address of network.nodeSubnetCidr ${n.nodeSubnetCidr} (Azure reserves the first four and the last address)`,
    });
  }
  const pools = [{ path: 'systemNodePool', ...azure.systemNodePool }, ...azure.userNodePools.map((p, i) => ({ path: `userNodePools.${i}`, ...p }))];
  for (const pool of pools) {
    if (pool.minCount > pool.maxCount) out.push({ path: `${pool.path}.minCount`, message: `${pool.minCount} is greater than maxCount ${pool.maxCount}` });
  }
  const names = azure.userNodePools.map((p) => p.name);
  names.forEach((name, i) => {
    if (name === 'system' || names.indexOf(name) !== i) out.push({ path: `userNodePools.${i}.name`, message: `"${name}" is used twice (the system pool is named "system")` });
  });
  if (azure.edge.minCapacity > azure.edge.maxCapacity) {
    out.push({ path: 'edge.minCapacity', message: `${azure.edge.minCapacity} is greater than edge.maxCapacity ${azure.edge.maxCapacity}` });
  }
  return out;
}

type Raw = Record<string, any>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Cross-field rules for the `azure:` section, run on the raw YAML next to the schema check: whether
 * the section belongs to the file's cloud, then AksClusterStack's own production rules
 * (constructs/azure/aks-environment-rules.ts), so a file and a library user get the same ones.
 */
export function azureSectionRules(env: unknown): RuleViolation[] {
  if (!isObject(env)) return [];
  const out: RuleViolation[] = [];
  if (env.cloud === 'azure' && env.azure === undefined) {
    out.push({ path: 'azure', message: 'is required when cloud is "azure" (location, acr.name, edge.hostName, ...)' });
  }
  if (env.cloud !== 'azure' && env.azure !== undefined) {
    out.push({ path: 'azure', message: `is only used when cloud is "azure" (cloud is ${JSON.stringify(env.cloud)}); remove it` });
  }
  if (env.cloud !== 'azure') return out;
  const problems = aksEnvironmentProblems({ production: env.production === true, azure: env.azure }, 'azure');
  return [...out, ...ruleViolationsFromProps(problems)];
}

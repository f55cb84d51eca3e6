import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { ApplicationGateway } from '@cdktf/provider-azurerm/lib/application-gateway';
import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { WebApplicationFirewallPolicy, WebApplicationFirewallPolicyConfig } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { Release } from '@cdktf/provider-helm/lib/release';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from '../../constructs/core/cdktf';
import { recordEscapeHatch } from '../../constructs/policy/escape-hatches';
import { ManifestChart } from '../../constructs/manifest-chart/manifest-chart';
import { POLICY_RULES } from '../../constructs/policy/rules';
import { aks, eks, kongRelease, messagesOf, valuesYaml, violatedRules } from './support';
import { libraryPlatform } from '../support/platform-fixture';
import { mergeValues } from '../../constructs/core/values-merge';

// --- AWS -------------------------------------------------------------------------------------

const ecr = (scope: Construct, overrides: Record<string, unknown> = {}) =>
  new EcrRepository(scope, 'ecr', {
    name: 'kong',
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:111111111111:key/k' }],
    ...overrides,
  });

const alb = (scope: Construct, overrides: Record<string, unknown> = {}) =>
  new Lb(scope, 'alb', {
    name: 'edge',
    loadBalancerType: 'application',
    dropInvalidHeaderFields: true,
    desyncMitigationMode: 'strictest',
    accessLogs: { bucket: 'logs', enabled: true },
    ...overrides,
  });

const listener = (scope: Construct, overrides: Record<string, unknown>) =>
  new LbListener(scope, 'listener', { loadBalancerArn: 'arn:lb', defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }], ...overrides });

const webAcl = (scope: Construct, rules: unknown[]) => {
  const acl = new Wafv2WebAcl(scope, 'acl', {
    name: 'edge',
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'edge', sampledRequestsEnabled: true },
  });
  acl.addOverride('rule', rules);
};

const knownBadInputs = (statement: Record<string, unknown> = {}, overrideAction: Record<string, unknown> = { none: {} }) => ({
  name: 'known-bad-inputs',
  priority: 1,
  override_action: overrideAction,
  statement: { managed_rule_group_statement: { name: 'AWSManagedRulesKnownBadInputsRuleSet', vendor_name: 'AWS', ...statement } },
  visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'kbi', sampled_requests_enabled: true },
});

// --- Azure -----------------------------------------------------------------------------------

const appGateway = (scope: Construct, overrides: Record<string, unknown> = {}) =>
  new ApplicationGateway(scope, 'agw', {
    name: 'agw',
    location: 'westeurope',
    resourceGroupName: 'rg',
    sku: { name: 'WAF_v2', tier: 'WAF_v2', capacity: 2 },
    firewallPolicyId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies/p',
    sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101' },
    gatewayIpConfiguration: [{ name: 'gw', subnetId: '/subnets/agw' }],
    frontendPort: [{ name: 'https', port: 443 }],
    frontendIpConfiguration: [{ name: 'public', publicIpAddressId: '/publicIPAddresses/agw' }],
    backendAddressPool: [{ name: 'kong' }],
    backendHttpSettings: [{ name: 'kong', port: 8443, protocol: 'Https', cookieBasedAffinity: 'Disabled' }],
    httpListener: [{ name: 'https', frontendIpConfigurationName: 'public', frontendPortName: 'https', protocol: 'Https', sslCertificateName: 'edge' }],
    requestRoutingRule: [{ name: 'kong', ruleType: 'Basic', httpListenerName: 'https', backendAddressPoolName: 'kong', backendHttpSettingsName: 'kong', priority: 10 }],
    ...overrides,
  });

const wafPolicy = (scope: Construct, overrides: Partial<WebApplicationFirewallPolicyConfig> = {}) =>
  new WebApplicationFirewallPolicy(scope, 'waf', {
    name: 'waf',
    location: 'westeurope',
    resourceGroupName: 'rg',
    policySettings: { enabled: true, mode: 'Prevention' },
    managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2' }] },
    ...overrides,
  });

// --- Kubernetes, Kong, Helm, mesh ------------------------------------------------------------

const mesh = (scope: Construct, spec: Record<string, unknown>) =>
  new Manifest(scope, 'mesh', { manifest: { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec } });

/** A control plane release of the kuma chart (or kong-mesh, whose kuma values nest under `kuma:`). */
const controlPlane = (scope: Construct, values: Record<string, unknown>, chart: 'kuma' | 'kong-mesh' = 'kuma') =>
  new Release(scope, 'control-plane', {
    name: chart,
    namespace: 'kuma-system',
    chart,
    repository: 'https://kumahq.github.io/charts',
    version: '2.14.3',
    atomic: true,
    values: [valuesYaml(chart === 'kong-mesh' ? { kuma: values } : values)],
  });

const permission = (scope: Construct, spec: Record<string, unknown>) =>
  new Manifest(scope, 'mtp', { manifest: { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshTrafficPermission', metadata: { name: 'p', namespace: 'kuma-system' }, spec } });

const strictMtls = { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin', mode: 'STRICT' }] };

interface Case {
  readonly rule: string;
  readonly given: string;
  readonly build: (scope: Construct) => void;
  /** Production stack, registries (rules that need them). @default non-production, none */
  readonly options?: { production?: boolean; registries?: string[] };
}

/** A release of a chart the guardrails do not know. */
const otherRelease = (scope: Construct, values: Record<string, unknown> = {}, chart = 'redis') =>
  new Release(scope, 'other', {
    name: 'other',
    namespace: 'apps',
    chart,
    repository: 'https://charts.example.com',
    version: '1.2.3',
    atomic: true,
    values: [valuesYaml(values)],
  });

const CASES: Case[] = [
  {
    rule: 'KP-AWS-001',
    given: 'an EKS public endpoint open to 0.0.0.0/0',
    build: (s) => eks(s, { vpcConfig: { subnetIds: ['a', 'b'], endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } }),
  },
  { rule: 'KP-AWS-002', given: 'an EKS cluster without secrets encryption', build: (s) => eks(s, { encryptionConfig: undefined }) },
  { rule: 'KP-AWS-003', given: 'an EKS cluster shipping only api logs', build: (s) => eks(s, { enabledClusterLogTypes: ['api'] }) },
  {
    rule: 'KP-AWS-004',
    given: 'a launch template allowing IMDSv1',
    build: (s) => new LaunchTemplate(s, 'lt', { name: 'nodes', metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'optional', httpPutResponseHopLimit: 2 } }),
  },
  {
    rule: 'KP-AWS-005',
    given: 'a node group with SSH remote access',
    build: (s) =>
      new EksNodeGroup(s, 'ng', {
        clusterName: 'c',
        nodeRoleArn: 'arn:role',
        subnetIds: ['a', 'b'],
        scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
        remoteAccess: { ec2SshKey: 'admin' },
      }),
  },
  { rule: 'KP-AWS-006', given: 'an ECR repository with mutable tags', build: (s) => ecr(s, { imageTagMutability: 'MUTABLE' }) },
  { rule: 'KP-AWS-007', given: 'an ECR repository without scan on push', build: (s) => ecr(s, { imageScanningConfiguration: { scanOnPush: false } }) },
  { rule: 'KP-AWS-008', given: 'an ECR repository with AES256 encryption', build: (s) => ecr(s, { encryptionConfiguration: [{ encryptionType: 'AES256' }] }) },
  { rule: 'KP-AWS-009', given: 'a web ACL with KnownBadInputs in count mode', build: (s) => webAcl(s, [knownBadInputs({}, { count: {} })]) },
  {
    rule: 'KP-AWS-010',
    given: 'an HTTPS listener with a TLS 1.0 policy',
    build: (s) => listener(s, { port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-2016-08', certificateArn: 'arn:cert' }),
  },
  { rule: 'KP-AWS-011', given: 'an HTTP listener forwarding to targets', build: (s) => listener(s, { port: 80, protocol: 'HTTP' }) },
  { rule: 'KP-AWS-012', given: 'an ALB keeping invalid headers', build: (s) => alb(s, { dropInvalidHeaderFields: false }) },
  { rule: 'KP-AWS-013', given: 'an ALB without access logs', build: (s) => alb(s, { accessLogs: undefined }) },
  { rule: 'KP-AWS-014', given: 'an ALB in desync monitor mode', build: (s) => alb(s, { desyncMitigationMode: 'monitor' }) },
  { rule: 'KP-AWS-015', given: 'a log group without a KMS key', build: (s) => new CloudwatchLogGroup(s, 'logs', { name: '/aws/eks/c/cluster', retentionInDays: 365 }) },
  { rule: 'KP-AWS-016', given: 'a KMS key without rotation', build: (s) => new KmsKey(s, 'key', { description: 'k', enableKeyRotation: false }) },
  {
    rule: 'KP-AWS-017',
    given: 'a bucket that allows public policies',
    build: (s) => new S3BucketPublicAccessBlock(s, 'pab', { bucket: 'b', blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true }),
  },
  { rule: 'KP-AWS-018', given: 'a subnet assigning public IPs', build: (s) => new Subnet(s, 'subnet', { vpcId: 'vpc', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: true }) },

  {
    rule: 'KP-AZR-001',
    given: 'an AKS cluster without Kubernetes RBAC',
    build: (s) => aks(s, { roleBasedAccessControlEnabled: false, azureActiveDirectoryRoleBasedAccessControl: undefined }),
  },
  { rule: 'KP-AZR-002', given: 'an AKS cluster without a network policy engine', build: (s) => aks(s, { networkProfile: { networkPlugin: 'kubenet' } }) },
  { rule: 'KP-AZR-003', given: 'an AKS cluster with local accounts', build: (s) => aks(s, { localAccountDisabled: false }) },
  {
    rule: 'KP-AZR-004',
    given: 'a public AKS API server open to 0.0.0.0/0',
    build: (s) => aks(s, { privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges: ['0.0.0.0/0'] } }),
  },
  {
    rule: 'KP-AZR-005',
    given: 'an Application Gateway Standard_v2 without WAF',
    build: (s) => appGateway(s, { sku: { name: 'Standard_v2', tier: 'Standard_v2', capacity: 2 }, firewallPolicyId: undefined }),
  },
  { rule: 'KP-AZR-006', given: 'a WAF policy in detection mode', build: (s) => wafPolicy(s, { policySettings: { enabled: true, mode: 'Detection' } }) },
  { rule: 'KP-AZR-007', given: 'a WAF policy on OWASP CRS 3.0', build: (s) => wafPolicy(s, { managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.0' }] } }) },
  {
    rule: 'KP-AZR-008',
    given: 'an Application Gateway on the 2015 TLS policy',
    build: (s) => appGateway(s, { sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20150501' } }),
  },
  {
    rule: 'KP-AZR-009',
    given: 'a container registry with the admin user',
    build: (s) => new ContainerRegistry(s, 'acr', { name: 'acr', location: 'westeurope', resourceGroupName: 'rg', sku: 'Premium', adminEnabled: true }),
  },
  {
    rule: 'KP-AZR-010',
    given: 'a key vault without purge protection',
    build: (s) => new KeyVault(s, 'kv', { name: 'kv', location: 'westeurope', resourceGroupName: 'rg', skuName: 'premium', tenantId: 't', purgeProtectionEnabled: false }),
  },
  {
    rule: 'KP-AZR-011',
    given: 'a storage account accepting TLS 1.0',
    build: (s) =>
      new StorageAccount(s, 'sa', { name: 'sa', location: 'westeurope', resourceGroupName: 'rg', accountTier: 'Standard', accountReplicationType: 'ZRS', minTlsVersion: 'TLS1_0' }),
  },

  { rule: 'KP-K8S-001', given: 'a kong release running as root', build: (s) => kongRelease(s, { containerSecurityContext: { runAsNonRoot: false, runAsUser: 0 } }) },
  { rule: 'KP-K8S-002', given: 'a kong release with a writable root filesystem', build: (s) => kongRelease(s, { containerSecurityContext: { readOnlyRootFilesystem: false } }) },
  { rule: 'KP-K8S-003', given: 'a kong release allowing privilege escalation', build: (s) => kongRelease(s, { containerSecurityContext: { allowPrivilegeEscalation: true } }) },
  { rule: 'KP-K8S-004', given: 'a kong release keeping capabilities', build: (s) => kongRelease(s, { containerSecurityContext: { capabilities: { drop: ['NET_RAW'] } } }) },
  {
    rule: 'KP-K8S-005',
    given: 'a kong release without seccomp',
    build: (s) =>
      kongRelease(s, { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } }, containerSecurityContext: { seccompProfile: { type: 'Unconfined' } } }),
  },
  { rule: 'KP-K8S-006', given: 'a kong release without limits', build: (s) => kongRelease(s, { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: null } }) },
  { rule: 'KP-K8S-007', given: 'a kong release with a tag-only image', build: (s) => kongRelease(s, { image: { unifiedRepoTag: 'registry.example.com/kong-gateway:3.9.1' } }) },
  { rule: 'KP-K8S-008', given: 'a kong release on the host network', build: (s) => kongRelease(s, { deployment: { hostNetwork: true } }) },
  {
    rule: 'KP-K8S-009',
    given: 'a kong release pulling a pinned image from Docker Hub',
    build: (s) => kongRelease(s, { image: { unifiedRepoTag: `kong/kong-gateway:3.9@sha256:${'a'.repeat(64)}` } }),
    options: { registries: ['registry.example.com'] },
  },
  { rule: 'KP-KONG-001', given: 'a kong release with a LoadBalancer Admin API', build: (s) => kongRelease(s, { admin: { type: 'LoadBalancer' } }) },
  { rule: 'KP-KONG-002', given: 'a kong release serving the Admin API over HTTP', build: (s) => kongRelease(s, { admin: { http: { enabled: true } } }) },
  {
    rule: 'KP-KONG-003',
    given: 'a kong release with Kong Manager on an Ingress',
    build: (s) => kongRelease(s, { manager: { enabled: true, type: 'ClusterIP', ingress: { enabled: true } } }),
  },
  { rule: 'KP-KONG-004', given: 'a kong release sending the Server header', build: (s) => kongRelease(s, { env: { headers: 'server_tokens,latency_tokens' } }) },
  { rule: 'KP-KONG-005', given: 'a kong release trusting X-Forwarded-For from anywhere', build: (s) => kongRelease(s, { env: { trusted_ips: '0.0.0.0/0' } }) },
  { rule: 'KP-KONG-006', given: 'a kong release with a public LoadBalancer proxy', build: (s) => kongRelease(s, { proxy: { type: 'LoadBalancer' } }) },
  {
    rule: 'KP-KONG-007',
    given: 'a production kong release with one replica and no autoscaling',
    build: (s) => kongRelease(s, { replicaCount: 1, autoscaling: { enabled: false } }),
    options: { production: true },
  },
  { rule: 'KP-HELM-001', given: 'a non-atomic release', build: (s) => kongRelease(s, {}, { atomic: false }) },
  { rule: 'KP-HELM-002', given: 'a release that does not wait', build: (s) => kongRelease(s, {}, { wait: false }) },
  { rule: 'KP-HELM-003', given: 'a release with a version range', build: (s) => kongRelease(s, {}, { version: '^3.4' }) },
  { rule: 'KP-HELM-004', given: 'a chart from a plain HTTP repository', build: (s) => kongRelease(s, {}, { repository: 'http://charts.example.com' }) },
  { rule: 'KP-HELM-005', given: 'a release whose whole values document is a Terraform expression', build: (s) => kongRelease(s, {}, { values: ['${var.kong_values}'] }) },
  {
    rule: 'KP-HELM-006',
    given: 'a release installing extraObjects',
    build: (s) => kongRelease(s, { extraObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }] }),
  },
  { rule: 'KP-HELM-007', given: 'a release of a chart the guardrails cannot read', build: (s) => otherRelease(s) },
  {
    rule: 'KP-HELM-008',
    given: 'a production release whose extraValues set a Kong setting through customEnv',
    build: (s) => recordEscapeHatch(kongRelease(s, {}), 'gateway.extraValues', { customEnv: { KONG_LOG_LEVEL: 'debug' } }),
    options: { production: true },
  },
  { rule: 'KP-MESH-001', given: 'a Mesh without mTLS', build: (s) => mesh(s, { skipCreatingInitialPolicies: ['MeshTrafficPermission'] }) },
  {
    rule: 'KP-MESH-002',
    given: 'a Mesh in PERMISSIVE mode',
    build: (s) => mesh(s, { mtls: { ...strictMtls, backends: [{ ...strictMtls.backends[0], mode: 'PERMISSIVE' }] }, skipCreatingInitialPolicies: ['MeshTrafficPermission'] }),
  },
  { rule: 'KP-MESH-003', given: 'a Mesh that lets Kuma create the allow-all permission', build: (s) => mesh(s, { mtls: strictMtls }) },
  { rule: 'KP-MESH-004', given: 'a production control plane without the CNI', build: (s) => controlPlane(s, { cni: { enabled: false } }), options: { production: true } },
  {
    rule: 'KP-MESH-005',
    given: 'a permission letting every service of the mesh call one service',
    build: (s) => permission(s, { targetRef: { kind: 'MeshService', name: 'orders' }, from: [{ targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } }] }),
  },
  { rule: 'KP-MESH-006', given: 'a control plane Service of type LoadBalancer', build: (s) => controlPlane(s, { controlPlane: { service: { type: 'LoadBalancer' } } }) },
  {
    rule: 'KP-API-001',
    given: 'a production KongPlugin key-auth with an anonymous consumer',
    build: (s) =>
      new ManifestChart(s, 'apis', {
        chartName: 'apis',
        namespace: 'payments',
        manifests: [
          {
            apiVersion: 'configuration.konghq.com/v1',
            kind: 'KongPlugin',
            metadata: { name: 'k', namespace: 'payments' },
            plugin: 'key-auth',
            config: { anonymous: 'guest' },
          } as any,
        ],
      }),
    options: { production: true },
  },
  {
    rule: 'KP-KONG-008',
    given: 'a kong release injecting Lua through an nginx_proxy_* setting',
    build: (s) => kongRelease(s, { env: { nginx_proxy_access_by_lua_block: 'ngx.exit(200)' } }),
  },
  {
    rule: 'KP-K8S-011',
    given: 'a production kong release pulling the gateway from Docker Hub',
    build: (s) => kongRelease(s, { image: { unifiedRepoTag: 'docker.io/kong/kong-gateway:3.9.1@sha256:2b8f4f1c9d3e5a7b6c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b' } }),
    options: { production: true },
  },
  {
    rule: 'KP-K8S-010',
    given: 'a production kong release whose image digest is a typed placeholder',
    build: (s) => kongRelease(s, { image: { unifiedRepoTag: `registry.example.com/kong-gateway:3.9.1@sha256:${'0'.repeat(64)}` } }),
    options: { production: true },
  },
  {
    rule: 'KP-SEC-001',
    given: 'a private key written into Helm values',
    build: (s) => kongRelease(s, { env: { ssl_cert_key: ['-----BEGIN ', 'PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'].join('') } }),
  },
  {
    rule: 'KP-SEC-002',
    given: 'a production stack whose private key is generated by the tls provider (into state)',
    build: (s) => new PrivateKey(s, 'key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' }),
    options: { production: true },
  },
];

describe('policy rules: each rule fails its violating configuration', () => {
  test('the catalogue has at least 25 rules, unique ids, and every rule has a case here', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ids).size).toBe(ids.length);
    expect(CASES.map((c) => c.rule).sort()).toEqual([...ids].sort());
  });

  test('every rule has a one-line title and rationale', () => {
    for (const rule of POLICY_RULES) {
      expect(rule.title).toMatch(/^[^\n]{5,80}$/);
      expect(rule.rationale).toMatch(/^[^\n]{20,200}$/);
    }
  });

  test.each(CASES)('$rule: $given', ({ rule, build, options }) => {
    // WHEN
    const violated = violatedRules(build, options);
    // THEN
    expect(violated).toContain(rule);
  });
});

describe('policy rules: compliant configurations pass', () => {
  test.each<[string, (s: Construct) => void]>([
    ['EKS cluster', (s) => eks(s)],
    ['ECR repository', (s) => ecr(s)],
    [
      'ALB with HTTPS and redirecting HTTP listeners',
      (s) => {
        alb(s);
        new LbListener(s, 'https', {
          loadBalancerArn: 'arn:lb',
          port: 443,
          protocol: 'HTTPS',
          sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          certificateArn: 'arn:cert',
          defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }],
        });
        new LbListener(s, 'http', {
          loadBalancerArn: 'arn:lb',
          port: 80,
          protocol: 'HTTP',
          defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
        });
      },
    ],
    ['web ACL with KnownBadInputs', (s) => webAcl(s, [knownBadInputs()])],
    ['AKS cluster', (s) => aks(s)],
    ['public AKS API restricted to an admin range', (s) => aks(s, { privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges: ['198.51.100.0/24'] } })],
    ['Application Gateway with a WAF policy', (s) => appGateway(s)],
    ['WAF policy on OWASP 3.2 in prevention mode', (s) => wafPolicy(s)],
    ['hardened kong release', (s) => kongRelease(s, {})],
    ['Mesh with strict mTLS and no initial permissions', (s) => mesh(s, { mtls: strictMtls, skipCreatingInitialPolicies: ['MeshTrafficPermission'] })],
  ])('%s', (_name, build) => {
    expect(violatedRules(build)).toEqual([]);
  });

  test('values only known at apply time are never judged a violation', () => {
    // GIVEN an EKS cluster whose public CIDRs and encryption key are Terraform references
    const violated = violatedRules((s) => {
      const key = new KmsKey(s, 'key', { description: 'k', enableKeyRotation: true });
      eks(s, {
        vpcConfig: { subnetIds: ['a', 'b'], endpointPublicAccess: true, publicAccessCidrs: [key.arn] },
        encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
      });
    });
    // THEN
    expect(violated).toEqual([]);
  });
});

describe('policy rules: raw Kubernetes workloads', () => {
  test('a kubernetes_deployment_v1 container without hardening fails every container rule', () => {
    // GIVEN
    const violated = violatedRules((s) => {
      new DeploymentV1(s, 'app', {
        metadata: { name: 'app', namespace: 'payments' },
        spec: {
          selector: { matchLabels: { app: 'app' } },
          template: { metadata: { labels: { app: 'app' } }, spec: { container: [{ name: 'app', image: 'registry.example.com/app:1.0' }] } },
        },
      });
    });
    // THEN
    expect(violated).toEqual(['KP-K8S-001', 'KP-K8S-002', 'KP-K8S-003', 'KP-K8S-004', 'KP-K8S-005', 'KP-K8S-006', 'KP-K8S-007']);
  });

  test('a hardened kubernetes_deployment_v1 passes', () => {
    const violated = violatedRules((s) => {
      new DeploymentV1(s, 'app', {
        metadata: { name: 'app', namespace: 'payments' },
        spec: {
          selector: { matchLabels: { app: 'app' } },
          template: {
            metadata: { labels: { app: 'app' } },
            spec: {
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              container: [
                {
                  name: 'app',
                  image: `registry.example.com/app:1.0@sha256:${'c'.repeat(64)}`,
                  securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                },
              ],
            },
          },
        },
      });
    });
    expect(violated).toEqual([]);
  });

  test('a kong controller release is checked on the ingressController image and resources', () => {
    const violated = violatedRules((s) =>
      kongRelease(s, {
        deployment: { kong: { enabled: false } },
        ingressController: { enabled: true, image: { unifiedRepoTag: 'registry.example.com/kic:3.4.4' }, env: { kong_admin_tls_skip_verify: false } },
      }),
    );
    expect(violated).toEqual(['KP-K8S-006', 'KP-K8S-007']);
  });

  test('a literal helm `set` entry is applied over the values document', () => {
    const violated = violatedRules((s) => kongRelease(s, {}, { set: [{ name: 'admin.type', value: 'NodePort' }] }));
    expect(violated).toEqual(['KP-KONG-001']);
  });

  test('a Kuma control plane that creates the default Mesh fails the mTLS rule', () => {
    const violated = violatedRules(
      (s) =>
        new Release(s, 'kuma', {
          name: 'kuma',
          namespace: 'kuma-system',
          chart: 'kuma',
          repository: 'https://kumahq.github.io/charts',
          version: '2.14.3',
          atomic: true,
          values: [valuesYaml({ controlPlane: { defaults: { skipMeshCreation: false } } })],
        }),
    );
    expect(violated).toContain('KP-MESH-001');
  });

  test('an allow-all MeshTrafficPermission fails', () => {
    const violated = violatedRules(
      (s) =>
        new Manifest(s, 'mtp', {
          manifest: {
            apiVersion: 'kuma.io/v1alpha1',
            kind: 'MeshTrafficPermission',
            metadata: { name: 'allow-all', namespace: 'kuma-system' },
            spec: { targetRef: { kind: 'Mesh' }, from: [{ targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } }] },
          },
        }),
    );
    // to every service (003) and from every service (005)
    expect(violated).toEqual(['KP-MESH-003', 'KP-MESH-005']);
  });
});

describe('mesh rules: variants of the same weakening', () => {
  const violatedMesh = (build: (s: Construct) => void, options?: { production?: boolean }) => violatedRules(build, options).filter((id) => id.startsWith('KP-MESH-'));

  test.each<[string, Record<string, unknown>, 'kuma' | 'kong-mesh']>([
    ['cni.enabled false (kuma)', { cni: { enabled: false } }, 'kuma'],
    ['cni.enabled false (kong-mesh, nested under kuma:)', { cni: { enabled: false } }, 'kong-mesh'],
    ['cni unset: the chart default is off', {}, 'kuma'],
    ['cni.enabled "" (an empty string: {{ if }} reads it as false)', { cni: { enabled: '' } }, 'kuma'],
    ['cni.enabled 0', { cni: { enabled: 0 } }, 'kuma'],
  ])('GIVEN a production control plane with %s THEN KP-MESH-004', (_given, values, chart) => {
    expect(violatedMesh((s) => controlPlane(s, { controlPlane: { defaults: { skipMeshCreation: true } }, ...values }, chart), { production: true })).toEqual(['KP-MESH-004']);
  });

  test('GIVEN cni.enabled "false" as a string THEN the chart installs the CNI ({{ if }} reads any non-empty string as true): no KP-MESH-004', () => {
    expect(violatedMesh((s) => controlPlane(s, { controlPlane: { defaults: { skipMeshCreation: true } }, cni: { enabled: 'false' } }, 'kuma'), { production: true })).toEqual([]);
  });

  test('GIVEN the CNI off outside production THEN KP-MESH-004 does not apply', () => {
    expect(violatedMesh((s) => controlPlane(s, { controlPlane: { defaults: { skipMeshCreation: true } }, cni: { enabled: false } }))).toEqual([]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['from the Mesh, AllowWithShadowDeny', { kind: 'Mesh' }],
    ['from a MeshSubset without tags', { kind: 'MeshSubset' }],
    ['from a MeshSubset with empty tags', { kind: 'MeshSubset', tags: {} }],
  ])('GIVEN a permission %s THEN KP-MESH-005', (_given, targetRef) => {
    const build = (s: Construct) => permission(s, { targetRef: { kind: 'MeshService', name: 'orders' }, from: [{ targetRef, default: { action: 'AllowWithShadowDeny' } }] });
    expect(violatedMesh(build)).toEqual(['KP-MESH-005']);
  });

  test('GIVEN a permission naming its caller by tags, or denying everyone THEN it passes', () => {
    const build = (s: Construct) =>
      permission(s, {
        targetRef: { kind: 'MeshService', name: 'orders' },
        from: [
          { targetRef: { kind: 'MeshSubset', tags: { 'kuma.io/service': 'kong-gateway_kong_svc_80' } }, default: { action: 'Allow' } },
          { targetRef: { kind: 'Mesh' }, default: { action: 'Deny' } },
        ],
      });
    expect(violatedMesh(build)).toEqual([]);
  });

  const safeDefaults = { controlPlane: { defaults: { skipMeshCreation: true } } };
  test.each<[string, Record<string, unknown>]>([
    ['a NodePort control plane Service', { controlPlane: { service: { type: 'NodePort' } } }],
    ['a loadbalancer control plane Service (any case)', { controlPlane: { service: { type: 'loadbalancer' } } }],
    ['the GUI/API on an Ingress', { controlPlane: { ingress: { enabled: true } } }],
    ['a zone ingress with the chart default Service type (LoadBalancer)', { ingress: { enabled: true } }],
    ['a zone egress of type NodePort', { egress: { enabled: true, service: { type: 'NodePort' } } }],
  ])('GIVEN %s THEN KP-MESH-006', (_given, values) => {
    expect(violatedMesh((s) => controlPlane(s, mergeValues(safeDefaults, values)))).toEqual(['KP-MESH-006']);
  });

  test('GIVEN a zone ingress of type ClusterIP THEN it passes', () => {
    expect(violatedMesh((s) => controlPlane(s, { controlPlane: { defaults: { skipMeshCreation: true } }, ingress: { enabled: true, service: { type: 'ClusterIP' } } }))).toEqual(
      [],
    );
  });
});

describe('KP-KONG-004: header names in any case', () => {
  test.each([
    ['upper case in env', { env: { headers: 'SERVER_TOKENS, latency_tokens' } }],
    ['lower case through customEnv', { customEnv: { KONG_HEADERS: 'server,via' } }],
    ['a map value', { env: { headers: { value: 'Via' } } }],
  ])('GIVEN %s THEN Kong sends its version and the rule refuses it', (_what, values) => {
    expect(violatedRules((s) => kongRelease(s, values))).toContain('KP-KONG-004');
  });
});

describe('KP-K8S-011: public registries in production, in every spelling', () => {
  const digest = '@sha256:2b8f4f1c9d3e5a7b6c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b';
  test.each([
    'kong/kong-gateway:3.9.1',
    'ghcr.io/kong/kong-gateway:3.9.1',
    'public.ecr.aws/kong/kong-gateway:3.9.1',
    'QUAY.IO/kong/kong-gateway:3.9.1',
    'europe-docker.pkg.dev/p/r/kong:3.9.1',
  ])('GIVEN %s THEN production refuses it', (image) => {
    expect(violatedRules((s) => kongRelease(s, { image: { unifiedRepoTag: `${image}${digest}` } }), { production: true })).toContain('KP-K8S-011');
  });
  test('GIVEN the private registry THEN it passes; outside production the rule does not apply', () => {
    expect(violatedRules((s) => kongRelease(s, { image: { unifiedRepoTag: `registry.example.com/kong/kong-gateway:3.9.1${digest}` } }), { production: true })).not.toContain(
      'KP-K8S-011',
    );
    expect(violatedRules((s) => kongRelease(s, { image: { unifiedRepoTag: `kong/kong-gateway:3.9.1${digest}` } }))).not.toContain('KP-K8S-011');
  });
});

describe('KP-HELM-008: escape hatches in production', () => {
  const withHatch = (values: Record<string, unknown>) => (s: Construct) => recordEscapeHatch(kongRelease(s, {}), 'gateway.extraValues', values);
  test.each([
    ['pod metadata and scheduling', { podAnnotations: { 'prometheus.io/scrape': 'true' }, nodeSelector: { pool: 'kong' }, tolerations: [{ key: 'dedicated' }] }],
    ['resources and performance settings', { resources: { limits: { memory: '2Gi' } }, env: { nginx_worker_processes: '4', LOG_LEVEL: 'warn' } }],
  ])('GIVEN %s THEN they pass', (_what, values) => {
    expect(violatedRules(withHatch(values), { production: true })).not.toContain('KP-HELM-008');
  });
  test.each([
    ['a Kong setting not on the list', { env: { trusted_ips: '10.0.0.0/8' } }, 'gateway.extraValues.env.trusted_ips'],
    ['a Service change', { proxy: { type: 'ClusterIP', annotations: { a: 'b' } } }, 'gateway.extraValues.proxy.type'],
    ['an exec probe', { livenessProbe: { exec: { command: ['sh', '-c', 'curl localhost:8444'] } } }, 'gateway.extraValues.livenessProbe.exec.command'],
  ])('GIVEN %s THEN production refuses it, naming the path', (_what, values, path) => {
    expect(messagesOf('KP-HELM-008', withHatch(values), { production: true })).toContainEqual(expect.stringContaining(`${path} is not a reviewed escape hatch key in production`));
  });
  test('GIVEN KongPlatform gateway.extraValues THEN the platform records them on the gateway release (library use)', () => {
    const { escapeHatchUses } = require('../../constructs/policy/escape-hatches');
    const { kong } = libraryPlatform({ gateway: { extraValues: { env: { real_ip_recursive: 'on' } } } });
    expect(escapeHatchUses(kong.gateway.release)).toEqual([{ field: 'gateway.extraValues', paths: ['env.real_ip_recursive'] }]);
  });
});

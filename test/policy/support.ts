import type { KubernetesClusterConfig } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { Release, ReleaseConfig } from '@cdktf/provider-helm/lib/release';
import { stringify } from 'yaml';
import { App, Construct, Testing, TerraformStack } from '../../constructs/core/cdktf';
import { PolicyOptions, PolicyStackResult, applyPolicies } from '../../constructs/policy/policy-aspect';

/** Builds one stack with `build`, runs the guardrails on it and returns the result (non-production unless `options` say otherwise). */
export function checkStack(build: (stack: TerraformStack) => void, options: Partial<PolicyOptions> = {}): PolicyStackResult {
  const app = Testing.app() as App;
  const stack = new TerraformStack(app, 'policy-test');
  build(stack);
  return applyPolicies(stack, { production: false, ...options }).checkAll();
}

/** Ids of the rules a stack violates. */
export function violatedRules(build: (stack: TerraformStack) => void, options: Partial<PolicyOptions> = {}): string[] {
  return [...new Set(checkStack(build, options).violations.map((v) => v.rule.id))].sort();
}

/** The messages of one rule's violations in a stack. */
export function messagesOf(rule: string, build: (stack: TerraformStack) => void, options: Partial<PolicyOptions> = {}): string[] {
  return checkStack(build, options)
    .violations.filter((v) => v.rule.id === rule)
    .map((v) => v.message);
}

type Values = Record<string, any>;

/** Kong chart gateway values that satisfy every Kong and container rule. */
export function compliantGatewayValues(): Values {
  const hardened = {
    runAsNonRoot: true,
    runAsUser: 1000,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  return {
    image: { unifiedRepoTag: `registry.example.com/kong-gateway:3.9.1@sha256:216ba41f3b1029eff5016f5e6335b87f226cfce22e4a9d82dbdcc6fb92967e8c` },
    deployment: { kong: { enabled: true } },
    ingressController: { enabled: false },
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { enabled: true, ...hardened },
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    initContainerResources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
    proxy: { type: 'ClusterIP' },
    admin: { enabled: true, type: 'ClusterIP', clusterIP: 'None', http: { enabled: false }, tls: { enabled: true }, ingress: { enabled: false } },
    manager: { enabled: false },
    portal: { enabled: false },
    portalapi: { enabled: false },
    env: { headers: 'off' },
  };
}

/** Deep merge for test overrides (objects merge, anything else replaces). */
export function merge(base: Values, overrides: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object' ? merge(base[k], v) : v;
  }
  return out;
}

/** The values document as HardenedHelmRelease renders it. */
export const valuesYaml = (values: Values) => stringify(values);

export type Builder = (scope: Construct) => void;

/** A kong gateway release with compliant values, `values` merged over them and `overrides` replacing release fields. */
export const kongRelease = (scope: Construct, values: Record<string, unknown>, overrides: Partial<ReleaseConfig> = {}) =>
  new Release(scope, 'kong', {
    name: 'kong-gateway',
    namespace: 'kong',
    chart: 'kong',
    repository: 'https://charts.konghq.com',
    version: '3.4.1',
    atomic: true,
    wait: true,
    values: [valuesYaml(merge(compliantGatewayValues(), values))],
    ...overrides,
  });

// The cloud provider classes are required on first use: most suites of this folder build no cloud
// resource, and these two modules alone are 1.5 MB of generated code.

/** An EKS cluster that satisfies every AWS rule (private endpoint, KMS secrets, all logs); `overrides` replace top-level fields. */
export const eks = (scope: Construct, overrides: Record<string, unknown> = {}) =>
  new (require('@cdktf/provider-aws/lib/eks-cluster') as typeof import('@cdktf/provider-aws/lib/eks-cluster')).EksCluster(scope, 'eks', {
    name: 'c',
    roleArn: 'arn:aws:iam::111111111111:role/c',
    vpcConfig: { subnetIds: ['subnet-a', 'subnet-b'], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' } },
    enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
    ...overrides,
  });

/** An AKS cluster that satisfies every Azure rule (private, Entra ID RBAC, no local accounts); `overrides` replace top-level fields. */
export const aks = (scope: Construct, overrides: Partial<KubernetesClusterConfig> = {}) =>
  new (require('@cdktf/provider-azurerm/lib/kubernetes-cluster') as typeof import('@cdktf/provider-azurerm/lib/kubernetes-cluster')).KubernetesCluster(scope, 'aks', {
    name: 'aks',
    location: 'westeurope',
    resourceGroupName: 'rg',
    dnsPrefix: 'aks',
    defaultNodePool: { name: 'system', vmSize: 'Standard_D4s_v5' },
    identity: { type: 'SystemAssigned' },
    roleBasedAccessControlEnabled: true,
    azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: '00000000-0000-0000-0000-000000000000' },
    localAccountDisabled: true,
    privateClusterEnabled: true,
    networkProfile: { networkPlugin: 'azure', networkPolicy: 'azure' },
    ...overrides,
  });

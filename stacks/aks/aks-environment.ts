import type { EnvironmentConfig } from '../../config/environment';
import type { AzureSection } from '../../config/sections/azure';
import { App, TerraformStack } from '../../constructs/core/cdktf';
import { aksClusterAccess, KubeloginMode } from '../../constructs/azure/aks-cluster-access';
import { AzureEdgeAddOn } from '../../constructs/azure/azure-edge-add-on';
import { KongPlatformStack } from '../platform/kong-platform-stack';
import { AksClusterStack } from './aks-cluster-stack';
import { AzureStateStorageStack } from './state-storage-stack';

/** Options of {@link addAksEnvironmentStacks}. */
export interface AksEnvironmentStacksOptions {
  /** Folder of custom plugins. @default `<cwd>/plugins` */
  readonly pluginsDirectory?: string;
  /**
   * Also add `<env>-state`, the bootstrap stack of the azurerm backend's storage account
   * (only when the environment's backend is azurerm).
   * @default false
   */
  readonly stateStack?: boolean;
  /** How the providers get their Entra ID token. @default 'azurecli' */
  readonly kubeloginMode?: KubeloginMode;
}

/** The stacks of an AKS environment. */
export interface AksEnvironmentStacks {
  readonly cluster: AksClusterStack;
  readonly platform: KongPlatformStack;
  readonly state?: AzureStateStorageStack;
  /** All of them, in deploy order. */
  readonly all: TerraformStack[];
}

/**
 * Adds an environment with `cloud: azure` to the app: `<env>-cluster` (AksClusterStack) and
 * `<env>-platform` wired to it through cross-stack references (API server and CA for the
 * providers, Kong's proxy certificate) plus the literals of the `azure:` section for the
 * AzureEdgeAddOn (gateway subnet, node subnet, fixed load balancer address).
 */
export function addAksEnvironmentStacks(app: App, env: EnvironmentConfig & { azure?: AzureSection }, options: AksEnvironmentStacksOptions = {}): AksEnvironmentStacks {
  if (!env.azure) throw new Error(`environment ${env.name}: cloud is "azure" but the azure section is missing`);
  const backend = env.backend;
  const state =
    options.stateStack && backend.type === 'azurerm'
      ? new AzureStateStorageStack(app, `${env.name}-state`, {
          environment: env.name,
          production: env.production,
          location: env.azure.location,
          resourceGroupName: backend.resourceGroupName,
          storageAccountName: backend.storageAccountName,
          containerName: backend.containerName,
          tags: env.azure.tags,
        })
      : undefined;
  const cluster = new AksClusterStack(app, `${env.name}-cluster`, { environment: env.name, production: env.production, azure: env.azure, backend });
  const platform = new KongPlatformStack(app, `${env.name}-platform`, {
    environment: env,
    clusterAccess: aksClusterAccess(cluster, options.kubeloginMode),
    pluginsDirectory: options.pluginsDirectory,
    addOns: [
      new AzureEdgeAddOn({
        gatewaySubnetCidr: cluster.gatewaySubnetCidr,
        nodeSubnetCidr: cluster.nodeSubnetCidr,
        nodeSubnetName: cluster.nodeSubnetName,
        kongInternalLoadBalancerIp: cluster.kongInternalLoadBalancerIp,
        proxyCertificate: cluster.kongProxyCertificate,
      }),
    ],
  });
  platform.addDependency(cluster);
  return { cluster, platform, state, all: [...(state ? [state] : []), cluster, platform] };
}

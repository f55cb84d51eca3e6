import type { AzureSection } from '../../config/sections/azure';
import { aksClusterAccess, KubeloginMode } from '../../constructs/azure/aks-cluster-access';
import { AzureEdgeAddOn } from '../../constructs/azure/azure-edge-add-on';
import { App } from '../../constructs/core/cdktf';
import { PlatformAddOn } from '../../constructs/core/platform-add-on';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { StateBackend } from '../backend';
import { AksClusterStack } from './aks-cluster-stack';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- read by the {@link}s in the props docs below
import type { AksClusterStackProps } from './aks-cluster-stack';
import { AzureStateStorageStack } from './state-storage-stack';

/** What an Azure environment needs from its environment file. */
export interface AksEnvironmentSettings {
  /** Environment name. */
  readonly name: string;
  /** Production strictness. */
  readonly production: boolean;
  /** The `azure:` section (defaults applied). */
  readonly azure: AzureSection;
  /** State backend of the environment. @default Terraform's local default */
  readonly backend?: StateBackend;
  /** How the platform stack's providers get their Entra ID token. @default 'azurecli' */
  readonly kubeloginMode?: KubeloginMode;
  /** Route hosts besides `azure.edge.hostName` (see {@link AksClusterStackProps.edgeHostNames}). @default none */
  readonly edgeHostNames?: string[];
}

/** The Azure half of an environment, ready for the platform stack. */
export interface AksEnvironmentStacks {
  /** `<env>-state`, only when the backend is azurerm (it creates that storage account). */
  readonly state?: AzureStateStorageStack;
  /** `<env>-cluster`. */
  readonly cluster: AksClusterStack;
  /** Pass to `KongPlatformStack` as `clusterAccess` (kubelogin, host and CA from the cluster stack). */
  readonly clusterAccess: ClusterAccess;
  /** Pass to `KongPlatformStack` as `addOns` (the internal load balancer and proxy certificate wiring). */
  readonly addOns: PlatformAddOn[];
}

/**
 * Adds `<env>-state` (azurerm backend only) and `<env>-cluster` to the app and returns what the
 * platform stack needs to run on that cluster behind the Application Gateway:
 *
 * @example
 * const azure = addAksEnvironmentStacks(app, { name: env.name, production: env.production, azure: env.azure!, backend: env.backend });
 * new KongPlatformStack(app, `${env.name}-platform`, { environment: env, clusterAccess: azure.clusterAccess, addOns: azure.addOns });
 */
export function addAksEnvironmentStacks(app: App, settings: AksEnvironmentSettings): AksEnvironmentStacks {
  const backend = settings.backend;
  const state =
    backend?.type === 'azurerm'
      ? new AzureStateStorageStack(app, `${settings.name}-state`, {
          environment: settings.name,
          production: settings.production,
          location: settings.azure.location,
          resourceGroupName: backend.resourceGroupName,
          storageAccountName: backend.storageAccountName,
          containerName: backend.containerName,
          backend,
          tags: settings.azure.tags,
        })
      : undefined;
  const cluster = new AksClusterStack(app, `${settings.name}-cluster`, {
    environment: settings.name,
    production: settings.production,
    azure: settings.azure,
    backend,
    edgeHostNames: settings.edgeHostNames,
  });
  const edge = new AzureEdgeAddOn({
    gatewaySubnetCidr: cluster.gatewaySubnetCidr,
    nodeSubnetCidr: cluster.nodeSubnetCidr,
    nodeSubnetName: cluster.nodeSubnetName,
    kongInternalLoadBalancerIp: cluster.kongInternalLoadBalancerIp,
    proxyCertificate: cluster.kongProxyCertificate,
    proxyCertificateIssuer: cluster.kongProxyCertificateIssuer,
  });
  return { state, cluster, clusterAccess: aksClusterAccess(cluster, settings.kubeloginMode), addOns: [edge] };
}

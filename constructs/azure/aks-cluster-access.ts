import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct, Fn } from '../core/cdktf';
import { ClusterAccess } from '../kubernetes/cluster-access';

/** Server application id of the AKS Entra ID integration (the same in every tenant). */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** How kubelogin obtains the Entra ID token. */
export type KubeloginMode = 'azurecli' | 'workloadidentity' | 'msi';

/** What a platform stack needs from the cluster stack to reach AKS (cross-stack references). */
export interface AksClusterConnection {
  /** Kubernetes API server URL. */
  readonly clusterHost: string;
  /** Base64-encoded cluster CA certificate (as AKS returns it). */
  readonly clusterCaCertificate: string;
}

/** The providers {@link configureAksProviders} creates. */
export interface AksProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
}

/**
 * `kubelogin get-token` arguments: an Entra ID token for the AKS server application, fetched
 * at every plan/apply and never stored. `azurecli` reuses `az login` (people, CI after
 * `az login --service-principal` or federated login); `workloadidentity` and `msi` serve CI
 * running in Azure.
 */
export function kubeloginExecArgs(mode: KubeloginMode = 'azurecli'): string[] {
  return ['get-token', '--login', mode, '--server-id', AKS_ENTRA_SERVER_ID];
}

/**
 * How the platform stack reaches an AKS cluster created by another stack: API server URL and
 * CA from the cluster stack (cdktf turns them into sensitive remote-state outputs), the token
 * from `kubelogin` run by the providers (local accounts are disabled: there is no static admin
 * credential to use). kubelogin and, for `azurecli`, the Azure CLI must be on PATH; the login
 * needs an Azure RBAC role on the cluster (the cluster stack grants the deployer cluster-admin).
 *
 * @example
 * new KongPlatformStack(app, 'azure-prod-platform', { environment, clusterAccess: aksClusterAccess(clusterStack), addOns });
 */
export function aksClusterAccess(cluster: AksClusterConnection, mode: KubeloginMode = 'azurecli'): ClusterAccess {
  return ClusterAccess.fromConnection({
    host: cluster.clusterHost,
    clusterCaCertificate: Fn.base64decode(cluster.clusterCaCertificate),
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: kubeloginExecArgs(mode) },
  });
}

/**
 * Configures (once per stack) the default `kubernetes` and `helm` providers of the stack that
 * contains `scope` for an AKS cluster from another stack; see {@link aksClusterAccess}.
 *
 * @example
 * const { kubernetes, helm } = configureAksProviders(platformStack, clusterStack);
 */
export function configureAksProviders(scope: Construct, cluster: AksClusterConnection, mode: KubeloginMode = 'azurecli'): AksProviders {
  return aksClusterAccess(cluster, mode).configureProviders(scope);
}

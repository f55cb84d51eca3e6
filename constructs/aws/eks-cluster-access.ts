import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct, Fn } from '../core/cdktf';
import { ClusterAccess } from '../kubernetes/cluster-access';

/** What a platform stack needs from the cluster stack to reach the cluster (cross-stack references). */
export interface EksClusterConnection {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Kubernetes API endpoint URL. */
  readonly clusterEndpoint: string;
  /** Base64-encoded cluster CA certificate (as EKS returns it). */
  readonly clusterCertificateAuthority: string;
  /** AWS region of the cluster. */
  readonly region: string;
}

/** The providers {@link configureEksProviders} creates. */
export interface EksProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
}

/** `aws eks get-token` arguments: a short-lived token fetched at every plan/apply, never stored in state. */
export function eksTokenExecArgs(cluster: EksClusterConnection): string[] {
  return ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', cluster.region, '--output', 'json'];
}

/**
 * How the platform stack reaches an EKS cluster created by another stack: endpoint and CA
 * come from the cluster stack (cdktf turns them into remote-state outputs), the token from
 * `aws eks get-token` run by the providers at every plan/apply (the AWS CLI must be on PATH,
 * with credentials mapped to an EKS access entry). No token is ever stored.
 *
 * @example
 * new KongPlatformStack(app, 'aws-dev-platform', { environment, clusterAccess: eksClusterAccess(clusterStack), addOns });
 */
export function eksClusterAccess(cluster: EksClusterConnection): ClusterAccess {
  return ClusterAccess.fromConnection({
    host: cluster.clusterEndpoint,
    clusterCaCertificate: Fn.base64decode(cluster.clusterCertificateAuthority),
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: eksTokenExecArgs(cluster) },
  });
}

/**
 * Configures (once per stack) the default `kubernetes` and `helm` providers of the stack that
 * contains `scope` for an EKS cluster from another stack; see {@link eksClusterAccess}.
 *
 * @example
 * const { kubernetes, helm } = configureEksProviders(platformStack, clusterStack);
 */
export function configureEksProviders(scope: Construct, cluster: EksClusterConnection): EksProviders {
  return eksClusterAccess(cluster).configureProviders(scope);
}

import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct, Fn } from '../core/cdktf';

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
 * Configures the default `kubernetes` and `helm` providers of the stack that contains `scope`
 * for an EKS cluster created by another stack: endpoint and CA come from the cluster stack
 * (cdktf turns them into remote-state outputs), the token from `aws eks get-token` run by the
 * providers (the AWS CLI must be on PATH, with credentials mapped to an EKS access entry).
 *
 * @example
 * const { kubernetes, helm } = configureEksProviders(platformStack, clusterStack);
 */
export function configureEksProviders(scope: Construct, cluster: EksClusterConnection): EksProviders {
  const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: eksTokenExecArgs(cluster) };
  const caCertificate = Fn.base64decode(cluster.clusterCertificateAuthority);
  const kubernetes = new KubernetesProvider(scope, 'kubernetes', {
    host: cluster.clusterEndpoint,
    clusterCaCertificate: caCertificate,
    exec: [exec],
  });
  const helm = new HelmProvider(scope, 'helm', {
    kubernetes: { host: cluster.clusterEndpoint, clusterCaCertificate: caCertificate, exec },
  });
  return { kubernetes, helm };
}

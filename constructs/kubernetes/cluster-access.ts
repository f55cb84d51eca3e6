import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from '../core/cdktf';
import { singletonProvider } from '../core/stack-providers';

/** A credential plugin (`client.authentication.k8s.io`) run by the providers for a short-lived token. */
export interface ExecCredential {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
}

/** How the kubernetes and helm providers reach a cluster. */
export interface KubernetesConnection {
  /**
   * Kubeconfig file (existing clusters). Leave it unset to let the kubernetes and helm providers
   * read `KUBE_CONFIG_PATH` from their environment at plan time (what CI provides).
   */
  readonly configPath?: string;
  /** Context in the kubeconfig. */
  readonly configContext?: string;
  /** API server URL (cloud clusters, from the cluster stack). */
  readonly host?: string;
  /** PEM CA of the API server. */
  readonly clusterCaCertificate?: string;
  /** Token plugin; no static credentials are ever written to the configuration. */
  readonly exec?: ExecCredential;
}

/**
 * Configures the `kubernetes` and `helm` providers of a stack for one cluster.
 * Use `ClusterAccess.fromKubeconfig()` for an existing cluster (on-premises, Anthos,
 * any conformant cluster) or `ClusterAccess.fromConnection()` with a cloud cluster
 * stack's endpoint, CA and token command.
 */
export class ClusterAccess {
  /**
   * An existing cluster reached through a kubeconfig. `configPath` undefined writes no
   * `config_path`: the kubernetes and helm providers then read the file named by the
   * `KUBE_CONFIG_PATH` environment variable when Terraform runs, so the configuration names no
   * file of the machine that synthesized it and CI supplies its own kubeconfig. A given path is
   * written as is (Terraform resolves a relative one from the stack directory and expands `~`).
   */
  public static fromKubeconfig(configPath: string | undefined, configContext: string): ClusterAccess {
    if (configPath !== undefined && !configPath) {
      throw new Error('ClusterAccess.fromKubeconfig: configPath must not be empty (leave it undefined to read KUBE_CONFIG_PATH)');
    }
    if (!configContext) throw new Error('ClusterAccess.fromKubeconfig: configContext must not be empty (never rely on the current context)');
    return new ClusterAccess({ configPath, configContext });
  }

  /** Existing cluster, kubeconfig from `KUBE_CONFIG_PATH` at plan time: {@link fromKubeconfig} without a path. */
  public static fromKubeConfigPathEnvironment(configContext: string): ClusterAccess {
    return ClusterAccess.fromKubeconfig(undefined, configContext);
  }

  public static fromConnection(connection: KubernetesConnection): ClusterAccess {
    if (!connection.host && !connection.configPath) {
      throw new Error('ClusterAccess.fromConnection: give host (with clusterCaCertificate and exec) or configPath');
    }
    return new ClusterAccess(connection);
  }

  private constructor(public readonly connection: KubernetesConnection) {}

  /** Creates (once per stack) the default kubernetes and helm providers. */
  public configureProviders(scope: Construct): { kubernetes: KubernetesProvider; helm: HelmProvider } {
    const c = this.connection;
    const kubernetes = singletonProvider(
      scope,
      'kubernetes',
      (stack) =>
        new KubernetesProvider(stack, 'kubernetes', {
          configPath: c.configPath,
          configContext: c.configContext,
          host: c.host,
          clusterCaCertificate: c.clusterCaCertificate,
          exec: c.exec ? [{ ...c.exec }] : undefined,
        }),
    );
    const helm = singletonProvider(
      scope,
      'helm',
      (stack) =>
        new HelmProvider(stack, 'helm', {
          kubernetes: {
            configPath: c.configPath,
            configContext: c.configContext,
            host: c.host,
            clusterCaCertificate: c.clusterCaCertificate,
            exec: c.exec ? { ...c.exec } : undefined,
          },
        }),
    );
    return { kubernetes, helm };
  }
}

import { EnvironmentConfig } from '../config/environment';
import { App, TerraformStack } from '../constructs/core/cdktf';
import { ClusterAccess } from '../constructs/kubernetes/cluster-access';
import { KongPlatformStack } from './platform/kong-platform-stack';
import { applyEnvironmentPolicies } from './policy';

export interface EnvironmentStacksOptions {
  /** Folder of custom plugins. @default `<cwd>/plugins` */
  readonly pluginsDirectory?: string;
}

/** Stack names of an environment: `<env>-cluster` (cloud only) and `<env>-platform`. */
export const stackNames = (env: string) => ({ cluster: `${env}-cluster`, platform: `${env}-platform` });

/**
 * Adds one environment's stacks to the app: for cloud environments the cluster stack and
 * the platform stack wired to it; for existing clusters the platform stack alone.
 */
export function addEnvironmentStacks(app: App, env: EnvironmentConfig, options: EnvironmentStacksOptions = {}): TerraformStack[] {
  return applyEnvironmentPolicies(env, environmentStacks(app, env, options));
}

function environmentStacks(app: App, env: EnvironmentConfig, options: EnvironmentStacksOptions): TerraformStack[] {
  const names = stackNames(env.name);
  switch (env.cloud) {
    case 'hybrid':
    case 'aws':
    case 'azure': {
      // The kubeconfig presence is guaranteed for hybrid by the config rules.
      const access = ClusterAccess.fromKubeconfig(env.kubernetes!.kubeconfigPath, env.kubernetes!.context);
      return [new KongPlatformStack(app, names.platform, { environment: env, clusterAccess: access, pluginsDirectory: options.pluginsDirectory })];
    }
  }
}

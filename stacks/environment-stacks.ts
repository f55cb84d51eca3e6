import { EnvironmentConfig } from '../config/environment';
import { ecrRegistryRegion, environmentImages } from '../config/images';
import { apiHostNames } from '../config/sections/apis';
import { imageReference } from '../config/platform-props';
import { App, TerraformStack } from '../constructs/core/cdktf';
import { ClusterAccess } from '../constructs/kubernetes/cluster-access';
import { repositoryPathFromStackDirectory } from './backend';
import type { AwsEmulatorOptions } from './eks/aws-provider';
import { KongPlatformStack } from './platform/kong-platform-stack';
import { applyEnvironmentPolicies } from './policy';

export interface EnvironmentStacksOptions {
  /** Folder of custom plugins. @default `<cwd>/plugins` */
  readonly pluginsDirectory?: string;
  /**
   * Test mode only: AWS environments talk to this loopback AWS emulator (moto), as `npm run test:e2e`
   * synthesizes through `npm run synth` with KONG_PLATFORM_AWS_EMULATOR set.
   * @default real AWS
   */
  readonly awsEmulator?: AwsEmulatorOptions;
}

/** Stack names of an environment: `<env>-state` and `<env>-cluster` (cloud only) and `<env>-platform`. */
export const stackNames = (env: string) => ({ state: `${env}-state`, cluster: `${env}-cluster`, platform: `${env}-platform` });

/**
 * Adds one environment's stacks to the app, each with its own state and the policy guardrails:
 * for cloud environments the state bootstrap stack (remote backends only), the cluster stack and
 * the platform stack wired to it; for existing clusters the platform stack alone.
 */
export function addEnvironmentStacks(app: App, env: EnvironmentConfig, options: EnvironmentStacksOptions = {}): TerraformStack[] {
  return applyEnvironmentPolicies(env, environmentStacks(app, env, options));
}

function environmentStacks(app: App, env: EnvironmentConfig, options: EnvironmentStacksOptions): TerraformStack[] {
  const names = stackNames(env.name);
  const platform = (environment: EnvironmentConfig, clusterAccess: ClusterAccess, addOns = [] as KongPlatformStackAddOns) =>
    new KongPlatformStack(app, names.platform, { environment, clusterAccess, addOns, pluginsDirectory: options.pluginsDirectory });

  switch (env.cloud) {
    case 'hybrid': {
      // Presence is guaranteed by the config rules (`kubernetes` is required for hybrid).
      // No kubeconfigPath: the providers read KUBE_CONFIG_PATH; a relative one is seen from the stack directory.
      const kubeconfigPath = env.kubernetes!.kubeconfigPath;
      const access = ClusterAccess.fromKubeconfig(kubeconfigPath && repositoryPathFromStackDirectory(kubeconfigPath), env.kubernetes!.context);
      return [platform(env, access)];
    }
    case 'aws': {
      const aws = eksEnvironment().addEksEnvironmentStacks(app, {
        name: env.name,
        production: env.production,
        aws: env.aws!,
        backend: env.backend,
        ecrRepositories: ecrRepositoriesOf(env),
        edgeHostNames: apiHostNames(env.apis),
        loadBalancerControllerImage: env.images.awsLoadBalancerController && imageReference(env.images.registry, env.images.awsLoadBalancerController),
        emulator: options.awsEmulator,
      });
      // The ALB forwards from inside the VPC: that is who Kong trusts for X-Forwarded-For.
      const trusted = withDefaultTrustedIps(env, [env.aws!.vpcCidr]);
      return [...(aws.state ? [aws.state] : []), aws.cluster, platform(trusted, aws.clusterAccess, aws.addOns)];
    }
    case 'azure': {
      const azure = aksEnvironment().addAksEnvironmentStacks(app, {
        name: env.name,
        production: env.production,
        azure: env.azure!,
        backend: env.backend,
        edgeHostNames: apiHostNames(env.apis),
      });
      // The Application Gateway forwards from its own subnet.
      const trusted = withDefaultTrustedIps(env, [env.azure!.network.gatewaySubnetCidr]);
      return [...(azure.state ? [azure.state] : []), azure.cluster, platform(trusted, azure.clusterAccess, azure.addOns)];
    }
  }
}

/*
 * The cloud stacks, required when an environment of that cloud is synthesized: each loads its
 * Terraform provider (@cdktf/provider-aws, @cdktf/provider-azurerm: 6 MB of generated code each,
 * ~0.3 s), which an on-premises synth, or an AWS synth for Azure, never uses.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const eksEnvironment = () => require('./eks/eks-environment') as typeof import('./eks/eks-environment');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aksEnvironment = () => require('./aks/aks-environment') as typeof import('./aks/aks-environment');

/**
 * The ECR repositories an AWS environment needs: one per image of `images:` when the registry
 * is ECR (the config rules make sure it is this region's), none for another registry. Derived,
 * never listed twice, so the cluster stack creates exactly the repositories the platform pulls from.
 */
export function ecrRepositoriesOf(env: EnvironmentConfig): Record<string, string> {
  if (ecrRegistryRegion(env.images.registry) === undefined) return {};
  const repositories: Record<string, string> = {};
  for (const { id, image } of environmentImages(env)) {
    // Two images may share a repository (different tags): one repository.
    if (!Object.values(repositories).includes(image.repository)) repositories[id] = image.repository;
  }
  return repositories;
}

type KongPlatformStackAddOns = NonNullable<ConstructorParameters<typeof KongPlatformStack>[2]['addOns']>;

/** The environment with `gateway.trustedIps` defaulted to the cloud edge's source range. */
function withDefaultTrustedIps(env: EnvironmentConfig, edgeCidrs: string[]): EnvironmentConfig {
  if (env.gateway.trustedIps.length > 0) return env;
  return { ...env, gateway: { ...env.gateway, trustedIps: edgeCidrs } };
}

import type { AwsSection } from '../../config/sections/aws';
import { AwsLoadBalancerControllerAddOn } from '../../constructs/aws/aws-load-balancer-controller-add-on';
import { eksClusterAccess } from '../../constructs/aws/eks-cluster-access';
import { App } from '../../constructs/core/cdktf';
import { PlatformAddOn } from '../../constructs/core/platform-add-on';
import { ContainerImage } from '../../constructs/kong/container-image';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { StateBackend } from '../backend';
import { AwsEmulatorOptions } from './aws-provider';
import { EksClusterStack } from './eks-cluster-stack';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- read by the {@link}s in the props docs below
import type { EksClusterStackProps } from './eks-cluster-stack';
import { StateBucketStack } from './state-bucket-stack';

/** What an AWS environment needs from its environment file. */
export interface EksEnvironmentSettings {
  /** Environment name. */
  readonly name: string;
  /** Production strictness. */
  readonly production: boolean;
  /** The `aws:` section (defaults applied). */
  readonly aws: AwsSection;
  /** State backend of the environment. @default Terraform's local default */
  readonly backend?: StateBackend;
  /** Test mode only. @default real AWS */
  readonly emulator?: AwsEmulatorOptions;
  /** ECR repositories by image id (from `images:`). @default see {@link EksClusterStackProps.ecrRepositories} */
  readonly ecrRepositories?: Record<string, string>;
  /** Route hosts besides `aws.edge.domainName` (see {@link EksClusterStackProps.edgeHostNames}). @default none */
  readonly edgeHostNames?: string[];
  /** The load balancer controller image (from `images.awsLoadBalancerController`). @default the chart's public image */
  readonly loadBalancerControllerImage?: ContainerImage;
}

/** The AWS half of an environment, ready for the platform stack. */
export interface EksEnvironmentStacks {
  /** `<env>-state`, only when the backend is S3 (it creates that bucket). */
  readonly state?: StateBucketStack;
  /** `<env>-cluster`. */
  readonly cluster: EksClusterStack;
  /** Pass to `KongPlatformStack` as `clusterAccess`. */
  readonly clusterAccess: ClusterAccess;
  /** Pass to `KongPlatformStack` as `addOns` (the load balancer controller and the edge binding). */
  readonly addOns: PlatformAddOn[];
}

/**
 * Adds `<env>-state` (S3 backend only) and `<env>-cluster` to the app and returns what the
 * platform stack needs to run on that cluster:
 *
 * @example
 * const aws = addEksEnvironmentStacks(app, { name: env.name, production: env.production, aws: env.aws!, backend: env.backend });
 * new KongPlatformStack(app, `${env.name}-platform`, { environment: env, clusterAccess: aws.clusterAccess, addOns: aws.addOns });
 */
export function addEksEnvironmentStacks(app: App, settings: EksEnvironmentSettings): EksEnvironmentStacks {
  const state =
    settings.backend?.type === 's3'
      ? new StateBucketStack(app, `${settings.name}-state`, {
          environment: settings.name,
          production: settings.production,
          region: settings.backend.region,
          bucketName: settings.backend.bucket,
          backend: settings.backend,
          tags: settings.aws.tags,
          emulator: settings.emulator,
        })
      : undefined;
  const cluster = new EksClusterStack(app, `${settings.name}-cluster`, {
    environment: settings.name,
    production: settings.production,
    aws: settings.aws,
    backend: settings.backend,
    emulator: settings.emulator,
    ecrRepositories: settings.ecrRepositories,
    edgeHostNames: settings.edgeHostNames,
  });
  const loadBalancerController = new AwsLoadBalancerControllerAddOn({
    clusterName: cluster.clusterName,
    region: cluster.region,
    vpcId: cluster.vpcId,
    vpcCidr: cluster.vpcCidr,
    healthCheckSourceCidrs: cluster.publicSubnetCidrs,
    roleArn: cluster.loadBalancerControllerRoleArn,
    targetGroupArn: cluster.targetGroupArn,
    chartVersion: settings.aws.loadBalancerControllerChartVersion,
    image: settings.loadBalancerControllerImage,
  });
  return { state, cluster, clusterAccess: eksClusterAccess(cluster), addOns: [loadBalancerController] };
}

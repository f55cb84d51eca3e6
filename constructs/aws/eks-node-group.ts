import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct, Token } from '../core/cdktf';
import { invalidProp } from './validation';
import { nodeGroupProblems } from './eks-environment-rules';
import { PropsProblems } from '../core/validation';

/** AWS managed policies every EKS worker node needs (join the cluster, run the VPC CNI, pull from ECR). */
export const EKS_NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'] as const;

/** Options of {@link EksManagedNodeGroup} that have defaults. */
export interface EksManagedNodeGroupOptions {
  /**
   * EC2 instance types (all of one CPU architecture).
   * @default ['m6i.large']
   */
  readonly instanceTypes?: string[];
  /**
   * `ON_DEMAND` or `SPOT`.
   * @default 'ON_DEMAND'
   */
  readonly capacityType?: 'ON_DEMAND' | 'SPOT';
  /**
   * Minimum node count.
   * @default 2
   */
  readonly minSize?: number;
  /**
   * Maximum node count.
   * @default 6
   */
  readonly maxSize?: number;
  /**
   * Initial node count; afterwards the autoscaler owns it, so Terraform ignores changes.
   * @default minSize
   */
  readonly desiredSize?: number;
  /**
   * Encrypted gp3 root volume size in GiB.
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * Kubernetes node labels.
   * @default {}
   */
  readonly labels?: Record<string, string>;
}

/** Props of {@link EksManagedNodeGroup}. */
export interface EksManagedNodeGroupProps extends EksManagedNodeGroupOptions {
  /** EKS cluster name (Terraform reference, so the group waits for the cluster). */
  readonly clusterName: string;
  /** Node group name, unique in the cluster. */
  readonly name: string;
  /** Private subnets, one per zone: EKS spreads the nodes over them. */
  readonly subnetIds: string[];
  /** AWS partition, for managed policy ARNs. */
  readonly partition: string;
}

/** Graviton instance families (`m7g`, `c6gn`, `t4g` ...) need the ARM AMI. */
const ARM_INSTANCE = /^[a-z]+\d+g[a-z]*\./;

/**
 * An EKS managed node group spread over the private subnets, with a launch template that
 * requires IMDSv2 with a hop limit of 1 (pods cannot borrow the node role; they use IRSA),
 * encrypts the root volume, and sets no SSH key; the group has no remote access.
 */
export class EksManagedNodeGroup extends Construct {
  /** The node group. */
  public readonly nodeGroup: EksNodeGroup;
  /** The launch template (IMDSv2, encrypted root volume). */
  public readonly launchTemplate: LaunchTemplate;
  /** The node IAM role. */
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: EksManagedNodeGroupProps) {
    super(scope, id);
    const instanceTypes = props.instanceTypes ?? ['m6i.large'];
    const minSize = props.minSize ?? 2;
    const maxSize = props.maxSize ?? 6;
    const desiredSize = props.desiredSize ?? minSize;
    if (instanceTypes.length === 0) invalidProp(this, 'instanceTypes', instanceTypes, 'list at least one EC2 instance type');
    const arm = instanceTypes.map((t) => ARM_INSTANCE.test(t));
    if (arm.some((a) => a !== arm[0])) invalidProp(this, 'instanceTypes', instanceTypes, 'use instance types of one CPU architecture (all Graviton or all x86)');
    if (minSize < 0 || maxSize < 1) invalidProp(this, 'minSize/maxSize', { minSize, maxSize }, 'need 0 <= minSize <= maxSize and maxSize >= 1');
    const problems = new PropsProblems(this.node.path);
    nodeGroupProblems(problems, '', { ...props, minSize, maxSize, desiredSize }, props.name, 'name');
    problems.throwIfAny();
    if (props.subnetIds.length < 2) invalidProp(this, 'subnetIds', props.subnetIds, 'spread nodes over at least 2 availability zones');

    this.role = new IamRole(this, 'node-role', {
      name: `${props.name}-node`.slice(0, 64),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const attachments = EKS_NODE_MANAGED_POLICIES.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: `arn:${props.partition}:iam::aws:policy/${policy}` }),
    );

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.name}-node`,
      description: 'EKS managed nodes: IMDSv2 only, encrypted root volume, no SSH key',
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.diskSizeGiB ?? 50, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${props.name}-node` } },
        { resourceType: 'volume', tags: { Name: `${props.name}-node` } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnetIds,
      amiType: arm[0] ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
      capacityType: props.capacityType ?? 'ON_DEMAND',
      instanceTypes,
      labels: props.labels,
      scalingConfig: { minSize, maxSize, desiredSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: attachments,
    });
  }
}

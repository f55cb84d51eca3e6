import { EksManagedNodeGroup } from '../../constructs/aws/eks-node-group';
import { addressOf, awsInput, only, resources, synthCluster, testStack } from './fixture';

describe('EKS managed node groups', () => {
  const { json } = synthCluster();
  const group = only(json, 'aws_eks_node_group');
  const template = only(json, 'aws_launch_template');

  test('nodes have no SSH access: no remote_access block and no key pair', () => {
    expect(group.remote_access).toBeUndefined();
    expect(template.key_name).toBeUndefined();
  });

  test('the launch template requires IMDSv2 with a hop limit of 1 (pods cannot reach the node role)', () => {
    expect(template.metadata_options).toMatchObject({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
  });

  test('the node group uses that launch template at its latest version', () => {
    const address = addressOf(json, 'aws_launch_template', () => true);
    expect(group.launch_template).toEqual({ id: `\${${address}.id}`, version: `\${${address}.latest_version}` });
  });

  test('the root volume is encrypted gp3', () => {
    expect(template.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }]);
  });

  test('nodes are spread over every private subnet (one per zone)', () => {
    const privateSubnets = resources(json, 'aws_subnet').filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
    expect(privateSubnets).toHaveLength(2);
    expect(group.subnet_ids).toHaveLength(2);
    for (const id of group.subnet_ids) expect(id).toMatch(/^\$\{aws_subnet\.network_private-\d_[A-F0-9]+\.id\}$/);
  });

  test('the autoscaler owns the desired size after creation', () => {
    expect(group.scaling_config).toEqual({ min_size: 2, max_size: 6, desired_size: 2 });
    expect(group.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('Graviton instance types get the ARM AMI', () => {
    const arm = only(synthCluster({ aws: awsInput({ nodeGroups: [{ name: 'arm', instanceTypes: ['m7g.large', 'c7g.large'] }] }) }).json, 'aws_eks_node_group');
    expect(arm.ami_type).toBe('AL2023_ARM_64_STANDARD');
    expect(group.ami_type).toBe('AL2023_x86_64_STANDARD');
  });

  test('the node role has exactly the worker, CNI and ECR read-only managed policies', () => {
    const policies = resources(json, 'aws_iam_role_policy_attachment')
      .map((a) => a.policy_arn as string)
      .filter((arn) => /AmazonEKSWorkerNodePolicy|AmazonEKS_CNI_Policy|AmazonEC2ContainerRegistry/.test(arn))
      .map((arn) => arn.split('/').pop());
    expect(policies.sort()).toEqual(['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy']);
  });
});

describe('EKS managed node groups: bad input', () => {
  const build = (props: Partial<ConstructorParameters<typeof EksManagedNodeGroup>[2]>) =>
    new EksManagedNodeGroup(testStack(), 'nodes', { clusterName: 'c', name: 'kong-test-system', subnetIds: ['a', 'b'], partition: 'aws', ...props });

  test('minSize above maxSize fails', () => {
    expect(() => build({ minSize: 5, maxSize: 3 })).toThrow('stack/nodes: minSize: must not exceed maxSize (3), got 5');
  });

  test('desiredSize outside the bounds fails', () => {
    expect(() => build({ minSize: 2, maxSize: 3, desiredSize: 9 })).toThrow('stack/nodes: desiredSize: must be between minSize (2) and maxSize (3), got 9');
  });

  test('mixing Graviton and x86 instance types fails', () => {
    expect(() => build({ instanceTypes: ['m7g.large', 'm6i.large'] })).toThrow(/invalid instanceTypes \["m7g\.large","m6i\.large"\]: use instance types of one CPU architecture/);
  });

  test('a single subnet fails', () => {
    expect(() => build({ subnetIds: ['a'] })).toThrow(/invalid subnetIds \["a"\]: spread nodes over at least 2 availability zones/);
  });
});

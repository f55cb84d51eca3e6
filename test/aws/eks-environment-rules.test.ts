import { HardenedEksCluster } from '../../constructs/aws/eks-cluster';
import { EksManagedNodeGroup } from '../../constructs/aws/eks-node-group';
import { AwsNetwork } from '../../constructs/aws/network';
import { VpcCni } from '../../constructs/aws/vpc-cni';
import { productionInput, synthCluster, testStack } from './fixture';

// The EKS environment rules run for library users of each construct and of EksClusterStack,
// not only for environment files (those are covered in aws-section.test.ts).
describe('EKS environment rules in library use', () => {
  test('GIVEN AwsNetwork with a region THEN a zone of another region and a repeated zone are refused together', () => {
    expect(
      () =>
        new AwsNetwork(testStack(), 'network', {
          name: 'kong-lib',
          clusterName: 'kong-lib',
          region: 'eu-west-1',
          availabilityZoneNames: ['eu-west-1a', 'us-east-1b', 'eu-west-1a'],
        }),
    ).toThrow(
      [
        'Invalid construct props (2 problems):',
        '  stack/network: availabilityZoneNames.1: is not a zone of region eu-west-1: use eu-west-1a, eu-west-1b, ..., got "us-east-1b"',
        '  stack/network: availabilityZoneNames.2: is listed twice (also availabilityZoneNames.0): each zone once, got "eu-west-1a"',
      ].join('\n'),
    );
  });

  test.each([
    ['the Internet in halves', ['0.0.0.0/1', '128.0.0.0/1']],
    ['256 /8s', Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`)],
    ['a /8 of public addresses', ['44.0.0.0/8']],
  ])('GIVEN a production HardenedEksCluster open to %s THEN it is refused by coverage, not by spelling', (_what, cidrs) => {
    expect(
      () =>
        new HardenedEksCluster(testStack(), 'eks', {
          name: 'kong-lib',
          subnetIds: ['a', 'b'],
          partition: 'aws',
          production: true,
          endpoint: { publicAccessCidrs: cidrs },
          secretsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/x',
          logKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/y',
        } as ConstructorParameters<typeof HardenedEksCluster>[2]),
    ).toThrow(/stack\/eks: endpoint\.publicAccessCidrs: must list admin networks only in production: these together cover/);
  });

  test('GIVEN a node group name over EKS limit THEN EksManagedNodeGroup refuses it', () => {
    const name = `kong-${'x'.repeat(60)}`;
    expect(() => new EksManagedNodeGroup(testStack(), 'nodes', { clusterName: 'c', name, subnetIds: ['a', 'b'], partition: 'aws' })).toThrow(
      `stack/nodes: name: makes the EKS node group name "${name}" (65 characters), over EKS's 63`,
    );
  });

  test('GIVEN a production VpcCni without network policy THEN it is refused; outside production it is allowed', () => {
    expect(() => new VpcCni(testStack(), 'cni', { clusterName: 'c', enableNetworkPolicy: false })).toThrow(
      'stack/cni: enableNetworkPolicy: must be true in production: without it the NetworkPolicies of the platform are not enforced, got false',
    );
    expect(() => new VpcCni(testStack(), 'cni', { clusterName: 'c', enableNetworkPolicy: false, production: false })).not.toThrow();
  });

  test('GIVEN EksClusterStack props with several problems THEN the stack lists them all before building anything', () => {
    const aws = productionInput({
      availabilityZoneNames: ['eu-west-1a', 'eu-west-1b', 'eu-west-1b'],
      natGateways: 'single',
      nodeGroups: [{ name: 'system' }, { name: 'system' }],
    });
    let message = '';
    try {
      synthCluster({ production: true, aws });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid construct props (3 problems):',
      '  test-cluster: aws.availabilityZoneNames.2: is listed twice (also aws.availabilityZoneNames.1): each zone once, got "eu-west-1b"',
      '  test-cluster: aws.natGateways: must be "perZone" in production (a single NAT gateway is a zone-wide single point of failure), got "single"',
      '  test-cluster: aws.nodeGroups.1.name: is used twice (also aws.nodeGroups.0.name): node group names are unique, got "system"',
    ]);
  });
});

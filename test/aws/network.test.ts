import { cidrSubnet } from '../../constructs/aws/cidr';
import { AwsNetwork } from '../../constructs/aws/network';
import { awsInput, only, productionInput, resources, synthCluster, testStack } from './fixture';

describe('VPC network', () => {
  const { json } = synthCluster();
  const subnets = resources(json, 'aws_subnet');
  const privateSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
  const publicSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');

  test('one private and one public subnet per zone, with non-overlapping literal CIDRs', () => {
    expect(privateSubnets.map((s) => s.cidr_block)).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(publicSubnets.map((s) => s.cidr_block)).toEqual(['10.0.240.0/24', '10.0.241.0/24']);
  });

  test('subnets carry the load balancer discovery and cluster tags', () => {
    for (const s of subnets) expect(s.tags['kubernetes.io/cluster/kong-test']).toBe('shared');
    expect(privateSubnets.every((s) => s.tags['kubernetes.io/role/elb'] === undefined)).toBe(true);
  });

  test('no subnet hands out public IPs automatically', () => {
    for (const s of subnets) expect(s.map_public_ip_on_launch).toBe(false);
  });

  test('zones come from the region in order when not named', () => {
    expect(privateSubnets.map((s) => s.availability_zone)).toEqual([
      expect.stringMatching(/^\$\{element\(data\.aws_availability_zones\.[^.]+\.names, 0\)\}$/),
      expect.stringMatching(/^\$\{element\(data\.aws_availability_zones\.[^.]+\.names, 1\)\}$/),
    ]);
  });

  test('development egresses through a single NAT gateway', () => {
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(1);
  });

  test('production has three zones with a NAT gateway each, every private route table using its own zone', () => {
    const prod = synthCluster({ production: true }).json;
    expect(resources(prod, 'aws_nat_gateway')).toHaveLength(3);
    const natRoutes = resources(prod, 'aws_route')
      .filter((r) => r.nat_gateway_id)
      .map((r) => r.nat_gateway_id);
    expect(new Set(natRoutes).size).toBe(3);
  });

  test('the default security group is taken over with no rules', () => {
    const sg = only(json, 'aws_default_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test('VPC flow logs (all traffic) go to a KMS-encrypted log group', () => {
    expect(only(json, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const group = resources(json, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/vpc/kong-test/flow-logs');
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  test('explicit zone names are used as given', () => {
    const named = synthCluster({ aws: awsInput({ availabilityZoneNames: ['eu-west-1a', 'eu-west-1c'] }) }).json;
    expect(resources(named, 'aws_subnet').map((s) => s.availability_zone)).toEqual(['eu-west-1a', 'eu-west-1c', 'eu-west-1a', 'eu-west-1c']);
    expect(named.data?.aws_availability_zones).toBeUndefined();
  });
});

describe('VPC network: bad input', () => {
  const build = (props: Partial<ConstructorParameters<typeof AwsNetwork>[2]>) => new AwsNetwork(testStack(), 'network', { name: 'kong-test', clusterName: 'kong-test', ...props });

  test('production with two zones fails', () => {
    expect(() => build({ production: true, availabilityZoneCount: 2 })).toThrow(
      'stack/network: availabilityZoneCount: must give at least 3 availability zones in production (got 2), got 2',
    );
  });

  test('production with two zones fails through the stack too', () => {
    expect(() => synthCluster({ production: true, aws: productionInput({ availabilityZoneCount: 2 }) })).toThrow(
      'test-cluster: aws.availabilityZoneCount: must give at least 3 availability zones in production (got 2)',
    );
  });

  test('production with a single NAT gateway fails', () => {
    expect(() => build({ production: true, natGateways: 'single' })).toThrow(
      'natGateways: must be "perZone" in production (a single NAT gateway is a zone-wide single point of failure), got "single"',
    );
  });

  test('a VPC CIDR smaller than /19 fails', () => {
    expect(() => build({ vpcCidr: '10.0.0.0/24' })).toThrow(/invalid vpcCidr "10\.0\.0\.0\/24": use a prefix length between \/16 and \/19/);
  });

  test('a malformed VPC CIDR fails', () => {
    expect(() => build({ vpcCidr: '10.0.0/16' })).toThrow(/invalid vpcCidr "10\.0\.0\/16": use an IPv4 CIDR/);
  });

  test('seven zones fail', () => {
    expect(() => build({ production: false, availabilityZoneCount: 7 })).toThrow('availabilityZoneCount: must give 2 to 6 availability zones, got 7');
  });
});

describe('cidrSubnet', () => {
  test('matches Terraform cidrsubnet', () => {
    expect(cidrSubnet('10.0.0.0/16', 4, 2)).toBe('10.0.32.0/20');
    expect(cidrSubnet('172.16.0.0/19', 8, 241)).toBe('172.16.30.32/27');
  });

  test('refuses a subnet outside the network', () => {
    expect(() => cidrSubnet('10.0.0.0/16', 4, 16)).toThrow(/outside the network/);
  });
});

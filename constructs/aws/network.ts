import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct, Fn } from '../core/cdktf';
import { cidrSubnet, parseIpv4Cidr } from './cidr';
import { checkNamePrefix, invalidProp } from './validation';
import { availabilityZoneProblems, natGatewayProblems } from './eks-environment-rules';
import { PropsProblems } from '../core/validation';

function cidrPrefixOrUndefined(cidr: string): number | undefined {
  try {
    return parseIpv4Cidr(cidr).prefix;
  } catch {
    return undefined;
  }
}

/** How many NAT gateways the private subnets egress through. */
export type NatGatewayMode = 'single' | 'perZone';

/** Options of {@link AwsNetwork} that have defaults. */
export interface AwsNetworkOptions {
  /**
   * VPC CIDR, /16 to /19. Each zone gets a private subnet of 1/16 of it (nodes, pods) and a
   * public subnet of 1/256 of it (only the load balancer and the NAT gateways live there).
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * Zone names to use. When absent, the first `availabilityZoneCount` available zones of the region.
   * @default the region's first zones
   */
  readonly availabilityZoneNames?: string[];
  /**
   * Number of zones when `availabilityZoneNames` is absent.
   * @default 3
   */
  readonly availabilityZoneCount?: number;
  /**
   * `perZone` keeps egress working when a zone fails; `single` saves the hourly cost of the others.
   * @default 'perZone'
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Production: at least 3 zones are required.
   * @default true
   */
  readonly production?: boolean;
  /**
   * Region of the VPC: when given, literal availabilityZoneNames must be its own zones.
   * @default not checked
   */
  readonly region?: string;
  /**
   * VPC flow logs (all traffic) to a CloudWatch log group encrypted with this KMS key.
   * The key policy must allow the CloudWatch Logs service. When absent, no flow logs.
   * @default no flow logs
   */
  readonly flowLogKmsKeyArn?: string;
  /**
   * Retention of the flow log group in days.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
}

/** Props of {@link AwsNetwork}. */
export interface AwsNetworkProps extends AwsNetworkOptions {
  /** Name prefix of every resource (the EKS cluster name), lowercase letters, digits and "-". */
  readonly name: string;
  /** EKS cluster name: subnets get the `kubernetes.io/cluster/<name>` tag. */
  readonly clusterName: string;
}

/**
 * A VPC for one EKS cluster: private subnets (nodes and pods) and public subnets (load balancer
 * and NAT only) in each zone, tagged for load balancer subnet discovery, an Internet gateway,
 * NAT gateways, a default security group stripped of all rules, and optional VPC flow logs.
 */
export class AwsNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: Vpc;
  /** The VPC CIDR (a literal value). */
  public readonly vpcCidr: string;
  /** Private subnets, one per zone, in zone order. */
  public readonly privateSubnets: Subnet[];
  /** Public subnets, one per zone, in zone order. */
  public readonly publicSubnets: Subnet[];
  /** CIDRs of the public subnets (literals, zone order): where the ALB's nodes and health checks come from. */
  public readonly publicSubnetCidrs: string[];
  /** Zone names (literal or Terraform references) in order. */
  public readonly availabilityZones: string[];
  /** NAT gateways (one, or one per zone). */
  public readonly natGateways: NatGateway[];

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    checkNamePrefix(this, 'name', props.name, 48);
    const production = props.production ?? true;
    this.vpcCidr = props.vpcCidr ?? '10.0.0.0/16';
    const prefix = cidrPrefixOrUndefined(this.vpcCidr);
    if (prefix === undefined) invalidProp(this, 'vpcCidr', this.vpcCidr, 'use an IPv4 CIDR such as 10.0.0.0/16');
    if (prefix < 16 || prefix > 19) invalidProp(this, 'vpcCidr', this.vpcCidr, 'use a prefix length between /16 and /19');

    const zoneCount = props.availabilityZoneNames?.length ?? props.availabilityZoneCount ?? 3;
    const problems = new PropsProblems(this.node.path);
    availabilityZoneProblems(problems, '', { names: props.availabilityZoneNames, count: props.availabilityZoneCount, region: props.region, production });
    natGatewayProblems(problems, '', props.natGateways ?? 'perZone', production);
    problems.throwIfAny();
    const natMode = props.natGateways ?? 'perZone';

    if (props.availabilityZoneNames) {
      this.availabilityZones = [...props.availabilityZoneNames];
    } else {
      const zones = new DataAwsAvailabilityZones(this, 'zones', {
        state: 'available',
        filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      });
      this.availabilityZones = Array.from({ length: zoneCount }, (_, i) => Fn.element(zones.names, i));
    }

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: this.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });

    // The default security group allows all traffic between its members; nothing should use it.
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-unused` },
    });

    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;
    this.privateSubnets = this.availabilityZones.map(
      (zone, i) =>
        new Subnet(this, `private-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(this.vpcCidr, 4, i),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-private-${i}`, [clusterTag]: 'shared', 'kubernetes.io/role/internal-elb': '1' },
        }),
    );
    this.publicSubnetCidrs = this.availabilityZones.map((_zone, i) => cidrSubnet(this.vpcCidr, 8, 240 + i));
    this.publicSubnets = this.availabilityZones.map(
      (zone, i) =>
        new Subnet(this, `public-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: this.publicSubnetCidrs[i],
          // Only the ALB and the NAT gateways live here; they get their addresses explicitly.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${i}`, [clusterTag]: 'shared', 'kubernetes.io/role/elb': '1' },
        }),
    );

    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, 'public-default-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id });
    this.publicSubnets.forEach((subnet, i) => new RouteTableAssociation(this, `public-routes-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }));

    const natCount = natMode === 'perZone' ? zoneCount : 1;
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const address = new Eip(this, `nat-address-${i}`, { domain: 'vpc', tags: { Name: `${props.name}-nat-${i}` }, dependsOn: [internetGateway] });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: address.allocationId,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${props.name}-nat-${i}` },
        dependsOn: [internetGateway],
      });
    });
    this.privateSubnets.forEach((subnet, i) => {
      const routes = new RouteTable(this, `private-routes-${i}`, { vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${i}` } });
      new Route(this, `private-default-route-${i}`, {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: this.natGateways[natMode === 'perZone' ? i : 0].id,
      });
      new RouteTableAssociation(this, `private-routes-association-${i}`, { subnetId: subnet.id, routeTableId: routes.id });
    });

    if (props.flowLogKmsKeyArn) this.addFlowLogs(props.name, props.flowLogKmsKeyArn, props.flowLogRetentionDays ?? 365);
  }

  private addFlowLogs(name: string, kmsKeyArn: string, retentionDays: number): void {
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/aws/vpc/${name}/flow-logs`,
      retentionInDays: retentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const role = new IamRole(this, 'flow-log-role', {
      name: `${name}-vpc-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: role.id,
      name: 'deliver-to-log-group',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}

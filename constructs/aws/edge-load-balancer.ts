import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Construct } from '../core/cdktf';
import { SecureBucket } from './secure-bucket';
import { checkNamePrefix, invalidProp } from './validation';

/** ALB TLS policies that negotiate TLS 1.2 or 1.3 only (no TLS 1.0/1.1, no CBC-only legacy suites). */
export const TLS12_PLUS_SSL_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
] as const;

/** Kong chart container ports the ALB targets: the proxy's TLS listener and the status (readiness) listener. */
export const KONG_PROXY_TLS_CONTAINER_PORT = 8443;
export const KONG_STATUS_CONTAINER_PORT = 8100;
/**
 * Seconds the ALB keeps a deregistered (terminating) Kong pod's in-flight requests: shorter than
 * Kong's shortest termination grace period (20 s in the dev profile, 45 s in ha), so the pod is
 * still there, serving, until the target is fully drained. The render test compares it with the
 * rendered gateway Deployment.
 */
export const TARGET_DEREGISTRATION_DELAY_SECONDS = 15;

/** Options of {@link EdgeLoadBalancer} that have defaults. */
export interface EdgeLoadBalancerOptions {
  /**
   * Client CIDRs allowed on ports 80/443.
   * @default ['0.0.0.0/0']
   */
  readonly ingressCidrs?: string[];
  /**
   * TLS negotiation policy of the HTTPS listener; one of {@link TLS12_PLUS_SSL_POLICIES}.
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06'
   */
  readonly sslPolicy?: string;
  /**
   * Days the access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Production: deletion protection on the ALB, the access log bucket survives `destroy`.
   * @default true
   */
  readonly production?: boolean;
  /**
   * Route 53 zone for an alias record `domainName` -> ALB. Absent = manage DNS elsewhere.
   * @default no DNS record
   */
  readonly hostedZoneId?: string;
  /**
   * ALB mutual authentication. `passthrough`: the ALB asks for a client certificate and forwards
   * the chain to Kong in `X-Amzn-Mtls-Clientcert` (Kong's header-cert-auth verifies it); clients
   * without one still connect, so routes without client certificates keep working.
   * @default off
   */
  readonly clientCertificates?: 'off' | 'passthrough';
  /**
   * More host names served besides `domainName` (route hosts): each gets a DNS alias record.
   * @default none
   */
  readonly additionalHostNames?: string[];
}

/** Props of {@link EdgeLoadBalancer}. */
export interface EdgeLoadBalancerProps extends EdgeLoadBalancerOptions {
  /** Name of the ALB and its target group (at most 28 characters). */
  readonly name: string;
  /** Public host name served (used for the DNS alias record). */
  readonly domainName: string;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** VPC CIDR: the ALB may only send traffic into the VPC. */
  readonly vpcCidr: string;
  /** Public subnets, one per zone. */
  readonly publicSubnetIds: string[];
  /** ACM certificate ARN of the HTTPS listener. */
  readonly certificateArn: string;
  /** WAFv2 web ACL ARN associated with the ALB (an edge without WAF is not offered). */
  readonly webAclArn: string;
  /** Security group of the Kong pods (the EKS cluster security group): opened for the ALB only. */
  readonly targetSecurityGroupId: string;
  /** Globally unique access log bucket name. */
  readonly accessLogBucketName: string;
}

/**
 * The Internet edge owned by Terraform: an ALB in the public subnets with an HTTPS listener
 * (TLS 1.2+ policy, ACM certificate), an HTTP listener that only redirects to HTTPS, invalid
 * header fields dropped, access logs to an encrypted private bucket, the WAF web ACL attached,
 * and an IP target group the AWS Load Balancer Controller fills with Kong proxy pods
 * (`TargetGroupBinding`). Kong's own Service stays cluster-internal.
 */
export class EdgeLoadBalancer extends Construct {
  /** The ALB. */
  public readonly loadBalancer: Lb;
  /** The IP target group for Kong's proxy pods. */
  public readonly targetGroup: LbTargetGroup;
  /** Target group ARN (for the TargetGroupBinding). */
  public readonly targetGroupArn: string;
  /** The ALB security group. */
  public readonly securityGroup: SecurityGroup;
  /** Access log bucket. */
  public readonly accessLogBucket: SecureBucket;
  /** HTTPS listener. */
  public readonly httpsListener: LbListener;

  constructor(scope: Construct, id: string, props: EdgeLoadBalancerProps) {
    super(scope, id);
    checkNamePrefix(this, 'name', props.name, 28);
    const production = props.production ?? true;
    const sslPolicy = props.sslPolicy ?? TLS12_PLUS_SSL_POLICIES[0];
    if (!(TLS12_PLUS_SSL_POLICIES as readonly string[]).includes(sslPolicy)) {
      invalidProp(this, 'sslPolicy', sslPolicy, `use a TLS 1.2+ policy: ${TLS12_PLUS_SSL_POLICIES.join(', ')}`);
    }
    const ingressCidrs = props.ingressCidrs ?? ['0.0.0.0/0'];
    if (ingressCidrs.length === 0) invalidProp(this, 'ingressCidrs', ingressCidrs, 'list at least one client CIDR');
    if (props.publicSubnetIds.length < 2) invalidProp(this, 'publicSubnetIds', props.publicSubnetIds, 'an ALB needs subnets in at least 2 availability zones');

    const elbAccount = new DataAwsElbServiceAccount(this, 'elb-account', {});
    this.accessLogBucket = new SecureBucket(this, 'access-logs', {
      bucketName: props.accessLogBucketName,
      // ALB access log delivery supports SSE-S3 only (not SSE-KMS).
      expireAfterDays: props.accessLogRetentionDays ?? 365,
      preventDestroy: production,
      forceDestroy: !production,
      extraPolicyStatements: (bucketArn) => [
        {
          Sid: 'ElbDeliversAccessLogs',
          Effect: 'Allow',
          Principal: { AWS: elbAccount.arn },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/alb/AWSLogs/*`,
        },
        {
          Sid: 'ElbLogDeliveryServiceDeliversAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/alb/AWSLogs/*`,
        },
      ],
    });

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-alb`,
      description: 'Edge ALB: HTTPS/HTTP from clients, only Kong proxy and status ports into the VPC',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-alb` },
    });
    for (const port of [443, 80]) {
      new SecurityGroupRule(this, `ingress-${port}`, {
        securityGroupId: this.securityGroup.id,
        type: 'ingress',
        protocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrBlocks: ingressCidrs,
        description: port === 443 ? 'HTTPS from clients' : 'HTTP from clients (redirected to HTTPS)',
      });
    }
    for (const port of [KONG_PROXY_TLS_CONTAINER_PORT, KONG_STATUS_CONTAINER_PORT]) {
      new SecurityGroupRule(this, `egress-${port}`, {
        securityGroupId: this.securityGroup.id,
        type: 'egress',
        protocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrBlocks: [props.vpcCidr],
        description: port === KONG_PROXY_TLS_CONTAINER_PORT ? 'To Kong proxy pods (TLS)' : 'Health checks to Kong status listener',
      });
      new SecurityGroupRule(this, `target-ingress-${port}`, {
        securityGroupId: props.targetSecurityGroupId,
        type: 'ingress',
        protocol: 'tcp',
        fromPort: port,
        toPort: port,
        sourceSecurityGroupId: this.securityGroup.id,
        description: `Edge ALB to Kong pods port ${port}`,
      });
    }

    this.loadBalancer = new Lb(this, 'alb', {
      name: props.name,
      loadBalancerType: 'application',
      internal: false,
      subnets: props.publicSubnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      enableDeletionProtection: production,
      enableHttp2: true,
      idleTimeout: 60,
      accessLogs: { bucket: this.accessLogBucket.bucketName, prefix: 'alb', enabled: true },
      dependsOn: [this.accessLogBucket.policy],
    });

    this.targetGroup = new LbTargetGroup(this, 'kong-proxy', {
      name: `${props.name}-kong`,
      targetType: 'ip',
      vpcId: props.vpcId,
      port: KONG_PROXY_TLS_CONTAINER_PORT,
      // Re-encrypt to Kong: traffic inside the VPC stays TLS.
      protocol: 'HTTPS',
      protocolVersion: 'HTTP1',
      deregistrationDelay: String(TARGET_DEREGISTRATION_DELAY_SECONDS),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: String(KONG_STATUS_CONTAINER_PORT),
        path: '/status/ready',
        matcher: '200',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    this.targetGroupArn = this.targetGroup.arn;

    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      ...(props.clientCertificates === 'passthrough' ? { mutualAuthentication: { mode: 'passthrough' } } : {}),
    });
    new LbListener(this, 'http-redirect', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });

    new Wafv2WebAclAssociation(this, 'waf', { resourceArn: this.loadBalancer.arn, webAclArn: props.webAclArn });

    if (props.hostedZoneId) {
      new Route53Record(this, 'dns', {
        zoneId: props.hostedZoneId,
        name: props.domainName,
        type: 'A',
        alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
      });
      for (const host of [...new Set(props.additionalHostNames ?? [])].filter((h) => h !== props.domainName).sort()) {
        new Route53Record(this, `dns-${host.replace(/^\*/, 'wildcard')}`, {
          zoneId: props.hostedZoneId,
          name: host,
          type: 'A',
          alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
        });
      }
    }
  }
}

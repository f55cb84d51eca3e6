import { z } from 'zod';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINOR } from '../../constructs/core';
import type { RuleViolation } from '../rules';
import { kubernetesLabels } from '../schema';
import { ruleViolationsFromProps } from '../props-issues';
import { eksEnvironmentProblems } from '../../constructs/aws/rules';

/**
 * The `aws:` section of an environment file (required when `cloud: aws`).
 * Consumed by `EksClusterStack` (stacks/eks) and the AWS platform add-on (constructs/aws).
 * Defaults are production-safe; the cost-relevant ones are listed in docs/aws.md.
 */

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ECR_REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;

/** The CIDR that means "the whole Internet"; never allowed for the production API endpoint. */
export const ANY_IPV4 = '0.0.0.0/0';

/** Values CloudWatch Logs accepts for a log group's retention. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const ipv4Cidr = z.string().regex(IPV4_CIDR, 'must be an IPv4 CIDR such as 203.0.113.0/24');

export const eksEndpointSchema = z
  .object({
    privateAccess: z.boolean().default(true).describe('Serve the Kubernetes API inside the VPC (nodes, bastions, VPN). @default true'),
    publicAccessCidrs: z
      .array(ipv4Cidr)
      .default([])
      .describe('CIDRs allowed to reach the public Kubernetes API endpoint. Empty list = no public endpoint (private only). ' + '0.0.0.0/0 is rejected in production. @default []'),
  })
  .strict()
  .describe('Where the EKS Kubernetes API can be reached from.');

export const nodeGroupSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, 'must be lowercase letters, digits and "-", at most 32 characters')
      .describe('Node group name (suffix of the EKS node group name).'),
    instanceTypes: z
      .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'must be an EC2 instance type such as m6i.large'))
      .min(1)
      .default(['m6i.large'])
      .describe('EC2 instance types, first is preferred. Cost-relevant. @default ["m6i.large"]'),
    capacityType: z.enum(['ON_DEMAND', 'SPOT']).default('ON_DEMAND').describe('ON_DEMAND or SPOT capacity. SPOT is cheaper but may be reclaimed. @default ON_DEMAND'),
    minSize: z.number().int().min(0).default(2).describe('Minimum node count (across all zones). @default 2'),
    maxSize: z.number().int().min(1).default(6).describe('Maximum node count. @default 6'),
    desiredSize: z.number().int().min(0).optional().describe('Initial node count; later owned by the cluster autoscaler (changes are ignored). @default minSize'),
    diskSizeGiB: z.number().int().min(20).max(16384).default(50).describe('Encrypted gp3 root volume size in GiB. @default 50'),
    labels: kubernetesLabels().default({}).describe('Kubernetes node labels. @default {}'),
  })
  .strict();

export const ecrSchema = z
  .object({
    kongRepositoryName: z
      .string()
      .regex(ECR_REPOSITORY_NAME, 'must be an ECR repository name such as kong-platform/kong')
      .optional()
      .describe('Deprecated: the repository comes from images.gateway.repository. When set it must be equal to it.'),
    controllerRepositoryName: z
      .string()
      .regex(ECR_REPOSITORY_NAME, 'must be an ECR repository name such as kong-platform/kubernetes-ingress-controller')
      .optional()
      .describe('Deprecated: the repository comes from images.controller.repository. When set it must be equal to it.'),
    keepTaggedImages: z.number().int().min(1).max(1000).default(50).describe('Lifecycle policy: number of tagged images kept per repository. @default 50'),
    untaggedImageExpiryDays: z.number().int().min(1).default(7).describe('Lifecycle policy: untagged images are expired after this many days. @default 7'),
  })
  .strict()
  .describe(
    'ECR repositories for the hardened images (scan on push, immutable tags, KMS encryption): one per image of the ' +
      "`images:` section, named by its repository path, when images.registry is this region's ECR.",
  );

export const edgeSchema = z
  .object({
    domainName: z.string().regex(DOMAIN_NAME, 'must be a lowercase DNS name such as api.example.com').describe('Public host name of the API platform, served by the ALB.'),
    certificateArn: z
      .string()
      .regex(ARN, 'must be an ACM certificate ARN')
      .optional()
      .describe(
        'ACM certificate for the HTTPS listener (bring your own, e.g. issued by your CA and imported into ACM). ' +
          'When absent, an ACM certificate is requested for domainName and validated through hostedZoneId.',
      ),
    hostedZoneId: z
      .string()
      .regex(/^[A-Z0-9]{1,32}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ')
      .optional()
      .describe('Route 53 public hosted zone for domainName: used for ACM DNS validation (when certificateArn is absent) and an alias record to the ALB.'),
    ingressCidrs: z.array(ipv4Cidr).min(1).default([ANY_IPV4]).describe('Client CIDRs allowed to reach the ALB (ports 80 and 443). @default ["0.0.0.0/0"] (a public API)'),
    wafRateLimit: z.number().int().min(100).max(2_000_000_000).default(2000).describe('WAF rate-based rule: requests per client IP per 5 minutes before blocking. @default 2000'),
    allowedCountries: z
      .array(z.string().regex(COUNTRY_CODE, 'must be an ISO 3166-1 alpha-2 country code such as DE'))
      .min(1)
      .optional()
      .describe('When set, the WAF blocks requests from every other country. @default not set (no geo restriction)'),
    accessLogRetentionDays: z.number().int().min(1).default(365).describe('ALB access logs are deleted from their bucket after this many days. @default 365'),
    clientCertificates: z
      .enum(['off', 'passthrough'])
      .default('off')
      .describe(
        'ALB mutual authentication. passthrough: the ALB asks clients for a certificate and forwards it to Kong in the ' +
          'X-Amzn-Mtls-Clientcert header (header-cert-auth verifies it; a client without one still connects). ' +
          'off: client certificates never reach Kong (mtls-auth and header-cert-auth are refused). @default off',
      ),
  })
  .strict()
  .refine((edge) => edge.certificateArn !== undefined || edge.hostedZoneId !== undefined, {
    message: 'needs certificateArn (an existing ACM certificate) or hostedZoneId (to request and DNS-validate one)',
  })
  .describe('Internet edge: WAF-protected ALB in front of the Kong proxy.');

export const awsSectionSchema = z
  .object({
    region: z.string().regex(AWS_REGION, 'must be an AWS region such as eu-central-1').describe('AWS region of every resource.'),
    availabilityZoneCount: z.number().int().min(2).max(6).default(3).describe('Number of availability zones used (taken in order from the region). Production needs 3. @default 3'),
    availabilityZoneNames: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'must be an availability zone name such as eu-central-1a'))
      .min(2)
      .optional()
      .describe('Explicit availability zone names; overrides availabilityZoneCount. @default first availabilityZoneCount zones of the region'),
    vpcCidr: z
      .string()
      .regex(IPV4_CIDR, 'must be an IPv4 CIDR such as 10.0.0.0/16')
      .refine((cidr) => {
        const prefix = Number(cidr.split('/')[1]);
        return prefix >= 16 && prefix <= 19;
      }, 'must have a prefix length between /16 and /19 (room for a private and a public subnet per zone)')
      .default('10.0.0.0/16')
      .describe('VPC CIDR; also Kong trusted_ips (the ALB forwards from inside it). @default 10.0.0.0/16'),
    natGateways: z
      .enum(['single', 'perZone'])
      .optional()
      .describe('NAT gateways: one per zone (zone-independent egress) or a single one (cheaper). Cost-relevant. @default perZone in production, single otherwise'),
    kubernetesVersion: z
      .string()
      .regex(KUBERNETES_MINOR, `must be a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}`)
      .default(DEFAULT_KUBERNETES_VERSION)
      .describe(`EKS Kubernetes version. @default ${DEFAULT_KUBERNETES_VERSION}`),
    endpoint: eksEndpointSchema.default({}),
    adminPrincipalArns: z
      .array(z.string().regex(ARN, 'must be an IAM role or user ARN'))
      .default([])
      .describe('IAM principals granted cluster-admin through EKS access entries (the CI apply role when another principal created the cluster). @default []'),
    viewerPrincipalArns: z
      .array(z.string().regex(ARN, 'must be an IAM role or user ARN'))
      .default([])
      .describe(
        'IAM principals granted read access to every object, Secrets included (AmazonEKSAdminViewPolicy), through EKS access entries: the CI plan role, so merge-request plans of the platform stack can read the cluster. @default []',
      ),
    bootstrapClusterCreatorAdmin: z
      .boolean()
      .default(true)
      .describe('Give the principal that creates the cluster cluster-admin (needed to deploy the platform stack with the same credentials). @default true'),
    nodeGroups: z
      .array(nodeGroupSchema)
      .min(1)
      .default([{ name: 'system' }])
      .describe('Managed node groups, each spread over all zones. @default one "system" group of 2-6 m6i.large'),
    ecr: ecrSchema.default({}),
    edge: edgeSchema,
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => CLOUDWATCH_RETENTION_DAYS.includes(d), `must be a CloudWatch retention value: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`)
      .default(365)
      .describe('Retention of the EKS control-plane, WAF and VPC flow log groups (a CloudWatch retention value). @default 365'),
    vpcCni: z
      .object({
        addonVersion: z
          .string()
          .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an EKS add-on version such as v1.19.2-eksbuild.1')
          .optional()
          .describe('Pinned vpc-cni add-on version (network policies need v1.14.0 or later). @default the cluster default at creation'),
        enableNetworkPolicy: z
          .boolean()
          .default(true)
          .describe(
            'Enforce Kubernetes NetworkPolicies with the VPC CNI network policy agent. Off, every NetworkPolicy of the platform is ' +
              'accepted and ignored; refused in production. @default true',
          ),
      })
      .strict()
      .default({})
      .describe('The Amazon VPC CNI, as a managed EKS add-on.'),
    loadBalancerControllerChartVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be a chart version such as 1.13.0')
      .default('1.13.0')
      .describe('Pinned aws-load-balancer-controller Helm chart version. @default 1.13.0'),
    tags: z.record(z.string()).default({}).describe('Tags applied to every AWS resource (provider default_tags). @default {}'),
  })
  .strict()
  .describe('AWS (EKS) settings. Required when cloud is "aws".');

/** A validated `aws:` section with every default applied. */
export type AwsSection = z.infer<typeof awsSectionSchema>;
/** The `aws:` section as written in the file (defaults not yet applied). */
export type AwsSectionInput = z.input<typeof awsSectionSchema>;
export type AwsNodeGroup = z.infer<typeof nodeGroupSchema>;
export type AwsEdge = z.infer<typeof edgeSchema>;

type Raw = Record<string, any>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Cross-field rules for the `aws:` section, run on the raw YAML next to the schema check: whether
 * the section belongs to the file's cloud, then EksClusterStack's own rules
 * (constructs/aws/eks-environment-rules.ts), so a file and a library user get the same ones.
 */
export function awsSectionRules(env: unknown): RuleViolation[] {
  if (!isObject(env)) return [];
  const out: RuleViolation[] = [];
  if (env.cloud === 'aws' && env.aws === undefined) {
    out.push({ path: 'aws', message: 'is required when cloud is "aws" (region, edge.domainName, ...)' });
  }
  if (env.cloud !== 'aws' && env.aws !== undefined) {
    out.push({ path: 'aws', message: `is only used when cloud is "aws" (cloud is ${JSON.stringify(env.cloud)}); remove it` });
  }
  if (env.cloud !== 'aws') return out;
  const problems = eksEnvironmentProblems({ environment: env.name, production: env.production === true, aws: env.aws }, 'aws');
  return [...out, ...ruleViolationsFromProps(problems)];
}

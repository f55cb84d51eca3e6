import { KongPlatformBaseStack } from '../base-stack';
import * as crypto from 'crypto';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct, TerraformOutput } from '../../constructs/core/cdktf';
import { ContainerRegistry } from '../../constructs/aws/container-registry';
import { VpcCni } from '../../constructs/aws/vpc-cni';
import { EdgeCertificate } from '../../constructs/aws/edge-certificate';
import { EdgeLoadBalancer } from '../../constructs/aws/edge-load-balancer';
import { EdgeWaf } from '../../constructs/aws/edge-waf';
import { EksClusterConnection } from '../../constructs/aws/eks-cluster-access';
import { HardenedEksCluster } from '../../constructs/aws/eks-cluster';
import { EksManagedNodeGroup } from '../../constructs/aws/eks-node-group';
import { EncryptionKey } from '../../constructs/aws/encryption-key';
import { LoadBalancerControllerRole } from '../../constructs/aws/load-balancer-controller-role';
import { AwsNetwork } from '../../constructs/aws/network';
import { eksEnvironmentProblems, eksNodeGroupName } from '../../constructs/aws/eks-environment-rules';
import { PropsValidationError } from '../../constructs/core/validation';
import type { AwsSection } from '../../config/sections/aws';
import { AwsEmulatorOptions, createAwsProvider } from './aws-provider';
import { configureBackend, StateBackend } from '../backend';

/** Props of {@link EksClusterStack}. */
export interface EksClusterStackProps {
  /** Environment name, e.g. `aws-dev`; resource names derive from it. */
  readonly environment: string;
  /** Production: 3 zones, per-zone NAT, no world-open API endpoint, destroy protection. */
  readonly production: boolean;
  /** The environment's `aws:` section (defaults applied). */
  readonly aws: AwsSection;
  /**
   * Where the state lives (the environment's `backend`; S3 with `use_lockfile` for shared use).
   * In emulator mode only an S3 backend is kept (pointed at the emulator); others become local.
   * @default Terraform's default local backend
   */
  readonly backend?: StateBackend;
  /**
   * Test mode only: AWS provider pointed at a local emulator with fake credentials.
   * @default real AWS
   */
  readonly emulator?: AwsEmulatorOptions;
  /**
   * ECR repositories to create, by stable id (`gateway`, `mesh-control-plane`, ...) to repository
   * path. Environment files derive them from `images:` (see `environmentImages`), so every image
   * the platform pulls from this region's ECR has its repository. Empty: no ECR.
   * @default gateway and controller, named by `aws.ecr` (kong-platform/kong, kong-platform/kubernetes-ingress-controller)
   */
  readonly ecrRepositories?: Record<string, string>;
  /**
   * Host names Kong serves besides `aws.edge.domainName` (the route hosts of the `apis:` section):
   * the edge certificate covers them and each gets a DNS alias to the ALB.
   * @default none
   */
  readonly edgeHostNames?: string[];
}

/** Short, stable name for resources with tight name limits (ALB and target group: 32). */
function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, '')}-${hash}`;
}

/**
 * `<env>-cluster`: everything AWS-side of an environment, AWS provider only. VPC over 2-3+
 * zones, hardened EKS with managed node groups, ECR for the hardened images, and the Internet
 * edge (WAF + ALB + target group) that Kong's proxy pods are bound into by the platform stack.
 * The public attributes are what the platform stack references (cdktf wires them as outputs).
 */
export class EksClusterStack extends KongPlatformBaseStack implements EksClusterConnection {
  /** EKS cluster name. */
  public readonly clusterName: string;
  /** Kubernetes API endpoint URL. */
  public readonly clusterEndpoint: string;
  /** Base64 cluster CA certificate. */
  public readonly clusterCertificateAuthority: string;
  /** IAM OIDC provider ARN (IRSA). */
  public readonly oidcProviderArn: string;
  /** VPC id. */
  public readonly vpcId: string;
  /** VPC CIDR (a literal from the environment file; Kong's trusted_ips). */
  public readonly vpcCidr: string;
  /** Public subnet CIDRs (literals): the ALB lives there, its target health checks come from there. */
  public readonly publicSubnetCidrs: string[];
  /** Target group Kong's proxy pods are registered in. */
  public readonly targetGroupArn: string;
  /** IRSA role of the AWS Load Balancer Controller. */
  public readonly loadBalancerControllerRoleArn: string;
  /** ECR repository URLs by id (see {@link EksClusterStackProps.ecrRepositories}). */
  public readonly repositoryUrls: Record<string, string>;
  /** AWS region (literal). */
  public readonly region: string;
  /** Building blocks, for extension and tests. */
  public readonly network: AwsNetwork;
  public readonly eks: HardenedEksCluster;
  public readonly nodeGroups: EksManagedNodeGroup[];
  public readonly registry?: ContainerRegistry;
  /** The VPC CNI add-on enforcing NetworkPolicies (not in emulator mode). */
  public readonly vpcCni?: VpcCni;
  public readonly waf: EdgeWaf;
  public readonly edge: EdgeLoadBalancer;

  constructor(scope: Construct, id: string, props: EksClusterStackProps) {
    super(scope, id);
    const problems = eksEnvironmentProblems(props, this.node.path);
    if (problems.length > 0) throw new PropsValidationError(problems);
    const { aws, production, environment } = props;
    const name = `kong-${environment}`;
    this.region = aws.region;
    this.vpcCidr = aws.vpcCidr;

    createAwsProvider(this, {
      region: aws.region,
      tags: { ...aws.tags, 'kong-platform/environment': environment, 'kong-platform/stack': id, ManagedBy: 'terraform' },
      emulator: props.emulator,
    });
    if (props.backend && (!props.emulator || props.backend.type === 's3')) {
      configureBackend(this, id, props.backend, { s3Emulator: props.emulator?.endpoint });
    }

    const account = new DataAwsCallerIdentity(this, 'account', {});
    const partition = new DataAwsPartition(this, 'partition', {}).partition;
    const keyContext = { accountId: account.accountId, region: aws.region, partition };
    const secretsKey = new EncryptionKey(this, 'secrets-key', { ...keyContext, alias: `${name}/eks-secrets`, description: `EKS Secrets envelope encryption, ${name}` });
    const logsKey = new EncryptionKey(this, 'logs-key', { ...keyContext, alias: `${name}/logs`, description: `CloudWatch log groups, ${name}`, allowCloudWatchLogs: true });
    const imagesKey = new EncryptionKey(this, 'images-key', { ...keyContext, alias: `${name}/ecr`, description: `ECR image layers, ${name}` });

    this.network = new AwsNetwork(this, 'network', {
      name,
      clusterName: name,
      vpcCidr: aws.vpcCidr,
      availabilityZoneNames: aws.availabilityZoneNames,
      availabilityZoneCount: aws.availabilityZoneCount,
      region: aws.region,
      natGateways: aws.natGateways ?? (production ? 'perZone' : 'single'),
      production,
      flowLogKmsKeyArn: logsKey.keyArn,
      flowLogRetentionDays: aws.logRetentionDays,
    });
    this.publicSubnetCidrs = this.network.publicSubnetCidrs;
    const privateSubnetIds = this.network.privateSubnets.map((s) => s.id);

    this.eks = new HardenedEksCluster(this, 'eks', {
      name,
      kubernetesVersion: aws.kubernetesVersion,
      subnetIds: privateSubnetIds,
      endpoint: aws.endpoint,
      adminPrincipalArns: aws.adminPrincipalArns,
      viewerPrincipalArns: aws.viewerPrincipalArns,
      bootstrapClusterCreatorAdmin: aws.bootstrapClusterCreatorAdmin,
      production,
      logRetentionDays: aws.logRetentionDays,
      secretsKeyArn: secretsKey.keyArn,
      logKmsKeyArn: logsKey.keyArn,
      partition,
    });
    // moto has no EKS add-on API: in test mode the CNI stays as EKS installs it.
    this.vpcCni = props.emulator
      ? undefined
      : new VpcCni(this, 'vpc-cni', {
          clusterName: this.eks.cluster.name,
          addonVersion: aws.vpcCni.addonVersion,
          enableNetworkPolicy: aws.vpcCni.enableNetworkPolicy,
          production,
        });
    this.nodeGroups = aws.nodeGroups.map(
      (group) =>
        new EksManagedNodeGroup(this, `nodes-${group.name}`, {
          clusterName: this.eks.cluster.name,
          name: eksNodeGroupName(environment, group.name),
          subnetIds: privateSubnetIds,
          partition,
          instanceTypes: group.instanceTypes,
          capacityType: group.capacityType,
          minSize: group.minSize,
          maxSize: group.maxSize,
          desiredSize: group.desiredSize,
          diskSizeGiB: group.diskSizeGiB,
          labels: group.labels,
        }),
    );

    if (props.emulator) this.tolerateEmulatorGaps();

    const ecrRepositories = props.ecrRepositories ?? {
      gateway: aws.ecr.kongRepositoryName ?? 'kong-platform/kong',
      controller: aws.ecr.controllerRepositoryName ?? 'kong-platform/kubernetes-ingress-controller',
    };
    this.registry =
      Object.keys(ecrRepositories).length > 0
        ? new ContainerRegistry(this, 'registry', {
            repositories: ecrRepositories,
            kmsKeyArn: imagesKey.keyArn,
            keepTaggedImages: aws.ecr.keepTaggedImages,
            untaggedImageExpiryDays: aws.ecr.untaggedImageExpiryDays,
            production,
          })
        : undefined;

    this.waf = new EdgeWaf(this, 'waf', {
      name: `${name}-edge`,
      rateLimit: aws.edge.wafRateLimit,
      allowedCountries: aws.edge.allowedCountries,
      logRetentionDays: aws.logRetentionDays,
      logKmsKeyArn: logsKey.keyArn,
      ...keyContext,
    });
    const certificate = new EdgeCertificate(this, 'certificate', {
      domainName: aws.edge.domainName,
      certificateArn: aws.edge.certificateArn,
      hostedZoneId: aws.edge.hostedZoneId,
      subjectAlternativeNames: props.edgeHostNames,
    });
    // Emulator quirk: moto's DescribeCluster leaves out vpcConfig.clusterSecurityGroupId (real EKS
    // always returns the group it creates for the control plane and managed nodes), so in test
    // mode the ALB-to-pod rules go to a stand-in group in the same VPC. Real synth never has it.
    const podSecurityGroupId = props.emulator
      ? new SecurityGroup(this, 'emulator-cluster-security-group', {
          name: `${name}-emulator-cluster`,
          description: 'Test mode stand-in for the EKS cluster security group',
          vpcId: this.network.vpc.id,
        }).id
      : this.eks.clusterSecurityGroupId;
    const edgeName = boundedName(`${name}-edge`, 27);
    this.edge = new EdgeLoadBalancer(this, 'edge', {
      name: edgeName,
      domainName: aws.edge.domainName,
      additionalHostNames: props.edgeHostNames,
      clientCertificates: aws.edge.clientCertificates,
      hostedZoneId: aws.edge.hostedZoneId,
      vpcId: this.network.vpc.id,
      vpcCidr: aws.vpcCidr,
      publicSubnetIds: this.network.publicSubnets.map((s) => s.id),
      certificateArn: certificate.certificateArn,
      webAclArn: this.waf.webAclArn,
      targetSecurityGroupId: podSecurityGroupId,
      ingressCidrs: aws.edge.ingressCidrs,
      accessLogRetentionDays: aws.edge.accessLogRetentionDays,
      accessLogBucketName: `${edgeName}-alb-logs-${account.accountId}`,
      production,
    });
    // Emulator gap: moto's ELBv2 model has no mutual authentication, so it is never read back.
    if (props.emulator) this.edge.httpsListener.addOverride('lifecycle.ignore_changes', ['mutual_authentication']);

    const controllerRole = new LoadBalancerControllerRole(this, 'load-balancer-controller', {
      name: `${name}-aws-load-balancer-controller`.slice(0, 64),
      oidcProviderArn: this.eks.oidcProvider.arn,
      oidcIssuerHostPath: this.eks.oidcIssuerHostPath,
      targetGroupArns: [this.edge.targetGroupArn],
    });

    this.clusterName = this.eks.cluster.name;
    this.clusterEndpoint = this.eks.cluster.endpoint;
    this.clusterCertificateAuthority = this.eks.cluster.certificateAuthority.get(0).data;
    this.oidcProviderArn = this.eks.oidcProvider.arn;
    this.vpcId = this.network.vpc.id;
    this.targetGroupArn = this.edge.targetGroupArn;
    this.loadBalancerControllerRoleArn = controllerRole.roleArn;
    this.repositoryUrls = this.registry?.repositoryUrls ?? {};

    const outputs: Array<[string, string | string[], string]> = [
      ['cluster_name', this.clusterName, 'EKS cluster name (aws eks update-kubeconfig --name ...)'],
      ['cluster_endpoint', this.clusterEndpoint, 'Kubernetes API endpoint'],
      ['cluster_certificate_authority', this.clusterCertificateAuthority, 'Base64 cluster CA certificate (public data)'],
      ['oidc_provider_arn', this.oidcProviderArn, 'IAM OIDC provider for IRSA roles'],
      ['vpc_id', this.vpcId, 'VPC id'],
      ['private_subnet_ids', privateSubnetIds, 'Private subnets (nodes, pods)'],
      ['target_group_arn', this.targetGroupArn, 'ALB target group that receives Kong proxy pods'],
      ['alb_dns_name', this.edge.loadBalancer.dnsName, 'DNS name of the edge ALB (CNAME/alias target of the API host name)'],
      ['waf_web_acl_arn', this.waf.webAclArn, 'WAF web ACL associated with the ALB'],
      ['load_balancer_controller_role_arn', this.loadBalancerControllerRoleArn, 'IRSA role of the AWS Load Balancer Controller'],
    ];
    for (const [outputId, value, description] of outputs) {
      new TerraformOutput(this, outputId, { value, description });
    }
    if (this.registry) {
      new TerraformOutput(this, 'ecr_repository_urls', {
        value: this.repositoryUrls,
        description: 'ECR repository URL per image id: push each hardened image here, then record its digest in the environment file',
      });
    }
  }

  /**
   * Test mode only. moto's EKS model does not round-trip every field, so the second plan would
   * replace the cluster and the node groups although nothing changed:
   * - DescribeCluster returns no `accessConfig` (the API authentication mode is not stored);
   * - DescribeNodegroup invents `remoteAccess` (an SSH key named "eksKeypair") when the group has
   *   none, and returns no `updateConfig`;
   * - DescribeLaunchTemplateVersions echoes the template's own tags (sent as a `launch-template`
   *   tag specification) back inside the template data as a third tag specification.
   * Ignoring exactly these fields here keeps the no-change re-plan meaningful for everything else.
   */
  private tolerateEmulatorGaps(): void {
    this.eks.cluster.addOverride('lifecycle.ignore_changes', ['access_config']);
    for (const group of this.nodeGroups) {
      group.nodeGroup.addOverride('lifecycle.ignore_changes', ['scaling_config[0].desired_size', 'remote_access', 'update_config']);
      group.launchTemplate.addOverride('lifecycle.ignore_changes', ['tag_specifications']);
    }
  }
}

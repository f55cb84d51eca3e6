import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Annotations, Construct, Fn } from '../core/cdktf';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MINOR } from '../core/kubernetes-version';
import { checkNamePrefix, invalidProp } from './validation';
import { eksEndpointProblems } from './eks-environment-rules';
import { PropsProblems } from '../core/validation';
import { coversEverything } from '../policy/address-ranges';

/** Every EKS control-plane log type; all are shipped (audit and authenticator matter most to auditors). */
export const EKS_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Where the Kubernetes API endpoint is reachable from. */
export interface EksEndpointAccess {
  /**
   * Serve the API inside the VPC.
   * @default true
   */
  readonly privateAccess?: boolean;
  /**
   * CIDRs allowed on the public endpoint; empty = no public endpoint. 0.0.0.0/0 is refused in production.
   * @default []
   */
  readonly publicAccessCidrs?: string[];
}

/** Options of {@link HardenedEksCluster} that have defaults. */
export interface HardenedEksClusterOptions {
  /**
   * Kubernetes minor version.
   * @default DEFAULT_KUBERNETES_VERSION (constructs/core/kubernetes-version.ts)
   */
  readonly kubernetesVersion?: string;
  /**
   * API endpoint exposure.
   * @default private only
   */
  readonly endpoint?: EksEndpointAccess;
  /**
   * IAM principals given cluster-admin through access entries.
   * @default []
   */
  readonly adminPrincipalArns?: string[];
  /**
   * IAM principals given read access to every object, Secrets included (AmazonEKSAdminViewPolicy):
   * the CI plan role, which plans the platform stack (the helm provider reads release Secrets).
   * @default []
   */
  readonly viewerPrincipalArns?: string[];
  /**
   * Give the principal that creates the cluster cluster-admin.
   * @default true
   */
  readonly bootstrapClusterCreatorAdmin?: boolean;
  /**
   * Production: refuses a world-open API endpoint and protects the cluster from `destroy`.
   * @default true
   */
  readonly production?: boolean;
  /**
   * Retention of the control-plane log group in days.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link HardenedEksCluster}. */
export interface HardenedEksClusterProps extends HardenedEksClusterOptions {
  /** Cluster name (lowercase letters, digits and "-", at most 100 characters). */
  readonly name: string;
  /** Subnets of the control-plane network interfaces: the private subnets, one per zone. */
  readonly subnetIds: string[];
  /** KMS key ARN that envelope-encrypts Kubernetes Secrets (rotation is the key's job). */
  readonly secretsKeyArn: string;
  /** KMS key ARN of the control-plane log group (its policy must allow CloudWatch Logs). */
  readonly logKmsKeyArn: string;
  /** AWS partition (`aws`, `aws-cn`, ...), for managed policy ARNs. */
  readonly partition: string;
}

/**
 * An EKS control plane with Secrets encrypted by a customer KMS key, every control-plane log
 * type shipped to an encrypted log group, a private (or CIDR-restricted) API endpoint,
 * authentication through EKS access entries only (mode API, no aws-auth ConfigMap), and an
 * IAM OIDC provider for IAM roles for service accounts (IRSA).
 */
export class HardenedEksCluster extends Construct {
  /** The EKS cluster. */
  public readonly cluster: EksCluster;
  /** The IAM OIDC provider of the cluster's service account issuer (IRSA). */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Issuer URL without `https://`, the prefix of IRSA trust-policy condition keys. */
  public readonly oidcIssuerHostPath: string;
  /** Security group EKS creates for the control plane and managed nodes. */
  public readonly clusterSecurityGroupId: string;
  /** Control-plane log group. */
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: HardenedEksClusterProps) {
    super(scope, id);
    checkNamePrefix(this, 'name', props.name, 100);
    const production = props.production ?? true;
    const version = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    if (!KUBERNETES_MINOR.test(version)) invalidProp(this, 'kubernetesVersion', version, `use a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}`);
    const privateAccess = props.endpoint?.privateAccess ?? true;
    const publicCidrs = props.endpoint?.publicAccessCidrs ?? [];
    const problems = new PropsProblems(this.node.path);
    eksEndpointProblems(problems, '', props.endpoint ?? {}, production);
    problems.throwIfAny();
    if (coversEverything(publicCidrs)) {
      Annotations.of(this).addWarning(`endpoint.publicAccessCidrs ${JSON.stringify(publicCidrs)} admits the whole Internet: the Kubernetes API is reachable from anywhere`);
    }
    if (props.subnetIds.length < 2) invalidProp(this, 'subnetIds', props.subnetIds, 'EKS needs subnets in at least 2 availability zones');
    const admins = props.adminPrincipalArns ?? [];
    const badAdmin = admins.find((arn) => !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(arn));
    if (badAdmin !== undefined) invalidProp(this, 'adminPrincipalArns', badAdmin, 'use IAM role or user ARNs such as arn:aws:iam::123456789012:role/platform-admin');
    const viewers = props.viewerPrincipalArns ?? [];
    const badViewer = viewers.find((arn) => !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(arn) || admins.includes(arn));
    if (badViewer !== undefined) {
      invalidProp(this, 'viewerPrincipalArns', badViewer, 'use IAM role or user ARNs such as arn:aws:iam::123456789012:role/ci-plan, not also listed in adminPrincipalArns');
    }

    const role = new IamRole(this, 'cluster-role', {
      name: `${props.name}-cluster`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });

    // Created before the cluster so EKS does not create it unencrypted with infinite retention.
    this.logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.logKmsKeyArn,
    });

    this.cluster = new EksCluster(this, 'cluster', {
      name: props.name,
      version,
      roleArn: role.arn,
      enabledClusterLogTypes: [...EKS_CONTROL_PLANE_LOG_TYPES],
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: privateAccess,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.secretsKeyArn } },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: props.bootstrapClusterCreatorAdmin ?? true,
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv4' },
      lifecycle: { preventDestroy: production },
      dependsOn: [clusterPolicy, this.logGroup],
    });
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcIssuerHostPath = Fn.replace(issuer, 'https://', '');
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuer,
      clientIdList: ['sts.amazonaws.com'],
    });

    admins.forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      });
    });
    viewers.forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `viewer-${i}`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `viewer-${i}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`,
        accessScope: { type: 'cluster' },
      });
    });
  }
}

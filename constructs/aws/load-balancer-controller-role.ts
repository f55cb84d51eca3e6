import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from '../core/cdktf';
import { checkNamePrefix } from './validation';

/** Namespace and service account the AWS Load Balancer Controller runs as (the IRSA trust is bound to them). */
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** Read-only calls the controller makes to resolve targets, subnets and security groups. */
export const LOAD_BALANCER_CONTROLLER_DESCRIBE_ACTIONS = [
  'ec2:DescribeAccountAttributes',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'ec2:DescribeTags',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
] as const;

/** Props of {@link LoadBalancerControllerRole}. */
export interface LoadBalancerControllerRoleProps {
  /** Role name. */
  readonly name: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** OIDC issuer URL without `https://`. */
  readonly oidcIssuerHostPath: string;
  /** The only target groups the controller may register targets in. */
  readonly targetGroupArns: string[];
}

/**
 * IAM role for the AWS Load Balancer Controller through IRSA, scoped to what a
 * `TargetGroupBinding`-only controller needs: describe calls, and (de)registering targets in
 * the Terraform-owned target groups. It cannot create, change or delete load balancers,
 * listeners, security groups or WAF associations: the edge stays owned by Terraform.
 */
export class LoadBalancerControllerRole extends Construct {
  /** The role. */
  public readonly role: IamRole;
  /** Role ARN (the service account annotation `eks.amazonaws.com/role-arn`). */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerRoleProps) {
    super(scope, id);
    checkNamePrefix(this, 'name', props.name, 64);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            {
              test: 'StringEquals',
              variable: `${props.oidcIssuerHostPath}:sub`,
              values: [`system:serviceaccount:${LOAD_BALANCER_CONTROLLER_NAMESPACE}:${LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT}`],
            },
            { test: 'StringEquals', variable: `${props.oidcIssuerHostPath}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: [
        { sid: 'Describe', effect: 'Allow', actions: [...LOAD_BALANCER_CONTROLLER_DESCRIBE_ACTIONS], resources: ['*'] },
        {
          sid: 'RegisterKongPodsInTerraformOwnedTargetGroups',
          effect: 'Allow',
          actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
          resources: props.targetGroupArns,
        },
      ],
    });
    this.role = new IamRole(this, 'role', { name: props.name, assumeRolePolicy: trust.json });
    new IamRolePolicy(this, 'policy', { name: 'target-group-binding', role: this.role.id, policy: permissions.json });
    this.roleArn = this.role.arn;
  }
}

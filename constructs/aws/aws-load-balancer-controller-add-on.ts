import { recordEscapeHatch } from '../policy/escape-hatches';
import { Construct, Token } from '../core/cdktf';
import { HelmValues, KongReleases, PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { ContainerImage } from '../kong/container-image';
import { mergeValues } from '../core/values-merge';
import { HardenedHelmRelease } from '../kubernetes/hardened-helm-release';
import { parseIpv4Cidr } from './cidr';
import { KONG_STATUS_CONTAINER_PORT } from './edge-load-balancer';
import { LOAD_BALANCER_CONTROLLER_NAMESPACE, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from './load-balancer-controller-role';
import { TargetGroupBindingRelease } from './target-group-binding';

/** Chart of the AWS Load Balancer Controller. */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  repository: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  /** Pinned; bump deliberately (CRDs are not upgraded by Helm). */
  version: '1.13.0',
} as const;

/** Options of {@link AwsLoadBalancerControllerAddOn} that have defaults. */
export interface AwsLoadBalancerControllerAddOnOptions {
  /**
   * Pinned chart version.
   * @default LOAD_BALANCER_CONTROLLER_CHART.version
   */
  readonly chartVersion?: string;
  /**
   * Controller replicas (leader election; 2 keeps target registration going through a node loss).
   * @default 2
   */
  readonly replicaCount?: number;
  /**
   * Controller image, mirrored into the private registry and pinned by digest.
   * @default the chart's public image (public.ecr.aws); the policy refuses it in production
   */
  readonly image?: ContainerImage;
  /**
   * Helm values merged last onto the controller release, like the gateway's and controller's
   * `extraValues`, under the same policy guardrails (they check every Helm release's effective values).
   * @default none
   */
  readonly extraValues?: HelmValues;
}

/** Namespace label the controller's pod webhook (mpod.elbv2.k8s.aws) selects on to inject the target health readiness gate. */
export const POD_READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/** Props of {@link AwsLoadBalancerControllerAddOn}: cluster stack outputs (cross-stack references). */
export interface AwsLoadBalancerControllerAddOnProps extends AwsLoadBalancerControllerAddOnOptions {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** AWS region. */
  readonly region: string;
  /** VPC id (set explicitly: IMDS is closed to pods). */
  readonly vpcId: string;
  /** VPC CIDR, a literal: Kong trusts X-Forwarded-For only from inside the VPC (the ALB). */
  readonly vpcCidr: string;
  /**
   * Where the ALB's target health checks come from: the public subnets the ALB lives in (literals).
   * Only these reach Kong's status port besides the monitoring namespace. @default the VPC CIDR
   */
  readonly healthCheckSourceCidrs?: string[];
  /** IRSA role of the controller. */
  readonly roleArn: string;
  /** Terraform-owned ALB target group that receives Kong's proxy pods. */
  readonly targetGroupArn: string;
}

/**
 * Platform add-on for EKS: installs the AWS Load Balancer Controller (IRSA, no Service
 * mutation, no IngressClass: it only serves TargetGroupBindings) and a `TargetGroupBinding`
 * that registers Kong's proxy pods (target type ip, TLS port) in the ALB target group owned
 * by the cluster stack. Kong's proxy Service becomes ClusterIP, and Kong takes the client
 * address from X-Forwarded-For only when the request comes from inside the VPC.
 */
export class AwsLoadBalancerControllerAddOn implements PlatformAddOn {
  public readonly id = 'aws-load-balancer-controller';
  private readonly props: AwsLoadBalancerControllerAddOnProps;

  constructor(props: AwsLoadBalancerControllerAddOnProps) {
    this.props = props;
  }

  /** Checked by `KongPlatform` with every other prop and add-on, reported in one error. */
  public validate(_context: PlatformContext): Array<{ field: string; value: unknown; message: string }> {
    const problems: Array<{ field: string; value: unknown; message: string }> = [];
    const { vpcCidr, replicaCount } = this.props;
    if (Token.isUnresolved(vpcCidr)) {
      problems.push({
        field: 'vpcCidr',
        value: vpcCidr,
        message: "must be the literal VPC CIDR from the aws section, not a Terraform reference: Kong's trusted_ips is plain Helm data",
      });
    } else {
      try {
        parseIpv4Cidr(vpcCidr);
      } catch {
        problems.push({ field: 'vpcCidr', value: vpcCidr, message: 'must be an IPv4 CIDR such as 10.0.0.0/16' });
      }
    }
    if (replicaCount !== undefined && (!Number.isInteger(replicaCount) || replicaCount < 1)) {
      problems.push({ field: 'replicaCount', value: replicaCount, message: 'must be a whole number >= 1' });
    }
    return problems;
  }

  /** Kong proxy: cluster-internal Service; real client IP from the ALB's X-Forwarded-For. */
  public gatewayValues(_context: PlatformContext): HelmValues {
    return {
      proxy: { type: 'ClusterIP' },
      env: { trusted_ips: this.props.vpcCidr, real_ip_header: 'X-Forwarded-For' },
    };
  }

  /**
   * The ALB checks target health on Kong's status port from its own nodes in the public subnets:
   * with NetworkPolicies enforced (VPC CNI), that flow must be admitted or every target is
   * unhealthy. Only those subnets: the status port also serves metrics.
   */
  public gatewayIngress(_context: PlatformContext): Array<{ cidrs: string[]; ports: number[]; reason: string }> {
    const sources = this.props.healthCheckSourceCidrs && this.props.healthCheckSourceCidrs.length > 0 ? this.props.healthCheckSourceCidrs : [this.props.vpcCidr];
    return [{ cidrs: sources, ports: [KONG_STATUS_CONTAINER_PORT], reason: 'ALB target health checks (/status/ready)' }];
  }

  /**
   * The Kong namespace gets the controller's pod readiness gate (its pod webhook selects on this
   * label): a rolling update waits until each new pod is healthy in the target group before the
   * next old one goes.
   */
  public namespaceLabels(_context: PlatformContext): { system: Record<string, string> } {
    return { system: { [POD_READINESS_GATE_LABEL]: 'enabled' } };
  }

  public deploy(scope: Construct, context: PlatformContext, kongReleases: KongReleases): void {
    const root = new Construct(scope, this.id);
    const replicas = this.props.replicaCount ?? 2;
    const values: HelmValues = {
      replicaCount: replicas,
      serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
      // Serve TargetGroupBindings only: do not take over Services or Ingresses, do not touch WAF/Shield.
      enableServiceMutatorWebhook: false,
      createIngressClassResource: false,
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      ...(replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
      // The chart sets no requests or limits by default.
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      // The chart's defaults (non-root, read-only, no privilege escalation) plus no capabilities and RuntimeDefault seccomp.
      podSecurityContext: { fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(this.props.image ? { image: { repository: this.props.image.repositoryPath, tag: this.props.image.chartTag } } : {}),
    };
    const controller = new HardenedHelmRelease(root, 'controller', {
      releaseName: 'aws-load-balancer-controller',
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      repository: LOAD_BALANCER_CONTROLLER_CHART.repository,
      chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
      chartVersion: this.props.chartVersion ?? LOAD_BALANCER_CONTROLLER_CHART.version,
      values: mergeValues(values, this.props.extraValues),
      dynamicValues: [
        { name: 'clusterName', value: this.props.clusterName },
        { name: 'region', value: this.props.region },
        { name: 'vpcId', value: this.props.vpcId },
        { name: 'serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn', value: this.props.roleArn },
      ],
    });
    recordEscapeHatch(controller.release, 'extraValues', this.props.extraValues);
    new TargetGroupBindingRelease(root, 'target-group-binding', {
      namespace: context.systemNamespace,
      bindingName: `${context.gatewayReleaseName}-edge`,
      targetGroupArn: this.props.targetGroupArn,
      serviceName: `${context.gatewayReleaseName}-kong-proxy`,
      servicePort: 443,
      dependsOn: [controller.release, kongReleases.gateway],
    });
  }
}

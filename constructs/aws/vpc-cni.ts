import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { Construct } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { invalidProp } from './validation';
import { vpcCniProblems } from './eks-environment-rules';
import { PropsProblems } from '../core/validation';

/** Options of {@link VpcCni} that have defaults. */
export interface VpcCniOptions {
  /**
   * Pinned add-on version (`aws eks describe-addon-versions --addon-name vpc-cni`); network policy
   * enforcement needs v1.14.0 or later.
   * @default the cluster's default version at creation
   */
  readonly addonVersion?: string;
  /**
   * Enforce Kubernetes NetworkPolicies with the VPC CNI's network policy agent. Without it every
   * NetworkPolicy the platform creates is accepted by the API server and silently ignored.
   * @default true
   */
  readonly enableNetworkPolicy?: boolean;
  /**
   * Production: enableNetworkPolicy must stay on.
   * @default true
   */
  readonly production?: boolean;
}

/** Props of {@link VpcCni}. */
export interface VpcCniProps extends VpcCniOptions {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Resources to create first (the cluster). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Add-on version pattern of EKS (`v1.19.2-eksbuild.1`). */
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/**
 * The Amazon VPC CNI as a managed EKS add-on, with NetworkPolicy enforcement switched on. EKS
 * installs the CNI unmanaged and with enforcement off; this takes it over (`OVERWRITE` on create)
 * and keeps later manual changes visible in the plan (`OVERWRITE` on update: Terraform owns it).
 */
export class VpcCni extends Construct {
  /** The managed add-on. */
  public readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: VpcCniProps) {
    super(scope, id);
    if (props.addonVersion !== undefined && !ADDON_VERSION.test(props.addonVersion)) {
      invalidProp(this, 'addonVersion', props.addonVersion, 'use an EKS add-on version such as v1.19.2-eksbuild.1');
    }
    const enableNetworkPolicy = props.enableNetworkPolicy ?? true;
    const problems = new PropsProblems(this.node.path);
    vpcCniProblems(problems, '', { enableNetworkPolicy }, props.production ?? true);
    problems.throwIfAny();
    this.addon = new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: 'vpc-cni',
      addonVersion: props.addonVersion,
      // The CNI's configuration schema takes strings ("true"), not booleans.
      configurationValues: JSON.stringify({ enableNetworkPolicy: String(enableNetworkPolicy) }),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      dependsOn: props.dependsOn,
    });
  }
}

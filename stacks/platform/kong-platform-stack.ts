import { KongPlatformBaseStack } from '../base-stack';
import * as path from 'path';
import { EnvironmentConfig } from '../../config/environment';
import { Construct, TerraformOutput } from '../../constructs/core/cdktf';
import { PlatformAddOn } from '../../constructs/core/platform-add-on';
import { KongPlatform } from '../../constructs/kong/kong-platform';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { configureBackend } from '../backend';
import { environmentAddOns } from './environment-add-ons';
import { platformPropsFromEnvironment } from '../../config/platform-props';

export interface KongPlatformStackProps {
  /** The validated environment. */
  readonly environment: EnvironmentConfig;
  /** How the providers reach the cluster. */
  readonly clusterAccess: ClusterAccess;
  /** Cloud- or feature-specific add-ons. @default none */
  readonly addOns?: PlatformAddOn[];
  /** Folder of custom plugins. @default `<cwd>/plugins` */
  readonly pluginsDirectory?: string;
}

/**
 * `<env>-platform`: the Kubernetes layer of one environment (namespaces, policies,
 * certificates, the Kong releases, add-ons), with its own state.
 */
export class KongPlatformStack extends KongPlatformBaseStack {
  public readonly platform: KongPlatform;

  constructor(scope: Construct, id: string, props: KongPlatformStackProps) {
    super(scope, id);
    configureBackend(this, id, props.environment.backend);
    props.clusterAccess.configureProviders(this);
    const pluginsDirectory = props.pluginsDirectory ?? path.join(process.cwd(), 'plugins');
    const addOns = [...(props.addOns ?? []), ...environmentAddOns(this, props.environment, { pluginsDirectory })];
    this.platform = new KongPlatform(this, 'kong', platformPropsFromEnvironment(props.environment, { addOns, pluginsDirectory }));

    new TerraformOutput(this, 'kong_namespace', {
      value: this.platform.context.systemNamespace,
      description: 'Namespace of the Kong gateway and controller.',
    });
    new TerraformOutput(this, 'kong_proxy_service', {
      value: `${this.platform.context.gatewayReleaseName}-kong-proxy`,
      description: 'ClusterIP Service of the Kong proxy, the target of the edge load balancer.',
    });
  }
}

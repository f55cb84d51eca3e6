import * as path from 'path';
import { EnvironmentConfig } from '../../config/environment';
import { clientCertificateDelivery } from '../../config/sections/apis';
import { Construct } from '../../constructs/core/cdktf';
import { ApiAddOn } from '../../constructs/apis/api-add-on';
import { PlatformAddOn } from '../../constructs/core/platform-add-on';
import { MeshAddOn } from '../../constructs/mesh/mesh-add-on';
import { KonnectAddOn } from '../../constructs/konnect/konnect-add-on';
import { readCustomPluginSchemas } from '../../constructs/konnect/custom-plugin-schemas';
import { SelfManagedControlPlane } from '../../constructs/konnect/self-managed-control-plane';
import { imageReference } from '../../config/platform-props';

export interface EnvironmentAddOnsOptions {
  /** Folder of custom plugins. */
  readonly pluginsDirectory: string;
}

/**
 * The add-ons an environment file switches on, in their merge order: cloud edge first,
 * then mesh, then Konnect (docs/helm-values.md, layer 5). Built in the platform stack
 * before `KongPlatform`, since some are constructs with resources of their own.
 */
export function environmentAddOns(scope: Construct, env: EnvironmentConfig, options: EnvironmentAddOnsOptions): PlatformAddOn[] {
  const addOns: PlatformAddOn[] = [];
  const meshImages = env.images.mesh;
  const image = (config: NonNullable<typeof meshImages>['controlPlane']) => imageReference(env.images.registry, config);
  const mesh =
    env.mesh &&
    MeshAddOn.fromConfig(env.mesh, {
      production: env.production,
      cloud: env.cloud,
      images: meshImages && {
        controlPlane: image(meshImages.controlPlane),
        dataPlane: image(meshImages.dataPlane),
        dataPlaneInit: image(meshImages.dataPlaneInit),
        kumactl: image(meshImages.kumactl),
        kubectl: image(meshImages.kubectl),
        cni: meshImages.cni && image(meshImages.cni),
        pullSecretName: env.images.pullSecret,
      },
    });
  if (mesh) addOns.push(mesh);
  if (env.konnect?.enabled) {
    const wanted = new Set(env.plugins.custom);
    const managed = env.konnect.mode === 'self-managed' ? env.konnect.selfManaged : undefined;
    // Self-managed: the control plane runs in this environment's cluster, in its own namespace.
    const selfManagedControlPlane = managed
      ? new SelfManagedControlPlane(scope, 'kong-control-plane', {
          environment: env.name,
          namespace: managed.namespace,
          releaseName: managed.releaseName,
          chartVersion: managed.chartVersion,
          endpoint: managed.endpoint,
          clusterServiceType: managed.clusterServiceType,
          postgres: managed.postgres,
          caValidityDays: managed.caValidityDays,
          extraValues: {
            image: {
              ...imageReference(env.images.registry, env.images.gateway).toValues(),
              ...(env.images.pullSecret ? { pullSecrets: [env.images.pullSecret] } : {}),
            },
          },
        })
      : undefined;
    addOns.push(
      new KonnectAddOn(scope, 'konnect', {
        section: env.konnect,
        environment: env.name,
        production: env.production,
        selfManagedControlPlane,
        customPlugins: readCustomPluginSchemas(path.resolve(options.pluginsDirectory)).filter((p) => wanted.has(p.name)),
      }),
    );
  }
  // Last: its chart installs after the Kong releases and needs nothing from the others.
  if (env.apis) {
    addOns.push(
      new ApiAddOn({
        section: env.apis,
        defaultIngressClass: env.controller.ingressClass,
        timeoutSeconds: env.helm.timeoutSeconds,
        maxHistory: env.helm.maxHistory,
        clientCertificates: clientCertificateDelivery(env),
      }),
    );
  }
  return addOns;
}

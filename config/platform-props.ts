import * as path from 'path';
import type { PlatformAddOn } from '../constructs/core';
import { AdminApiCertificateIssuer, ContainerImage, CustomPlugin, DeploymentProfile, KongPlatformProps } from '../constructs/kong';
import type { EnvironmentConfig } from './environment';

type ImageConfig = EnvironmentConfig['images']['gateway'];

/** The `ContainerImage` an environment file's image entry names. */
export function imageReference(registry: string, config: ImageConfig): ContainerImage {
  const options = { effectiveSemver: config.effectiveSemver };
  return config.digest
    ? ContainerImage.fromDigest(registry, config.repository, config.digest, config.tag, options)
    : ContainerImage.fromTag(registry, config.repository, config.tag, options);
}

/**
 * Maps a validated environment file onto `KongPlatform` props: the only place that knows
 * both shapes, so the constructs stay usable without any YAML.
 */
export function platformPropsFromEnvironment(env: EnvironmentConfig, options: { addOns?: PlatformAddOn[]; pluginsDirectory?: string } = {}): KongPlatformProps {
  const pluginsDirectory = options.pluginsDirectory ?? path.join(process.cwd(), 'plugins');
  const g = env.gateway;
  return {
    environment: env.name,
    production: env.production,
    profile: env.profile === undefined ? undefined : env.profile === 'ha' ? DeploymentProfile.HA : DeploymentProfile.DEV,
    images: {
      gateway: imageReference(env.images.registry, env.images.gateway),
      controller: imageReference(env.images.registry, env.images.controller),
      pullSecretName: env.images.pullSecret,
    },
    systemNamespace: env.namespaces.system,
    applicationNamespaces: env.namespaces.applications,
    gateway: {
      replicas: g.replicas,
      autoscaling: g.autoscaling?.enabled === false ? undefined : g.autoscaling,
      resources: g.resources,
      headers: g.headers,
      trustedIps: g.trustedIps.length > 0 ? g.trustedIps : undefined,
      realIpHeader: g.realIpHeader,
      drainTimeoutSeconds: g.drainTimeoutSeconds,
      proxyService: g.proxyService,
      extraValues: g.extraValues,
    },
    controller: {
      replicas: env.controller.replicas,
      resources: env.controller.resources,
      ingressClass: env.controller.ingressClass,
      watchNamespaces: env.controller.watchNamespaces,
      extraValues: env.controller.extraValues,
    },
    adminApiCertificates: adminApiCertificateIssuer(env.controller.adminApiCertificates),
    customPlugins: env.plugins.custom.map((name) => CustomPlugin.fromDirectory(path.join(pluginsDirectory, name))),
    chart: { version: env.helm.kongChartVersion, repository: env.helm.kongChartRepository },
    release: { timeoutSeconds: env.helm.timeoutSeconds, maxHistory: env.helm.maxHistory },
    addOns: options.addOns,
    // The platform stack's guardrails, with the file's waivers (stacks/policy.ts attaches the other stacks').
    policy: { waivers: env.policy?.waivers ?? [], registries: [env.images.registry], cloud: env.cloud },
  };
}

function adminApiCertificateIssuer(config: EnvironmentConfig['controller']['adminApiCertificates']): AdminApiCertificateIssuer {
  return config.issuer === 'cert-manager' ? AdminApiCertificateIssuer.certManager({ reissueEveryDays: config.reissueEveryDays }) : AdminApiCertificateIssuer.terraform();
}

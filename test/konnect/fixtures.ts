import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct, TerraformStack, Testing } from '../../constructs/core/cdktf';
import type { PlatformContext } from '../../constructs/core/platform-add-on';
import { konnectSectionSchema, KonnectSection, KonnectSectionInput } from '../../config/sections/konnect';

/** A platform context as KongPlatform builds it. */
export const CONTEXT: PlatformContext = {
  environment: 'onprem-hybrid',
  production: false,
  systemNamespace: 'kong',
  gatewayReleaseName: 'kong-gateway',
  controllerReleaseName: 'kong-controller',
  applicationNamespaces: ['payments'],
};

export function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

/** Parses a `konnect:` section as the loader does (defaults applied). */
export function section(input: Partial<KonnectSectionInput> = {}): KonnectSection {
  return konnectSectionSchema.parse({ enabled: true, ...input });
}

/** Stand-ins for the two Kong releases KongPlatform hands to `deploy`. */
export function kongReleases(scope: Construct): { gateway: Release; controller: Release } {
  const gateway = new Release(scope, 'gateway', { name: 'kong-gateway', chart: 'kong', namespace: 'kong' });
  gateway.dependsOn = ['kubernetes_namespace_v1.kong'];
  const controller = new Release(scope, 'controller', { name: 'kong-controller', chart: 'kong', namespace: 'kong' });
  return { gateway, controller };
}

export type { TerraformJson as Synth } from '../support/terraform-json';
export { synthJson as synth, onlyEntry as only, resourceEntries as all } from '../support/terraform-json';

import * as fs from 'fs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { parse } from 'yaml';
import { Annotations, Construct, ITerraformDependable } from '../core/cdktf';
import { HelmValues } from '../core/platform-add-on';
import { packagePath } from '../core/package-paths';
import { HardenedHelmRelease, HelmReleaseOptions } from '../kubernetes/hardened-helm-release';
import { ContainerImage } from './container-image';
import { DeploymentProfile, PROFILE_DEFAULTS, ProfileDefaults } from './profiles';

/** Which kong chart to install. */
export interface KongChartOptions {
  /** Exact chart version. @default "3.4.1" */
  readonly version?: string;
  /** Chart repository. @default "https://charts.konghq.com" */
  readonly repository?: string;
}

/** The pinned kong chart version the values in this package are checked against. */
export const DEFAULT_KONG_CHART_VERSION = '3.4.1';
export const DEFAULT_KONG_CHART_REPOSITORY = 'https://charts.konghq.com';

const cache = new Map<string, HelmValues>();

/** A base values file from `helm-values/` (layer 2 of docs/helm-values.md). */
export function baseValues(fileName: string): HelmValues {
  let values = cache.get(fileName);
  if (!values) {
    values = (parse(fs.readFileSync(packagePath('helm-values', fileName), 'utf8')) ?? {}) as HelmValues;
    cache.set(fileName, values);
  }
  return values;
}

/** What both Kong releases resolve the same way before computing their values. */
export interface KongReleaseBasics {
  readonly production?: boolean;
  readonly profile?: DeploymentProfile;
  readonly image: ContainerImage;
}

/**
 * The profile of a Kong release, after the checks both releases share: production needs the
 * HA profile and a digest-pinned image; elsewhere an unpinned image is only a warning.
 */
export function resolveKongRelease(construct: Construct, props: KongReleaseBasics): { profile: DeploymentProfile; defaults: ProfileDefaults } {
  const production = props.production ?? false;
  const profile = props.profile ?? (production ? DeploymentProfile.HA : DeploymentProfile.DEV);
  if (production && !props.image.pinned) {
    throw new Error(`${construct.node.path}: image must be pinned by digest in production, got "${props.image.reference}"`);
  }
  if (production && profile !== DeploymentProfile.HA) {
    throw new Error(`${construct.node.path}: profile must be "ha" in production, got "${profile}"`);
  }
  if (!props.image.pinned) {
    Annotations.of(construct).addWarning(`image "${props.image.reference}" is not pinned by digest; a re-pushed tag changes what runs`);
  }
  return { profile, defaults: PROFILE_DEFAULTS[profile] };
}

/** A hardened release of the kong chart (both the gateway and the controller are one). */
export function kongChartRelease(
  scope: Construct,
  props: {
    releaseName: string;
    namespace: string;
    values: HelmValues;
    /** Values known at apply time only, as `set` entries. @default none */
    dynamicValues?: Array<{ name: string; value: string }>;
    chart?: KongChartOptions;
    release?: HelmReleaseOptions;
    dependsOn?: ITerraformDependable[];
  },
): Release {
  return new HardenedHelmRelease(scope, 'helm', {
    releaseName: props.releaseName,
    namespace: props.namespace,
    chart: 'kong',
    repository: props.chart?.repository ?? DEFAULT_KONG_CHART_REPOSITORY,
    chartVersion: props.chart?.version ?? DEFAULT_KONG_CHART_VERSION,
    values: props.values,
    dynamicValues: props.dynamicValues,
    dependsOn: props.dependsOn,
    ...props.release,
  }).release;
}

import { Release, ReleaseSet } from '@cdktf/provider-helm/lib/release';
import { stringify } from 'yaml';
import { Construct, ITerraformDependable } from '../core/cdktf';
import { HelmValues } from '../core/platform-add-on';

/** How a release is rolled out; the defaults make a failed upgrade roll back by itself. */
export interface HelmReleaseOptions {
  /** Seconds Helm waits for the release's resources to become ready. @default 600 */
  readonly timeoutSeconds?: number;
  /** Release revisions Helm keeps for `helm rollback`. @default 10 */
  readonly maxHistory?: number;
  /** Roll back on failure (`--atomic`). @default true */
  readonly atomic?: boolean;
  /** Wait for Deployments, Services and PVCs to be ready. @default true */
  readonly wait?: boolean;
}

export interface HardenedHelmReleaseProps extends HelmReleaseOptions {
  /** Release name. */
  readonly releaseName: string;
  /** Namespace; it must already exist (namespaces are created by Terraform, not Helm). */
  readonly namespace: string;
  /** Chart name, or a local chart path when `repository` is omitted. */
  readonly chart: string;
  /** Chart repository URL. @default none (local chart) */
  readonly repository?: string;
  /** Pinned chart version: never a range. */
  readonly chartVersion: string;
  /** Values, rendered as one YAML document (plain data only). */
  readonly values: HelmValues;
  /**
   * Values only known at apply time (Terraform references such as a generated certificate),
   * set with `--set`; `name` is a dotted values path.
   * @default none
   */
  readonly dynamicValues?: Array<{ name: string; value: string }>;
  /** Resources the release needs first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A `helm_release` with the platform's safety settings: pinned version, atomic upgrade with
 * rollback, cleanup on failure, wait with a timeout, bounded history, no namespace creation,
 * values as a single reviewable YAML document.
 */
export class HardenedHelmRelease extends Construct {
  /** The underlying release, for `dependsOn` and outputs. */
  public readonly release: Release;
  /** The values as rendered into the release (for tests and reviews). */
  public readonly renderedValues: string;

  constructor(scope: Construct, id: string, props: HardenedHelmReleaseProps) {
    super(scope, id);
    if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(props.chartVersion)) {
      throw new Error(`${this.node.path}: chartVersion must be an exact version such as 3.4.1 (no ranges), got "${props.chartVersion}"`);
    }
    const timeout = props.timeoutSeconds ?? 600;
    if (timeout < 60) {
      throw new Error(`${this.node.path}: timeoutSeconds must be at least 60 (rolling out pods takes time), got ${timeout}`);
    }
    // Helm reads YAML 1.1, where a plain `off` or `on` is a boolean: quote every string.
    this.renderedValues = stringify(props.values, {
      sortMapEntries: true,
      lineWidth: 0,
      defaultStringType: 'QUOTE_DOUBLE',
      defaultKeyType: 'PLAIN',
      aliasDuplicateObjects: false,
    });
    const set: ReleaseSet[] | undefined = props.dynamicValues?.length
      ? props.dynamicValues.map((v) => ({ name: v.name, value: v.value, type: 'string' }))
      : undefined;
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      namespace: props.namespace,
      chart: props.chart,
      repository: props.repository,
      version: props.chartVersion,
      atomic: props.atomic ?? true,
      cleanupOnFail: true,
      wait: props.wait ?? true,
      waitForJobs: true,
      timeout,
      maxHistory: props.maxHistory ?? 10,
      createNamespace: false,
      dependencyUpdate: false,
      values: [this.renderedValues],
      set,
      dependsOn: props.dependsOn,
    });
  }
}

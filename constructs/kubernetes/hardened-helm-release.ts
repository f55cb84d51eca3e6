import { Release, ReleaseSet } from '@cdktf/provider-helm/lib/release';
import { stringify } from 'yaml';
import { Construct, ITerraformDependable, Token } from '../core/cdktf';
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
    // Values only known at apply time (Terraform references) go to `set`, so the YAML
    // document stays plain data a reviewer (and a test) can read.
    const { staticValues, tokenValues } = splitTokenValues(props.values);
    // Helm reads YAML 1.1, where a plain `off` or `on` is a boolean: quote every string.
    this.renderedValues = stringify(staticValues, {
      sortMapEntries: true,
      lineWidth: 0,
      defaultStringType: 'QUOTE_DOUBLE',
      defaultKeyType: 'PLAIN',
      aliasDuplicateObjects: false,
    });
    const dynamic = [...tokenValues, ...(props.dynamicValues ?? [])];
    const set: ReleaseSet[] | undefined = dynamic.length ? dynamic.map((v) => ({ name: v.name, value: v.value, type: 'string' })) : undefined;
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

/** Escapes a values key for a Helm `--set` path (dots, commas, brackets and equals are special). */
function setPathSegment(key: string): string {
  return key.replace(/([.,=[\]\\])/g, '\\$1');
}

/**
 * Splits values into plain data and the string leaves that hold Terraform tokens, the
 * latter as `--set` entries (`a.b[0].c`).
 */
export function splitTokenValues(values: HelmValues): { staticValues: HelmValues; tokenValues: Array<{ name: string; value: string }> } {
  const tokenValues: Array<{ name: string; value: string }> = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      if (Token.isUnresolved(node)) {
        tokenValues.push({ name: path, value: node });
        return undefined;
      }
      return node;
    }
    if (Array.isArray(node)) {
      // A list element cannot be left out without shifting the others: keep an empty
      // placeholder that the `set` entry overrides.
      return node.map((item, i) => walk(item, `${path}[${i}]`) ?? '');
    }
    if (node !== null && typeof node === 'object') {
      const out: HelmValues = {};
      for (const [key, child] of Object.entries(node)) {
        const mapped = walk(child, path ? `${path}.${setPathSegment(key)}` : setPathSegment(key));
        if (mapped !== undefined) out[key] = mapped;
      }
      return out;
    }
    return node;
  };
  const staticValues = walk(values, '') as HelmValues;
  return { staticValues, tokenValues };
}

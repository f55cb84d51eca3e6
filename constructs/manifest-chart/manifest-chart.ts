import { Release } from '@cdktf/provider-helm/lib/release';
import { Aspects, AssetType, Construct, Fn, IConstruct, Lazy, TerraformAsset, TerraformProvider } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import {
  KubernetesObject,
  ManifestValidationError,
  chartNameProblem,
  manifestChartValueRef,
  RenderedManifestChart,
  describeManifest,
  manifestProblems,
  renderManifestChart,
  stageManifestChart,
} from './render';

/**
 * How the generated chart is installed. The defaults are the platform's hardened release
 * settings: a failed install or upgrade rolls back on its own and leaves nothing half-applied.
 */
export interface ManifestChartReleaseOptions {
  /**
   * Roll back automatically when an install or upgrade fails.
   * @default true
   */
  readonly atomic?: boolean;
  /**
   * Delete resources created by a failed upgrade.
   * @default true
   */
  readonly cleanupOnFail?: boolean;
  /**
   * Wait until every object is ready before marking the release successful.
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Seconds to wait for any individual Kubernetes operation.
   * @default 600
   */
  readonly timeout?: number;
  /**
   * Release revisions kept for rollback.
   * @default 10
   */
  readonly maxHistory?: number;
  /**
   * Create the release namespace if it does not exist. Off by default: namespaces belong to
   * the namespaces construct, which sets their labels and policies.
   * @default false
   */
  readonly createNamespace?: boolean;
}

/** Properties of {@link ManifestChart}. */
export interface ManifestChartProps extends ManifestChartReleaseOptions {
  /**
   * Name of the generated chart: lowercase letters, digits and '-'.
   */
  readonly chartName: string;
  /**
   * Helm release name (DNS label, at most 53 characters).
   * @default - `chartName`
   */
  readonly releaseName?: string;
  /**
   * Release namespace. Namespaced objects without `metadata.namespace` are created here;
   * objects may name other namespaces explicitly.
   */
  readonly namespace: string;
  /**
   * The Kubernetes objects, as plain data. More can be added with `addManifest` before synth.
   * @default []
   */
  readonly manifests?: KubernetesObject[];
  /**
   * Values known only at apply time (Terraform references), by name. Use them in objects as whole
   * string values through `ManifestChart.valueRef(name)`; they reach Helm as one JSON values
   * document, so a change shows in plan on the release's `values`.
   * @default none
   */
  readonly values?: Record<string, string>;
  /**
   * One-line description written to `Chart.yaml`.
   * @default - generic description with the object count
   */
  readonly description?: string;
  /**
   * Resources that must exist first, typically the Helm release that installs the CRDs and the
   * controller that validates these objects.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Helm provider to install with.
   * @default - the stack's default Helm provider
   */
  readonly provider?: TerraformProvider;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Installs plain Kubernetes objects (custom resources included) as a Helm chart generated at
 * synth time.
 *
 * Why not `kubernetes_manifest`: it needs a reachable API server with the CRDs already installed
 * while *planning*, so a fresh environment cannot be planned in CI. A `helm_release` of a local
 * chart plans offline, is ordered after the release that installs the CRDs (`dependsOn`), and is
 * atomic on apply.
 *
 * Every change is visible in plan: the chart version is `0.1.0+<content hash>` and the chart is a
 * Terraform asset under `cdktf.out/stacks/<stack>/assets/<id>/<asset hash>/`, so both the
 * release's `version` and `chart` change whenever any object changes.
 *
 * @example
 * const chart = new ManifestChart(this, 'MeshPolicies', {
 *   chartName: 'mesh-policies', namespace: 'kong-mesh-system', dependsOn: [controlPlane],
 *   manifests: [{ apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: {} }],
 * });
 * chart.addManifest(anotherObject);
 */
export class ManifestChart extends Construct {
  /**
   * Placeholder for the apply-time value `name` (declared in `values` or with `addValue`), to be
   * used as a whole string value inside an object.
   */
  public static valueRef(name: string): string {
    return manifestChartValueRef(name);
  }

  /** The Helm release that installs the generated chart. */
  public readonly release: Release;
  /** The Helm chart name. */
  public readonly chartName: string;
  /** The Helm release name. */
  public readonly releaseName: string;
  /** The release namespace. */
  public readonly namespace: string;

  private readonly description?: string;
  private readonly objects: KubernetesObject[] = [];
  private readonly applyTimeValues: Record<string, string> = {};
  private renderedChart?: RenderedManifestChart;
  private staged?: string;
  private asset?: TerraformAsset;

  constructor(scope: Construct, id: string, props: ManifestChartProps) {
    super(scope, id);
    this.chartName = props.chartName;
    this.releaseName = props.releaseName ?? props.chartName;
    this.namespace = props.namespace;
    this.description = props.description;

    const chartNameError = chartNameProblem(this.chartName);
    if (chartNameError) throw new Error(`${this.node.path}: ${chartNameError}`);
    this.checkName('releaseName', this.releaseName, 53);
    this.checkName('namespace', this.namespace, 63);
    const timeout = props.timeout ?? 600;
    if (!Number.isInteger(timeout) || timeout <= 0) {
      throw new Error(`${this.node.path}: timeout must be a positive whole number of seconds, got ${timeout}`);
    }
    const maxHistory = props.maxHistory ?? 10;
    if (!Number.isInteger(maxHistory) || maxHistory < 1) {
      throw new Error(`${this.node.path}: maxHistory must be a whole number >= 1 (0 keeps unbounded history), got ${maxHistory}`);
    }

    for (const [name, value] of Object.entries(props.values ?? {})) this.declareValue(name, value);
    this.addManifest(...(props.manifests ?? []));

    this.release = new Release(this, 'Release', {
      name: this.releaseName,
      namespace: this.namespace,
      chart: Lazy.stringValue({ produce: () => this.chartAssetPath }),
      version: Lazy.stringValue({ produce: () => this.rendered.version }),
      values: Lazy.listValue(
        {
          produce: () => {
            const names = Object.keys(this.applyTimeValues).sort();
            return names.length === 0 ? [] : [Fn.jsonencode(Object.fromEntries(names.map((name) => [name, this.applyTimeValues[name]])))];
          },
        },
        { omitEmpty: true },
      ),
      createNamespace: props.createNamespace ?? false,
      atomic: props.atomic ?? true,
      cleanupOnFail: props.cleanupOnFail ?? true,
      wait: props.wait ?? true,
      timeout,
      maxHistory,
      lint: true,
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
    // Aspects run first at synth, before assets are copied: the chart is staged by then.
    Aspects.of(this).add({ visit: (node: IConstruct) => node === this && void this.ensureStaged() });
  }

  /**
   * Adds objects to the chart. Call before synth; each call re-renders the chart, so the
   * version and asset always match the full list.
   * @throws Error naming this construct and the object when an object lacks apiVersion, kind or
   * metadata.name, holds an unresolved token, or duplicates another object.
   */
  public addManifest(...objects: KubernetesObject[]): void {
    objects.forEach((object, offset) => {
      const problems = manifestProblems(object);
      if (problems.length > 0) {
        throw new Error(`${this.node.path}: manifest #${this.objects.length + offset} (${describeManifest(object)}) is invalid: ${problems.join('; ')}`);
      }
    });
    const next = [...this.objects, ...objects.map((object) => structuredClone(object))];
    // The constructor's objects are rendered (and checked together) at once; later additions
    // are rendered once, when the content is read, not once per call.
    if (this.renderedChart === undefined && this.asset === undefined && this.objects.length === 0) this.render(next);
    else this.invalidate();
    this.objects.splice(0, this.objects.length, ...next);
  }

  /**
   * Declares an apply-time value (a Terraform reference is fine) for `ManifestChart.valueRef(name)`.
   * @throws Error naming this construct when the name is invalid or already declared.
   */
  public addValue(name: string, value: string): void {
    this.declareValue(name, value);
    this.invalidate();
  }

  private declareValue(name: string, value: string): void {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
      throw new Error(`${this.node.path}: value name "${name}" must start with a letter and contain only letters and digits`);
    }
    if (name in this.applyTimeValues) throw new Error(`${this.node.path}: value "${name}" is declared twice`);
    this.applyTimeValues[name] = value;
  }

  private render(manifests: KubernetesObject[]): void {
    let rendered: RenderedManifestChart;
    try {
      rendered = renderManifestChart({
        chartName: this.chartName,
        description: this.description,
        manifests,
        valueNames: Object.keys(this.applyTimeValues),
      });
    } catch (error) {
      if (error instanceof ManifestValidationError) throw new Error(`${this.node.path}: ${error.message}`, { cause: error });
      throw error;
    }
    this.invalidate();
    this.renderedChart = rendered;
  }

  /** Forgets the rendered chart and its asset: the content changed. */
  private invalidate(): void {
    // Written to disk once, when the content is final (see ensureStaged): a chart built object by
    // object would otherwise be rewritten and re-hashed on every addition.
    if (this.asset) this.node.tryRemoveChild('Chart');
    this.renderedChart = undefined;
    this.staged = undefined;
    this.asset = undefined;
  }

  /** The chart for the current objects and values, rendered on first use. */
  private get rendered(): RenderedManifestChart {
    if (!this.renderedChart) this.render(this.objects);
    return this.renderedChart!;
  }

  /** Writes the chart and declares its asset, once per final content. */
  private ensureStaged(): TerraformAsset {
    if (!this.asset) {
      this.staged = stageManifestChart(this.chartName, this.rendered);
      this.asset = new TerraformAsset(this, 'Chart', { path: this.staged, type: AssetType.DIRECTORY });
    }
    return this.asset;
  }

  /** Chart version, `0.1.0+<12 hex digits of the content hash>`; equals the release's `version`. */
  public get chartVersion(): string {
    return this.rendered.version;
  }

  /** Local directory holding the rendered chart (what gets copied into the stack's assets). */
  public get chartDirectory(): string {
    this.ensureStaged();
    return this.staged!;
  }

  /** Path of the chart relative to the synthesized stack directory (the release's `chart`). */
  public get chartAssetPath(): string {
    return `./${this.ensureStaged().path}`;
  }

  /** Copies of the objects in the chart, in declaration order. */
  public get manifests(): KubernetesObject[] {
    return this.objects.map((object) => structuredClone(object));
  }

  private checkName(field: string, value: string, maxLength: number): void {
    if (!DNS_LABEL.test(value) || value.length > maxLength) {
      throw new Error(
        `${this.node.path}: ${field} "${value}" is invalid: use a DNS label (lowercase letters, digits and '-', ` +
          `starting and ending with a letter or digit) of at most ${maxLength} characters`,
      );
    }
  }
}

import * as fs from 'fs';
import { parse } from 'yaml';

/**
 * The set of values keys a chart accepts, read from its values.yaml: the keys of the YAML
 * itself plus the keys its comments document (`# pullSecrets:`, `# topologySpreadConstraints: []`),
 * which neither chart's missing values.schema.json would otherwise tell us about.
 * Below a free-form path (a Kubernetes object or a map of settings passed through verbatim,
 * such as `env` or `resources`) any key is accepted.
 */
export class ChartValuesKeys {
  private readonly known = new Set<string>();

  /**
   * @param valuesYamlPath the chart's values.yaml
   * @param freeFormPaths paths whose children are not checked
   * @param options.exampleValuesFiles the chart's own example values files, whose keys count as documented
   * @param options.templateOnlyKeys keys the templates read but no file documents, each justified where listed
   */
  constructor(
    valuesYamlPath: string,
    private readonly freeFormPaths: string[],
    options: { exampleValuesFiles?: string[]; templateOnlyKeys?: string[] } = {},
  ) {
    const text = fs.readFileSync(valuesYamlPath, 'utf8');
    collect(parse(text) ?? {}, '', this.known);
    for (const key of documentedKeys(text)) this.known.add(key);
    for (const file of options.exampleValuesFiles ?? []) collect(parse(fs.readFileSync(file, 'utf8')) ?? {}, '', this.known);
    for (const key of options.templateOnlyKeys ?? []) this.known.add(key);
  }

  /** The dotted key paths of `values` the chart does not know. */
  public unknownKeys(values: unknown): string[] {
    const unknown: string[] = [];
    const walk = (node: unknown, prefix: string) => {
      if (!isMap(node)) return;
      for (const [key, child] of Object.entries(node)) {
        const path = prefix ? `${prefix}.${key}` : key;
        if (this.isFreeForm(prefix)) continue;
        if (!this.known.has(path)) {
          unknown.push(path);
          continue;
        }
        if (!this.isFreeForm(path)) walk(child, path);
      }
    };
    walk(values, '');
    return unknown;
  }

  /** A dotted path set with `--set` (`a.b.c`). */
  public isKnownPath(path: string): boolean {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      if (this.isFreeForm(prefix) && i < parts.length) return this.known.has(prefix);
    }
    return this.known.has(path);
  }

  private isFreeForm(path: string): boolean {
    return path !== '' && this.freeFormPaths.some((f) => path === f || path.startsWith(`${f}.`));
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function collect(node: unknown, prefix: string, into: Set<string>): void {
  if (!isMap(node)) return;
  for (const [key, child] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    into.add(path);
    collect(child, path, into);
  }
}

/**
 * Keys that values.yaml documents in comments. A commented line `<indent># <more indent>key:`
 * is read as if uncommented, and its parent is found from the indentation of the lines
 * around it. Prose comments (`# Ref: https://...`) only add harmless keys nobody sets.
 */
function documentedKeys(text: string): string[] {
  const keys: string[] = [];
  const stack: Array<{ indent: number; key: string }> = [];
  for (const line of text.split('\n')) {
    let m = /^(\s*)([A-Za-z_][\w.-]*|"[^"]+"):(\s|$)/.exec(line);
    let indent: number;
    let commented = false;
    if (m) {
      indent = m[1].length;
    } else {
      m = /^(\s*)#+ ?(\s*)([A-Za-z_][\w-]*):(\s|$)/.exec(line);
      if (!m) continue;
      commented = true;
      indent = m[1].length + m[2].length;
      m = [m[0], m[1] + m[2], m[3], m[4]] as unknown as RegExpExecArray;
    }
    const key = m[2].replace(/^"|"$/g, '');
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const path = [...stack.map((s) => s.key), key].join('.');
    if (commented) keys.push(path);
    stack.push({ indent, key });
  }
  return keys;
}

/**
 * Paths of the kong chart whose content is passed to Kubernetes or to Kong verbatim
 * (and so cannot be checked against values.yaml), each with the reason.
 */
export const KONG_CHART_FREE_FORM_PATHS = [
  'env', // kong.conf settings as KONG_* variables
  'ingressController.env', // KIC flags as CONTROLLER_* variables
  'ingressController.customEnv',
  'ingressController.resources', // core/v1 ResourceRequirements
  'resources',
  'initContainerResources',
  'securityContext', // core/v1 PodSecurityContext
  'lifecycle', // core/v1 Lifecycle
  'updateStrategy', // apps/v1 DeploymentStrategy
  'topologySpreadConstraints',
  'affinity',
  'nodeSelector',
  'tolerations',
  'podAnnotations',
  'podLabels',
  'deploymentAnnotations',
  'extraLabels',
  'proxy.annotations',
  'proxy.labels',
  'admin.annotations',
  'autoscaling.behavior',
  'autoscaling.metrics',
];

/**
 * Keys the kong chart's templates read that its values.yaml does not mention. Each one is
 * named in shared/reference/README.md ("The kong chart has no image digest key:
 * `image.unifiedRepoTag` is rendered verbatim") and used by templates/_helpers.tpl.
 */
export const KONG_CHART_TEMPLATE_ONLY_KEYS = ['image.unifiedRepoTag', 'ingressController.image.unifiedRepoTag'];

/** Paths of the kuma chart passed to Kubernetes verbatim (toYaml in its templates). */
export const KUMA_CHART_FREE_FORM_PATHS = [
  'controlPlane.resources',
  'controlPlane.affinity',
  'controlPlane.nodeSelector',
  // Kubernetes securityContext objects, rendered verbatim (toYaml) by the chart.
  'controlPlane.podSecurityContext',
  'controlPlane.containerSecurityContext',
  'hooks.podSecurityContext',
  'hooks.containerSecurityContext',
  'cni.podSecurityContext',
  'cni.containerSecurityContext',
  'cni.resources',
];

/** Paths of the aws-load-balancer-controller chart passed to Kubernetes verbatim. */
export const AWS_LOAD_BALANCER_CONTROLLER_FREE_FORM_PATHS = ['resources', 'securityContext', 'podSecurityContext', 'serviceAccount.annotations', 'podDisruptionBudget'];

/**
 * How to read the values keys of each vendored upstream chart (test/fixtures/upstream/charts/):
 * free-form paths, and keys its templates read that values.yaml does not list.
 */
export const VENDORED_CHART_VALUES: Record<string, { freeFormPaths: string[]; templateOnlyKeys?: string[]; exampleValuesDir?: string }> = {
  kong: {
    freeFormPaths: KONG_CHART_FREE_FORM_PATHS,
    // proxy.externalTrafficPolicy: read by kong.service (_helpers.tpl), not in values.yaml.
    templateOnlyKeys: [...KONG_CHART_TEMPLATE_ONLY_KEYS, 'proxy.externalTrafficPolicy'],
    // admin.clusterIP ("None") is documented by the chart's gateway-discovery example.
    exampleValuesDir: 'kong-charts-3.4.1/example-values',
  },
  kuma: { freeFormPaths: KUMA_CHART_FREE_FORM_PATHS },
  'aws-load-balancer-controller': { freeFormPaths: AWS_LOAD_BALANCER_CONTROLLER_FREE_FORM_PATHS },
};

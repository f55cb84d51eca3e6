/**
 * The Kubernetes objects a synthesized stack creates through the kubernetes provider, converted
 * from Terraform's shape (snake_case, blocks, `${...}` expressions) to the API's shape, so they
 * can be validated like rendered chart objects.
 *
 * The conversion follows the Kubernetes v1.33 schema of the target kind: snake_case becomes
 * camelCase, a block (a one-element list or an object) becomes an object where the API has an
 * object, a repeated singular block (`container`, `port`, `volume`, `rule`) becomes the API's
 * plural list, and numeric strings become numbers where the API has int-or-string fields (what
 * the provider does). Terraform-only arguments are dropped; anything else that has no API field
 * is kept, so the schema check reports it as an unknown field.
 *
 * `${...}` expressions: a reference to a literal attribute of another resource in the same stack
 * (`${kubernetes_namespace_v1.x.metadata[0].name}`) is resolved; any other value known only at
 * apply time becomes {@link APPLY_TIME_PLACEHOLDER}.
 */
import { KubernetesSchemas } from '../support/k8s-schema';

type Obj = Record<string, any>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Stands in for a value Terraform knows only at apply time. */
export const APPLY_TIME_PLACEHOLDER = 'tf-apply-time-value';

/** Terraform resource type -> the API kind it creates. */
export const TERRAFORM_KINDS: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_namespace: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_secret: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_config_map: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_pod_v1: { apiVersion: 'v1', kind: 'Pod' },
  kubernetes_limit_range_v1: { apiVersion: 'v1', kind: 'LimitRange' },
  kubernetes_resource_quota_v1: { apiVersion: 'v1', kind: 'ResourceQuota' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_network_policy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_ingress_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  kubernetes_ingress_class_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_stateful_set_v1: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  kubernetes_daemon_set_v1: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  kubernetes_job_v1: { apiVersion: 'batch/v1', kind: 'Job' },
  kubernetes_cron_job_v1: { apiVersion: 'batch/v1', kind: 'CronJob' },
  kubernetes_pod_disruption_budget_v1: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  kubernetes_horizontal_pod_autoscaler_v2: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  kubernetes_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  kubernetes_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  kubernetes_cluster_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  kubernetes_cluster_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  kubernetes_priority_class_v1: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass' },
  kubernetes_storage_class_v1: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' },
};

/** Resources that patch an existing object: only their metadata can be checked. */
export const TERRAFORM_PATCHES: ReadonlySet<string> = new Set([
  'kubernetes_annotations',
  'kubernetes_labels',
  'kubernetes_config_map_v1_data',
  'kubernetes_env',
  'kubernetes_node_taint',
]);

/** Arguments every resource may have that are Terraform's, not the API's. */
const META_ARGUMENTS = new Set(['//', 'depends_on', 'provider', 'lifecycle', 'count', 'for_each', 'connection', 'provisioner', 'timeouts']);
/** Provider-only arguments per resource type. */
const PROVIDER_ONLY: Readonly<Record<string, readonly string[]>> = {
  kubernetes_namespace_v1: ['wait_for_default_service_account'],
  kubernetes_namespace: ['wait_for_default_service_account'],
  kubernetes_secret_v1: ['wait_for_service_account_token'],
  kubernetes_secret: ['wait_for_service_account_token'],
  kubernetes_service_v1: ['wait_for_load_balancer'],
  kubernetes_ingress_v1: ['wait_for_load_balancer'],
  kubernetes_deployment_v1: ['wait_for_rollout'],
  kubernetes_stateful_set_v1: ['wait_for_rollout'],
  kubernetes_daemon_set_v1: ['wait_for_rollout'],
  kubernetes_job_v1: ['wait_for_completion'],
  kubernetes_pod_v1: ['target_state'],
  kubernetes_service_account_v1: ['automount_service_account_token_default'],
  kubernetes_manifest: ['field_manager', 'computed_fields', 'wait', 'wait_for', 'object'],
};

/** One Kubernetes object of a stack, converted. */
export interface TerraformObject {
  /** `<resource type>.<logical id>`. */
  readonly address: string;
  readonly type: string;
  /** The object in the API's shape. */
  readonly object: Obj;
  /** True for patches of existing objects (only `metadata` is meaningful). */
  readonly patch: boolean;
}

/** A resource type the converter does not know. */
export interface UnconvertedResource {
  readonly address: string;
  readonly reason: string;
}

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Every `kubernetes_*` resource of a synthesized stack (`cdk.tf.json` content) as an object;
 * types without a converter are returned in `unconverted` (a failure for the caller).
 */
export function terraformObjects(stack: Obj, schemas: KubernetesSchemas): { objects: TerraformObject[]; unconverted: UnconvertedResource[] } {
  const objects: TerraformObject[] = [];
  const unconverted: UnconvertedResource[] = [];
  const resolve = expressionResolver(stack);
  for (const [type, resources] of Object.entries((stack.resource ?? {}) as Record<string, Record<string, Obj>>)) {
    if (!type.startsWith('kubernetes_')) continue;
    for (const [id, resource] of Object.entries(resources)) {
      const address = `${type}.${id}`;
      const body = resolveExpressions(stripArguments(resource, type), resolve) as Obj;
      if (type === 'kubernetes_manifest') {
        objects.push({ address, type, object: (body.manifest ?? {}) as Obj, patch: false });
      } else if (TERRAFORM_PATCHES.has(type)) {
        const metadata = convertValue(body.metadata, schemas.resolve({ $ref: '#/definitions/meta.v1.ObjectMeta' }), schemas, []) as Obj;
        const object: Obj = { apiVersion: body.api_version, kind: body.kind, metadata: { ...metadata } };
        if (isObject(body.annotations)) object.metadata.annotations = body.annotations;
        if (isObject(body.labels)) object.metadata.labels = body.labels;
        objects.push({ address, type, object, patch: true });
      } else if (TERRAFORM_KINDS[type]) {
        const { apiVersion, kind } = TERRAFORM_KINDS[type];
        objects.push({ address, type, object: convertResource(type, body, apiVersion, kind, schemas), patch: false });
      } else {
        unconverted.push({ address, reason: `no conversion from ${type} to a Kubernetes object (add it to TERRAFORM_KINDS in test/render/terraform-objects.ts)` });
      }
    }
  }
  return { objects, unconverted };
}

function stripArguments(resource: Obj, type: string): Obj {
  const drop = new Set([...META_ARGUMENTS, ...(PROVIDER_ONLY[type] ?? [])]);
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !drop.has(key)));
}

function convertResource(type: string, body: Obj, apiVersion: string, kind: string, schemas: KubernetesSchemas): Obj {
  const schema = schemas.schemaOf(apiVersion, kind)!;
  const input: Obj = { ...body };
  // The provider takes Secret data as plain text and base64-encodes it; binary_data is base64 already.
  if (kind === 'Secret') {
    const data: Obj = {};
    for (const [key, value] of Object.entries(isObject(input.data) ? input.data : {})) data[key] = Buffer.from(String(value)).toString('base64');
    Object.assign(data, isObject(input.binary_data) ? input.binary_data : {});
    delete input.binary_data;
    if (Object.keys(data).length > 0 || input.data !== undefined) input.data = data;
  }
  const converted = convertValue(input, schema, schemas, []) as Obj;
  return { apiVersion, kind, ...converted };
}

/** Converts one Terraform value to the API shape described by `schema` (JSON schema from KubernetesSchemas). */
function convertValue(value: unknown, schema: Obj | undefined, schemas: KubernetesSchemas, at: string[]): unknown {
  const target = schemas.resolve(schema);
  if (value === null || value === undefined) return value;
  if (!target) return value;
  const types: string[] = Array.isArray(target.type) ? target.type : target.type ? [target.type] : [];
  if (types.includes('object') || target.properties || target.additionalProperties) {
    // A block: Terraform JSON has it as a one-element list or as an object.
    const block = Array.isArray(value) && value.length === 1 && isObject(value[0]) ? value[0] : value;
    if (!isObject(block)) return value;
    if (!target.properties) {
      // A map: keys are data, not field names.
      return Object.fromEntries(Object.entries(block).map(([k, v]) => [k, convertValue(v, target.additionalProperties, schemas, [...at, k])]));
    }
    const out: Obj = {};
    for (const [key, child] of Object.entries(block)) {
      let name = camel(key);
      if (!(name in target.properties) && `${name}s` in target.properties) name = `${name}s`;
      if (!(name in target.properties)) {
        out[name] = child; // no such field: the schema check reports it
        continue;
      }
      const converted = convertValue(child, target.properties[name], schemas, [...at, name]);
      if (name in out && Array.isArray(out[name]) && Array.isArray(converted)) out[name].push(...converted);
      else out[name] = converted;
    }
    return out;
  }
  if (types.includes('array')) {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => convertValue(item, target.items, schemas, [...at, String(index)]));
  }
  if (types.includes('number') && typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (types.length === 1 && types[0] === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

type Resolver = (expression: string) => unknown;

/** Resolves `type.id.path` references to literal attributes of resources in the same stack. */
function expressionResolver(stack: Obj): Resolver {
  return (expression) => {
    const match = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(.+)$/.exec(expression.trim());
    if (!match) return undefined;
    let node: unknown = stack.resource?.[match[1]]?.[match[2]];
    for (const segment of match[3].split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '')) {
      if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
      else if (isObject(node) && /^\d+$/.test(segment) && Number(segment) === 0)
        continue; // a block synthesized as an object: index 0 is the object itself
      else if (isObject(node)) node = node[segment];
      else return undefined;
    }
    return typeof node === 'string' && !node.includes('${') ? node : typeof node === 'number' || typeof node === 'boolean' ? node : undefined;
  };
}

/** Replaces `${...}` in every string: resolved when it is a literal reference, else the placeholder. */
export function resolveExpressions(value: unknown, resolve: Resolver = () => undefined): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const whole = /^\$\{([^{}]*)\}$/.exec(value);
    if (whole) {
      const resolved = resolve(whole[1]);
      return resolved !== undefined ? resolved : APPLY_TIME_PLACEHOLDER;
    }
    return replaceInterpolations(value, (inner) => {
      const resolved = resolve(inner);
      return resolved !== undefined ? String(resolved) : APPLY_TIME_PLACEHOLDER;
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolveExpressions(item, resolve));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveExpressions(v, resolve)]));
  return value;
}

/** Replaces each `${...}` (with nested braces) in a string. */
export function replaceInterpolations(text: string, replace: (inner: string) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start);
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    out += replace(text.slice(start + 2, end));
    i = end + 1;
  }
  return out;
}

import type { IConstruct } from '../core/cdktf';

/**
 * Escape hatches (`extraValues` of the gateway, the controller and the add-ons) are raw chart values
 * no typed prop reviewed. The constructs record which values came through one on the Helm release
 * they feed (construct metadata, nothing synthesized), and KP-HELM-008 holds them, in production, to
 * a short list of reviewed keys: scheduling and pod metadata. Anything else (Kong settings through
 * `env` or `customEnv`, Services, volumes, probes, ...) needs a typed prop or a waiver with a reason,
 * which the policy report shows.
 */

const METADATA_TYPE = 'kong-platform/escape-hatch';

/** What one escape hatch put into a release: its field (`gateway.extraValues`) and the leaf paths it set. */
export interface EscapeHatchUse {
  readonly field: string;
  readonly paths: readonly string[];
}

/** Keys any chart may take through an escape hatch in production: where and how pods are scheduled, their metadata. */
const REVIEWED_KEYS =
  /(^|\.)(podAnnotations|podLabels|nodeSelector|tolerations|affinity|topologySpreadConstraints|priorityClassName|resources|terminationGracePeriodSeconds)(\.|$)/;
/** Kong settings (`env.<name>`) tuning performance and logs only. */
const REVIEWED_KONG_SETTINGS =
  /^(ingressController\.)?env\.(log_level|nginx_worker_processes|mem_cache_size|nginx_http_client_body_buffer_size|nginx_http_client_max_body_size|upstream_keepalive_pool_size|upstream_keepalive_max_requests|upstream_keepalive_idle_timeout|lua_ssl_verify_depth)$/;

/** Whether `path` (dotted, inside the escape hatch) is on the reviewed list. */
export function isReviewedEscapeHatchPath(path: string): boolean {
  return REVIEWED_KEYS.test(path) || REVIEWED_KONG_SETTINGS.test(path.toLowerCase());
}

/** The leaf paths of a values tree (lists are leaves). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return prefix ? [prefix] : [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

/** Records on `release` (the helm_release resource) the values an escape hatch gave it. */
export function recordEscapeHatch(release: IConstruct, field: string, values: unknown): void {
  const paths = leafPaths(values);
  if (paths.length > 0) release.node.addMetadata(METADATA_TYPE, { field, paths } satisfies EscapeHatchUse);
}

/** The escape hatch uses recorded on a construct. */
export function escapeHatchUses(construct: IConstruct | undefined): EscapeHatchUse[] {
  if (!construct) return [];
  return construct.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => m.data as EscapeHatchUse);
}

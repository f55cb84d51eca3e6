/**
 * Turns `terraform show -json <planfile>` output (JSON format_version 1.x) into a reviewer-facing
 * Markdown summary and a GitLab Terraform report.
 *
 * Safety rule: the plan JSON carries sensitive values in clear text (`variables`, `change.before/after`,
 * `prior_state`). The summary renders resource addresses, types, action names, reasons and attribute NAMES,
 * and, only as evidence of a risk finding (delivery/plan-risk-rules.ts), the before → after value of the
 * attribute that makes the change risky, unless that attribute is sensitive (then `(sensitive)`).
 */
import { evaluateRiskRules, RiskFinding } from './plan-risk-rules';

export type { RiskFinding } from './plan-risk-rules';

/** What a reviewer sees per resource; Terraform's action lists are folded into one of these. */
export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'no-op' | 'forget';

/** Order of the counts table and of the per-action sections: destructive first. */
export const PLAN_ACTIONS: readonly PlanAction[] = ['replace', 'delete', 'update', 'create', 'read', 'forget', 'no-op'];

/**
 * Resource types whose deletion or replacement loses data, an identity, or the whole platform: a reviewer must
 * look at them before apply. `aws_s3_bucket` is only high risk when it holds Terraform state (see
 * {@link PlanSummaryOptions.stateBucketPattern}); `helm_release` only when it installs Kong (see
 * {@link isKongHelmRelease}).
 */
export const HIGH_RISK_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_eks_cluster: 'EKS cluster: every workload on it is rebuilt',
  aws_eks_node_group: 'EKS node group: its nodes are drained and recreated',
  aws_db_instance: 'RDS instance: data is lost unless restored from a snapshot',
  aws_rds_cluster: 'Aurora/RDS cluster: data is lost unless restored from a snapshot',
  aws_kms_key: 'KMS key: whatever it encrypts becomes unreadable once the key is deleted',
  aws_vpc: 'VPC: every subnet, load balancer and node in it is recreated',
  azurerm_kubernetes_cluster: 'AKS cluster: every workload on it is rebuilt',
  azurerm_kubernetes_cluster_node_pool: 'AKS node pool: its nodes are drained and recreated',
  azurerm_storage_account: 'Storage account: its blobs (often Terraform state) are lost',
  azurerm_key_vault: 'Key Vault: its keys, secrets and certificates are lost (or soft-deleted)',
  azurerm_virtual_network: 'Virtual network: every subnet and node in it is recreated',
  azurerm_mssql_server: 'SQL server: its databases are lost',
  azurerm_mssql_database: 'SQL database: data is lost',
  azurerm_postgresql_server: 'PostgreSQL server: data is lost',
  azurerm_postgresql_flexible_server: 'PostgreSQL flexible server: data is lost',
};

/** Default heuristic for an S3 bucket that holds Terraform state: `tfstate`, `tf-state`, `terraform-state`... */
export const DEFAULT_STATE_BUCKET_PATTERN = /(tf|terraform)[-_.]?state/i;

export interface PlanSummaryOptions {
  /**
   * Stack name shown in the title (e.g. the folder under `cdktf.out/stacks/`).
   * @default - no stack name in the title
   */
  readonly stackName?: string;
  /**
   * Buckets known to hold Terraform state (exact names), in addition to the name heuristic.
   * @default []
   */
  readonly stateBuckets?: readonly string[];
  /**
   * Name heuristic for state buckets, matched against the bucket name and the resource address.
   * @default DEFAULT_STATE_BUCKET_PATTERN
   */
  readonly stateBucketPattern?: RegExp;
  /**
   * Extra resource types (type -> why) treated as high risk on delete or replace.
   * @default {}
   */
  readonly extraHighRiskTypes?: Readonly<Record<string, string>>;
}

/** One resource change as the summary shows it. Holds names only, never values. */
export interface ResourceChangeSummary {
  readonly address: string;
  readonly type: string;
  readonly mode: 'managed' | 'data';
  readonly action: PlanAction;
  /** Terraform's raw action list, e.g. `["create","delete"]` for create-before-destroy. */
  readonly terraformActions: readonly string[];
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`. */
  readonly actionReason?: string;
  /** Top-level attribute names whose value changes (or becomes unknown), sorted. */
  readonly changedAttributes: readonly string[];
  /** Subset of `changedAttributes` that is sensitive before or after. */
  readonly sensitiveAttributes: readonly string[];
  /** Top-level attribute names whose new value is computed by the provider during apply. */
  readonly knownAfterApply: readonly string[];
  /** Top-level attribute names that force the replacement (`replace_paths`). */
  readonly forcesReplacement: readonly string[];
  /** The resource is being imported by this plan. */
  readonly importing: boolean;
  /** Address the resource had before a `moved` block (or `terraform state mv`) renamed it. */
  readonly movedFrom?: string;
  /** A deposed object (left over by a failed create-before-destroy) that this plan removes. */
  readonly deposed: boolean;
  /** Why this change is high risk; undefined when it is not. */
  readonly highRiskReason?: string;
  /** Risk rule findings (high and warning) with their before → after evidence. */
  readonly risks: readonly RiskFinding[];
}

export interface OutputChangeSummary {
  readonly name: string;
  readonly action: PlanAction;
  readonly sensitive: boolean;
}

export interface PlanSummary {
  readonly stackName?: string;
  readonly terraformVersion: string;
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Every change (no-ops only when moved), high risk first, then by action (see {@link PLAN_ACTIONS}). */
  readonly changes: readonly ResourceChangeSummary[];
  /** Deletes and replaces, high risk ones first. */
  readonly destructive: readonly ResourceChangeSummary[];
  readonly highRisk: readonly ResourceChangeSummary[];
  readonly outputChanges: readonly OutputChangeSummary[];
  /** The plan errored (`terraform plan` failed part-way): the summary is incomplete. */
  readonly errored: boolean;
  /** Resources changed outside Terraform since the last apply. */
  readonly driftCount: number;
}

/** GitLab's `artifacts:reports:terraform` format (MR widget). A replace counts as one create plus one delete. */
export interface GitlabTerraformReport {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
}

interface RawChange {
  readonly actions: unknown;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly replace_paths?: unknown;
  readonly importing?: unknown;
}

interface RawResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly previous_address?: string;
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: RawChange;
}

/** The subset of the `terraform show -json` plan representation this module reads. */
export interface TerraformPlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly RawResourceChange[];
  readonly resource_drift?: readonly unknown[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: unknown; readonly before_sensitive?: unknown; readonly after_sensitive?: unknown }>>;
  readonly errored?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `json` is a `terraform show -json` PLAN (not state, not a binary plan, not `terraform plan -json`
 * log lines) in a format version this module understands (1.x), and returns it typed.
 */
export function parsePlanJson(json: unknown, source = 'plan'): TerraformPlanJson {
  if (!isRecord(json)) {
    throw new Error(`${source}: expected the JSON object printed by \`terraform show -json <planfile>\`, got ${Array.isArray(json) ? 'an array' : typeof json}`);
  }
  const version = json.format_version;
  if (typeof version !== 'string' || !/^1\.\d+$/.test(version)) {
    throw new Error(`${source}: unsupported format_version ${JSON.stringify(version)}; expected "1.x" from \`terraform show -json <planfile>\` (Terraform >= 1.0)`);
  }
  if (!('resource_changes' in json) && !('planned_values' in json)) {
    throw new Error(`${source}: no "resource_changes" nor "planned_values": this looks like state (\`terraform show -json\` without a plan file), not a plan`);
  }
  const changes = json.resource_changes ?? [];
  if (!Array.isArray(changes)) {
    throw new Error(`${source}: "resource_changes" must be an array, got ${typeof changes}`);
  }
  changes.forEach((rc: unknown, i: number) => {
    if (!isRecord(rc) || typeof rc.address !== 'string' || typeof rc.type !== 'string' || !isRecord(rc.change) || !Array.isArray(rc.change.actions)) {
      throw new Error(`${source}: resource_changes[${i}] lacks address, type or change.actions`);
    }
  });
  return json as unknown as TerraformPlanJson;
}

/** Folds Terraform's action list into one reviewer action. */
export function classifyActions(actions: readonly unknown[], where = 'change'): PlanAction {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'read':
      return 'read';
    case 'no-op':
      return 'no-op';
    case 'forget':
      return 'forget';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      throw new Error(
        `${where}: unknown Terraform action list ${JSON.stringify(actions)}; expected one of create, update, delete, read, no-op, forget, [delete,create], [create,delete]`,
      );
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `true` or any nested `true` in a sensitivity mask. */
function containsTrue(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(containsTrue);
  if (isRecord(mask)) return Object.values(mask).some(containsTrue);
  return false;
}

interface AttributeChanges {
  readonly changed: string[];
  readonly sensitive: string[];
  readonly knownAfterApply: string[];
}

/**
 * Top-level attribute names that change. An attribute whose new value is only known after apply (computed ids,
 * ARNs...) is reported in `knownAfterApply` unless it forces the replacement, so the list a reviewer reads is the
 * one the configuration change caused.
 */
function topLevelAttributeChanges(change: RawChange, forcesReplacement: readonly string[]): AttributeChanges {
  const before = isRecord(change.before) ? change.before : {};
  const after = isRecord(change.after) ? change.after : {};
  const unknown = isRecord(change.after_unknown) ? change.after_unknown : {};
  const beforeSensitive = change.before_sensitive;
  const afterSensitive = change.after_sensitive;
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  const changed: string[] = [];
  const sensitive: string[] = [];
  const knownAfterApply: string[] = [];
  for (const name of names) {
    const becomesUnknown = containsTrue(unknown[name]);
    if (becomesUnknown && !forcesReplacement.includes(name)) {
      knownAfterApply.push(name);
      continue;
    }
    if (!becomesUnknown && deepEqual(before[name], after[name])) continue;
    changed.push(name);
    const isSensitive =
      beforeSensitive === true ||
      afterSensitive === true ||
      (isRecord(beforeSensitive) && containsTrue(beforeSensitive[name])) ||
      (isRecord(afterSensitive) && containsTrue(afterSensitive[name]));
    if (isSensitive) sensitive.push(name);
  }
  return { changed: changed.sort(), sensitive: sensitive.sort(), knownAfterApply: knownAfterApply.sort() };
}

function stringAttribute(change: RawChange, name: string): string[] {
  return [change.before, change.after]
    .filter(isRecord)
    .map((v) => v[name])
    .filter((v): v is string => typeof v === 'string');
}

/**
 * A `helm_release` installing Kong (gateway or ingress controller): its chart is `kong` or `ingress`, or its
 * release name or address mentions kong. Replacing it drops every route until the new release is ready.
 */
export function isKongHelmRelease(address: string, change: RawChange): boolean {
  const charts = stringAttribute(change, 'chart');
  if (charts.some((c) => /(^|\/)(kong|ingress)$/.test(c))) return true;
  return [...stringAttribute(change, 'name'), address].some((n) => /kong/i.test(n));
}

function isStateBucket(rc: RawResourceChange, options: PlanSummaryOptions): boolean {
  if (rc.type !== 'aws_s3_bucket') return false;
  const pattern = options.stateBucketPattern ?? DEFAULT_STATE_BUCKET_PATTERN;
  const names = stringAttribute(rc.change, 'bucket');
  return names.some((n) => (options.stateBuckets ?? []).includes(n)) || [...names, rc.address].some((n) => pattern.test(n));
}

function highRiskReasonFor(rc: RawResourceChange, action: PlanAction, options: PlanSummaryOptions, risks: readonly RiskFinding[]): string | undefined {
  if (rc.mode === 'data') return undefined;
  const high = risks.filter((r) => r.severity === 'high').map((r) => r.reason);
  if (high.length > 0) return high.join('; ');
  if (action !== 'delete' && action !== 'replace') return undefined;
  const known = options.extraHighRiskTypes?.[rc.type] ?? HIGH_RISK_RESOURCE_TYPES[rc.type];
  if (known) return known;
  if (rc.type === 'helm_release' && isKongHelmRelease(rc.address, rc.change)) {
    return 'Kong Helm release: traffic through the gateway stops until the new release is ready';
  }
  return undefined;
}

function topLevelPaths(paths: unknown): string[] {
  if (!Array.isArray(paths)) return [];
  const names = paths.map((p) => (Array.isArray(p) ? p[0] : undefined)).filter((n): n is string => typeof n === 'string');
  return [...new Set(names)].sort();
}

function emptyCounts(): Record<PlanAction, number> {
  return { create: 0, update: 0, replace: 0, delete: 0, read: 0, 'no-op': 0, forget: 0 };
}

const ACTION_RANK = new Map(PLAN_ACTIONS.map((a, i) => [a, i]));

function byRiskThenAction(a: ResourceChangeSummary, b: ResourceChangeSummary): number {
  const risk = Number(b.highRiskReason !== undefined) - Number(a.highRiskReason !== undefined);
  if (risk !== 0) return risk;
  const action = (ACTION_RANK.get(a.action) ?? 99) - (ACTION_RANK.get(b.action) ?? 99);
  return action !== 0 ? action : a.address.localeCompare(b.address);
}

/** Reads a parsed plan and returns what a reviewer needs, names only. */
export function summarizePlan(planJson: unknown, options: PlanSummaryOptions = {}): PlanSummary {
  const plan = parsePlanJson(planJson);
  const counts = emptyCounts();
  const changes: ResourceChangeSummary[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = classifyActions(rc.change.actions as unknown[], rc.address);
    counts[action] += 1;
    // A moved resource with no other change is still worth a reviewer's glance (it is a refactor).
    if (action === 'no-op' && !rc.previous_address) continue;
    const forcesReplacement = topLevelPaths(rc.change.replace_paths);
    const { changed, sensitive, knownAfterApply } =
      action === 'update' || action === 'replace' ? topLevelAttributeChanges(rc.change, forcesReplacement) : { changed: [], sensitive: [], knownAfterApply: [] };
    const risks =
      rc.mode === 'data'
        ? []
        : evaluateRiskRules(
            {
              type: rc.type,
              action,
              before: rc.change.before,
              after: rc.change.after,
              beforeSensitive: rc.change.before_sensitive,
              afterSensitive: rc.change.after_sensitive,
              afterUnknown: rc.change.after_unknown,
            },
            isStateBucket(rc, options),
          );
    changes.push({
      address: rc.address,
      type: rc.type,
      mode: rc.mode === 'data' ? 'data' : 'managed',
      action,
      terraformActions: (rc.change.actions as unknown[]).map(String),
      actionReason: rc.action_reason,
      changedAttributes: changed,
      sensitiveAttributes: sensitive,
      knownAfterApply,
      forcesReplacement,
      importing: isRecord(rc.change.importing),
      movedFrom: rc.previous_address,
      deposed: typeof rc.deposed === 'string',
      highRiskReason: highRiskReasonFor(rc, action, options, risks),
      risks,
    });
  }
  changes.sort(byRiskThenAction);
  const outputChanges: OutputChangeSummary[] = Object.entries(plan.output_changes ?? {})
    .map(([name, oc]) => ({
      name,
      action: classifyActions(Array.isArray(oc.actions) ? oc.actions : [], `output ${name}`),
      sensitive: containsTrue(oc.before_sensitive) || containsTrue(oc.after_sensitive),
    }))
    .filter((oc) => oc.action !== 'no-op')
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    stackName: options.stackName,
    terraformVersion: plan.terraform_version ?? 'unknown',
    counts,
    changes,
    destructive: changes.filter((c) => c.action === 'delete' || c.action === 'replace' || c.risks.length > 0),
    highRisk: changes.filter((c) => c.highRiskReason !== undefined),
    outputChanges,
    errored: plan.errored === true,
    driftCount: (plan.resource_drift ?? []).length,
  };
}

/** GitLab MR-widget report; same arithmetic as GitLab's documented jq filter (a replace is a create and a delete). */
export function gitlabTerraformReport(summary: PlanSummary): GitlabTerraformReport {
  const { counts } = summary;
  return {
    create: counts.create + counts.replace,
    update: counts.update,
    delete: counts.delete + counts.replace,
  };
}

/** True when applying the plan would change something (resources or outputs). */
export function hasChanges(summary: PlanSummary): boolean {
  return summary.changes.some((c) => c.action !== 'read') || summary.outputChanges.length > 0;
}

/** Addresses may contain quotes and brackets (`x["a"]`): code spans keep them literal; backticks cannot occur. */
function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

function attributeList(change: ResourceChangeSummary): string {
  if (change.changedAttributes.length === 0) return '';
  const forced = new Set(change.forcesReplacement);
  const sensitive = new Set(change.sensitiveAttributes);
  return change.changedAttributes.map((n) => code(n) + (forced.has(n) ? ' (forces replacement)' : '') + (sensitive.has(n) ? ' (sensitive)' : '')).join(', ');
}

function changeLine(change: ResourceChangeSummary): string {
  const parts = [`- ${code(change.address)}`];
  if (change.action === 'replace') {
    parts.push(change.terraformActions[0] === 'create' ? '(create before destroy)' : '(destroy before create)');
  }
  if (change.importing) parts.push('(import)');
  if (change.movedFrom) parts.push(`(moved from ${code(change.movedFrom)})`);
  if (change.deposed) parts.push('(deposed object)');
  if (change.actionReason) parts.push(`— ${change.actionReason.replace(/_/g, ' ')}`);
  const attrs = attributeList(change);
  if (attrs) parts.push(`— changes: ${attrs}`);
  if (change.knownAfterApply.length > 0) parts.push(`(+${change.knownAfterApply.length} known after apply)`);
  return parts.join(' ');
}

const ACTION_TITLES: Record<PlanAction, string> = {
  replace: 'Replace',
  delete: 'Delete',
  update: 'Update in place',
  create: 'Create',
  read: 'Read (data sources)',
  forget: 'Forget (removed from state, kept in the cloud)',
  'no-op': 'Moved, otherwise unchanged',
};

/** Renders the summary as GitLab/GitHub-flavoured Markdown. Contains no attribute values. */
export function renderPlanSummaryMarkdown(summary: PlanSummary): string {
  const lines: string[] = [];
  lines.push(`## Terraform plan${summary.stackName ? `: ${code(summary.stackName)}` : ''}`);
  lines.push('');
  if (summary.errored) {
    lines.push('> **Warning:** the plan errored; this summary is incomplete. Read the job log.');
    lines.push('');
  }
  if (summary.highRisk.length > 0) {
    lines.push(`> **${summary.highRisk.length} high-risk change(s)** — read the High risk section before approving.`);
    lines.push('');
  }
  lines.push('| Action | Count |');
  lines.push('| --- | ---: |');
  for (const action of ['create', 'update', 'replace', 'delete', 'no-op', 'read', 'forget'] as const) {
    if (action === 'forget' && summary.counts.forget === 0) continue;
    lines.push(`| ${action} | ${summary.counts[action]} |`);
  }
  lines.push('');

  if (!hasChanges(summary)) {
    lines.push('**No changes.** Applying this plan changes no infrastructure and no outputs.');
    if (summary.driftCount > 0) {
      lines.push('');
      lines.push(`Note: ${summary.driftCount} resource(s) changed outside Terraform since the last apply (drift); the plan accepts them as they are.`);
    }
    lines.push('');
    return lines.join('\n');
  }

  if (summary.destructive.length > 0) {
    lines.push('### High risk, destructive and risky changes');
    lines.push('');
    for (const change of summary.destructive) {
      const marker = change.highRiskReason ? `**HIGH RISK** ${change.action.toUpperCase()}` : change.action.toUpperCase();
      const warnings = change.risks.filter((r) => r.severity === 'warning').map((r) => r.reason);
      const label = change.highRiskReason ? marker : warnings.length > 0 ? `**REVIEW** ${change.action.toUpperCase()}` : marker;
      const why = change.highRiskReason ?? (warnings.length > 0 ? warnings.join('; ') : undefined);
      lines.push(`- ${label} ${code(change.address)}${why ? ` — ${why}` : ''}`);
      for (const risk of change.risks) {
        for (const e of risk.evidence) lines.push(`  - ${code(e.attribute)}: ${code(e.before)} → ${code(e.after)}`);
      }
    }
    lines.push('');
  }

  for (const action of PLAN_ACTIONS) {
    const group = summary.changes.filter((c) => c.action === action);
    if (group.length === 0) continue;
    lines.push(`### ${ACTION_TITLES[action]} (${group.length})`);
    lines.push('');
    lines.push(...group.map(changeLine));
    lines.push('');
  }

  if (summary.outputChanges.length > 0) {
    lines.push(`### Outputs (${summary.outputChanges.length})`);
    lines.push('');
    for (const oc of summary.outputChanges) {
      lines.push(`- ${code(oc.name)}: ${oc.action}${oc.sensitive ? ' (sensitive)' : ''}`);
    }
    lines.push('');
  }
  if (summary.driftCount > 0) {
    lines.push(`Note: ${summary.driftCount} resource(s) changed outside Terraform since the last apply (drift).`);
    lines.push('');
  }
  lines.push(
    `<sub>Terraform ${summary.terraformVersion}. Values are shown only as evidence of a risk, never for sensitive attributes; read \`terraform show\` in the job for details.</sub>`,
  );
  lines.push('');
  return lines.join('\n');
}

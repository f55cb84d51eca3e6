/**
 * Risk rules over one resource change of a `terraform show -json` plan: what opens the platform to the
 * Internet, grants everything, or removes a protection. Each finding carries evidence: the attribute with its
 * before → after value, so a reviewer sees what changes without opening the plan. Values of sensitive
 * attributes are never shown (`(sensitive)`); values are cut to a short length.
 *
 * Severity `high` makes the change high risk (the apply gate refuses it without ALLOW_HIGH_RISK); `warning`
 * is listed for review but does not block (a public HTTPS edge is the platform's purpose).
 */

export type RiskSeverity = 'high' | 'warning';

export interface RiskEvidence {
  readonly attribute: string;
  readonly before: string;
  readonly after: string;
}

export interface RiskFinding {
  readonly rule: string;
  readonly severity: RiskSeverity;
  readonly reason: string;
  readonly evidence: readonly RiskEvidence[];
}

/** The parts of a resource change the rules read. */
export interface RiskInput {
  readonly type: string;
  readonly action: 'create' | 'update' | 'replace' | 'delete' | 'read' | 'no-op' | 'forget';
  readonly before: unknown;
  readonly after: unknown;
  readonly beforeSensitive: unknown;
  readonly afterSensitive: unknown;
  readonly afterUnknown: unknown;
}

export const WORLD_CIDRS = ['0.0.0.0/0', '::/0'] as const;
/** Ports a public edge serves on purpose: open to the world they are a warning, any other port is high risk. */
const PUBLIC_EDGE_PORTS = new Set([80, 443]);
const MAX_VALUE = 160;

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function asList(value: unknown): any[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}
function containsTrue(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(containsTrue);
  if (isRecord(mask)) return Object.values(mask).some(containsTrue);
  return false;
}

/** One attribute's value as the summary may show it: masked when sensitive, `(known after apply)` when unknown. */
function shown(side: 'before' | 'after', input: RiskInput, attribute: string, value: unknown): string {
  const topLevel = attribute.split(/[.[]/)[0];
  const mask = side === 'before' ? input.beforeSensitive : input.afterSensitive;
  if (mask === true || (isRecord(mask) && containsTrue(mask[topLevel]))) return '(sensitive)';
  if (side === 'after' && isRecord(input.afterUnknown) && containsTrue(input.afterUnknown[topLevel]) && value === undefined) return '(known after apply)';
  if (value === undefined || value === null) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function evidence(input: RiskInput, attribute: string, before: unknown, after: unknown): RiskEvidence {
  return { attribute, before: shown('before', input, attribute, before), after: shown('after', input, attribute, after) };
}

const creatingOrChanging = (input: RiskInput) => input.action === 'create' || input.action === 'update' || input.action === 'replace';
const removing = (input: RiskInput) => input.action === 'delete' || input.action === 'replace';

interface OpenRule {
  readonly cidrs: string[];
  readonly fromPort: number;
  readonly toPort: number;
  readonly protocol: string;
}

/** World-open ingress of the security-group resource types, as `cidr on from-to/protocol`. */
function worldOpenIngress(type: string, value: unknown): OpenRule[] {
  if (!isRecord(value)) return [];
  const rule = (r: Record<string, any>, cidrs: unknown[]): OpenRule[] => {
    const open = cidrs.filter((c): c is string => typeof c === 'string' && (WORLD_CIDRS as readonly string[]).includes(c));
    return open.length === 0
      ? []
      : [{ cidrs: open, fromPort: Number(r.from_port ?? 0), toPort: Number(r.to_port ?? 65535), protocol: String(r.protocol ?? r.ip_protocol ?? '-1') }];
  };
  switch (type) {
    case 'aws_security_group':
      return asList(value.ingress)
        .filter(isRecord)
        .flatMap((r) => rule(r, [...asList(r.cidr_blocks), ...asList(r.ipv6_cidr_blocks)]));
    case 'aws_security_group_rule':
      return value.type === 'ingress' ? rule(value, [...asList(value.cidr_blocks), ...asList(value.ipv6_cidr_blocks)]) : [];
    case 'aws_vpc_security_group_ingress_rule':
      return rule(value, [value.cidr_ipv4, value.cidr_ipv6]);
    default:
      return [];
  }
}

function describeOpen(rules: OpenRule[]): string | undefined {
  if (rules.length === 0) return undefined;
  return rules.map((r) => `${r.cidrs.join(',')} on ${r.protocol === '-1' ? 'all ports' : `${r.fromPort}-${r.toPort}/${r.protocol}`}`).join('; ');
}

function openSecurityGroup(input: RiskInput): RiskFinding | undefined {
  if (!creatingOrChanging(input)) return undefined;
  const after = worldOpenIngress(input.type, input.after);
  if (after.length === 0) return undefined;
  const beforeText = describeOpen(worldOpenIngress(input.type, input.before));
  const afterText = describeOpen(after)!;
  if (beforeText === afterText) return undefined;
  const edgeOnly = after.every((r) => r.protocol !== '-1' && r.fromPort === r.toPort && PUBLIC_EDGE_PORTS.has(r.fromPort));
  const attribute = input.type === 'aws_security_group' ? 'ingress' : input.type === 'aws_security_group_rule' ? 'cidr_blocks' : 'cidr_ipv4';
  return {
    rule: 'security-group-open-to-world',
    severity: edgeOnly ? 'warning' : 'high',
    reason: edgeOnly
      ? 'security group open to the whole Internet on HTTP/HTTPS (expected only for the public edge load balancer)'
      : 'security group open to the whole Internet (0.0.0.0/0 or ::/0) beyond HTTP/HTTPS',
    evidence: [{ attribute, before: beforeText ?? '(no world-open ingress)', after: afterText }],
  };
}

const IAM_POLICY_TYPES = new Set(['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']);

/** Statements allowing every action (`*` or `*:*`) on every resource. */
function wildcardStatements(policy: unknown): string[] {
  if (typeof policy !== 'string') return [];
  let doc: any;
  try {
    doc = JSON.parse(policy);
  } catch {
    return [];
  }
  return asList(doc?.Statement)
    .filter(isRecord)
    .filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a) => a === '*' || a === '*:*') && asList(s.Resource).includes('*'))
    .map((s) => `${s.Sid ? `${s.Sid}: ` : ''}Allow ${asList(s.Action).join(',')} on *`);
}

function iamWildcard(input: RiskInput): RiskFinding | undefined {
  if (!creatingOrChanging(input) || !IAM_POLICY_TYPES.has(input.type)) return undefined;
  const after = wildcardStatements(isRecord(input.after) ? input.after.policy : undefined);
  if (after.length === 0) return undefined;
  const before = wildcardStatements(isRecord(input.before) ? input.before.policy : undefined);
  if (before.join(';') === after.join(';')) return undefined;
  const masked = shown('after', input, 'policy', 'x') === '(sensitive)';
  return {
    rule: 'iam-allow-everything',
    severity: 'high',
    reason: 'IAM policy allows every action on every resource (*:*)',
    evidence: [{ attribute: 'policy', before: masked ? '(sensitive)' : before.join('; ') || '(no *:* statement)', after: masked ? '(sensitive)' : after.join('; ') }],
  };
}

function publicClusterEndpoint(input: RiskInput): RiskFinding | undefined {
  if (!creatingOrChanging(input)) return undefined;
  if (input.type === 'aws_eks_cluster') {
    const vpc = (v: unknown) => (isRecord(v) ? asList(v.vpc_config).find(isRecord) : undefined) as Record<string, any> | undefined;
    const after = vpc(input.after);
    if (!after || after.endpoint_public_access !== true) return undefined;
    const before = vpc(input.before);
    const cidrs = asList(after.public_access_cidrs);
    if (before?.endpoint_public_access === true && JSON.stringify(asList(before.public_access_cidrs)) === JSON.stringify(cidrs)) return undefined;
    const world = cidrs.length === 0 || cidrs.some((c) => (WORLD_CIDRS as readonly string[]).includes(c));
    return {
      rule: 'public-cluster-endpoint',
      severity: world ? 'high' : 'warning',
      reason: world ? 'EKS API endpoint public to the whole Internet' : 'EKS API endpoint public for the listed CIDRs',
      evidence: [
        evidence(input, 'vpc_config.endpoint_public_access', before?.endpoint_public_access, after.endpoint_public_access),
        evidence(input, 'vpc_config.public_access_cidrs', before?.public_access_cidrs, after.public_access_cidrs),
      ],
    };
  }
  if (input.type === 'azurerm_kubernetes_cluster') {
    const after = isRecord(input.after) ? input.after : undefined;
    if (!after || after.private_cluster_enabled !== false) return undefined;
    const before = isRecord(input.before) ? input.before : undefined;
    if (before?.private_cluster_enabled === false) return undefined;
    const ranges = asList(asList(after.api_server_access_profile).find(isRecord)?.authorized_ip_ranges);
    return {
      rule: 'public-cluster-endpoint',
      severity: ranges.length === 0 || ranges.some((c) => (WORLD_CIDRS as readonly string[]).includes(c)) ? 'high' : 'warning',
      reason: 'AKS API server public (private_cluster_enabled = false)',
      evidence: [evidence(input, 'private_cluster_enabled', before?.private_cluster_enabled, after.private_cluster_enabled)],
    };
  }
  return undefined;
}

function wafAssociationRemoved(input: RiskInput): RiskFinding | undefined {
  if (input.type !== 'aws_wafv2_web_acl_association' || !removing(input)) return undefined;
  const before = isRecord(input.before) ? input.before : {};
  return {
    rule: 'waf-association-removed',
    severity: 'high',
    reason:
      input.action === 'delete'
        ? 'the WAF is detached from the load balancer: traffic reaches Kong unfiltered'
        : 'the WAF association is recreated: traffic is unfiltered in between',
    evidence: [
      evidence(input, 'web_acl_arn', before.web_acl_arn, isRecord(input.after) ? input.after.web_acl_arn : undefined),
      evidence(input, 'resource_arn', before.resource_arn, isRecord(input.after) ? input.after.resource_arn : undefined),
    ],
  };
}

const PUBLIC_ACCESS_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

function publicAccessBlockRemoved(input: RiskInput): RiskFinding | undefined {
  if (input.type !== 'aws_s3_bucket_public_access_block' && input.type !== 'aws_s3_account_public_access_block') return undefined;
  const before = isRecord(input.before) ? input.before : {};
  const after = isRecord(input.after) ? input.after : undefined;
  if (input.action === 'delete') {
    return {
      rule: 'public-access-block-removed',
      severity: 'high',
      reason: 'the S3 public access block is deleted: the bucket can be made public',
      evidence: [evidence(input, 'bucket', before.bucket, undefined), ...PUBLIC_ACCESS_FLAGS.map((f) => evidence(input, f, before[f], undefined))],
    };
  }
  if (!after || (input.action !== 'update' && input.action !== 'replace')) return undefined;
  const weakened = PUBLIC_ACCESS_FLAGS.filter((f) => before[f] === true && after[f] !== true);
  if (weakened.length === 0) return undefined;
  return {
    rule: 'public-access-block-removed',
    severity: 'high',
    reason: 'the S3 public access block is weakened',
    evidence: weakened.map((f) => evidence(input, f, before[f], after[f])),
  };
}

/** Every rule; `stateBucket` is the state-bucket verdict the summary computes (names and --state-bucket). */
export function evaluateRiskRules(input: RiskInput, isStateBucket: boolean): RiskFinding[] {
  const findings = [openSecurityGroup(input), iamWildcard(input), publicClusterEndpoint(input), wafAssociationRemoved(input), publicAccessBlockRemoved(input)];
  if (input.type === 'aws_s3_bucket' && removing(input) && isStateBucket) {
    const before = isRecord(input.before) ? input.before : {};
    findings.push({
      rule: 'state-bucket-deleted',
      severity: 'high',
      reason: 'S3 bucket holding Terraform state: losing it orphans every resource it tracks',
      evidence: [evidence(input, 'bucket', before.bucket, isRecord(input.after) ? input.after.bucket : undefined)],
    });
  }
  return findings.filter((f): f is RiskFinding => f !== undefined);
}

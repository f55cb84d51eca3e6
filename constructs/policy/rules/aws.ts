import { block, blocks, dig, isFalse, isTrue, isUnknown, show, stringList } from '../attributes';
import { ADMIN_NETWORK_BUDGET, addressCoverage, tooWide } from '../address-ranges';
import { PolicyRule, PolicySubject, policyRule } from '../rule';

const ANY_IPV4 = '0.0.0.0/0';
/**
 * Every EKS control-plane log type. Kept here rather than imported from the EKS construct: the
 * guardrails are an independent check of what the constructs produce.
 */
const EKS_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const isType =
  (...types: string[]) =>
  (s: PolicySubject) =>
    types.includes(s.type);
const attr = (s: PolicySubject, path: string) => dig(s.attributes, path);

/** ALB/NLB TLS policies that negotiate TLS 1.2 or newer only. */
export const TLS12_PLUS_SSL_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

const LB_TYPES = ['aws_lb', 'aws_alb'];
const LISTENER_TYPES = ['aws_lb_listener', 'aws_alb_listener'];
const isApplicationLb = (s: PolicySubject) => LB_TYPES.includes(s.type) && [undefined, 'application'].includes(attr(s, 'load_balancer_type') as string | undefined);

export const awsRules: PolicyRule[] = [
  policyRule({
    id: 'KP-AWS-001',
    area: 'aws',
    title: 'EKS API endpoint not open to the Internet',
    rationale: 'A world-reachable Kubernetes API is one leaked credential or API-server CVE away from a cluster takeover.',
    checkov: ['CKV_AWS_38', 'CKV_AWS_39'],
    reads: 'aws_eks_cluster: vpc_config.endpoint_public_access, vpc_config.public_access_cidrs (address coverage)',
    appliesTo: isType('aws_eks_cluster'),
    check(s) {
      const publicAccess = attr(s, 'vpc_config.endpoint_public_access');
      // The provider's default is a public endpoint, and its default CIDR list is 0.0.0.0/0.
      if (isFalse(publicAccess) || isUnknown(publicAccess)) return [];
      const raw = attr(s, 'vpc_config.public_access_cidrs');
      if (isUnknown(raw)) return [];
      const cidrs = stringList(raw) ?? [];
      if (cidrs.length === 0) return [`public endpoint enabled without public_access_cidrs (defaults to ${ANY_IPV4}): disable it or list admin networks`];
      const invalid = addressCoverage(cidrs).invalid;
      if (invalid.length) return [`public_access_cidrs has entries that are not CIDRs: ${show(invalid)}`];
      const wide = tooWide(cidrs, ADMIN_NETWORK_BUDGET);
      return wide ? [`public endpoint open too wide: public_access_cidrs ${show(cidrs)} ${wide}; list admin networks, or disable the public endpoint`] : [];
    },
  }),
  policyRule({
    id: 'KP-AWS-002',
    area: 'aws',
    title: 'EKS Secrets encrypted with a KMS key',
    rationale: 'Envelope encryption keeps Kubernetes Secrets unreadable in etcd backups and snapshots without the customer key.',
    checkov: ['CKV_AWS_58'],
    reads: 'aws_eks_cluster: encryption_config[].resources, encryption_config[].provider.key_arn',
    appliesTo: isType('aws_eks_cluster'),
    check(s) {
      const configs = blocks(s.attributes.encryption_config);
      const ok = configs.some((c) => {
        const resources = stringList(c.resources);
        const key = dig(c, 'provider.key_arn');
        return (resources === undefined || resources.includes('secrets')) && typeof key === 'string' && key.length > 0;
      });
      return ok || isUnknown(s.attributes.encryption_config) ? [] : ['encryption_config with resources ["secrets"] and a KMS provider.key_arn is missing'];
    },
  }),
  policyRule({
    id: 'KP-AWS-003',
    area: 'aws',
    title: 'EKS control-plane logging for every log type',
    rationale: 'Audit and authenticator logs are the only record of who did what through the Kubernetes API.',
    checkov: ['CKV_AWS_37'],
    reads: 'aws_eks_cluster: enabled_cluster_log_types',
    appliesTo: isType('aws_eks_cluster'),
    check(s) {
      const raw = s.attributes.enabled_cluster_log_types;
      if (isUnknown(raw)) return [];
      const enabled = stringList(raw) ?? [];
      const missing = EKS_CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length ? [`enabled_cluster_log_types lacks ${missing.join(', ')} (need all of ${EKS_CONTROL_PLANE_LOG_TYPES.join(', ')})`] : [];
    },
  }),
  policyRule({
    id: 'KP-AWS-004',
    area: 'aws',
    title: 'Node launch templates require IMDSv2 with hop limit 1',
    rationale: 'IMDSv1 or a hop limit above 1 lets any pod steal the node IAM role credentials (SSRF).',
    checkov: ['CKV_AWS_79', 'CKV_AWS_341'],
    reads: 'aws_launch_template: metadata_options.http_tokens, metadata_options.http_put_response_hop_limit',
    appliesTo: isType('aws_launch_template'),
    check(s) {
      const problems: string[] = [];
      const tokens = attr(s, 'metadata_options.http_tokens');
      if (!isUnknown(tokens) && tokens !== 'required') problems.push(`metadata_options.http_tokens is ${show(tokens)}, must be "required" (IMDSv2 only)`);
      const hops = attr(s, 'metadata_options.http_put_response_hop_limit');
      if (hops !== undefined && !isUnknown(hops) && Number(hops) > 1)
        problems.push(`metadata_options.http_put_response_hop_limit is ${show(hops)}, must be 1 (pods use IRSA, not the node role)`);
      return problems;
    },
  }),
  policyRule({
    id: 'KP-AWS-005',
    area: 'aws',
    title: 'EKS node groups without SSH remote access',
    rationale: 'SSH keys on nodes bypass Kubernetes RBAC and audit; SSM or kubectl debug cover operations.',
    checkov: ['CKV_AWS_100'],
    reads: 'aws_eks_node_group: remote_access',
    appliesTo: isType('aws_eks_node_group'),
    check: (s) => (block(s.attributes.remote_access) ? ['remote_access is set: node groups must not allow SSH (use SSM Session Manager)'] : []),
  }),
  policyRule({
    id: 'KP-AWS-006',
    area: 'aws',
    title: 'ECR tags immutable',
    rationale: 'A mutable tag can be repointed to another image after review; immutable tags make a tag mean one image.',
    checkov: ['CKV_AWS_51'],
    reads: 'aws_ecr_repository: image_tag_mutability',
    appliesTo: isType('aws_ecr_repository'),
    check(s) {
      const v = s.attributes.image_tag_mutability;
      return isUnknown(v) || v === 'IMMUTABLE' || v === 'IMMUTABLE_WITH_EXCLUSION' ? [] : [`image_tag_mutability is ${show(v ?? 'MUTABLE')}, must be "IMMUTABLE"`];
    },
  }),
  policyRule({
    id: 'KP-AWS-007',
    area: 'aws',
    title: 'ECR scans images on push',
    rationale: 'Known CVEs in a pushed image are reported before the image is deployed.',
    checkov: ['CKV_AWS_163'],
    reads: 'aws_ecr_repository: image_scanning_configuration.scan_on_push',
    appliesTo: isType('aws_ecr_repository'),
    check(s) {
      const v = attr(s, 'image_scanning_configuration.scan_on_push');
      return isTrue(v) || isUnknown(v) ? [] : [`image_scanning_configuration.scan_on_push is ${show(v)}, must be true`];
    },
  }),
  policyRule({
    id: 'KP-AWS-008',
    area: 'aws',
    title: 'ECR encrypted with KMS',
    rationale: 'A customer key puts image access under key policy and CloudTrail.',
    checkov: ['CKV_AWS_136'],
    reads: 'aws_ecr_repository: encryption_configuration.encryption_type',
    appliesTo: isType('aws_ecr_repository'),
    check(s) {
      const v = attr(s, 'encryption_configuration.encryption_type');
      return v === 'KMS' || isUnknown(v) ? [] : [`encryption_configuration.encryption_type is ${show(v ?? 'AES256')}, must be "KMS"`];
    },
  }),
  policyRule({
    id: 'KP-AWS-009',
    area: 'aws',
    title: 'WAF blocks Log4j (Known bad inputs rule group)',
    rationale: 'Log4Shell payloads still arrive daily; the AWS KnownBadInputs group blocks them before they reach any backend.',
    checkov: ['CKV_AWS_192'],
    reads: 'aws_wafv2_web_acl: rule[] with AWSManagedRulesKnownBadInputsRuleSet, its override_action.count, excluded_rule and rule_action_override (`Log4JRCE*`)',
    appliesTo: isType('aws_wafv2_web_acl'),
    check(s) {
      if (isUnknown(s.attributes.rule)) return [];
      const group = blocks(s.attributes.rule).find((r) => dig(r, 'statement.managed_rule_group_statement.name') === 'AWSManagedRulesKnownBadInputsRuleSet');
      if (!group) return ['no rule evaluates the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet (Log4JRCE rules)'];
      const problems: string[] = [];
      if (block(group.override_action) && block(dig(group, 'override_action.count'))) {
        problems.push(`rule ${show(group.name)} overrides the group action to count: it only counts Log4j requests`);
      }
      const statement = block(dig(group, 'statement.managed_rule_group_statement'))!;
      const disabled = [
        ...blocks(statement.excluded_rule).map((r) => r.name),
        ...blocks(statement.rule_action_override)
          .filter((r) => !block(dig(r, 'action_to_use.block')))
          .map((r) => r.name),
      ].filter((name): name is string => typeof name === 'string' && name.startsWith('Log4JRCE'));
      if (disabled.length) problems.push(`rule ${show(group.name)} disables ${disabled.join(', ')}`);
      return problems;
    },
  }),
  policyRule({
    id: 'KP-AWS-010',
    area: 'aws',
    title: 'Load balancer TLS listeners use a TLS 1.2+ policy',
    rationale: 'TLS 1.0/1.1 and their cipher suites are broken and banned by PCI DSS.',
    checkov: ['CKV_AWS_103'],
    reads: 'aws_lb_listener / aws_alb_listener with protocol HTTPS or TLS: ssl_policy',
    appliesTo: (s) => LISTENER_TYPES.includes(s.type) && ['HTTPS', 'TLS'].includes(s.attributes.protocol as string),
    check(s) {
      const policy = s.attributes.ssl_policy;
      if (isUnknown(policy)) return [];
      return typeof policy === 'string' && TLS12_PLUS_SSL_POLICY.test(policy)
        ? []
        : [`ssl_policy is ${show(policy ?? 'the provider default ELBSecurityPolicy-2016-08 (TLS 1.0)')}, use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`];
    },
  }),
  policyRule({
    id: 'KP-AWS-011',
    area: 'aws',
    title: 'Plain HTTP listeners only redirect to HTTPS',
    rationale: 'Serving over HTTP sends tokens and API keys in clear text.',
    checkov: ['CKV_AWS_2'],
    reads: 'aws_lb_listener / aws_alb_listener with protocol HTTP: default_action[].type, redirect.protocol',
    appliesTo: (s) => LISTENER_TYPES.includes(s.type) && s.attributes.protocol === 'HTTP',
    check(s) {
      if (isUnknown(s.attributes.default_action)) return [];
      const actions = blocks(s.attributes.default_action);
      const ok = actions.length > 0 && actions.every((a) => a.type === 'redirect' && dig(a, 'redirect.protocol') === 'HTTPS');
      return ok ? [] : ['an HTTP listener must only redirect to HTTPS (default_action type "redirect", redirect.protocol "HTTPS")'];
    },
  }),
  policyRule({
    id: 'KP-AWS-012',
    area: 'aws',
    title: 'ALB drops invalid header fields',
    rationale: 'Malformed headers are the raw material of request smuggling against the backends.',
    checkov: ['CKV_AWS_131'],
    reads: 'aws_lb / aws_alb (application): drop_invalid_header_fields',
    appliesTo: isApplicationLb,
    check(s) {
      const v = s.attributes.drop_invalid_header_fields;
      return isTrue(v) || isUnknown(v) ? [] : [`drop_invalid_header_fields is ${show(v)}, must be true`];
    },
  }),
  policyRule({
    id: 'KP-AWS-013',
    area: 'aws',
    title: 'Load balancer access logs enabled',
    rationale: 'Access logs are the evidence trail for incident response at the edge.',
    checkov: ['CKV_AWS_91'],
    reads: 'aws_lb / aws_alb: access_logs.enabled',
    appliesTo: isType(...LB_TYPES),
    check(s) {
      const logs = block(s.attributes.access_logs);
      if (isUnknown(logs?.enabled)) return [];
      // The provider's default is enabled: false, even with a bucket.
      return logs && isTrue(logs.enabled) ? [] : ['access_logs.enabled is not true'];
    },
  }),
  policyRule({
    id: 'KP-AWS-014',
    area: 'aws',
    title: 'ALB desync mitigation defensive or strictest',
    rationale: 'Monitor mode lets HTTP desync (request smuggling) attempts through to the backends.',
    checkov: ['CKV_AWS_328'],
    reads: 'aws_lb / aws_alb (application): desync_mitigation_mode',
    appliesTo: isApplicationLb,
    check(s) {
      const v = s.attributes.desync_mitigation_mode;
      return v === undefined || isUnknown(v) || v === 'defensive' || v === 'strictest' ? [] : [`desync_mitigation_mode is ${show(v)}, use "defensive" or "strictest"`];
    },
  }),
  policyRule({
    id: 'KP-AWS-015',
    area: 'aws',
    title: 'CloudWatch log groups encrypted with KMS',
    rationale: 'Control-plane, WAF and flow logs contain request data and identities; a customer key controls who reads them.',
    checkov: ['CKV_AWS_158'],
    reads: 'aws_cloudwatch_log_group: kms_key_id',
    appliesTo: isType('aws_cloudwatch_log_group'),
    check: (s) => (s.attributes.kms_key_id ? [] : ['kms_key_id is not set']),
  }),
  policyRule({
    id: 'KP-AWS-016',
    area: 'aws',
    title: 'KMS keys rotate',
    rationale: 'Yearly rotation limits how much data one compromised key version exposes.',
    checkov: ['CKV_AWS_7'],
    reads: 'aws_kms_key (symmetric): enable_key_rotation',
    appliesTo: (s) => s.type === 'aws_kms_key' && [undefined, 'SYMMETRIC_DEFAULT'].includes(s.attributes.customer_master_key_spec as string | undefined),
    check(s) {
      const v = s.attributes.enable_key_rotation;
      return isTrue(v) || isUnknown(v) ? [] : [`enable_key_rotation is ${show(v)}, must be true`];
    },
  }),
  policyRule({
    id: 'KP-AWS-017',
    area: 'aws',
    title: 'S3 public access fully blocked',
    rationale: 'State, logs and artifacts must never become public through an ACL or bucket policy mistake.',
    checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
    reads: 'aws_s3_bucket_public_access_block: block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets',
    appliesTo: isType('aws_s3_bucket_public_access_block'),
    check(s) {
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      const off = flags.filter((f) => !isTrue(s.attributes[f]) && !isUnknown(s.attributes[f]));
      return off.length ? [`${off.join(', ')} must be true`] : [];
    },
  }),
  policyRule({
    id: 'KP-AWS-018',
    area: 'aws',
    title: 'Subnets do not assign public IPs',
    rationale: 'Anything launched into the subnet would be directly reachable from the Internet.',
    checkov: ['CKV_AWS_130'],
    reads: 'aws_subnet: map_public_ip_on_launch',
    appliesTo: isType('aws_subnet'),
    check: (s) =>
      isTrue(s.attributes.map_public_ip_on_launch)
        ? ['map_public_ip_on_launch is true: only load balancers and NAT gateways belong in public subnets, with no auto-assigned IPs']
        : [],
  }),
];

import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Construct, Fn } from '../core/cdktf';
import { checkNamePrefix, invalidProp } from './validation';

/**
 * AWS managed rule groups the web ACL always evaluates, in priority order. None has rules
 * excluded: KnownBadInputs keeps its Log4j (Log4JRCE) rules active.
 */
export const EDGE_MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList', priority: 10 },
  { name: 'AWSManagedRulesCommonRuleSet', priority: 40 },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', priority: 50 },
  { name: 'AWSManagedRulesSQLiRuleSet', priority: 60 },
] as const;

/** Request headers that carry credentials; never written to the WAF log. */
export const WAF_REDACTED_HEADERS = ['authorization', 'cookie', 'x-api-key'] as const;

/** Options of {@link EdgeWaf} that have defaults. */
export interface EdgeWafOptions {
  /**
   * Requests per client IP in a 5-minute window before the rate-based rule blocks it.
   * @default 2000
   */
  readonly rateLimit?: number;
  /**
   * ISO 3166-1 alpha-2 country codes allowed; all others are blocked. Absent = no geo rule.
   * @default no geo restriction
   */
  readonly allowedCountries?: string[];
  /**
   * Retention of the WAF log group in days.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/** Props of {@link EdgeWaf}. */
export interface EdgeWafProps extends EdgeWafOptions {
  /** Name of the web ACL and prefix of its metrics and log group. */
  readonly name: string;
  /** KMS key ARN of the WAF log group (its policy must allow CloudWatch Logs). */
  readonly logKmsKeyArn: string;
  /** AWS account id (Terraform reference allowed), to scope the log delivery policy. */
  readonly accountId: string;
  /** AWS region, to scope the log delivery policy. */
  readonly region: string;
  /** AWS partition. */
  readonly partition: string;
}

/** Terraform JSON shape of one `rule` block of `aws_wafv2_web_acl` (the generated binding omits it). */
interface WafRuleBlock {
  readonly name: string;
  readonly priority: number;
  readonly action?: Record<string, Record<string, never>>;
  readonly override_action?: Record<string, Record<string, never>>;
  readonly statement: Record<string, unknown>;
  readonly visibility_config: { cloudwatch_metrics_enabled: boolean; metric_name: string; sampled_requests_enabled: boolean };
}

/**
 * A regional WAFv2 web ACL for the Internet-facing ALB: AWS managed rule groups (IP
 * reputation, common, known bad inputs incl. Log4j, SQL injection), a per-IP rate limit,
 * an optional country allow-list, and full request logging (credentials redacted) to an
 * encrypted CloudWatch log group. Associate it with {@link EdgeLoadBalancer}.
 */
export class EdgeWaf extends Construct {
  /** The web ACL. */
  public readonly webAcl: Wafv2WebAcl;
  /** The web ACL ARN. */
  public readonly webAclArn: string;
  /** The WAF log group. */
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EdgeWafProps) {
    super(scope, id);
    checkNamePrefix(this, 'name', props.name, 100);
    const rateLimit = props.rateLimit ?? 2000;
    if (!Number.isInteger(rateLimit) || rateLimit < 100 || rateLimit > 2_000_000_000) {
      invalidProp(this, 'rateLimit', rateLimit, 'use a whole number of requests per 5 minutes from 100 to 2000000000');
    }
    const countries = props.allowedCountries;
    if (countries !== undefined) {
      const bad = countries.find((c) => !/^[A-Z]{2}$/.test(c));
      if (countries.length === 0 || bad !== undefined) {
        invalidProp(this, 'allowedCountries', countries, 'list ISO 3166-1 alpha-2 codes such as ["DE", "FR"], or leave it out');
      }
    }

    const visibility = (metric: string) => ({
      cloudwatch_metrics_enabled: true,
      metric_name: `${props.name}-${metric}`,
      sampled_requests_enabled: true,
    });
    const rules: WafRuleBlock[] = EDGE_MANAGED_RULE_GROUPS.map((group) => ({
      name: group.name,
      priority: group.priority,
      override_action: { none: {} },
      statement: { managed_rule_group_statement: { name: group.name, vendor_name: 'AWS' } },
      visibility_config: visibility(group.name),
    }));
    rules.push({
      name: 'rate-limit-per-client-ip',
      priority: 20,
      action: { block: {} },
      statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      visibility_config: visibility('rate-limit'),
    });
    if (countries) {
      rules.push({
        name: 'allowed-countries-only',
        priority: 30,
        action: { block: {} },
        statement: { not_statement: { statement: { geo_match_statement: { country_codes: countries } } } },
        visibility_config: visibility('geo'),
      });
    }
    rules.sort((a, b) => a.priority - b.priority);

    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      name: props.name,
      description: 'Kong API platform edge: managed rules, rate limit',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: props.name, sampledRequestsEnabled: true },
    });
    // The generated binding leaves out `rule` (too deeply nested); the provider schema has it.
    this.webAcl.addOverride('rule', rules);
    this.webAclArn = this.webAcl.arn;

    // WAF only delivers to log groups whose name starts with "aws-waf-logs-".
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.logKmsKeyArn,
    });
    const delivery = new CloudwatchLogResourcePolicy(this, 'log-delivery-policy', {
      policyName: `${props.name}-waf-log-delivery`,
      policyDocument: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.logGroup.arn}:*`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': props.accountId },
              ArnLike: { 'aws:SourceArn': `arn:${props.partition}:logs:${props.region}:${props.accountId}:*` },
            },
          },
        ],
      }),
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      dependsOn: [delivery],
    });
  }
}

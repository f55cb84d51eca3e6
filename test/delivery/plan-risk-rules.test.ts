import { readFileSync } from 'fs';
import { join } from 'path';
import { renderPlanSummaryMarkdown, summarizePlan } from '../../delivery/plan-summary';

// One fixture per rule (test/fixtures/plans/risk/<rule>.json): each must be flagged with its before -> after values.
const FIXTURES = join(__dirname, '..', 'fixtures', 'plans', 'risk');
const load = (rule: string) => JSON.parse(readFileSync(join(FIXTURES, `${rule}.json`), 'utf8'));
const findings = (rule: string) => summarizePlan(load(rule)).changes.flatMap((c) => c.risks.map((r) => ({ address: c.address, ...r })));

describe('plan summary risk rules (delivery/plan-risk-rules.ts), one fixture each', () => {
  test('a security group opened to 0.0.0.0/0 and ::/0 on SSH is high risk with its before -> after; the HTTPS edge is a review item', () => {
    // WHEN
    const summary = summarizePlan(load('security-group-open-to-world'));
    const md = renderPlanSummaryMarkdown(summary);
    // THEN
    expect(summary.highRisk.map((c) => c.address)).toEqual(['aws_security_group.bastion']);
    expect(findings('security-group-open-to-world').map((f) => [f.address, f.severity])).toEqual([
      ['aws_security_group.bastion', 'high'],
      ['aws_vpc_security_group_ingress_rule.alb_https', 'warning'],
    ]);
    expect(md).toContain('  - `ingress`: `(no world-open ingress)` → `0.0.0.0/0,::/0 on 22-22/tcp`');
    expect(md).toContain('**REVIEW** CREATE `aws_vpc_security_group_ingress_rule.alb_https`');
  });

  test('an IAM policy allowing *:* on * is high risk; a sensitive policy is flagged with its text masked', () => {
    // WHEN
    const summary = summarizePlan(load('iam-allow-everything'));
    const md = renderPlanSummaryMarkdown(summary);
    // THEN
    expect(summary.highRisk.map((c) => c.address).sort()).toEqual(['aws_iam_policy.hidden', 'aws_iam_role_policy.ci']);
    expect(md).toContain('  - `policy`: `(no *:* statement)` → `Everything: Allow *:* on *`');
    expect(md).toContain('  - `policy`: `(sensitive)` → `(sensitive)`');
    expect(md.split('\n').filter((l) => l.includes('Everything: Allow'))).toHaveLength(1);
  });

  test('a cluster endpoint made public to the Internet is high risk, with both vpc_config values', () => {
    // WHEN
    const md = renderPlanSummaryMarkdown(summarizePlan(load('public-cluster-endpoint')));
    // THEN
    expect(findings('public-cluster-endpoint').map((f) => [f.rule, f.severity])).toEqual([['public-cluster-endpoint', 'high']]);
    expect(md).toContain('  - `vpc_config.endpoint_public_access`: `false` → `true`');
    expect(md).toContain('  - `vpc_config.public_access_cidrs`: `[]` → `["0.0.0.0/0"]`');
  });

  test('a restricted public endpoint is a review item, not high risk', () => {
    // GIVEN the same change with an office CIDR
    const plan = load('public-cluster-endpoint');
    plan.resource_changes[0].change.after.vpc_config[0].public_access_cidrs = ['198.51.100.0/24'];
    // WHEN / THEN
    expect(summarizePlan(plan).highRisk).toEqual([]);
    expect(summarizePlan(plan).changes[0].risks.map((r) => r.severity)).toEqual(['warning']);
  });

  test('deleting the WAF association is high risk, naming the web ACL and the load balancer', () => {
    // WHEN
    const summary = summarizePlan(load('waf-association-removed'));
    const md = renderPlanSummaryMarkdown(summary);
    // THEN
    expect(summary.highRisk.map((c) => c.address)).toEqual(['aws_wafv2_web_acl_association.edge']);
    expect(md).toContain('  - `web_acl_arn`: `arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/kong-edge/abcd` → `(none)`');
  });

  test('deleting or weakening an S3 public access block is high risk, listing the flags', () => {
    // WHEN
    const summary = summarizePlan(load('public-access-block-removed'));
    const md = renderPlanSummaryMarkdown(summary);
    // THEN
    expect(summary.highRisk.map((c) => c.address).sort()).toEqual(['aws_s3_bucket_public_access_block.assets', 'aws_s3_bucket_public_access_block.logs']);
    expect(md).toContain('  - `block_public_policy`: `true` → `false`');
    expect(md).toContain('  - `bucket`: `kong-aws-dev-alb-logs` → `(none)`');
  });

  test('deleting the state bucket (named by --state-bucket, as deliver.ts passes the backend bucket) is high risk with its name', () => {
    // WHEN
    const summary = summarizePlan(load('state-bucket-deleted'), { stateBuckets: ['kong-platform-aws-dev-state'] });
    const md = renderPlanSummaryMarkdown(summary);
    // THEN
    expect(summary.changes[0].risks.map((f) => f.rule)).toEqual(['state-bucket-deleted']);
    expect(summarizePlan(load('state-bucket-deleted')).highRisk).toEqual([]);
    expect(md).toContain('**HIGH RISK** DELETE `aws_s3_bucket.state_bucket`');
    expect(md).toContain('  - `bucket`: `kong-platform-aws-dev-state` → `(none)`');
  });

  test('an unchanged world-open security group is not flagged again', () => {
    // GIVEN the bastion already open, only its name changing
    const plan = load('security-group-open-to-world');
    const change = plan.resource_changes[0].change;
    change.before = { ...change.after, name: 'old' };
    plan.resource_changes = [plan.resource_changes[0]];
    // WHEN / THEN
    expect(summarizePlan(plan).changes[0].risks).toEqual([]);
  });
});

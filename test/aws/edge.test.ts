import { EdgeCertificate } from '../../constructs/aws/edge-certificate';
import { TLS12_PLUS_SSL_POLICIES, EdgeLoadBalancer } from '../../constructs/aws/edge-load-balancer';
import { EdgeWaf, EDGE_MANAGED_RULE_GROUPS } from '../../constructs/aws/edge-waf';
import { addressOf, awsInput, only, resources, synthCluster, testStack } from './fixture';
import { synthJson } from '../support/terraform-json';

describe('edge WAF', () => {
  const { json } = synthCluster();
  const acl = only(json, 'aws_wafv2_web_acl');
  const rules: any[] = acl.rule;
  const managed = (name: string) => rules.find((r) => r.statement.managed_rule_group_statement?.name === name);

  test('a regional web ACL that allows what no rule blocks', () => {
    expect(acl).toMatchObject({ scope: 'REGIONAL', default_action: { allow: {} } });
  });

  test.each(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesAmazonIpReputationList'])(
    'the AWS managed rule group %s is evaluated with its own actions',
    (name) => {
      const rule = managed(name);
      expect(rule).toBeDefined();
      expect(rule.statement.managed_rule_group_statement.vendor_name).toBe('AWS');
      expect(rule.override_action).toEqual({ none: {} });
    },
  );

  test('KnownBadInputs keeps every rule, Log4j included (no exclusions or overrides)', () => {
    const statement = managed('AWSManagedRulesKnownBadInputsRuleSet').statement.managed_rule_group_statement;
    expect(statement).toEqual({ name: 'AWSManagedRulesKnownBadInputsRuleSet', vendor_name: 'AWS' });
  });

  test('a rate-based rule blocks a client IP above the configured rate per 5 minutes', () => {
    const rate = rules.find((r) => r.statement.rate_based_statement);
    expect(rate.action).toEqual({ block: {} });
    expect(rate.statement.rate_based_statement).toEqual({ limit: 2000, aggregate_key_type: 'IP', evaluation_window_sec: 300 });
  });

  test('rule priorities are unique and every rule emits metrics and samples', () => {
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    for (const r of rules) expect(r.visibility_config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
    expect(rules).toHaveLength(EDGE_MANAGED_RULE_GROUPS.length + 1);
  });

  test('allowedCountries adds a rule that blocks every other country', () => {
    const geo = only(synthCluster({ aws: awsInput({ edge: { allowedCountries: ['DE', 'FR'] } }) }).json, 'aws_wafv2_web_acl').rule.find((r: any) => r.statement.not_statement);
    expect(geo.action).toEqual({ block: {} });
    expect(geo.statement).toEqual({ not_statement: { statement: { geo_match_statement: { country_codes: ['DE', 'FR'] } } } });
  });

  test('WAF logs go to an encrypted aws-waf-logs-* group, with credentials redacted', () => {
    const logging = only(json, 'aws_wafv2_web_acl_logging_configuration');
    const group = addressOf(json, 'aws_cloudwatch_log_group', (g) => g.name.startsWith('aws-waf-logs-'));
    expect(logging.log_destination_configs).toEqual([`\${${group}.arn}`]);
    expect(logging.resource_arn).toBe(`\${${addressOf(json, 'aws_wafv2_web_acl', () => true)}.arn}`);
    expect(logging.redacted_fields.map((f: any) => f.single_header.name)).toEqual(['authorization', 'cookie', 'x-api-key']);
    expect(json.resource.aws_cloudwatch_log_group[group.split('.')[1]].kms_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  test('the web ACL is associated with the ALB in Terraform', () => {
    expect(only(json, 'aws_wafv2_web_acl_association')).toEqual({
      resource_arn: `\${${addressOf(json, 'aws_lb', () => true)}.arn}`,
      web_acl_arn: `\${${addressOf(json, 'aws_wafv2_web_acl', () => true)}.arn}`,
    });
  });
});

describe('edge WAF: bad input', () => {
  const build = (props: Partial<ConstructorParameters<typeof EdgeWaf>[2]>) =>
    new EdgeWaf(testStack(), 'waf', { name: 'kong-test-edge', logKmsKeyArn: 'k', accountId: '123456789012', region: 'eu-west-1', partition: 'aws', ...props });

  test('a rate limit below 100 fails', () => {
    expect(() => build({ rateLimit: 10 })).toThrow(/stack\/waf: invalid rateLimit 10: use a whole number of requests per 5 minutes from 100/);
  });

  test('a country that is not an ISO code fails', () => {
    expect(() => build({ allowedCountries: ['Germany'] })).toThrow(/invalid allowedCountries \["Germany"\]: list ISO 3166-1 alpha-2 codes/);
  });
});

describe('edge load balancer', () => {
  const { json } = synthCluster();
  const alb = only(json, 'aws_lb');
  const listeners = resources(json, 'aws_lb_listener');
  const https = listeners.find((l) => l.protocol === 'HTTPS');
  const http = listeners.find((l) => l.protocol === 'HTTP');

  test('an Internet-facing ALB in the public subnets that drops invalid header fields', () => {
    expect(alb).toMatchObject({ load_balancer_type: 'application', internal: false, drop_invalid_header_fields: true, desync_mitigation_mode: 'strictest' });
    for (const subnet of alb.subnets) expect(subnet).toMatch(/aws_subnet\.network_public-/);
  });

  test('the HTTPS listener negotiates TLS 1.2+ only, with the validated ACM certificate', () => {
    expect(https.port).toBe(443);
    expect(https.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(https.certificate_arn).toBe(`\${${addressOf(json, 'aws_acm_certificate_validation', () => true)}.certificate_arn}`);
    expect(https.default_action).toEqual([{ type: 'forward', target_group_arn: `\${${addressOf(json, 'aws_lb_target_group', () => true)}.arn}` }]);
  });

  test('port 80 only redirects to HTTPS', () => {
    expect(http.port).toBe(80);
    expect(http.default_action).toEqual([{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }]);
  });

  test('access logs go to a private, encrypted, TLS-only bucket', () => {
    const bucket = addressOf(json, 'aws_s3_bucket', (b) => /alb-logs/.test(b.bucket));
    expect(alb.access_logs).toEqual({ bucket: `\${${bucket}.bucket}`, prefix: 'alb', enabled: true });
    const sse = resources(json, 'aws_s3_bucket_server_side_encryption_configuration').find((c) => c.bucket === `\${${bucket}.id}`);
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    const block = resources(json, 'aws_s3_bucket_public_access_block').find((c) => c.bucket === `\${${bucket}.id}`);
    expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = resources(json, 'aws_s3_bucket_policy').find((c) => c.bucket === `\${${bucket}.id}`).policy as string;
    expect(policy).toContain('"aws:SecureTransport" = "false"');
  });

  test("the target group takes pod IPs on Kong's TLS port, health-checked on the status listener", () => {
    expect(only(json, 'aws_lb_target_group')).toMatchObject({
      target_type: 'ip',
      protocol: 'HTTPS',
      port: 8443,
      health_check: { protocol: 'HTTP', port: '8100', path: '/status/ready', matcher: '200' },
    });
  });

  test("the ALB may only reach Kong's proxy and status ports inside the VPC", () => {
    const rules = resources(json, 'aws_security_group_rule');
    const egress = rules.filter((r) => r.type === 'egress');
    expect(egress.map((r) => [r.from_port, r.to_port, r.cidr_blocks]).sort()).toEqual([
      [8100, 8100, ['10.0.0.0/16']],
      [8443, 8443, ['10.0.0.0/16']],
    ]);
    const toPods = rules.filter((r) => r.type === 'ingress' && r.source_security_group_id);
    for (const r of toPods) expect(r.security_group_id).toMatch(/^\$\{aws_eks_cluster\..+\.vpc_config\[0\]\.cluster_security_group_id\}$/);
  });

  test('production ALBs have deletion protection', () => {
    expect(only(synthCluster({ production: true }).json, 'aws_lb').enable_deletion_protection).toBe(true);
    expect(alb.enable_deletion_protection).toBe(false);
  });

  test('the certificate is requested for the domain and validated by DNS in the given zone', () => {
    expect(only(json, 'aws_acm_certificate')).toMatchObject({ domain_name: 'api.dev.example.com', validation_method: 'DNS' });
    const record = resources(json, 'aws_route53_record').find((r) => r.for_each);
    expect(record.zone_id).toBe('Z0123456789ABCDEFGHIJ');
  });

  test('a given certificate ARN is used as is, nothing is requested', () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
    const withArn = synthCluster({ aws: awsInput({ edge: { certificateArn: arn, hostedZoneId: undefined } }) }).json;
    expect(resources(withArn, 'aws_acm_certificate')).toHaveLength(0);
    expect(resources(withArn, 'aws_lb_listener').find((l) => l.protocol === 'HTTPS').certificate_arn).toBe(arn);
  });
});

describe('edge load balancer: bad input', () => {
  const base = {
    name: 'kong-test-edge',
    domainName: 'api.example.com',
    vpcId: 'vpc',
    vpcCidr: '10.0.0.0/16',
    publicSubnetIds: ['a', 'b'],
    certificateArn: 'c',
    webAclArn: 'w',
    targetSecurityGroupId: 'sg',
    accessLogBucketName: 'logs',
  };
  const build = (props: Partial<ConstructorParameters<typeof EdgeLoadBalancer>[2]>) => new EdgeLoadBalancer(testStack(), 'edge', { ...base, ...props });

  test('a TLS policy that allows TLS 1.0/1.1 fails, listing the allowed ones', () => {
    expect(() => build({ sslPolicy: 'ELBSecurityPolicy-2016-08' })).toThrow(
      new RegExp(`stack/edge: invalid sslPolicy "ELBSecurityPolicy-2016-08": use a TLS 1\\.2\\+ policy: ${TLS12_PLUS_SSL_POLICIES[0]}`),
    );
  });

  test('a name longer than the ALB limit fails', () => {
    expect(() => build({ name: 'a'.repeat(29) })).toThrow(/invalid name "a{29}": use lowercase letters, digits and "-", at most 28 characters/);
  });

  test('an edge with neither certificate ARN nor hosted zone fails', () => {
    expect(() => new EdgeCertificate(testStack(), 'certificate', { domainName: 'api.example.com' })).toThrow(
      /stack\/certificate: invalid hostedZoneId undefined: give certificateArn .* or hostedZoneId/,
    );
  });

  test('a certificate ARN that is not an ACM ARN fails', () => {
    expect(() => new EdgeCertificate(testStack(), 'certificate', { domainName: 'api.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' })).toThrow(
      /invalid certificateArn "arn:aws:iam::123456789012:server-certificate\/x": use an ACM certificate ARN/,
    );
  });
});

describe('edge certificate: DNS validation records', () => {
  const synthRecords = (alternativeNames: string[]) => {
    const stack = testStack();
    new EdgeCertificate(stack, 'certificate', { domainName: 'api.example.com', hostedZoneId: 'Z123', subjectAlternativeNames: alternativeNames });
    return Object.values(synthJson(stack).resource.aws_route53_record) as any[];
  };

  test('with several names, the records are keyed by the names known at synth (not by the unknown validation options)', () => {
    // WHEN
    const [record, ...others] = synthRecords(['payments.example.com', 'partners.example.com']);
    // THEN one record resource, one instance per name, each looking up its own validation option
    expect(others).toEqual([]);
    expect(record.for_each).toBe('${toset(["api.example.com", "partners.example.com", "payments.example.com"])}');
    expect(record.for_each).not.toContain('domain_validation_options');
    expect(record.name).toMatch(
      /^\$\{tostring\(one\(\[ for key, val in toset\(tolist\(aws_acm_certificate\.[\w]+\.domain_validation_options\)\): val\.resource_record_name if val\.domain_name == each\.value\]\)\)\}$/,
    );
    expect(record.records[0]).toContain('val.resource_record_value if val.domain_name == each.value');
  });

  test('a wildcard of a listed name shares its record (ACM gives both the same one)', () => {
    // WHEN
    const [record] = synthRecords(['*.api.example.com', 'b.example.com']);
    // THEN
    expect(record.for_each).toBe('${toset(["api.example.com", "b.example.com"])}');
  });
});

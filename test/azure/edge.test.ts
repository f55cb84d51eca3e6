import { APP_GATEWAY_TLS_POLICY, ApplicationGatewayEdge } from '../../constructs/azure/application-gateway-edge';
import { LogAnalytics } from '../../constructs/azure/log-analytics';
import { CERT_SECRET_ID, KEY_VAULT_ID, addressOf, azureInput, only, resources, synthCluster, testStack } from './fixture';

describe('Application Gateway WAF edge', () => {
  const { json } = synthCluster({ production: true });
  const gateway = only(json, 'azurerm_application_gateway');
  const policy = only(json, 'azurerm_web_application_firewall_policy');
  const gatewayAddress = addressOf(json, 'azurerm_application_gateway');
  const byName = (list: any[], name: string) => list.find((x) => x.name === name);

  test('WAF_v2 across the zones, autoscaled', () => {
    expect(gateway.sku).toEqual({ name: 'WAF_v2', tier: 'WAF_v2' });
    expect(gateway.zones).toEqual(['1', '2', '3']);
    expect(gateway.autoscale_configuration).toEqual({ min_capacity: 2, max_capacity: 10 });
  });

  test('the WAF policy is associated with the gateway and the association is enforced', () => {
    expect(gateway.firewall_policy_id).toBe(`\${${addressOf(json, 'azurerm_web_application_firewall_policy')}.id}`);
    expect(gateway.force_firewall_policy_association).toBe(true);
  });

  test('the WAF policy blocks (Prevention) and inspects request bodies', () => {
    expect(policy.policy_settings).toMatchObject({ enabled: true, mode: 'Prevention', request_body_check: true, request_body_enforcement: true });
  });

  test('OWASP CRS 3.2 and the bot manager rule set, none of their rules overridden', () => {
    expect(policy.managed_rules.managed_rule_set).toEqual([
      { type: 'OWASP', version: '3.2' },
      { type: 'Microsoft_BotManagerRuleSet', version: '1.1' },
    ]);
  });

  test('a per-client rate limit blocks floods', () => {
    expect(policy.custom_rules).toEqual([
      expect.objectContaining({ rule_type: 'RateLimitRule', action: 'Block', rate_limit_duration: 'OneMin', rate_limit_threshold: 1200, group_rate_limit_by: 'ClientAddr' }),
    ]);
  });

  test('TLS 1.2+ only, strong ciphers', () => {
    expect(gateway.ssl_policy).toEqual({ policy_type: 'Predefined', policy_name: APP_GATEWAY_TLS_POLICY });
  });

  test('the certificate comes from Key Vault through the gateway identity, which may read secrets of that vault', () => {
    const identity = addressOf(json, 'azurerm_user_assigned_identity', (i) => i.name.endsWith('-appgw'));
    expect(gateway.ssl_certificate).toEqual([{ name: 'api-certificate', key_vault_secret_id: CERT_SECRET_ID }]);
    expect(gateway.identity).toEqual({ type: 'UserAssigned', identity_ids: [`\${${identity}.id}`] });
    const access = resources(json, 'azurerm_role_assignment').find((r) => r.scope === KEY_VAULT_ID);
    expect(access).toMatchObject({ role_definition_name: 'Key Vault Secrets User', principal_id: `\${${identity}.principal_id}` });
    // the role and its propagation wait (provider-behaviour.test.ts)
    expect(gateway.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\.edge_key-vault-secrets-user_/), expect.stringMatching(/^time_sleep\./)]);
  });

  test('HTTPS listener for the API host with SNI; HTTP answers with a permanent redirect to it', () => {
    const https = byName(gateway.http_listener, 'https-listener');
    const http = byName(gateway.http_listener, 'http-listener');
    expect(https).toMatchObject({ protocol: 'Https', host_names: ['api.test.example.com'], require_sni: true, ssl_certificate_name: 'api-certificate' });
    expect(http).toMatchObject({ protocol: 'Http', host_names: ['api.test.example.com'] });
    expect(gateway.redirect_configuration).toEqual([
      { name: 'http-to-https', redirect_type: 'Permanent', target_listener_name: 'https-listener', include_path: true, include_query_string: true },
    ]);
    const redirectRule = gateway.request_routing_rule.find((r: any) => r.http_listener_name === 'http-listener');
    expect(redirectRule).toMatchObject({ redirect_configuration_name: 'http-to-https' });
    expect(redirectRule.backend_address_pool_name).toBeUndefined();
  });

  test("the only backend is Kong's internal load balancer address, over HTTPS verified against Kong's CA", () => {
    expect(gateway.backend_address_pool).toEqual([{ name: 'kong', ip_addresses: ['10.30.15.250'] }]);
    const settings = gateway.backend_http_settings[0];
    expect(settings).toMatchObject({
      protocol: 'Https',
      port: 443,
      pick_host_name_from_backend_address: false,
      trusted_root_certificate_names: ['kong-backend-ca-a', 'kong-backend-ca-b'],
    });
    // Both roots, always (a rotation never leaves Kong's current certificate untrusted: rotation.test.ts).
    const [a, b] = Object.keys(json.resource.tls_self_signed_cert).map((name) => `tls_self_signed_cert.${name}`);
    expect(gateway.trusted_root_certificate).toEqual([
      { name: 'kong-backend-ca-a', data: `\${base64encode(${a}.cert_pem)}` },
      { name: 'kong-backend-ca-b', data: `\${base64encode(${b}.cert_pem)}` },
    ]);
    const rule = gateway.request_routing_rule.find((r: any) => r.http_listener_name === 'https-listener');
    expect(rule).toMatchObject({ backend_address_pool_name: 'kong', backend_http_settings_name: settings.name });
  });

  test("Kong's proxy certificate is issued by that CA for the API host name", () => {
    const roots = Object.keys(json.resource.tls_self_signed_cert).map((name) => `tls_self_signed_cert.${name}`);
    expect(roots).toHaveLength(2);
    for (const root of resources(json, 'tls_self_signed_cert')) expect(root.is_ca_certificate).toBe(true);
    expect(only(json, 'tls_cert_request').dns_names).toEqual(['api.test.example.com']);
    // signed by one of the two roots (which one depends on the plan year: rotation.test.ts)
    for (const root of roots) expect(only(json, 'tls_locally_signed_cert').ca_cert_pem).toContain(`${root}.cert_pem`);
  });

  test('access, performance and firewall logs go to Log Analytics', () => {
    const setting = resources(json, 'azurerm_monitor_diagnostic_setting').find((d) => d.target_resource_id === `\${${gatewayAddress}.id}`);
    expect(setting).toMatchObject({ log_analytics_destination_type: 'Dedicated', log_analytics_workspace_id: `\${${addressOf(json, 'azurerm_log_analytics_workspace')}.id}` });
    expect(setting.enabled_log.map((l: any) => l.category)).toEqual(['ApplicationGatewayAccessLog', 'ApplicationGatewayPerformanceLog', 'ApplicationGatewayFirewallLog']);
  });

  test('a zone-redundant static Standard public IP; gateway and IP are protected from destroy in production', () => {
    expect(only(json, 'azurerm_public_ip')).toMatchObject({ sku: 'Standard', allocation_method: 'Static', zones: ['1', '2', '3'], lifecycle: { prevent_destroy: true } });
    expect(gateway.lifecycle.prevent_destroy).toBe(true);
  });

  test('the rate limit and capacity follow the edge section', () => {
    const { json: tuned } = synthCluster({ azure: azureInput({ edge: { rateLimitPerMinute: 300, minCapacity: 3, maxCapacity: 6 } }) });
    expect(only(tuned, 'azurerm_web_application_firewall_policy').custom_rules[0].rate_limit_threshold).toBe(300);
    expect(only(tuned, 'azurerm_application_gateway').autoscale_configuration).toEqual({ min_capacity: 3, max_capacity: 6 });
  });
});

describe('Application Gateway edge: bad input', () => {
  const build = (props: Record<string, unknown>) => {
    const stack = testStack();
    const logAnalytics = new LogAnalytics(stack, 'logs', { name: 'kong-logs', resourceGroupName: 'rg', location: 'westeurope' });
    return new ApplicationGatewayEdge(stack, 'edge', {
      name: 'kong-test',
      resourceGroupName: 'rg',
      location: 'westeurope',
      hostName: 'api.example.com',
      subnetId: 's',
      keyVaultId: KEY_VAULT_ID,
      keyVaultCertificateSecretId: CERT_SECRET_ID,
      kongInternalLoadBalancerIp: '10.30.15.250',
      backendCaCertificatePems: ['pem'],
      logAnalytics,
      ...props,
    });
  };
  test.each([
    [{ minCapacity: 1 }, 'stack/edge: invalid minCapacity 1: production keeps at least 2 instances'],
    [{ maxCapacity: 1 }, 'invalid maxCapacity 1'],
    [{ hostName: 'API.example.com' }, 'invalid hostName "API.example.com"'],
    [{ kongInternalLoadBalancerIp: '10.30.15' }, 'invalid kongInternalLoadBalancerIp "10.30.15"'],
    [{ keyVaultCertificateSecretId: 'https://example.com/cert.pfx' }, 'invalid keyVaultCertificateSecretId'],
    [{ rateLimitPerMinute: 0 }, 'invalid rateLimitPerMinute 0'],
  ])('%j is refused', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

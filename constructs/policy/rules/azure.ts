import { ADMIN_NETWORK_BUDGET, addressCoverage, tooWide } from '../address-ranges';
import { block, blocks, dig, isFalse, isTrue, isUnknown, show, stringList } from '../attributes';
import { PolicyRule, PolicySubject, policyRule } from '../rule';

const isType =
  (...types: string[]) =>
  (s: PolicySubject) =>
    types.includes(s.type);
const attr = (s: PolicySubject, path: string) => dig(s.attributes, path);
const AKS = 'azurerm_kubernetes_cluster';
/** Azure service tags and wildcards that mean "everyone" where an address range is expected. */
const OPEN_TAGS = ['*', 'internet', 'any'];

/** Application Gateway predefined TLS policies that allow TLS 1.2+ only. */
export const APP_GATEWAY_TLS12_POLICIES = ['AppGwSslPolicy20170401S', 'AppGwSslPolicy20220101', 'AppGwSslPolicy20220101S'];
/** The CRS / DRS rule that detects Log4j JNDI lookups. */
const LOG4J_RULE_ID = '944240';
const LOG4J_RULE_GROUP = 'REQUEST-944-APPLICATION-ATTACK-JAVA';
/** Rule override actions that still stop the request (anomaly scoring adds up to a block); absent = the rule set's own action. */
const BLOCKING_ACTIONS: Array<string | undefined> = [undefined, 'Block', 'AnomalyScoring'];

/** True when a managed rule set version includes the Log4j rule (OWASP CRS 3.1+, Microsoft DRS 1.0+). */
function ruleSetCoversLog4j(type: unknown, version: unknown): boolean {
  const v = Number(String(version));
  if (type === undefined || type === 'OWASP') return v >= 3.1;
  return type === 'Microsoft_DefaultRuleSet' && v >= 1;
}

export const azureRules: PolicyRule[] = [
  policyRule({
    id: 'KP-AZR-001',
    area: 'azure',
    title: 'AKS Kubernetes RBAC with Entra ID',
    rationale: 'Without RBAC every authenticated identity is cluster-admin; Entra ID ties access to managed, MFA-protected identities.',
    checkov: ['CKV_AZURE_5'],
    reads: 'azurerm_kubernetes_cluster: role_based_access_control_enabled, azure_active_directory_role_based_access_control',
    appliesTo: isType(AKS),
    check(s) {
      const problems: string[] = [];
      if (isFalse(s.attributes.role_based_access_control_enabled)) problems.push('role_based_access_control_enabled is false');
      if (!block(s.attributes.azure_active_directory_role_based_access_control) && !isUnknown(s.attributes.azure_active_directory_role_based_access_control)) {
        problems.push('azure_active_directory_role_based_access_control is not configured (Entra ID integration)');
      }
      return problems;
    },
  }),
  policyRule({
    id: 'KP-AZR-002',
    area: 'azure',
    title: 'AKS network policy engine enabled',
    rationale: "Kubernetes NetworkPolicies (the platform's default-deny) are ignored without a policy engine.",
    checkov: ['CKV_AZURE_7'],
    reads: 'azurerm_kubernetes_cluster: network_profile.network_policy',
    appliesTo: isType(AKS),
    check(s) {
      const v = attr(s, 'network_profile.network_policy');
      return typeof v === 'string' && v.length > 0 ? [] : [`network_profile.network_policy is ${show(v)}: set "azure", "calico" or "cilium"`];
    },
  }),
  policyRule({
    id: 'KP-AZR-003',
    area: 'azure',
    title: 'AKS local accounts disabled',
    rationale: 'The local cluster-admin certificate bypasses Entra ID, Conditional Access and per-user audit.',
    checkov: ['CKV_AZURE_141'],
    reads: 'azurerm_kubernetes_cluster: local_account_disabled',
    appliesTo: isType(AKS),
    check(s) {
      const v = s.attributes.local_account_disabled;
      return isTrue(v) || isUnknown(v) ? [] : [`local_account_disabled is ${show(v)}, must be true`];
    },
  }),
  policyRule({
    id: 'KP-AZR-004',
    area: 'azure',
    title: 'AKS API server private or restricted to known ranges',
    rationale: 'A world-reachable Kubernetes API is one leaked credential or API-server CVE away from a cluster takeover.',
    checkov: ['CKV_AZURE_6', 'CKV_AZURE_115'],
    reads: 'azurerm_kubernetes_cluster: private_cluster_enabled, api_server_access_profile.authorized_ip_ranges (open tags, address coverage)',
    appliesTo: isType(AKS),
    check(s) {
      if (isTrue(s.attributes.private_cluster_enabled)) return [];
      const raw = attr(s, 'api_server_access_profile.authorized_ip_ranges');
      if (isUnknown(raw) || isUnknown(s.attributes.private_cluster_enabled)) return [];
      const ranges = stringList(raw) ?? [];
      if (ranges.length === 0) return ['public API server without api_server_access_profile.authorized_ip_ranges: enable private_cluster_enabled or list admin networks'];
      const open = ranges.filter((r) => OPEN_TAGS.includes(r.trim().toLowerCase()) || r.trim() === '0.0.0.0');
      if (open.length) return [`api_server_access_profile.authorized_ip_ranges contains ${open.join(', ')}`];
      const invalid = addressCoverage(ranges).invalid;
      if (invalid.length) return [`api_server_access_profile.authorized_ip_ranges has entries that are not CIDRs: ${show(invalid)}`];
      const wide = tooWide(ranges, ADMIN_NETWORK_BUDGET);
      return wide ? [`api_server_access_profile.authorized_ip_ranges ${show(ranges)} ${wide}; list admin networks or make the cluster private`] : [];
    },
  }),
  policyRule({
    id: 'KP-AZR-005',
    area: 'azure',
    title: 'Application Gateway has a WAF',
    rationale: 'The Internet edge must filter OWASP Top 10 attacks before they reach Kong.',
    checkov: ['CKV_AZURE_120'],
    reads: 'azurerm_application_gateway: sku.tier, firewall_policy_id, waf_configuration.enabled',
    appliesTo: isType('azurerm_application_gateway'),
    check(s) {
      const tier = attr(s, 'sku.tier');
      const problems: string[] = [];
      if (!isUnknown(tier) && tier !== 'WAF_v2') problems.push(`sku.tier is ${show(tier)}, must be "WAF_v2"`);
      const policy = s.attributes.firewall_policy_id;
      const waf = block(s.attributes.waf_configuration);
      if (!policy && !(waf && isTrue(waf.enabled))) problems.push('neither firewall_policy_id nor an enabled waf_configuration is set');
      return problems;
    },
  }),
  policyRule({
    id: 'KP-AZR-006',
    area: 'azure',
    title: 'WAF in prevention mode',
    rationale: 'Detection mode only logs attacks; it blocks nothing.',
    checkov: ['CKV_AZURE_122'],
    reads: 'azurerm_web_application_firewall_policy: policy_settings.mode, .enabled; azurerm_application_gateway: waf_configuration.firewall_mode, .enabled',
    appliesTo: (s) => s.type === 'azurerm_web_application_firewall_policy' || (s.type === 'azurerm_application_gateway' && block(s.attributes.waf_configuration) !== undefined),
    check(s) {
      const settings = s.type === 'azurerm_application_gateway' ? block(s.attributes.waf_configuration) : block(s.attributes.policy_settings);
      const mode = s.type === 'azurerm_application_gateway' ? settings?.firewall_mode : settings?.mode;
      const problems: string[] = [];
      // policy_settings.mode defaults to Prevention; waf_configuration.firewall_mode is required.
      if (mode !== undefined && !isUnknown(mode) && mode !== 'Prevention') problems.push(`mode is ${show(mode)}, must be "Prevention"`);
      if (settings && isFalse(settings.enabled)) problems.push('the WAF is disabled (enabled: false)');
      return problems;
    },
  }),
  policyRule({
    id: 'KP-AZR-007',
    area: 'azure',
    title: 'WAF rule set blocks Log4j',
    rationale: 'Log4Shell payloads still arrive daily; OWASP CRS 3.1+ / DRS rule 944240 blocks JNDI lookups.',
    checkov: ['CKV_AZURE_135'],
    reads:
      'azurerm_web_application_firewall_policy: managed_rules.managed_rule_set[] type, version, rule_group_override (rule 944240); azurerm_application_gateway: waf_configuration rule_set_type, rule_set_version, disabled_rule_group',
    appliesTo: (s) => s.type === 'azurerm_web_application_firewall_policy' || (s.type === 'azurerm_application_gateway' && block(s.attributes.waf_configuration) !== undefined),
    check(s) {
      if (s.type === 'azurerm_application_gateway') {
        const waf = block(s.attributes.waf_configuration)!;
        const problems: string[] = [];
        if (!isUnknown(waf.rule_set_version) && !ruleSetCoversLog4j(waf.rule_set_type, waf.rule_set_version)) {
          problems.push(
            `waf_configuration rule set ${show(waf.rule_set_type ?? 'OWASP')} ${show(waf.rule_set_version)} predates the Log4j rule (use OWASP 3.2 or Microsoft_DefaultRuleSet 2.1)`,
          );
        }
        // A disabled_rule_group without `rules` disables the whole group.
        const disabled = blocks(waf.disabled_rule_group).some(
          (g) => g.rule_group_name === LOG4J_RULE_GROUP && (!Array.isArray(g.rules) || g.rules.map(String).includes(LOG4J_RULE_ID)),
        );
        if (disabled) problems.push(`waf_configuration disables rule ${LOG4J_RULE_ID} (${LOG4J_RULE_GROUP})`);
        return problems;
      }
      const sets = blocks(dig(s.attributes, 'managed_rules.managed_rule_set'));
      if (isUnknown(dig(s.attributes, 'managed_rules.managed_rule_set'))) return [];
      const covering = sets.filter((set) => ruleSetCoversLog4j(set.type, set.version));
      if (covering.length === 0) return ['managed_rules has no OWASP 3.1+ or Microsoft_DefaultRuleSet rule set (rule 944240 detects Log4j lookups)'];
      const disabled = covering.some((set) =>
        blocks(set.rule_group_override)
          .filter((g) => g.rule_group_name === LOG4J_RULE_GROUP)
          .some((g) => blocks(g.rule).some((r) => String(r.id) === LOG4J_RULE_ID && (isFalse(r.enabled) || !BLOCKING_ACTIONS.includes(r.action as string | undefined)))),
      );
      return disabled ? [`rule ${LOG4J_RULE_ID} (${LOG4J_RULE_GROUP}) is disabled or not blocking`] : [];
    },
  }),
  policyRule({
    id: 'KP-AZR-008',
    area: 'azure',
    title: 'Application Gateway TLS 1.2+ policy',
    rationale: 'The gateway default policy still accepts TLS 1.0/1.1, which PCI DSS bans.',
    checkov: ['CKV_AZURE_218'],
    reads: 'azurerm_application_gateway: ssl_policy.policy_type, policy_name, min_protocol_version',
    appliesTo: isType('azurerm_application_gateway'),
    check(s) {
      const policy = block(s.attributes.ssl_policy);
      if (!policy) return ['ssl_policy is not set: the default policy accepts TLS 1.0 (use AppGwSslPolicy20220101 or a custom TLSv1_2 minimum)'];
      if (policy.policy_type === 'Predefined') {
        return isUnknown(policy.policy_name) || APP_GATEWAY_TLS12_POLICIES.includes(policy.policy_name as string)
          ? []
          : [`ssl_policy.policy_name is ${show(policy.policy_name)}, use one of ${APP_GATEWAY_TLS12_POLICIES.join(', ')}`];
      }
      if (policy.policy_type === 'Custom' || policy.policy_type === 'CustomV2') {
        return ['TLSv1_2', 'TLSv1_3'].includes(policy.min_protocol_version as string) || isUnknown(policy.min_protocol_version)
          ? []
          : [`ssl_policy.min_protocol_version is ${show(policy.min_protocol_version)}, must be TLSv1_2 or TLSv1_3`];
      }
      return isUnknown(policy.policy_type)
        ? []
        : [`ssl_policy.policy_type is ${show(policy.policy_type)}: use Predefined AppGwSslPolicy20220101 or a Custom policy with TLSv1_2 minimum`];
    },
  }),
  policyRule({
    id: 'KP-AZR-009',
    area: 'azure',
    title: 'Container registry without admin user or anonymous pull',
    rationale: 'The shared admin password and anonymous pull both bypass per-identity access and audit to the images.',
    checkov: ['CKV_AZURE_137', 'CKV_AZURE_138'],
    reads: 'azurerm_container_registry: admin_enabled, anonymous_pull_enabled',
    appliesTo: isType('azurerm_container_registry'),
    check(s) {
      const problems: string[] = [];
      if (isTrue(s.attributes.admin_enabled)) problems.push('admin_enabled is true: use managed identities (AcrPull) instead');
      if (isTrue(s.attributes.anonymous_pull_enabled)) problems.push('anonymous_pull_enabled is true');
      return problems;
    },
  }),
  policyRule({
    id: 'KP-AZR-010',
    area: 'azure',
    title: 'Key Vault purge protection',
    rationale: 'Without purge protection a deleted vault (and the keys encrypting the cluster) is gone for good.',
    checkov: ['CKV_AZURE_110'],
    reads: 'azurerm_key_vault: purge_protection_enabled',
    appliesTo: isType('azurerm_key_vault'),
    check(s) {
      const v = s.attributes.purge_protection_enabled;
      return isTrue(v) || isUnknown(v) ? [] : [`purge_protection_enabled is ${show(v)}, must be true`];
    },
  }),
  policyRule({
    id: 'KP-AZR-011',
    area: 'azure',
    title: 'Storage accounts HTTPS only, TLS 1.2+',
    rationale: 'The state and log storage must never be readable over plain HTTP or legacy TLS.',
    checkov: ['CKV_AZURE_3', 'CKV_AZURE_44'],
    reads: 'azurerm_storage_account: https_traffic_only_enabled, min_tls_version',
    appliesTo: isType('azurerm_storage_account'),
    check(s) {
      const problems: string[] = [];
      if (isFalse(s.attributes.https_traffic_only_enabled)) problems.push('https_traffic_only_enabled is false');
      const tls = s.attributes.min_tls_version;
      if (tls !== undefined && !isUnknown(tls) && tls !== 'TLS1_2' && tls !== 'TLS1_3') problems.push(`min_tls_version is ${show(tls)}, must be TLS1_2`);
      return problems;
    },
  }),
];

import type { PolicyRule } from '../rule';
import { apiRules } from './apis';
import { awsRules } from './aws';
import { azureRules } from './azure';
import { kubernetesPolicyRules } from './kubernetes';
import { meshRules } from './mesh';
import { secretRules } from './secrets';

/** Every guardrail, in report order: cloud, Kubernetes workloads, Kong, Helm, mesh, secrets. */
export const POLICY_RULES: readonly PolicyRule[] = [...awsRules, ...azureRules, ...kubernetesPolicyRules, ...apiRules, ...meshRules, ...secretRules];

/** Ids of every guardrail (for waiver validation). */
export const POLICY_RULE_IDS: readonly string[] = POLICY_RULES.map((r) => r.id);

export { apiRules, awsRules, azureRules, kubernetesPolicyRules, meshRules, secretRules };

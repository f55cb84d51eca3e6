import { EnvironmentConfig } from '../config/environment';
import { TerraformStack } from '../constructs/core/cdktf';
import { PolicyAspect, applyPolicies } from '../constructs/policy/policy-aspect';

/**
 * Attaches the policy guardrails to every stack of an environment: errors in production,
 * warnings elsewhere, the environment's waivers (`policy.waivers`) applied. main.ts runs them for
 * all stacks before synthesizing (`checkPolicies`), so every violation is reported at once.
 */
export function applyEnvironmentPolicies(env: EnvironmentConfig, stacks: TerraformStack[]): TerraformStack[] {
  for (const stack of stacks) {
    // KongPlatform attached the platform stack's guardrails already, with the same options.
    if (PolicyAspect.of(stack).length > 0) continue;
    applyPolicies(stack, { production: env.production, environment: env.name, waivers: env.policy?.waivers ?? [], registries: [env.images.registry], cloud: env.cloud });
  }
  return stacks;
}

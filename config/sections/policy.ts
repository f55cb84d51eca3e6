import { z } from 'zod';
import { POLICY_RULE_IDS } from '../../constructs/policy';

/**
 * `policy:` section of the environment file: written exceptions to the policy guardrails
 * (docs/policy.md). A waiver turns a rule's violations in this environment from an error
 * (production) or warning into "waived"; `npm run policy` shows every waiver with its reason.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const policyWaiverSchema = z
  .object({
    rule: z
      .string()
      .refine((id) => POLICY_RULE_IDS.includes(id), 'must be a guardrail rule id such as KP-AWS-001 (see docs/policy.md)')
      .describe('Id of the waived rule, e.g. KP-AWS-001 (docs/policy.md lists them).'),
    reason: z
      .string()
      .trim()
      .min(20, 'must explain in at least 20 characters why the exception is acceptable')
      .describe('Why the exception is acceptable and what mitigates it; shown in the policy report.'),
    expires: z
      .string()
      .regex(ISO_DATE, 'must be a date YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'must be a real calendar date')
      .optional()
      .describe('Last day (YYYY-MM-DD) the waiver applies; afterwards the rule counts again. @default never expires'),
  })
  .strict();

export const policySectionSchema = z
  .object({
    waivers: z
      .array(policyWaiverSchema)
      .default([])
      .refine((waivers) => new Set(waivers.map((w) => w.rule)).size === waivers.length, 'must not waive the same rule twice')
      .describe('Rules waived for this environment, each with a written reason.'),
  })
  .strict()
  .describe('Policy guardrails: waivers with reasons (docs/policy.md).');

/** The parsed `policy:` section. */
export type PolicySection = z.infer<typeof policySectionSchema>;

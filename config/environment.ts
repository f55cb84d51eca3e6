import { z } from 'zod';
import { environmentCoreShape } from './schema';
import { RuleViolation } from './rules';
import { apisSectionSchema, checkApisRules } from './sections/apis';
import { awsSectionRules, awsSectionSchema } from './sections/aws';
import { azureSectionRules, azureSectionSchema } from './sections/azure';
import { konnectSectionSchema } from './sections/konnect';
import { checkMeshRules, meshSectionSchema } from './sections/mesh';
import { policySectionSchema } from './sections/policy';

/**
 * The full environment schema: the core (config/schema.ts) plus one optional section per
 * feature area (config/sections/*.ts), each owned by its area and composed here once.
 */
export const environmentSchema = z
  .object({
    ...environmentCoreShape,
    aws: awsSectionSchema.optional().describe('EKS cluster, registry and edge. Required when cloud is aws.'),
    azure: azureSectionSchema.optional().describe('AKS cluster, registry and Application Gateway edge. Required when cloud is azure.'),
    mesh: meshSectionSchema.optional().describe('Kong Mesh (Kuma 2.x) zero trust.'),
    konnect: konnectSectionSchema.optional().describe('Data planes against a Konnect (or self-managed) control plane.'),
    apis: apisSectionSchema.optional().describe('APIs, tenants, consumers, security plugins and certificates as Kong resources (docs/apis.md).'),
    policy: policySectionSchema.default({}).describe('Policy guardrails: waivers with a written reason (docs/policy.md).'),
  })
  .strict();

/** A validated environment file, with every default applied. */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

/** Cross-field rules contributed by the sections (e.g. "cloud aws needs the aws section"). */
export function sectionRules(raw: unknown): RuleViolation[] {
  return [...awsSectionRules(raw), ...azureSectionRules(raw), ...checkMeshRules(raw), ...checkApisRules(raw)];
}

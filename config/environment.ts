import { z } from 'zod';
import { environmentCoreShape } from './schema';
import { RuleViolation } from './rules';

/**
 * The full environment schema: the core (config/schema.ts) plus one optional section per
 * feature area (config/sections/*.ts), each owned by its area and composed here once.
 */
export const environmentSchema = z.object({
  ...environmentCoreShape,
}).strict();

/** A validated environment file, with every default applied. */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

/** Cross-field rules contributed by the sections (e.g. "cloud aws needs the aws section"). */
export function sectionRules(_raw: unknown): RuleViolation[] {
  return [];
}

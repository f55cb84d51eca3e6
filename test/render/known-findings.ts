/**
 * Findings of the render harness that are known and not fixed yet: defects of our output, and
 * gaps (objects the harness cannot validate for want of a schema). Each one is listed as a
 * counted `test.todo` ("known finding: ...") in the render test, so it stays visible in every
 * run. The render test fails on any finding not listed here, and on an entry that no longer
 * matches anything (fixed: delete the entry).
 *
 * A finding line is `<stack>/<release or terraform address> | <Kind namespace/name> | <problem>`.
 */
export interface KnownFinding {
  /** Matches finding lines (see `findingLine`). */
  readonly match: RegExp;
  /** Environments whose platform stack has it (each must match at least once). */
  readonly environments: readonly string[];
  /** What is wrong and what would fix it. */
  readonly reason: string;
}

export const KNOWN_FINDINGS: readonly KnownFinding[] = [];

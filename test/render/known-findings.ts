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

export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    match: /\/kong-apis \| Certificate payments\/[a-z0-9-]+ \| no schema for apiVersion "cert-manager\.io\/v1" kind "Certificate"/,
    environments: ['aws-dev', 'onprem-hybrid'],
    reason:
      'gap: kong-apis chart: its cert-manager.io/v1 Certificate objects are not validated: no cert-manager CRDs in test/fixtures/upstream ' +
      '(cert-manager is a cluster prerequisite, docs/apis.md; no stack installs it). Vendor its CRDs to close this.',
  },
  {
    match: /-platform\/kong-gateway-edge \| TargetGroupBinding kong\/kong-gateway-edge \| no schema for apiVersion "elbv2\.k8s\.aws\/v1beta1" kind "TargetGroupBinding"/,
    environments: ['aws-dev'],
    reason:
      'gap: kong-gateway-edge chart: its elbv2.k8s.aws/v1beta1 TargetGroupBinding is not validated: the aws-load-balancer-controller 1.13.0 CRDs are not in test/fixtures/upstream.',
  },
];

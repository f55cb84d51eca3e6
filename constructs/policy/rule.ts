import type { IConstruct } from '../core/cdktf';

/** Which part of the platform a rule guards; the report groups rules by it. */
export type PolicyArea = 'aws' | 'azure' | 'kubernetes' | 'kong' | 'helm' | 'mesh' | 'secrets';

/**
 * A Kubernetes object as plain data, when the subject installs objects (a generated manifest
 * chart or a `kubernetes_manifest`).
 */
export interface PolicyManifest {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}

/** What a rule may know about the stack it judges. */
export interface PolicyContext {
  /** Production stack: violations stop synth; production-only rules apply. */
  readonly production: boolean;
  /**
   * Registry hosts images must come from (`registry.example.com`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`).
   * Empty: the registry rule has nothing to compare with and does not apply.
   */
  readonly registries: readonly string[];
  /** The cloud of the cluster, when known (which load balancer annotations take effect). */
  readonly cloud?: PolicyCloud;
}

/** Where the cluster runs: `aws` (EKS), `azure` (AKS) or `hybrid` (any other cluster). */
export type PolicyCloud = 'aws' | 'azure' | 'hybrid';

/** The context of a subject checked outside a stack (tests, library use): non-production, no registries. */
export const DEFAULT_POLICY_CONTEXT: PolicyContext = { production: false, registries: [] };

/**
 * One Terraform resource as the rules see it: its type and its attributes as they will be
 * written to `cdk.tf.json` (snake_case, overrides applied). Values only known at apply time are
 * still token strings (`${TfToken[...]}`); rules treat them as "cannot judge", never as a failure.
 */
export interface PolicySubject {
  /** Terraform resource type, e.g. `aws_eks_cluster`. */
  readonly type: string;
  /** Construct path of the resource (what a violation points at). */
  readonly path: string;
  /** The resource construct. */
  readonly construct: IConstruct;
  /** Synthesized attributes (snake_case). */
  readonly attributes: Record<string, unknown>;
  /** Kubernetes objects the resource installs (manifest charts, `kubernetes_manifest`); empty otherwise. */
  readonly manifests: readonly PolicyManifest[];
  /** True when the resource is the release of a ManifestChart (its objects are in `manifests`, its values only feed them). */
  readonly manifestChart?: boolean;
  /** The stack's context. @default DEFAULT_POLICY_CONTEXT */
  readonly context?: PolicyContext;
}

/**
 * A guardrail. `check` returns one message per problem (empty = compliant); each message says
 * what is wrong and what is expected, without repeating the rule id (the report adds it).
 */
export interface PolicyRule {
  /** Stable id, `KP-<AREA>-<nnn>`; waivers and reports refer to it. */
  readonly id: string;
  /** Short title for tables. */
  readonly title: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** Checkov checks covering the same ground, when there are any. */
  readonly checkov?: readonly string[];
  /**
   * What the rule reads in the effective model, in a few words: Terraform resource types and
   * attributes as synthesized, effective Helm values after chart defaults, Kong settings as the
   * chart renders them into `KONG_*` env, rendered manifests... (the "Reads" column of docs/policy.md).
   */
  readonly reads: string;
  /** Area, for grouping. */
  readonly area: PolicyArea;
  /** The rule applies to production stacks only (elsewhere it is "n/a"), e.g. high availability. @default false */
  readonly productionOnly?: boolean;
  /** Whether the rule looks at this resource at all (a rule that applies nowhere in a stack is "n/a"). */
  appliesTo(subject: PolicySubject): boolean;
  /** Problems of an applicable resource. */
  check(subject: PolicySubject): string[];
}

/** Declares a rule (a typed identity function, so rule files read as data). */
export function policyRule(rule: PolicyRule): PolicyRule {
  if (!/^KP-[A-Z0-9]+-\d{3}$/.test(rule.id)) throw new Error(`policy rule id "${rule.id}" must look like KP-AWS-001`);
  return rule;
}

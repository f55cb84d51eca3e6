import { Annotations, Aspects, IAspect, IConstruct, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, TerraformVariable } from '../core/cdktf';
import { ManifestChart } from '../manifest-chart/manifest-chart';
import { DEFAULT_POLICY_CONTEXT, PolicyCloud, PolicyContext, PolicyManifest, PolicyRule, PolicySubject } from './rule';
import { POLICY_RULES } from './rules';

/** A written exception to one rule for one environment. */
export interface PolicyWaiver {
  /** Rule id, e.g. `KP-AWS-001`. */
  readonly rule: string;
  /** Why the exception is acceptable, for the auditor reading the report. */
  readonly reason: string;
  /** Last day (`YYYY-MM-DD`) the waiver applies; afterwards the rule counts again. @default never */
  readonly expires?: string;
}

/** How the guardrails treat one stack. */
export interface PolicyOptions {
  /** Production: a violation is an error and synth stops; otherwise a warning. */
  readonly production: boolean;
  /** Environment name, for the report. @default the stack id */
  readonly environment?: string;
  /** Waived rules, each with a reason. @default none */
  readonly waivers?: readonly PolicyWaiver[];
  /** The rule set. @default POLICY_RULES */
  readonly rules?: readonly PolicyRule[];
  /** "Today", for waiver expiry. @default the current date */
  readonly today?: Date;
  /**
   * Registry hosts every container image must come from (rule KP-K8S-009), e.g. the environment's
   * `images.registry`. @default none (the rule does not apply)
   */
  readonly registries?: readonly string[];
  /**
   * The cloud the cluster runs on: a load balancer annotation counts as "internal" only when it is
   * that cloud's own (an Azure annotation on EKS leaves the load balancer public). @default any cloud's annotation counts
   */
  readonly cloud?: PolicyCloud;
}

/** One rule violation at one resource. */
export interface PolicyViolation {
  readonly stack: string;
  readonly rule: PolicyRule;
  /** Construct path of the offending resource. */
  readonly path: string;
  readonly message: string;
  /** The waiver that covers it, if any (an expired waiver covers nothing). */
  readonly waiver?: PolicyWaiver;
}

/** Status of one rule in one stack. */
export type PolicyStatus = 'pass' | 'FAIL' | 'waived' | 'n/a';

/** What happened to one waiver. */
export interface PolicyWaiverUse {
  readonly waiver: PolicyWaiver;
  /** `applied`: it covers violations; `unused`: nothing to waive; `expired`: past `expires`, not applied. */
  readonly state: 'applied' | 'unused' | 'expired';
}

/** Guardrail results of one stack. */
export interface PolicyStackResult {
  readonly stack: string;
  readonly environment: string;
  readonly production: boolean;
  readonly rules: readonly PolicyRule[];
  /** Status per rule id. */
  readonly status: Readonly<Record<string, PolicyStatus>>;
  /** Every violation, waived ones included. */
  readonly violations: readonly PolicyViolation[];
  readonly waivers: readonly PolicyWaiverUse[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The guardrails as a cdktf Aspect on one stack: every Terraform resource is checked against every
 * rule. Production violations become error annotations (synth fails), others warnings; waived
 * ones an info annotation with the reason. Each resource is checked once, however often the
 * aspect is invoked (by {@link checkPolicies} and again by `app.synth()`).
 */
export class PolicyAspect implements IAspect {
  /** The policy aspects attached to a stack (normally one). */
  public static of(stack: IConstruct): PolicyAspect[] {
    return Aspects.of(stack).all.filter((a): a is PolicyAspect => a instanceof PolicyAspect);
  }

  private readonly rules: readonly PolicyRule[];
  private readonly waivers: readonly PolicyWaiver[];
  private readonly today: string;
  private readonly violations: PolicyViolation[] = [];
  private readonly applicable = new Set<string>();
  private readonly checked = new Set<string>();
  /** What the rules know about the stack (production, registries, cloud). */
  public readonly context: PolicyContext;

  constructor(
    private readonly stack: TerraformStack,
    private readonly options: PolicyOptions,
  ) {
    this.rules = options.rules ?? POLICY_RULES;
    this.waivers = options.waivers ?? [];
    this.today = (options.today ?? new Date()).toISOString().slice(0, 10);
    this.context = { production: options.production, registries: [...(options.registries ?? [])], cloud: options.cloud };
    const known = new Set(this.rules.map((r) => r.id));
    for (const waiver of this.waivers) {
      const problem = !known.has(waiver.rule)
        ? `waiver for unknown rule "${waiver.rule}" (rules: see docs/policy.md)`
        : waiver.reason.trim().length < 20
          ? `waiver for ${waiver.rule} needs a written reason of at least 20 characters, got ${JSON.stringify(waiver.reason)}`
          : waiver.expires !== undefined && !ISO_DATE.test(waiver.expires)
            ? `waiver for ${waiver.rule}: expires must be a date YYYY-MM-DD, got ${JSON.stringify(waiver.expires)}`
            : undefined;
      if (problem) throw new Error(`${stack.node.path}: ${problem}`);
    }
  }

  public visit(node: IConstruct): void {
    const isBlock = node instanceof TerraformResource || node instanceof TerraformOutput || node instanceof TerraformVariable || node instanceof TerraformProvider;
    if (!isBlock || this.checked.has(node.node.path)) return;
    this.checked.add(node.node.path);
    const subject = node instanceof TerraformResource ? policySubject(node, this.context) : blockSubject(node, this.context);
    if (!subject) return;
    for (const rule of this.rules) {
      if (rule.productionOnly && !this.options.production) continue;
      if (!rule.appliesTo(subject)) continue;
      this.applicable.add(rule.id);
      for (const message of rule.check(subject)) {
        const waiver = this.activeWaiver(rule.id);
        this.violations.push({ stack: this.stack.node.id, rule, path: node.node.path, message, waiver });
        const text = `${describeRule(rule)}: ${message}`;
        if (waiver) Annotations.of(node).addInfo(`${text} (waived: ${waiver.reason})`);
        else if (this.options.production) Annotations.of(node).addError(text);
        else Annotations.of(node).addWarning(text);
      }
    }
  }

  /** Checks every resource of the stack now (idempotent). */
  public checkAll(): PolicyStackResult {
    for (const node of this.stack.node.findAll()) this.visit(node);
    return this.result();
  }

  /** Results so far. */
  public result(): PolicyStackResult {
    const status: Record<string, PolicyStatus> = {};
    for (const rule of this.rules) {
      const mine = this.violations.filter((v) => v.rule.id === rule.id);
      status[rule.id] = !this.applicable.has(rule.id) ? 'n/a' : mine.length === 0 ? 'pass' : mine.every((v) => v.waiver) ? 'waived' : 'FAIL';
    }
    const waivers: PolicyWaiverUse[] = this.waivers.map((waiver) => ({
      waiver,
      state: this.expired(waiver) ? 'expired' : this.violations.some((v) => v.waiver === waiver) ? 'applied' : 'unused',
    }));
    return {
      stack: this.stack.node.id,
      environment: this.options.environment ?? this.stack.node.id,
      production: this.options.production,
      rules: this.rules,
      status,
      violations: [...this.violations],
      waivers,
    };
  }

  private expired(waiver: PolicyWaiver): boolean {
    return waiver.expires !== undefined && waiver.expires < this.today;
  }

  private activeWaiver(ruleId: string): PolicyWaiver | undefined {
    return this.waivers.find((w) => w.rule === ruleId && !this.expired(w));
  }
}

/** `KP-AWS-001 [CKV_AWS_38, CKV_AWS_39]`. */
export function describeRule(rule: PolicyRule): string {
  return rule.checkov?.length ? `${rule.id} [${rule.checkov.join(', ')}]` : rule.id;
}

/** The resource as the rules see it, or undefined when it cannot be rendered yet. */
export function policySubject(resource: TerraformResource, context: PolicyContext = DEFAULT_POLICY_CONTEXT): PolicySubject | undefined {
  let attributes: Record<string, unknown>;
  try {
    const rendered = resource.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    attributes = { ...(Object.values(rendered.resource?.[resource.terraformResourceType] ?? {})[0] ?? {}) };
  } catch {
    // Synth reports resources that cannot render; the guardrails judge only what they can read.
    return undefined;
  }
  delete attributes['//'];
  const scope = resource.node.scope;
  let manifests: PolicyManifest[] = [];
  const manifestChart = scope instanceof ManifestChart && scope.release === resource;
  if (manifestChart) manifests = (scope as ManifestChart).manifests as PolicyManifest[];
  else if (resource.terraformResourceType === 'kubernetes_manifest' && attributes.manifest && typeof attributes.manifest === 'object') {
    manifests = [attributes.manifest as PolicyManifest];
  }
  return { type: resource.terraformResourceType, path: resource.node.path, construct: resource, attributes, manifests, manifestChart, context };
}

/**
 * An output, variable or provider block as a subject (type `terraform_output`, `terraform_variable`,
 * `terraform_provider`): they reach the synthesized JSON like resources do, so rules that judge every
 * string (plaintext secrets) see them too.
 */
function blockSubject(block: TerraformOutput | TerraformVariable | TerraformProvider, context: PolicyContext): PolicySubject | undefined {
  let attributes: Record<string, unknown>;
  try {
    const rendered = block.toTerraform() as Record<string, Record<string, unknown>>;
    const section = rendered.provider ?? rendered.output ?? rendered.variable ?? {};
    const body = Object.values(section)[0];
    attributes = { ...((Array.isArray(body) ? body[0] : body) ?? {}) } as Record<string, unknown>;
  } catch {
    return undefined;
  }
  delete attributes['//'];
  const type = block instanceof TerraformOutput ? 'terraform_output' : block instanceof TerraformVariable ? 'terraform_variable' : 'terraform_provider';
  return { type, path: block.node.path, construct: block, attributes, manifests: [], context };
}

/** Attaches the guardrails to a stack. */
export function applyPolicies(stack: TerraformStack, options: PolicyOptions): PolicyAspect {
  const aspect = new PolicyAspect(stack, options);
  Aspects.of(stack).add(aspect);
  return aspect;
}

/** Every stack under `scope` with guardrails attached. */
function policyStacks(scope: IConstruct): Array<{ stack: TerraformStack; aspect: PolicyAspect }> {
  return scope.node
    .findAll()
    .filter((c): c is TerraformStack => c instanceof TerraformStack)
    .flatMap((stack) => PolicyAspect.of(stack).map((aspect) => ({ stack, aspect })));
}

/** Runs the guardrails of every stack under `scope` and returns the results; never throws for violations. */
export function evaluatePolicies(scope: IConstruct): PolicyStackResult[] {
  return policyStacks(scope).map(({ aspect }) => aspect.checkAll());
}

/**
 * Runs the guardrails of every stack under `scope` before anything is synthesized. Throws a
 * {@link PolicyError} listing every unwaived violation of every production stack at once.
 */
export function checkPolicies(scope: IConstruct): PolicyStackResult[] {
  const results = evaluatePolicies(scope);
  const blocking = results.filter((r) => r.production).flatMap((r) => r.violations.filter((v) => !v.waiver));
  if (blocking.length > 0) throw new PolicyError(blocking);
  return results;
}

/** Unwaived guardrail violations in production stacks; `message` lists all of them. */
export class PolicyError extends Error {
  constructor(public readonly violations: readonly PolicyViolation[]) {
    super(PolicyError.format(violations));
    this.name = 'PolicyError';
  }

  static format(violations: readonly PolicyViolation[]): string {
    const stacks = new Set(violations.map((v) => v.stack));
    const n = violations.length;
    const lines = violations.map((v) => `  ${v.stack}: ${describeRule(v.rule)} at ${v.path}: ${v.message}`);
    return (
      `Policy guardrails failed (${n} violation${n === 1 ? '' : 's'} in ${stacks.size} production stack${stacks.size === 1 ? '' : 's'}):\n` +
      `${lines.join('\n')}\n` +
      'Fix the configuration, or waive a rule for the environment with a written reason (policy.waivers, docs/policy.md).'
    );
  }
}

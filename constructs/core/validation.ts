/**
 * The one error type for invalid construct props. Every construct check (ranges, names,
 * cross-field rules, plugin checks, collisions after normalisation) reports a {@link PropsProblem};
 * a construct collects all of its problems and throws them together as one
 * {@link PropsValidationError}, before anything is synthesized. The environment-file layer
 * (config/) maps each problem's field back to the file and field path it came from.
 */

/** One invalid prop. */
export interface PropsProblem {
  /** Construct path, e.g. `payments-platform/kong`. */
  readonly constructPath: string;
  /** Dotted props path, e.g. `gateway.replicas` or `applicationNamespaces.1.name`. */
  readonly field: string;
  /** The value received. */
  readonly value: unknown;
  /** What is wrong and what is allowed, e.g. `must be at least 2 in the ha profile`. */
  readonly message: string;
}

/** Renders a received value for a message: short, quoted, never multi-line. */
export function describePropValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `<path>: <field>: <message>, got <value>`. */
export function formatPropsProblem(p: PropsProblem): string {
  return `${p.constructPath}: ${p.field}: ${p.message}, got ${describePropValue(p.value)}`;
}

/** Every invalid prop of a construct (or of several), reported together. */
export class PropsValidationError extends Error {
  constructor(public readonly problems: readonly PropsProblem[]) {
    super(PropsValidationError.format(problems));
    this.name = 'PropsValidationError';
  }

  static format(problems: readonly PropsProblem[]): string {
    const n = problems.length;
    return `Invalid construct props (${n} problem${n === 1 ? '' : 's'}):\n${problems.map((p) => `  ${formatPropsProblem(p)}`).join('\n')}`;
  }
}

/** Collects the problems of one construct's props; {@link throwIfAny} throws them as one error. */
export class PropsProblems {
  private readonly list: PropsProblem[] = [];

  constructor(public readonly constructPath: string) {}

  public add(field: string, value: unknown, message: string): void {
    this.list.push({ constructPath: this.constructPath, field, value, message });
  }

  public addAll(problems: readonly PropsProblem[]): void {
    this.list.push(...problems);
  }

  public get problems(): readonly PropsProblem[] {
    return this.list;
  }

  /** A whole number in [min, max]; NaN, Infinity and fractions are refused. Undefined is allowed (a default applies). */
  public count(field: string, value: unknown, min: number, max: number): boolean {
    if (value === undefined) return true;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(field, value, `must be a whole number from ${min} to ${max}`);
      return false;
    }
    return true;
  }

  /** A DNS-1123 label (Kubernetes names of namespaces, releases, Secrets). Undefined is allowed. */
  public dnsLabel(field: string, value: unknown, what = 'a Kubernetes name'): boolean {
    if (value === undefined) return true;
    if (typeof value !== 'string' || !DNS_1123_LABEL.test(value)) {
      this.add(field, value, `must be ${what}: a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`);
      return false;
    }
    return true;
  }

  /** Throws every collected problem as one {@link PropsValidationError}. */
  public throwIfAny(): void {
    if (this.list.length > 0) throw new PropsValidationError(this.list);
  }
}

/** DNS-1123 label: Kubernetes namespace and most object names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

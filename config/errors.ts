/** One problem in one environment file. */
export interface ConfigIssue {
  /** File the problem is in, relative to the working directory. */
  readonly file: string;
  /** Dotted field path (`images.gateway.tag`), empty for the whole file. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/**
 * Every problem found in the environment files, reported together so a user fixes them
 * in one pass. `main.ts` prints `message` and exits 1 without writing anything.
 */
export class ConfigError extends Error {
  public readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(ConfigError.format(issues));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  static format(issues: ConfigIssue[]): string {
    const lines = issues.map((i) => `  ${i.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
    const n = issues.length;
    return `Invalid environment configuration (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`;
  }
}

/** Renders a received value for an error message: short, quoted, never multi-line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return typeof value === 'string' ? `${shown}${nonAsciiNote(value)}` : shown;
}

/**
 * ` (contains U+043E, ...)` when a text holds characters outside ASCII: a Cyrillic "о" in
 * "production" looks right in review and is another word to the machine.
 */
export function nonAsciiNote(text: string): string {
  const points = [...new Set([...text].filter((c) => c.codePointAt(0)! > 0x7e))].slice(0, 3);
  if (points.length === 0) return '';
  const codes = points.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return ` (contains ${codes.join(', ')}, not ASCII: a look-alike or invisible character)`;
}

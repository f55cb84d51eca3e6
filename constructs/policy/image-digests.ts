/**
 * Whether an image digest is one a registry could have produced, or a placeholder someone typed.
 * A sha256 digest is uniformly random hex: long runs of counting (`a4b5c6d7...`, `0123...`), a
 * short repeating period (`000...`, `deadbeef...`) or a handful of distinct characters do not
 * happen by chance (each test below has a false-positive rate under 1e-9 for a real digest).
 */

const HEX = '0123456789abcdef';

/** Why `digest` (`sha256:<64 hex>`) looks typed rather than computed, or undefined when it looks real. */
export function placeholderDigestReason(digest: string): string | undefined {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) return `is not sha256:<64 lowercase hex>`;
  const hex = m[1];
  const values = [...hex].map((c) => HEX.indexOf(c));
  if (new Set(values).size < 8) return `uses only ${new Set(values).size} distinct hex digits`;
  for (let period = 1; period <= 16; period++) {
    if (values.every((v, i) => i < period || v === values[i - period])) return `repeats a ${period}-character pattern`;
  }
  // Counting steps: positions where a digit is one more than the digit one or two places before.
  let steps = 0;
  for (let i = 2; i < values.length; i++) {
    if (values[i] === (values[i - 1] + 1) % 16 || values[i] === (values[i - 2] + 1) % 16) steps++;
  }
  // Random hex: about 7.7 of 62 positions by chance; 30 or more is beyond chance.
  if (steps >= 30) return `counts up in ${steps} of 62 places`;
  return undefined;
}

/** The `sha256:...` digest of an image reference, or undefined. Works for `repo@sha256:...` and `repo:tag@sha256:...`. */
export function imageDigest(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  return at < 0 ? undefined : image.slice(at + 1);
}

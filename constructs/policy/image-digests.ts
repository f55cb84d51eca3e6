/**
 * Whether an image digest is one a registry could have produced, or a placeholder someone typed.
 * A sha256 digest is uniformly random hex: long runs of counting (`a4b5c6d7...`, `0123...`), a
 * short repeating period (`000...`, `deadbeef...`) or a handful of distinct characters do not
 * happen by chance (each test below has a false-positive rate under 1e-9 for a real digest).
 */

const HEX = '0123456789abcdef';

/** Hashes everyone has seen: random-looking, but they name no image. */
const WELL_KNOWN_DIGESTS: Record<string, string> = {
  e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: 'the sha256 of empty input',
  '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a': 'the sha256 of "{}" (an empty JSON object)',
  '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae': 'the sha256 of "foo"',
  a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3: 'the sha256 of "123"',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08': 'the sha256 of "test"',
};

/** Why `digest` (`sha256:<64 hex>`) looks typed rather than computed, or undefined when it looks real. */
export function placeholderDigestReason(digest: string): string | undefined {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) return `is not sha256:<64 lowercase hex>`;
  const hex = m[1];
  const known = WELL_KNOWN_DIGESTS[hex];
  if (known) return `is ${known}, not an image`;
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

/**
 * Finds secrets written in plain text anywhere in what a stack synthesizes: resource attributes,
 * Helm values documents, the Kubernetes objects of generated charts, provider blocks (default
 * tags), variable defaults and outputs.
 *
 * Three detectors, each of which catches what the others miss:
 * - a private key in PEM form (any key type, encrypted or not);
 * - well-known credential formats (cloud access keys, Git hosting and chat tokens, Konnect
 *   access tokens, JWTs, ...);
 * - a field named like a secret (`password`, `client_secret`, `X-Api-Key`, ...) that holds a
 *   literal value with the character mix of a generated secret (Shannon entropy), rather than a
 *   reference (Terraform expression, Kong vault reference, Secret name).
 *
 * Why not a scanner package: secretlint, the maintained JavaScript one, runs asynchronously per
 * file; the guardrails run synchronously inside synth (cdktf Aspects) on values, not files. The
 * formats below are the ones its recommended preset and gitleaks' default rules cover for the
 * credentials a Kong platform handles.
 */
import { parseAllDocuments } from 'yaml';

/** A secret found: where, and what kind (never the value itself). */
export interface SecretFinding {
  /** Attribute path inside the scanned value, e.g. `values[0].env.pg_password`. */
  readonly path: string;
  /** What was recognised, e.g. `private key (PEM)`. */
  readonly kind: string;
}

/** Kong vault reference, e.g. `{vault://env/partner-api-key}` or `{vault://aws/prod/partner/api_key}`. */
export const VAULT_REFERENCE = /^\{vault:\/\/[^{}\s]+\}$/;

const CREDENTIAL_FORMATS: ReadonlyArray<{ kind: string; pattern: RegExp }> = [
  { kind: 'private key (PEM)', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/ },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Konnect access token', pattern: /\b(?:kpat|spat)_[A-Za-z0-9]{30,}\b/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'Stripe secret key', pattern: /\b[sr]k_live_[0-9a-zA-Z]{20,}\b/ },
  { kind: 'Azure storage account key', pattern: /AccountKey=[A-Za-z0-9+/]{16,}={0,2}/ },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { kind: 'secret in a connection string', pattern: /\b(?:SharedAccessKey|SharedAccessSignature|Password|Pwd)=[^;\s'"{}$]{8,}/i },
  { kind: 'HTTP Basic credentials', pattern: /\bBasic\s+[A-Za-z0-9+/]{12,}={0,2}(?![A-Za-z0-9+/=])/ },
  { kind: 'HTTP bearer token', pattern: /\bBearer\s+(?!eyJ)[A-Za-z0-9._~+/-]{20,}={0,2}/ },
  // The scheme is bounded: an unbounded one backtracks quadratically over long base64 runs.
  { kind: 'credentials in a URL', pattern: /\b[a-z][a-z0-9+.-]{0,15}:\/\/[^/\s:@]{1,256}:[^/\s@]{3,256}@/i },
];

/** Last words of a key that name the secret itself. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials']);
/** Last two words of a key that name the secret itself. */
const SECRET_WORD_PAIRS = new Set(['api key', 'private key', 'secret key', 'access key', 'client secret', 'signing key', 'encryption key', 'shared key', 'master key']);

/** `client_secret`, `apiKey`, `X-Api-Key`, `PRIVATE_KEY`: a key naming a secret (case-insensitive, any separator). */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (SECRET_WORDS.has(last) || (words.length >= 2 && SECRET_WORD_PAIRS.has(`${words[words.length - 2]} ${last}`))) return true;
  // Odd casing (`PassWord`, `APIkey`): the key without separators ends with a secret word.
  const compact = words.join('');
  return [...SECRET_WORDS, ...SECRET_WORD_PAIRS].some((w) => w.length > 3 && compact.endsWith(w.replace(' ', '')));
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A value that points at a secret instead of holding it. */
function isReference(value: string): boolean {
  const v = value.trim();
  return v === '' || v.includes('${') || VAULT_REFERENCE.test(v) || /^(?:arn:|projects\/|https:\/\/[^/]+\.vault\.azure\.net\/)/.test(v);
}

/**
 * A literal in a secret-named field that looks generated: 16+ characters, no spaces, and at
 * least 3.5 bits of entropy per character (a Kubernetes Secret name like `kong-license` or a
 * path like `/etc/secrets/token` stays below).
 */
function looksGenerated(value: string): boolean {
  const v = value.trim();
  return v.length >= 16 && !/\s/.test(v) && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(v) && !v.startsWith('/') && shannonEntropy(v) >= 3.5;
}

/** Findings in one string (formats only; the key test needs the key). */
export function credentialFormatsIn(text: string): string[] {
  return CREDENTIAL_FORMATS.filter(({ pattern }) => pattern.test(text)).map(({ kind }) => kind);
}

/** A Helm values document or other embedded YAML: parsed when it is a mapping, so its keys count too. */
function embeddedYaml(text: string): unknown | undefined {
  if ((!text.includes('\n') && !text.includes(': ')) || text.length > 256 * 1024) return undefined;
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    if (!Array.isArray(docs)) return undefined;
    const values = docs.filter((d) => d.errors.length === 0).map((d) => d.toJS({ maxAliasCount: 50 }));
    if (!values.some((v) => v && typeof v === 'object')) return undefined;
    return values.length === 1 ? values[0] : values;
  } catch {
    return undefined;
  }
}

/** Every plain-text secret in `value` (any JSON-like structure), by path and kind. */
export function findSecrets(value: unknown, path = ''): SecretFinding[] {
  const out: SecretFinding[] = [];
  const visit = (node: unknown, at: string, key: string | undefined, depth: number): void => {
    if (depth > 64) return;
    if (typeof node === 'string') {
      if (node.includes('${')) {
        // A Terraform expression: only the literal parts around it can hold a secret.
        for (const kind of credentialFormatsIn(node.replace(/\$\{[^}]*\}/g, ' '))) out.push({ path: at, kind });
        return;
      }
      // An embedded values document: judged by its own keys and values, so the finding names the field.
      const nested = embeddedYaml(node);
      if (nested !== undefined) {
        const before = out.length;
        visit(nested, at, undefined, depth + 1);
        if (out.length > before) return;
      }
      const kinds = credentialFormatsIn(node);
      // Kubernetes Secret `data` and similar fields carry base64: look inside it too.
      if (kinds.length === 0 && node.length >= 40 && /^[A-Za-z0-9+/]+={0,2}$/.test(node)) {
        for (const kind of credentialFormatsIn(Buffer.from(node, 'base64').toString('latin1'))) kinds.push(`${kind}, base64-encoded`);
      }
      for (const kind of kinds) out.push({ path: at, kind });
      if (kinds.length === 0 && key !== undefined && isSecretKey(key) && !isReference(node) && looksGenerated(node)) {
        out.push({ path: at, kind: `literal value in the secret-named field "${key}"` });
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${at}[${i}]`, key, depth + 1));
      return;
    }
    // Only plain data: an unresolved token object (cross-stack references) links the whole construct tree.
    if (node && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      for (const [k, v] of Object.entries(node)) visit(v, at ? `${at}.${k}` : k, k, depth + 1);
    }
  };
  visit(value, path, undefined, 0);
  return out;
}

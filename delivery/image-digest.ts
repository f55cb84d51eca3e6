import { isMap, isScalar, parseDocument, stringify, Document, Scalar } from 'yaml';

/**
 * Hand-off from the image pipeline to the environment file: after an image is built, scanned, signed and pushed,
 * its content digest is written to `images.<component>.digest` in `environments/<env>.yaml`, so the next plan pins
 * exactly the bytes that were scanned and signed. The file is edited through the `yaml` Document API so comments,
 * key order and formatting written by people survive.
 */

/** Image components the environment file pins, matching `images.gateway` / `images.controller`. */
export type ImageComponent = 'gateway' | 'controller';
export const IMAGE_COMPONENTS: readonly ImageComponent[] = ['gateway', 'controller'];

/** Same rule as the environment schema (config/schema.ts): sha256 and 64 lowercase hex digits, nothing else. */
export const IMAGE_DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface RecordImageDigestOptions {
  /** Which image: `gateway` (images/kong) or `controller` (images/kong-ingress-controller). */
  readonly component: ImageComponent;
  /** Digest printed by the registry push, e.g. `buildah push --digestfile`. */
  readonly digest: string;
  /**
   * Tag pushed alongside the digest; written to `images.<component>.tag` when given.
   * @default - the tag in the file is left alone
   */
  readonly tag?: string;
  /**
   * Name of the file, for error messages.
   * @default 'environment file'
   */
  readonly source?: string;
}

export interface RecordImageDigestResult {
  /** The new file content. */
  readonly text: string;
  /** Digest the file held before, if any. */
  readonly previousDigest?: string;
  /** False when the file already held this digest (and tag): nothing to commit. */
  readonly changed: boolean;
}

/** Text of `value` in the quoting style of the scalar it replaces (plain stays plain unless that would misread). */
function scalarSource(original: Scalar, value: string): string {
  if (original.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (original.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return stringify(value).trimEnd();
}

interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Reads a digest as a registry client prints it (trailing newline, `repo@sha256:...`), or throws. */
export function normalizeDigest(raw: string): string {
  const trimmed = raw.trim();
  const digest = trimmed.includes('@') ? trimmed.slice(trimmed.lastIndexOf('@') + 1) : trimmed;
  if (!IMAGE_DIGEST_PATTERN.test(digest)) {
    throw new Error(
      `malformed image digest ${JSON.stringify(raw.length > 100 ? `${raw.slice(0, 100)}...` : raw)}: expected "sha256:" followed by 64 lowercase hex digits (optionally prefixed by "<repository>@")`,
    );
  }
  return digest;
}

function requireComponent(component: string): ImageComponent {
  if (!(IMAGE_COMPONENTS as readonly string[]).includes(component)) {
    throw new Error(`unknown image component ${JSON.stringify(component)}: expected one of ${IMAGE_COMPONENTS.join(', ')}`);
  }
  return component as ImageComponent;
}

/**
 * Returns the environment file text with `images.<component>.digest` (and optionally `.tag`) set.
 * Refuses a malformed digest or tag, a file that does not parse, and a file without `images.<component>.repository`
 * (the pipeline must not invent which repository an environment pulls from).
 */
export function recordImageDigest(yamlText: string, options: RecordImageDigestOptions): RecordImageDigestResult {
  const source = options.source ?? 'environment file';
  const component = requireComponent(options.component);
  const digest = normalizeDigest(options.digest);
  if (options.tag !== undefined && (!IMAGE_TAG_PATTERN.test(options.tag) || options.tag === 'latest')) {
    throw new Error(`${source}: invalid image tag ${JSON.stringify(options.tag)}: expected a version tag such as 3.9.1 (not "latest")`);
  }
  const doc: Document = parseDocument(yamlText);
  if (doc.errors.length > 0) {
    throw new Error(`${source}: not valid YAML: ${doc.errors[0].message}`);
  }
  const image = doc.getIn(['images', component]);
  if (!isMap(image) || typeof image.get('repository') !== 'string') {
    throw new Error(`${source}: images.${component}.repository is missing; declare the image (registry, repository, tag) before the pipeline records its digest`);
  }
  const previous = image.get('digest');
  const previousDigest = typeof previous === 'string' ? previous : undefined;
  const previousTag = image.get('tag');
  const changed = previousDigest !== digest || (options.tag !== undefined && previousTag !== options.tag);
  if (!changed) return { text: yamlText, previousDigest, changed: false };
  // Existing values are replaced in the source text itself, so nothing else in the file moves (flow sequences,
  // long lines, blank lines); when a key is missing the Document API adds it and re-renders the file.
  const updates: Array<[string, string]> = [['digest', digest]];
  if (options.tag !== undefined) updates.push(['tag', options.tag]);
  const nodes = updates.map(([key]) => image.get(key, true));
  if (nodes.every((node) => isScalar(node) && node.range)) {
    const edits: TextEdit[] = updates.map(([, value], i) => {
      const node = nodes[i] as Scalar;
      return { start: node.range![0], end: node.range![1], text: scalarSource(node, value) };
    });
    let text = yamlText;
    for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    return { text, previousDigest, changed: true };
  }
  updates.forEach(([key, value], i) => {
    const node = nodes[i];
    if (isScalar(node)) node.value = value;
    else image.set(key, value);
  });
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), previousDigest, changed: true };
}

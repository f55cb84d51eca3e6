import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../support/platform-fixture';

/** The bypass corpus of test/fixtures/bypass/ (README there): the base production environment and the attempts. */

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'bypass');

export interface Attempt {
  readonly file: string;
  readonly attempt: string;
  readonly refusedBy: string;
  readonly message: string;
  readonly environment: Record<string, unknown>;
}

type Raw = Record<string, any>;
const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Mappings merge; anything else (lists, scalars, null) replaces. */
export function deepMerge(base: Raw, overlay: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = isObject(value) && isObject(base[key]) ? deepMerge(base[key], value) : value;
  return out;
}

export const bypassBase = (): Raw => parse(fs.readFileSync(path.join(CORPUS, '_base.yaml'), 'utf8'));

export const bypassAttempts = (): Attempt[] =>
  fs
    .readdirSync(CORPUS)
    .filter((f) => /^\d+-.*\.yaml$/.test(f))
    .sort()
    .map((file) => ({ file, ...(parse(fs.readFileSync(path.join(CORPUS, file), 'utf8')) as Omit<Attempt, 'file'>) }));

/** The environment file of an attempt: the base production environment with the attempt merged in. */
export const attemptEnvironment = (attempt: Attempt): string => stringify(deepMerge(bypassBase(), attempt.environment));

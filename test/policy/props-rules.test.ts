import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { parseEnvironmentText, validateEnvironment } from '../../config/load';
import { ConfigIssue } from '../../config/errors';
import { configIssuesFromProps } from '../../config/props-issues';
import { Testing } from '../../constructs/core/cdktf';
import { PropsValidationError } from '../../constructs/core/validation';
import { PROPS_RULES, PROPS_RULE_ID, PropsRule, PropsRuleExample } from '../../constructs/policy/props-rules';
import { addEnvironmentStacks } from '../../stacks/environment-stacks';
import { PLUGINS_DIR, REPO_ROOT } from '../support/platform-fixture';
import { MINIMAL_HANDLER } from '../support/plugin-folders';

/**
 * The props and environment-file rules catalogue (constructs/policy/props-rules.ts, the second
 * table of docs/policy.md) is executable: every entry's example, merged over a valid sample
 * environment, must be refused at the entry's field, and (for a production-only rule) accepted
 * by the same sample outside production.
 */

type Raw = Record<string, any>;
type Sample = NonNullable<PropsRuleExample['sample']>;

/** Maps merge, lists and scalars replace, `undefined` removes the key. */
function deepMerge(base: Raw, patch: Readonly<Record<string, unknown>>): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else if (isMap(value) && isMap(base[key])) out[key] = deepMerge(base[key], value);
    else out[key] = value;
  }
  return out;
}
const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const SAMPLE_FILES: Record<Sample, string> = { hybrid: 'onprem-hybrid', aws: 'aws-dev', azure: 'azure-prod' };
const sampleText = (sample: Sample) => fs.readFileSync(path.join(REPO_ROOT, 'environments', `${SAMPLE_FILES[sample]}.yaml`), 'utf8');

/** What turns a sample into a valid production (or non-production) environment. */
const PRODUCTION: Record<Sample, Raw> = {
  hybrid: { production: true, backend: { type: 's3', bucket: 'kong-onprem-state', region: 'eu-west-1' }, mesh: { mtls: { mode: 'STRICT' } } },
  aws: { production: true, aws: { availabilityZoneCount: 3 } },
  azure: { production: true },
};
const NON_PRODUCTION: Record<Sample, Raw> = { hybrid: { production: false }, aws: { production: false }, azure: { production: false } };

/** The sample environment an entry is checked against. */
function baseEnvironment(sample: Sample, production: boolean): Raw {
  return deepMerge(parse(sampleText(sample)), (production ? PRODUCTION : NON_PRODUCTION)[sample]);
}

const scratchFolders: string[] = [];
afterAll(() => scratchFolders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

/** A plugins folder with the repository's plugins and the example's. */
function pluginsFolder(example: PropsRuleExample): string {
  if (!example.plugins) return PLUGINS_DIR;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'props-rules-plugins-'));
  scratchFolders.push(root);
  fs.cpSync(PLUGINS_DIR, root, { recursive: true });
  for (const [name, files] of Object.entries(example.plugins)) {
    const folder = path.join(root, name);
    fs.mkdirSync(folder);
    const all = { 'handler.lua': MINIMAL_HANDLER, 'schema.lua': `return { name = "${name}", fields = {} }\n`, ...files };
    for (const [file, content] of Object.entries(all)) {
      if (typeof content === 'string') fs.writeFileSync(path.join(folder, file), content);
      else fs.symlinkSync(content.symlinkTo, path.join(folder, file));
    }
  }
  return root;
}

/** The loader's problems of a sample with the example applied. */
function loadIssues(example: PropsRuleExample, production: boolean, pluginsDirectory: string): { issues: ConfigIssue[]; raw: Raw } {
  const sample = example.sample ?? 'hybrid';
  const raw = deepMerge(baseEnvironment(sample, production), example.file);
  const file = `${SAMPLE_FILES[sample]}.yaml`;
  const options = { pluginsDirectory, expectedName: SAMPLE_FILES[sample] };
  if (example.appendYaml !== undefined) {
    // Rules on the text: the sample's own text (its production flag as the rule needs it) plus the example's.
    const text = sampleText(sample).replace(/^production: (true|false)$/m, `production: ${production}`);
    return { issues: parseEnvironmentText(`${text}\n${example.appendYaml}`, file, options).issues, raw };
  }
  return { issues: validateEnvironment(raw, file, options).issues, raw };
}

/** The fields named by the problems building the stacks of a valid environment reports (nothing is synthesized). */
function synthFields(raw: Raw, example: PropsRuleExample, pluginsDirectory: string): { fields: string[]; text: string } {
  const sample = example.sample ?? 'hybrid';
  const result = validateEnvironment(raw, `${SAMPLE_FILES[sample]}.yaml`, { pluginsDirectory });
  if (!result.environment) throw new Error(`expected the loader to accept the file, got:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  try {
    addEnvironmentStacks(Testing.app(), result.environment, { pluginsDirectory });
    return { fields: [], text: '' };
  } catch (error) {
    if (error instanceof PropsValidationError) {
      const issues = configIssuesFromProps(error.problems, () => 'file');
      return { fields: issues.map((i) => i.path), text: issues.map((i) => `${i.path}: ${i.message}`).join('\n') };
    }
    const text = error instanceof Error ? error.message : String(error);
    return { fields: [], text };
  }
}

/** Whether the example's problem is reported (at its path, at its stage). */
function reported(example: PropsRuleExample, production: boolean): { found: boolean; shown: string } {
  const pluginsDirectory = pluginsFolder(example);
  const { issues, raw } = loadIssues(example, production, pluginsDirectory);
  if ((example.stage ?? 'load') === 'load') {
    return { found: issues.some((i) => i.path === example.expectPath), shown: issues.map((i) => `${i.path}: ${i.message}`).join('\n') || 'no problem' };
  }
  const { fields, text } = synthFields(raw, example, pluginsDirectory);
  return { found: fields.includes(example.expectPath) || (fields.length === 0 && text.includes(example.expectPath)), shown: text || 'no problem' };
}

const withExample = PROPS_RULES.filter((r): r is PropsRule & { example: PropsRuleExample } => r.example !== undefined);

describe('the props and environment-file rules catalogue', () => {
  test('ids are unique and look like KP-PROPS-<AREA>-<nnn>', () => {
    const ids = PROPS_RULES.map((r) => r.id);
    expect(ids.filter((id) => !PROPS_RULE_ID.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  test('library-only rules say why, and stay few', () => {
    const libraryOnly = PROPS_RULES.filter((r) => r.example === undefined);
    for (const r of libraryOnly) expect(r.libraryOnly && r.reason.length).toBeGreaterThan(20);
    expect(libraryOnly.length).toBeLessThanOrEqual(PROPS_RULES.length / 8);
  });

  test.each(['hybrid', 'aws', 'azure'] as const)('the %s samples are valid in and outside production', (sample) => {
    for (const production of [true, false]) {
      const raw = baseEnvironment(sample, production);
      const result = validateEnvironment(raw, `${SAMPLE_FILES[sample]}.yaml`, { pluginsDirectory: PLUGINS_DIR, expectedName: SAMPLE_FILES[sample] });
      expect(result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([]);
      expect(() => addEnvironmentStacks(Testing.app(), result.environment!, { pluginsDirectory: PLUGINS_DIR })).not.toThrow();
    }
  });

  test.each(withExample.map((r) => [r.id, r] as const))('%s: its example is refused at its field', (_id, rule) => {
    const { found, shown } = reported(rule.example, rule.productionOnly);
    if (!found) throw new Error(`${rule.id} (${rule.rule}): expected a problem at "${rule.example.expectPath}", got:\n${shown}`);
  });

  test.each(withExample.filter((r) => r.productionOnly).map((r) => [r.id, r] as const))('%s: production only, so its example passes outside production', (_id, rule) => {
    const { found, shown } = reported(rule.example, false);
    if (found) throw new Error(`${rule.id} is production-only, yet outside production: ${shown}`);
  });
});

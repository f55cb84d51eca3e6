import * as fs from 'fs';
import * as path from 'path';
import { describeSchema, environmentFileMarkdown } from '../../config/describe-schema';
import { environmentSchema } from '../../config/environment';
import { REPO_ROOT } from '../support/platform-fixture';

describe('environment file reference', () => {
  test('every field of the environment file has a description', () => {
    const undocumented = describeSchema(environmentSchema)
      .filter((f) => f.description.replace(/^\(\w+: \w+\)\s*/, '').trim() === '')
      .map((f) => f.path);
    expect(undocumented).toEqual([]);
  });

  test('docs/environment-file.md is generated from the current schema (npm run docs:environment)', () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'environment-file.md'), 'utf8');
    expect(committed).toBe(environmentFileMarkdown(environmentSchema));
  });
});

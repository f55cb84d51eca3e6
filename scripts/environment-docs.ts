/** Writes docs/environment-file.md from the environment schema (`npm run docs:environment`). */
import * as fs from 'fs';
import * as path from 'path';
import { environmentFileMarkdown } from '../config/describe-schema';
import { environmentSchema } from '../config/environment';

const target = path.resolve(__dirname, '..', '..', 'docs', 'environment-file.md');
fs.writeFileSync(target, environmentFileMarkdown(environmentSchema));
console.log(`wrote ${path.relative(process.cwd(), target)}`);

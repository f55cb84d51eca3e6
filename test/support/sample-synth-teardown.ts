/** jest globalTeardown: removes the folder of sample-synth-setup.ts. */
import * as fs from 'fs';
import { SAMPLE_SYNTH_VARIABLE } from './sample-synth';

export default function teardown(): void {
  const root = process.env[SAMPLE_SYNTH_VARIABLE];
  if (root) fs.rmSync(root, { recursive: true, force: true });
}

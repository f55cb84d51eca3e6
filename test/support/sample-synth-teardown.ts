/** jest globalTeardown: removes the folders of sample-synth-setup.ts. */
import * as fs from 'fs';
import { SAMPLE_SYNTH_VARIABLE } from './sample-synth';
import { TEST_RUN_CACHE_VARIABLE } from './test-run-cache';

export default function teardown(): void {
  for (const folder of [process.env[SAMPLE_SYNTH_VARIABLE], process.env[TEST_RUN_CACHE_VARIABLE]]) {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  }
}

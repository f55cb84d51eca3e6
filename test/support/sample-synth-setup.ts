/**
 * jest globalSetup: synthesizes the sample environments once for the whole run (sample-synth.ts)
 * and creates the run's cache folder (test-run-cache.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SAMPLE_SYNTH_VARIABLE, synthesizeSamples } from './sample-synth';
import { TEST_RUN_CACHE_VARIABLE } from './test-run-cache';

export default function setup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-samples-'));
  synthesizeSamples(root);
  // Workers start after globalSetup and inherit this process's environment.
  process.env[SAMPLE_SYNTH_VARIABLE] = root;
  process.env[TEST_RUN_CACHE_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-test-run-'));
}

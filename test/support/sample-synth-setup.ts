/** jest globalSetup: synthesizes the sample environments once for the whole run (sample-synth.ts). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SAMPLE_SYNTH_VARIABLE, synthesizeSamples } from './sample-synth';

export default function setup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-samples-'));
  synthesizeSamples(root);
  // Workers start after globalSetup and inherit this process's environment.
  process.env[SAMPLE_SYNTH_VARIABLE] = root;
}

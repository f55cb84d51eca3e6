/**
 * Preloaded (`node --require`) into the measured synth process by scripts/bench.ts:
 * writes the process's peak resident memory to the file named by BENCH_RSS_FILE at exit.
 */
import * as fs from 'fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}

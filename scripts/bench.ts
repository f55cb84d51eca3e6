/**
 * Synth benchmark: wall time and peak memory of `node dist/main.js` (compiled JS, as
 * `npm run synth` runs it) for the sample environments and for a generated set of 30.
 *
 *   npm run bench            (3 runs each, median reported)
 *   BENCH_RUNS=5 npm run bench
 *   BENCH_TESTS=1 npm run bench   (also times one jest run of the whole suite; target <= 60 s)
 *
 * Targets (DEVELOPERS.md / issue 3): samples < 1.5 s and < 300 MB; 30 environments in < 3x
 * the time of the samples.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
const PRELOAD = path.join(ROOT, 'dist', 'scripts', 'bench-rss.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measurement {
  seconds: number;
  peakMb: number;
  stacks: number;
}

function project(environments: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kong-bench-'));
  fs.cpSync(path.join(ROOT, 'plugins'), path.join(dir, 'plugins'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'));
  for (const [name, env] of Object.entries(environments)) fs.writeFileSync(path.join(dir, 'environments', `${name}.yaml`), stringify(env));
  return dir;
}

function measureOnce(dir: string): Measurement {
  const rssFile = path.join(dir, 'rss');
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_RSS_FILE: rssFile };
  delete env.CDKTF_OUTDIR;
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', PRELOAD, MAIN], { cwd: dir, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`synth failed in ${dir}:\n${run.stderr}`);
  const stacks = fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks')).length;
  return { seconds, peakMb: Number(fs.readFileSync(rssFile, 'utf8')) / 1024 / 1024, stacks };
}

function measure(label: string, environments: Record<string, unknown>): Measurement {
  const dir = project(environments);
  try {
    const runs = Array.from({ length: RUNS }, () => measureOnce(dir)).sort((a, b) => a.seconds - b.seconds);
    const median = runs[Math.floor(runs.length / 2)];
    const peak = Math.max(...runs.map((r) => r.peakMb));
    console.log(
      `${label.padEnd(28)} ${String(Object.keys(environments).length).padStart(3)} envs ${String(median.stacks).padStart(4)} stacks   ` +
        `median ${median.seconds.toFixed(2)} s (min ${runs[0].seconds.toFixed(2)}, max ${runs[runs.length - 1].seconds.toFixed(2)})   peak ${peak.toFixed(0)} MB`,
    );
    return { ...median, peakMb: peak };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  if (!fs.existsSync(MAIN)) throw new Error('dist/main.js is missing: run "npm run build" first');
  const samples: Record<string, any> = {};
  for (const file of fs.readdirSync(path.join(ROOT, 'environments')).filter((f) => f.endsWith('.yaml'))) {
    samples[file.replace(/\.yaml$/, '')] = parse(fs.readFileSync(path.join(ROOT, 'environments', file), 'utf8'));
  }
  const generated: Record<string, unknown> = {};
  const templates = Object.values(samples);
  for (let i = 0; i < 30; i++) {
    const template = templates[i % templates.length];
    const name = `${template.name}-${String(i).padStart(2, '0')}`;
    generated[name] = { ...template, name };
  }
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each; synth = node dist/main.js (compiled JS)`);
  const small = measure('sample environments', samples);
  const large = measure('generated environments', generated);
  const ratio = large.seconds / small.seconds;
  console.log(`30 environments take ${ratio.toFixed(2)}x the time of the ${Object.keys(samples).length} samples (target < 3x)`);
  const ok = small.seconds < 1.5 && small.peakMb < 300 && ratio < 3;
  console.log(ok ? 'targets met' : 'TARGETS MISSED (samples < 1.5 s and < 300 MB; 30 envs < 3x)');
  if (process.env.BENCH_TESTS === '1') benchTests();
}

/** One jest run of the whole suite (the build is already done): wall time and CPU time of it and its children. */
function benchTests(): void {
  const cpuBefore = childCpuSeconds();
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--silent'], { cwd: ROOT, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const children = childCpuSeconds() - cpuBefore;
  const summary = /^Tests:.*$/m.exec(run.stderr)?.[0] ?? 'no jest summary';
  console.log(`npm test (jest only, ${os.cpus().length} cores): ${seconds.toFixed(1)} s wall, ${children.toFixed(0)} s CPU; ${summary}`);
  console.log(run.status === 0 && seconds <= 60 ? 'test target met (<= 60 s)' : `TEST TARGET MISSED (<= 60 s, all passing; exit ${run.status})`);
}

/** CPU seconds of waited-for child processes (cutime + cstime of /proc/self/stat, in clock ticks of 1/100 s). */
function childCpuSeconds(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}

main();

/**
 * A scratch folder for one jest run (created by the globalSetup, removed by the globalTeardown):
 * where a suite leaves what it derived from fixed inputs (installed packages, vendored files) so
 * the suites after it read the result instead of deriving it again. Nothing in it outlives the
 * run, so a new run never sees stale results.
 */
import * as fs from 'fs';
import * as path from 'path';

export const TEST_RUN_CACHE_VARIABLE = 'KONG_PLATFORM_TEST_RUN_CACHE';

/** The path of `name` in the run's cache folder, or undefined outside a jest run with the globalSetup. */
export function testRunCacheFile(name: string): string | undefined {
  const folder = process.env[TEST_RUN_CACHE_VARIABLE];
  return folder && fs.existsSync(folder) ? path.join(folder, name) : undefined;
}

/** Writes `content` to `file` under a temporary name first: a suite reading it in parallel sees all of it or nothing. */
export function writeTestRunCacheFile(file: string, content: string): void {
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, file);
}

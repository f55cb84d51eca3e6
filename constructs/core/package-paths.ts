import * as fs from 'fs';
import * as path from 'path';

let cachedRoot: string | undefined;

/**
 * The folder that holds this package's `package.json`, whether the code runs from the
 * TypeScript sources (tests) or from `dist/` (synth), or from `node_modules/kong-platform`
 * in a consumer's app. Bundled data (helm-values/) is found relative to it.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'helm-values'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`kong-platform: cannot find the package root (package.json + helm-values/) above ${__dirname}`);
    dir = parent;
  }
}

/** Absolute path of a file shipped with the package, e.g. `packagePath('helm-values', 'kong-gateway.yaml')`. */
export function packagePath(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The smallest handler.lua Kong loads. */
export const MINIMAL_HANDLER = 'return { PRIORITY = 1000, VERSION = "1.0.0" }\n';

/**
 * A scratch plugins folder (what `plugins/` is to an environment file): one sub-folder per plugin,
 * each with a minimal handler.lua and a schema.lua naming it, then the given files on top.
 */
export function scratchPluginsFolder(plugins: string[] | Record<string, Record<string, string>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plugins-'));
  const entries = Array.isArray(plugins) ? plugins.map((name) => [name, {}] as const) : Object.entries(plugins);
  for (const [name, files] of entries) {
    fs.mkdirSync(path.join(root, name));
    const all = { 'handler.lua': MINIMAL_HANDLER, 'schema.lua': `return { name = "${name}", fields = {} }\n`, ...files };
    for (const [file, source] of Object.entries(all)) fs.writeFileSync(path.join(root, name, file), source);
  }
  return root;
}

import * as fs from 'fs';
import * as path from 'path';

/** A custom plugin's schema, as uploaded to a Konnect control plane. */
export interface CustomPluginSchemaSource {
  /** Plugin name (its folder name under `plugins/`). */
  readonly name: string;
  /** Text of its `schema.lua`. */
  readonly luaSchema: string;
}

/**
 * Reads `<pluginsDirectory>/<name>/schema.lua` for every plugin folder, sorted by name.
 * Folders without a `schema.lua` are skipped: they are not loadable Kong plugins.
 */
export function readCustomPluginSchemas(pluginsDirectory: string): CustomPluginSchemaSource[] {
  if (!fs.existsSync(pluginsDirectory)) return [];
  return fs
    .readdirSync(pluginsDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .filter((name) => fs.existsSync(path.join(pluginsDirectory, name, 'schema.lua')))
    .map((name) => ({ name, luaSchema: fs.readFileSync(path.join(pluginsDirectory, name, 'schema.lua'), 'utf8') }));
}

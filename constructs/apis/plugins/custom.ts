import { z } from 'zod';
import { KongPluginSpec, kubernetesName } from './plugin-spec';

/** Options of a custom Lua plugin from `plugins/<name>/` that has no typed builder. */
export const customPluginOptionsSchema = z
  .object({
    name: kubernetesName.describe('Folder name under plugins/ (must be listed in plugins.custom).'),
    config: z.record(z.unknown()).default({}).describe('Kong config of the plugin (snake_case, as its schema.lua declares). @default {}'),
  })
  .strict();

export type CustomPluginOptions = z.input<typeof customPluginOptionsSchema>;

/** A custom plugin by name, with its config passed through as written. */
export function customPlugin(options: CustomPluginOptions): KongPluginSpec {
  const o = customPluginOptionsSchema.parse(options);
  return { plugin: o.name, authenticates: false, config: o.config };
}

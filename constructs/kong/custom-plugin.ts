import * as fs from 'fs';
import * as path from 'path';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { parse as parseLua } from 'luaparse';
import { Construct, ITerraformDependable } from '../core/cdktf';

const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const REQUIRED_FILES = ['handler.lua', 'schema.lua'];
/** A ConfigMap holds at most 1 MiB; leave room for metadata. */
const MAX_CONFIGMAP_BYTES = 900 * 1024;

/** The Lua 5.1 (LuaJIT) syntax error of a source, or undefined when it parses. */
export function luaSyntaxProblem(source: string): string | undefined {
  try {
    parseLua(source, { luaVersion: 'LuaJIT', comments: false, locations: false, ranges: false });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A custom Kong plugin written in Lua: `handler.lua`, `schema.lua` and any other `.lua`
 * files of one folder. Sub-folders are not supported (the chart needs one ConfigMap each).
 */
export class CustomPlugin {
  /** Reads a plugin from `plugins/<name>/`; the folder name is the plugin name. */
  public static fromDirectory(directory: string): CustomPlugin {
    const name = path.basename(directory);
    if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
      throw new Error(`CustomPlugin: plugin folder ${directory} does not exist`);
    }
    const files: Record<string, string> = {};
    const folder = fs.realpathSync(directory);
    for (const entry of fs.readdirSync(directory).sort()) {
      const full = path.join(directory, entry);
      if (fs.lstatSync(full).isSymbolicLink()) {
        // A link can point anywhere on the build machine (a key, another team's code): only files of the folder ship.
        const target = fs.existsSync(full) ? fs.realpathSync(full) : fs.readlinkSync(full);
        if (path.dirname(target) !== folder) {
          throw new Error(`CustomPlugin "${name}": "${entry}" is a symbolic link to ${target}, outside the plugin folder; copy the file into the folder`);
        }
      }
      if (fs.statSync(full).isDirectory()) {
        throw new Error(`CustomPlugin "${name}": sub-folder "${entry}" is not supported; keep the plugin's Lua files in one folder`);
      }
      if (entry.endsWith('.lua')) files[entry] = fs.readFileSync(full, 'utf8');
    }
    return CustomPlugin.fromSources(name, files);
  }

  /** A plugin from in-memory sources (file name -> Lua source). */
  public static fromSources(name: string, files: Record<string, string>): CustomPlugin {
    return new CustomPlugin(name, files);
  }

  private constructor(
    /** Plugin name as Kong knows it (`plugins = bundled,<name>`). */
    public readonly name: string,
    /** Lua sources by file name. */
    public readonly files: Readonly<Record<string, string>>,
  ) {
    if (!PLUGIN_NAME.test(name)) {
      throw new Error(`CustomPlugin: name must be lowercase letters, digits and '-', starting with a letter, got "${name}"`);
    }
    const missing = REQUIRED_FILES.filter((f) => !(f in files));
    if (missing.length > 0) throw new Error(`CustomPlugin "${name}": missing ${missing.join(' and ')}`);
    const size = Object.values(files).reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    if (size > MAX_CONFIGMAP_BYTES) {
      throw new Error(`CustomPlugin "${name}": ${size} bytes of Lua does not fit a ConfigMap (max ${MAX_CONFIGMAP_BYTES}); ship it in the image instead (images/kong)`);
    }
    for (const [file, source] of Object.entries(files)) {
      const problem = luaSyntaxProblem(source);
      if (problem) throw new Error(`CustomPlugin "${name}": ${file} is not valid Lua (${problem}); Kong would fail to load it at start`);
    }
  }

  /** Name of the ConfigMap that carries the plugin. */
  public get configMapName(): string {
    return `kong-plugin-${this.name}`;
  }
}

export interface CustomPluginConfigMapsProps {
  /** Namespace of Kong. */
  readonly namespace: string;
  /** The plugins. */
  readonly plugins: CustomPlugin[];
  /** Resources to create first (the namespace). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One ConfigMap per custom plugin and the matching `plugins.configMaps` values, with which
 * the kong chart mounts each at `/opt/kong/plugins/<name>` and runs `KONG_PLUGINS=bundled,<names>`.
 */
export class CustomPluginConfigMaps extends Construct {
  /** The ConfigMaps, for `dependsOn`. */
  public readonly configMaps: ConfigMapV1[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: CustomPluginConfigMapsProps,
  ) {
    super(scope, id);
    const seen = new Set<string>();
    for (const plugin of props.plugins) {
      if (seen.has(plugin.name)) throw new Error(`${this.node.path}: plugin "${plugin.name}" is listed twice`);
      seen.add(plugin.name);
      this.configMaps.push(
        new ConfigMapV1(this, plugin.name, {
          metadata: {
            name: plugin.configMapName,
            namespace: props.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'kong-platform', 'kong-platform.io/plugin': plugin.name },
          },
          data: { ...plugin.files },
          dependsOn: props.dependsOn,
        }),
      );
    }
  }

  /** The chart values that mount the plugins. */
  public get values(): { plugins: { configMaps: Array<{ pluginName: string; name: string }> } } | Record<string, never> {
    if (this.props.plugins.length === 0) return {};
    return { plugins: { configMaps: this.props.plugins.map((p) => ({ pluginName: p.name, name: p.configMapName })) } };
  }
}

import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'luaparse';
import { CustomPlugin } from '../../constructs/kong/custom-plugin';
import { validateEnvironment } from '../../config/load';
import { PLUGINS_DIR, rawEnvironment } from '../support/platform-fixture';
import { scratchPluginsFolder } from '../support/plugin-folders';

const plugins = fs.readdirSync(PLUGINS_DIR).filter((p) => fs.statSync(path.join(PLUGINS_DIR, p)).isDirectory());

describe('custom plugins parse as Lua 5.1 (LuaJIT, what Kong runs)', () => {
  test('there is at least one plugin', () => {
    expect(plugins.length).toBeGreaterThan(0);
  });

  test.each(plugins)('%s: every .lua file parses', (plugin) => {
    const plugin_ = CustomPlugin.fromDirectory(path.join(PLUGINS_DIR, plugin));
    for (const [file, source] of Object.entries(plugin_.files)) {
      expect(() => parse(source, { luaVersion: '5.1' })).not.toThrow();
      expect(file.endsWith('.lua')).toBe(true);
    }
  });

  test.each(plugins)('%s: schema.lua declares the folder name as the plugin name', (plugin) => {
    const source = fs.readFileSync(path.join(PLUGINS_DIR, plugin, 'schema.lua'), 'utf8');
    expect(source).toMatch(new RegExp(`name\\s*=\\s*"${plugin}"`));
  });

  test('the check catches a syntax error', () => {
    expect(() => parse('local x = = 1', { luaVersion: '5.1' })).toThrow(/expected near '='/);
  });
});

describe('CustomPlugin', () => {
  test('refuses a plugin without schema.lua', () => {
    expect(() => CustomPlugin.fromSources('broken', { 'handler.lua': 'return {}' })).toThrow('CustomPlugin "broken": missing schema.lua');
  });

  test('refuses a name Kong cannot load', () => {
    expect(() => CustomPlugin.fromSources('Bad_Name', { 'handler.lua': '', 'schema.lua': '' })).toThrow(/name must be lowercase letters, digits and '-'.*got "Bad_Name"/);
  });

  test('refuses a plugin too large for a ConfigMap', () => {
    const big = 'x'.repeat(1024 * 1024);
    expect(() => CustomPlugin.fromSources('big', { 'handler.lua': big, 'schema.lua': '' })).toThrow(/does not fit a ConfigMap/);
  });
});

describe('custom plugins are checked at synth, in library mode and through environment files', () => {
  const schema = (name: string) => `return { name = "${name}", fields = {} }\n`;

  test.each([
    ['a doubled operator', 'local x = = 1'],
    ['an unclosed function', 'local function f()\n  return 1\n'],
    ['a stray end', 'local x = 1\nend\n'],
  ])('GIVEN handler.lua with %s THEN CustomPlugin refuses it, naming the file and the position', (_given, source) => {
    expect(() => CustomPlugin.fromSources('tenant-guard', { 'handler.lua': source, 'schema.lua': schema('tenant-guard') })).toThrow(
      /^CustomPlugin "tenant-guard": handler\.lua is not valid Lua \(\[\d+:\d+\] .+\); Kong would fail to load it at start$/,
    );
  });

  test('GIVEN LuaJIT syntax Kong runs (goto, labels) THEN it parses', () => {
    const handler = 'local H = {}\nfunction H:access()\n  for i = 1, 3 do\n    if i == 2 then goto continue end\n    ::continue::\n  end\nend\nreturn H\n';
    expect(() => CustomPlugin.fromSources('tenant-guard', { 'handler.lua': handler, 'schema.lua': schema('tenant-guard') })).not.toThrow();
  });

  test('GIVEN a plugin file that is a symbolic link out of the plugin folder THEN it is refused, naming the target', () => {
    // GIVEN
    const root = scratchPluginsFolder(['tenant-guard']);
    const secret = path.join(root, 'outside.lua');
    fs.writeFileSync(secret, 'return "not part of the plugin"\n');
    fs.symlinkSync(secret, path.join(root, 'tenant-guard', 'extra.lua'));
    // WHEN / THEN
    expect(() => CustomPlugin.fromDirectory(path.join(root, 'tenant-guard'))).toThrow(/"extra\.lua" is a symbolic link to .*outside\.lua, outside the plugin folder/);
  });

  test('GIVEN a symbolic link between files of the same plugin folder THEN it is read', () => {
    const root = scratchPluginsFolder({ 'tenant-guard': { 'shared.lua': 'return {}\n' } });
    fs.symlinkSync(path.join(root, 'tenant-guard', 'shared.lua'), path.join(root, 'tenant-guard', 'alias.lua'));
    expect(Object.keys(CustomPlugin.fromDirectory(path.join(root, 'tenant-guard')).files).sort()).toEqual(['alias.lua', 'handler.lua', 'schema.lua', 'shared.lua']);
  });

  test('GIVEN an environment file enabling a plugin with a Lua syntax error THEN the loader names plugins.custom.0', () => {
    // GIVEN
    const root = scratchPluginsFolder({ 'tenant-guard': { 'handler.lua': 'local x = = 1\n' } });
    // WHEN
    const result = validateEnvironment(rawEnvironment({ plugins: { custom: ['tenant-guard'] } }), 'test-env.yaml', { pluginsDirectory: root });
    // THEN
    expect(result.issues).toEqual([expect.objectContaining({ path: 'plugins.custom.0', message: expect.stringMatching(/^handler\.lua is not valid Lua \(\[1:10\] /) })]);
  });
});

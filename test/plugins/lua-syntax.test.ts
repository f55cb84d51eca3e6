import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'luaparse';
import { CustomPlugin } from '../../constructs/kong/custom-plugin';
import { PLUGINS_DIR } from '../support/platform-fixture';

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

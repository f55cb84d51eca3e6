/** KP-KONG-008: Kong settings end up in nginx.conf; none may add directives, blocks or code there. */
import { compliantGatewayValues, kongRelease, merge, messagesOf } from './support';

const withEnv = (env: Record<string, unknown>, customEnv?: Record<string, unknown>) => merge(compliantGatewayValues(), { env, ...(customEnv ? { customEnv } : {}) });
const refusals = (env: Record<string, unknown>, customEnv?: Record<string, unknown>) => messagesOf('KP-KONG-008', (s) => kongRelease(s, withEnv(env, customEnv)));

describe('KP-KONG-008', () => {
  test.each([
    ['a line break in a header setting', { real_ip_header: 'X-Forwarded-For\nallow all' }, /env\.real_ip_header contains a line break/],
    ['a Lua block injected into the proxy server', { nginx_proxy_access_by_lua_block: 'ngx.exit(200)' }, /injects the nginx directive "access_by_lua_block"/],
    ['an include in the http block', { nginx_http_include: '/tmp/evil.conf' }, /injects the nginx directive "include"/],
    ['an allow rule on the Admin API server', { nginx_admin_allow: 'all' }, /injects the nginx directive "allow"/],
    ['a second directive after a semicolon', { nginx_proxy_proxy_read_timeout: '60s; return 200' }, /contains ';' or a brace/],
    ['a block opened by a brace', { proxy_listen: '0.0.0.0:8000 { }' }, /contains a brace/],
    ['a quote closing the Lua path', { lua_package_path: "/opt/?.lua';" }, /contains a quote or backslash/],
    ['a directive after the header setting', { real_ip_header: 'X-Forwarded-For; set_real_ip_from 0.0.0.0/0' }, /env\.real_ip_header .* contains ';'/],
    ['a directive after the cipher list', { ssl_ciphers: 'ECDHE-RSA-AES128-GCM-SHA256; set_real_ip_from 0.0.0.0/0' }, /env\.ssl_ciphers .* contains ';'/],
    ['a directive in a map value', { real_ip_header: { value: 'X-Real-IP; allow all' } }, /env\.real_ip_header .* contains ';'/],
    ['Lua loaded from /tmp', { lua_package_path: '/tmp/?.lua;;' }, /env\.lua_package_path loads Lua from \["\/tmp\/\?\.lua"\]/],
    ['Lua loaded from the writable Kong prefix (a map value)', { lua_package_path: { value: '/kong_prefix/?.lua;/opt/?.lua;;' } }, /loads Lua from \["\/kong_prefix\/\?\.lua"\]/],
    ['a relative Lua path', { lua_package_cpath: './?.so;;' }, /env\.lua_package_cpath loads Lua from \["\.\/\?\.so"\]/],
  ])('refuses %s', (_name, env, message) => {
    expect(refusals(env)).toEqual([expect.stringMatching(message)]);
  });

  test('judges customEnv KONG_ variables and upper-case keys the same way', () => {
    expect(refusals({}, { KONG_NGINX_PROXY_CONTENT_BY_LUA_BLOCK: 'ngx.say(1)' })).toEqual([expect.stringMatching(/injects the nginx directive "content_by_lua_block"/)]);
    expect(refusals({ NGINX_HTTP_INCLUDE: '/tmp/x.conf' })).toEqual([expect.stringMatching(/injects the nginx directive "include"/)]);
  });

  test.each([
    ['an ordinary injected directive', { nginx_http_client_body_buffer_size: '16k', nginx_worker_processes: '2' }],
    ['the Lua path separator', { lua_package_path: '/opt/?.lua;;' }],
    ['a Kong vault reference', { pg_password: '{vault://env/pg-password}' }],
    ['a password with a semicolon (kong.conf only, not nginx.conf)', { pg_password: 'a;b' }],
  ])('accepts %s', (_name, env) => {
    expect(refusals(env)).toEqual([]);
  });
});

import { isSecretKey } from '../../constructs/policy/secret-scan';
import { problems, rawEnvironment } from '../support/platform-fixture';

/** Checks that keep the environment file from smuggling secrets or Terraform expressions past the schema. */

const customPlugin = (config: Record<string, unknown>) => ({ plugin: 'custom', options: { name: 'tenant-header', config } });
const withGlobalPlugin = (config: Record<string, unknown>) => rawEnvironment({ plugins: { custom: ['tenant-header'] }, apis: { globalPlugins: [customPlugin(config)] } });

describe('secret-looking keys', () => {
  test.each([
    ['api_key', true],
    ['apikey', true],
    ['apiKey', true],
    ['X-API-KEY', true],
    ['password', true],
    ['db_password', true],
    ['token', true],
    ['bearerToken', true],
    ['secret', true],
    ['client_secret', true],
    ['ClientSecret', true],
    ['private_key', true],
    ['PRIVATE_KEY', true],
    ['token_header_name', false],
    ['secret_name', false],
    ['key_names', false],
    ['password_file', false],
    ['header', false],
  ])('%s -> %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });
});

describe('custom plugin config', () => {
  test('an inline secret is refused with file, field and what to do, without echoing the secret', () => {
    // WHEN
    const found = problems(withGlobalPlugin({ api_key: 'sk_live_abcdef' }));
    // THEN
    expect(found).toEqual([
      'test-env.yaml: apis.globalPlugins.0.options.config.api_key: must not hold a secret inline (plugin "tenant-header", key "api_key"): it would be stored in the Terraform state and the KongPlugin resource; reference it with a Kong vault reference such as "{vault://env/<variable>}" fed from a Secret, got a literal string of 14 characters',
    ]);
    expect(found.join('\n')).not.toContain('sk_live_abcdef');
  });

  test('a nested secret in a list of objects is found, whatever the case of its key', () => {
    const found = problems(withGlobalPlugin({ upstreams: [{ name: 'a' }, { auth: { PassWord: 'x' } }] }));
    expect(found.map((p) => p.split(': must')[0])).toEqual(['test-env.yaml: apis.globalPlugins.0.options.config.upstreams.1.auth.PassWord']);
  });

  test('a numeric secret is refused too', () => {
    expect(problems(withGlobalPlugin({ pin: 1, token: 123456 }))).toHaveLength(1);
  });

  test('a Kong vault reference is accepted', () => {
    expect(problems(withGlobalPlugin({ api_key: '{vault://env/partner-api-key}', client_secret: '{vault://aws/prod/partner/secret}' }))).toEqual([]);
  });

  test('a secret in a custom plugin on a route is refused at its route path', () => {
    const raw = rawEnvironment({
      plugins: { custom: ['tenant-header'] },
      namespaces: { applications: [{ name: 'payments' }] },
      apis: {
        apis: [
          {
            name: 'payments',
            namespace: 'payments',
            public: true,
            service: { name: 'payments-api', port: 8080 },
            routes: [{ name: 'read', hosts: ['api.example.com'], plugins: [customPlugin({ secret: 'abc' })] }],
          },
        ],
      },
    });
    expect(
      problems(raw)
        .filter((p) => p.includes('secret inline'))
        .map((p) => p.split(': must')[0]),
    ).toEqual(['test-env.yaml: apis.apis.0.routes.0.plugins.0.options.config.secret']);
  });
});

describe('Terraform template sequences', () => {
  test('"${" in any string is refused', () => {
    expect(problems(rawEnvironment({ description: 'cost ${var.x}' }))).toEqual([
      'test-env.yaml: description: must not contain "${" or "%{": Terraform would evaluate it as an expression in the generated configuration, got "cost ${var.x}"',
    ]);
  });

  test('"%{" in a key of the Helm escape hatch is refused', () => {
    expect(problems(rawEnvironment({ gateway: { extraValues: { podLabels: { '%{x}': 'y' } } } }))).toEqual([
      'test-env.yaml: gateway.extraValues.podLabels.%{x}: key must not contain "${" or "%{": Terraform would evaluate it as an expression in the generated configuration',
    ]);
  });

  test('a lone "$" or "{" is fine', () => {
    expect(problems(rawEnvironment({ description: 'costs $5 {roughly}' }))).toEqual([]);
  });
});

describe('images through the Helm escape hatch', () => {
  const prod = { production: true, backend: { type: 's3', bucket: 'state', region: 'eu-west-1' } };

  test('production refuses an image outside images.registry', () => {
    const found = problems(rawEnvironment({ ...prod, controller: { extraValues: { ingressController: { image: { repository: 'docker.io/kong/kic', tag: '3.4' } } } } }));
    expect(found).toEqual([
      'test-env.yaml: controller.extraValues.ingressController.image.repository: must be an image from the private registry "registry.example.com" (images.registry) in a production environment, got "docker.io/kong/kic"',
    ]);
  });

  test('production accepts an image from images.registry', () => {
    expect(problems(rawEnvironment({ ...prod, gateway: { extraValues: { image: { unifiedRepoTag: `registry.example.com/kong:3.9@sha256:${'a'.repeat(64)}` } } } }))).toEqual([]);
  });

  test('elsewhere the policy warns instead (the config check is production only)', () => {
    expect(problems(rawEnvironment({ gateway: { extraValues: { image: { unifiedRepoTag: 'docker.io/kong:3.9' } } } }))).toEqual([]);
  });
});

import * as path from 'path';
import { KonnectAddOn } from '../../constructs/konnect/konnect-add-on';
import { KONNECT_PROVIDER_VERSION } from '../../constructs/konnect/provider/provider-metadata';
import { TerraformOutput, TerraformStack } from '../../constructs/core/cdktf';
import { ChartValuesKeys } from '../support/chart-values-keys';
import { CONTEXT, all, kongReleases, newStack, only, section, synth } from './fixtures';

const KONG_VALUES_YAML = path.resolve(__dirname, '../fixtures/upstream/kong-charts-3.4.1/values.yaml');
const SCHEMA_LUA = 'return { name = "tenant-header", fields = { { config = { type = "record", fields = {} } } } }';

function build(input: Parameters<typeof section>[0] = {}, extra: Partial<ConstructorParameters<typeof KonnectAddOn>[2]> = {}) {
  const stack = newStack();
  const addOn = new KonnectAddOn(stack, 'konnect', { section: section(input), environment: 'onprem-hybrid', ...extra });
  const releases = kongReleases(stack);
  const gatewayValues = addOn.gatewayValues(CONTEXT);
  const controllerValues = addOn.controllerValues(CONTEXT);
  addOn.deploy(stack, CONTEXT, releases);
  return { stack, addOn, gatewayValues, controllerValues, json: synth(stack) };
}

/** Values as Terraform will see them (tokens rendered as expressions). */
function resolveIn(stack: TerraformStack, value: unknown): any {
  new TerraformOutput(stack, 'probe', { value });
  return synth(stack).output.probe.value;
}

describe('KonnectAddOn (Konnect control plane)', () => {
  it('pins the kong/konnect provider on the regional API with the token from the sensitive variable', () => {
    // GIVEN an EU environment
    const { json } = build({ region: 'eu' });
    // THEN
    expect(json.terraform.required_providers.konnect).toEqual({ source: 'kong/konnect', version: KONNECT_PROVIDER_VERSION });
    const provider = json.provider.konnect[0];
    expect(provider.server_url).toBe('https://eu.api.konghq.com');
    expect(provider.personal_access_token).toBe('${startswith(var.konnect_token, "spat_") ? null : var.konnect_token}');
    expect(provider.system_account_access_token).toBe('${startswith(var.konnect_token, "spat_") ? var.konnect_token : null}');
  });

  it('declares konnect_token sensitive, without default, with a description telling how to set it', () => {
    const { json } = build();
    const variable = json.variable.konnect_token;
    expect(variable.sensitive).toBe(true);
    expect(variable).not.toHaveProperty('default');
    expect(variable.nullable).toBe(false);
    expect(variable.description).toContain('TF_VAR_konnect_token');
    expect(variable.validation[0].error_message).toContain('kpat_');
  });

  it('leaves the provider credentials unset with tokenSource environment (provider reads KONNECT_TOKEN)', () => {
    const { json } = build({ tokenSource: 'environment' });
    expect(json.provider.konnect[0]).not.toHaveProperty('personal_access_token');
    expect(json.provider.konnect[0]).not.toHaveProperty('system_account_access_token');
    expect(json.variable?.konnect_token).toBeUndefined();
  });

  it('never writes the token from the environment into the synthesized JSON', () => {
    // GIVEN a token in every place a careless implementation could read it from
    const sentinel = 'kpat_SENTINELdoNotLeak0123456789abcdef';
    const saved = { a: process.env.KONNECT_TOKEN, b: process.env.TF_VAR_konnect_token };
    process.env.KONNECT_TOKEN = sentinel;
    process.env.TF_VAR_konnect_token = sentinel;
    try {
      // WHEN synthesizing both token sources
      const texts = [JSON.stringify(build().json), JSON.stringify(build({ tokenSource: 'environment' }).json)];
      // THEN the token is nowhere
      for (const text of texts) expect(text).not.toContain(sentinel);
    } finally {
      process.env.KONNECT_TOKEN = saved.a;
      process.env.TF_VAR_konnect_token = saved.b;
      if (saved.a === undefined) delete process.env.KONNECT_TOKEN;
      if (saved.b === undefined) delete process.env.TF_VAR_konnect_token;
    }
  });

  it('creates the control plane with the provider schema attribute names', () => {
    const { json } = build({ controlPlane: { labels: { team: 'platform' } } });
    const cp = only(json, 'konnect_gateway_control_plane').body;
    expect(cp).toMatchObject({
      name: 'kong-onprem-hybrid',
      cluster_type: 'CLUSTER_TYPE_CONTROL_PLANE',
      auth_type: 'pinned_client_certs',
      labels: { env: 'onprem-hybrid', team: 'platform' },
    });
    expect(Object.keys(cp).sort()).toEqual(['auth_type', 'cluster_type', 'description', 'labels', 'name', 'provider']);
  });

  it('registers the self-signed data plane certificate (public part) with the control plane, create-before-destroy', () => {
    const { json } = build();
    const cert = only(json, 'tls_self_signed_cert');
    const registration = only(json, 'konnect_gateway_data_plane_client_certificate').body;
    expect(registration.cert).toBe(`\${tls_self_signed_cert.${cert.name}.cert_pem}`);
    expect(registration.control_plane_id).toMatch(/^\$\{konnect_gateway_control_plane\.[\w-]+\.id\}$/);
    expect(registration.lifecycle.create_before_destroy).toBe(true);
    expect(cert.body.allowed_uses).toContain('client_auth');
  });

  it('stores key and certificate in a kubernetes.io/tls Secret ordered after the registration and before the gateway', () => {
    const { json } = build();
    const secret = only(json, 'kubernetes_secret_v1');
    expect(secret.body.type).toBe('kubernetes.io/tls');
    expect(secret.body.metadata).toMatchObject({ name: 'kong-cluster-cert', namespace: 'kong' });
    expect(secret.body.data['tls.crt']).toMatch(/^\$\{tls_self_signed_cert\.[\w-]+\.cert_pem\}$/);
    expect(secret.body.data['tls.key']).toMatch(/^\$\{tls_private_key\.[\w-]+\.private_key_pem\}$/);
    const registration = only(json, 'konnect_gateway_data_plane_client_certificate').name;
    expect(secret.body.depends_on).toEqual(expect.arrayContaining(['kubernetes_namespace_v1.kong', `konnect_gateway_data_plane_client_certificate.${registration}`]));
    expect(json.resource.helm_release.gateway.depends_on).toContain(`kubernetes_secret_v1.${secret.name}`);
  });

  it('puts no private key in any output', () => {
    const { json } = build();
    expect(JSON.stringify(json.output ?? {})).not.toContain('private_key');
  });

  it('rotates through a keeper that replaces the key', () => {
    // GIVEN rotation 3
    const { json } = build({ certificate: { rotation: 3 } });
    // THEN a terraform_data keeper holds it and the key is replaced when it changes
    const keeper = only(json, 'terraform_data');
    expect(keeper.body.triggers_replace).toEqual({ rotation: 3 });
    const key = only(json, 'tls_private_key').body;
    expect(key.lifecycle.replace_triggered_by).toEqual([`terraform_data.${keeper.name}`]);
    expect(key).toMatchObject({ algorithm: 'ECDSA', ecdsa_curve: 'P384' });
  });

  it('gives data-plane values derived from the control plane endpoints', () => {
    const { gatewayValues, stack } = build();
    const env = gatewayValues.env as Record<string, string>;
    expect(env).toMatchObject({
      role: 'data_plane',
      database: 'off',
      konnect_mode: 'on',
      cluster_mtls: 'pki',
      cluster_cert: '/etc/secrets/kong-cluster-cert/tls.crt',
      cluster_cert_key: '/etc/secrets/kong-cluster-cert/tls.key',
      lua_ssl_trusted_certificate: 'system',
    });
    expect(gatewayValues.secretVolumes).toEqual(['kong-cluster-cert']);
    const resolved = resolveIn(stack, env);
    expect(resolved.cluster_control_plane).toMatch(
      /^\$\{trimsuffix\(trimprefix\(konnect_gateway_control_plane\.[\w-]+\.config\.control_plane_endpoint, "https:\/\/"\), "\/"\)\}:443$/,
    );
    expect(resolved.cluster_server_name).toMatch(/config\.control_plane_endpoint, "https:\/\/"\), "\/"\)\}$/);
    expect(resolved.cluster_telemetry_endpoint).toMatch(/config\.telemetry_endpoint, "https:\/\/"\), "\/"\)\}:443$/);
    expect(resolved.cluster_telemetry_server_name).toMatch(/config\.telemetry_endpoint, "https:\/\/"\), "\/"\)\}$/);
  });

  it.each([
    ['CLUSTER_TYPE_CONTROL_PLANE', {}],
    ['CLUSTER_TYPE_K8S_INGRESS_CONTROLLER', { controlPlane: { clusterType: 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER' as const } }],
  ])('gateway and controller values pass the kong chart values key check (%s)', (_type, input) => {
    const keys = new ChartValuesKeys(KONG_VALUES_YAML, ['env', 'podAnnotations']);
    const { gatewayValues, controllerValues } = build(input);
    expect(keys.unknownKeys(gatewayValues)).toEqual([]);
    expect(keys.unknownKeys(controllerValues)).toEqual([]);
  });

  it('turns the KIC release off for a Konnect-configured control plane', () => {
    const { addOn, controllerValues } = build();
    expect(addOn.controllerMode).toBe('disabled');
    expect(addOn.needsIngressController(CONTEXT)).toBe(false);
    expect(controllerValues).toEqual({});
  });

  it('runs KIC in Konnect mode for a KIC control plane, and keeps the gateway a traditional node', () => {
    const { addOn, gatewayValues, controllerValues, stack, json } = build({
      region: 'au',
      controlPlane: { clusterType: 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER' },
    });
    expect(addOn.needsIngressController(CONTEXT)).toBe(true);
    const konnect = resolveIn(stack, (controllerValues.ingressController as any).konnect);
    expect(konnect).toMatchObject({ enabled: true, apiHostname: 'au.kic.api.konghq.com', tlsClientCertSecretName: 'kong-cluster-cert' });
    expect(konnect.controlPlaneID).toMatch(/^\$\{konnect_gateway_control_plane\.[\w-]+\.id\}$/);
    const env = gatewayValues.env as Record<string, string>;
    expect(env).not.toHaveProperty('role');
    expect(env).not.toHaveProperty('cluster_control_plane');
    expect(env.konnect_mode).toBe('on');
    expect(json.resource.helm_release.controller.depends_on).toEqual([`kubernetes_secret_v1.${only(json, 'kubernetes_secret_v1').name}`]);
  });

  it('joins an existing control plane through the data source', () => {
    const id = '9524ec7d-36d9-465d-a8c5-83a3c9390458';
    const { json } = build({ controlPlane: { existingId: id } });
    expect(json.resource.konnect_gateway_control_plane).toBeUndefined();
    const data = Object.values(json.data.konnect_gateway_control_plane)[0] as any;
    expect(data.filter).toEqual({ id: { eq: id } });
    expect(only(json, 'konnect_gateway_data_plane_client_certificate').body.control_plane_id).toMatch(/^\$\{data\.konnect_gateway_control_plane\.[\w-]+\.id\}$/);
  });

  it('registers the CA instead of the certificate with pki_client_certs', () => {
    const { json } = build({ controlPlane: { authType: 'pki_client_certs' } });
    const ca = all(json, 'tls_self_signed_cert');
    expect(ca).toHaveLength(1);
    expect(ca[0].body.is_ca_certificate).toBe(true);
    expect(only(json, 'tls_locally_signed_cert').body.ca_cert_pem).toBe(`\${tls_self_signed_cert.${ca[0].name}.cert_pem}`);
    expect(only(json, 'konnect_gateway_data_plane_client_certificate').body.cert).toBe(`\${tls_self_signed_cert.${ca[0].name}.cert_pem}`);
  });

  it('uploads each custom plugin schema to the control plane', () => {
    const { json } = build({}, { customPlugins: [{ name: 'tenant-header', luaSchema: SCHEMA_LUA }] });
    const schema = only(json, 'konnect_gateway_custom_plugin_schema').body;
    expect(schema.lua_schema).toBe(SCHEMA_LUA);
    expect(schema.control_plane_id).toMatch(/konnect_gateway_control_plane\.[\w-]+\.id/);
  });

  it('skips plugin schemas when customPluginSchemas is false', () => {
    const { json } = build({ customPluginSchemas: false }, { customPlugins: [{ name: 'tenant-header', luaSchema: SCHEMA_LUA }] });
    expect(json.resource.konnect_gateway_custom_plugin_schema).toBeUndefined();
  });

  it('protects the control plane from destroy in production', () => {
    const { json } = build({}, { production: true });
    expect(only(json, 'konnect_gateway_control_plane').body.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('rejects a disabled section', () => {
    const stack = newStack();
    expect(() => new KonnectAddOn(stack, 'konnect', { section: section({ enabled: false }), environment: 'dev' })).toThrow(/test\/konnect: konnect.enabled is false/);
  });

  it('rejects self-managed mode without a control plane', () => {
    const stack = newStack();
    const input = section({ mode: 'self-managed', selfManaged: { postgres: { host: 'pg.example.internal', passwordSecretName: 'kong-pg' } } });
    expect(() => new KonnectAddOn(stack, 'konnect', { section: input, environment: 'dev' })).toThrow(/no selfManagedControlPlane was given/);
  });

  it('reads the repository plugin folders', () => {
    // The sample plugin shipped with the repo must be uploadable as is.
    const { readCustomPluginSchemas } = jest.requireActual('../../constructs/konnect/custom-plugin-schemas');
    const plugins = readCustomPluginSchemas(path.resolve(__dirname, '..', '..', 'plugins'));
    for (const plugin of plugins) expect(plugin.luaSchema).toMatch(/name\s*=/);
  });
});

import { readFileSync } from 'fs';
import * as path from 'path';
import { KonnectAddOn } from '../../constructs/konnect/konnect-add-on';
import { KONNECT_GENERATOR_METADATA, KONNECT_PROVIDER_VERSION } from '../../constructs/konnect/provider/provider-metadata';
import { KonnectProvider } from '../../constructs/konnect/provider/konnect-provider';
import { GatewayControlPlane } from '../../constructs/konnect/provider/gateway-control-plane';
import { DataGatewayControlPlane } from '../../constructs/konnect/provider/data-gateway-control-plane';
import { GatewayDataPlaneClientCertificate } from '../../constructs/konnect/provider/gateway-data-plane-client-certificate';
import { GatewayCustomPluginSchema } from '../../constructs/konnect/provider/gateway-custom-plugin-schema';
import { SelfManagedControlPlane } from '../../constructs/konnect/self-managed-control-plane';
import { TerraformStack } from '../../constructs/core/cdktf';
import { CONTEXT, Synth, kongReleases, newStack, section, synth } from './fixtures';

// The kong/konnect provider schema at exactly the pinned release (sources: the README beside it).
const FIXTURE_DIR = path.resolve(__dirname, '../fixtures/upstream/konnect-provider-3.7.0');
const SCHEMA: ProviderSchema = JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'schema.json'), 'utf8'));

interface AttributeSchema {
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly nesting?: 'single' | 'set' | 'list';
  readonly attributes?: Record<string, AttributeSchema>;
}
interface BlockSchema {
  readonly attributes: Record<string, AttributeSchema>;
}
interface ProviderSchema {
  readonly provider: string;
  readonly version: string;
  readonly provider_config: BlockSchema;
  readonly resources: Record<string, BlockSchema>;
  readonly data_sources: Record<string, BlockSchema>;
}

/** Terraform meta-arguments: valid on every resource and data source, not part of a provider schema. */
const META_ARGUMENTS = new Set(['provider', 'depends_on', 'count', 'for_each', 'lifecycle', 'connection', 'provisioner']);
const SCHEMA_LUA = 'return { name = "tenant-header", fields = { { config = { type = "record", fields = {} } } } }';
const UUID = '9524ec7d-36d9-465d-a8c5-83a3c9390458';

/**
 * Every problem of one configuration body against a block of the schema: keys the schema does not
 * have, values given for computed-only attributes, required attributes missing; nested attributes
 * are checked the same way. `where` names the element in the messages.
 */
function checkBody(where: string, body: Record<string, unknown>, attributes: Record<string, AttributeSchema>, skip: Set<string> = new Set()): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (skip.has(key)) continue;
    const attribute = attributes[key];
    if (!attribute) {
      problems.push(`${where}.${key}: not an argument of provider ${SCHEMA.version} (has: ${Object.keys(attributes).join(', ')})`);
      continue;
    }
    if (attribute.computed && !attribute.optional && !attribute.required) {
      problems.push(`${where}.${key}: computed-only in provider ${SCHEMA.version}, a configuration cannot set it`);
      continue;
    }
    if (attribute.attributes && typeof value === 'object' && value !== null) {
      const items = attribute.nesting === 'single' ? [value] : (value as unknown[]);
      items.forEach((item, i) => {
        const label = attribute.nesting === 'single' ? `${where}.${key}` : `${where}.${key}[${i}]`;
        problems.push(...checkBody(label, item as Record<string, unknown>, attribute.attributes!));
      });
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[key] === undefined || body[key] === null)) problems.push(`${where}.${key}: required by provider ${SCHEMA.version}, missing`);
  }
  return problems;
}

/** Every konnect_* resource, data source and provider block of a synthesized stack, checked. */
function schemaProblems(json: Synth): string[] {
  const problems: string[] = [];
  for (const [type, instances] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    if (!type.startsWith('konnect_')) continue;
    const block = SCHEMA.resources[type];
    if (!block) {
      problems.push(`resource ${type}: not in the schema excerpt of provider ${SCHEMA.version}`);
      continue;
    }
    for (const [name, body] of Object.entries(instances)) problems.push(...checkBody(`${type}.${name}`, body, block.attributes, META_ARGUMENTS));
  }
  for (const [type, instances] of Object.entries<Record<string, any>>(json.data ?? {})) {
    if (!type.startsWith('konnect_')) continue;
    const block = SCHEMA.data_sources[type];
    if (!block) {
      problems.push(`data source ${type}: not in the schema excerpt of provider ${SCHEMA.version}`);
      continue;
    }
    for (const [name, body] of Object.entries(instances)) problems.push(...checkBody(`data.${type}.${name}`, body, block.attributes, META_ARGUMENTS));
  }
  for (const [i, body] of ((json.provider?.konnect ?? []) as Array<Record<string, unknown>>).entries()) {
    problems.push(...checkBody(`provider.konnect[${i}]`, body, SCHEMA.provider_config.attributes, new Set(['alias'])));
  }
  return problems;
}

/** Attribute paths other elements read from konnect_* resources and data sources (`${konnect_x.name.a.b}`). */
function konnectReferences(json: Synth): Array<{ kind: 'resource' | 'data'; type: string; path: string[] }> {
  const text = JSON.stringify({ ...json, data: json.data, resource: json.resource, output: json.output });
  const found = new Map<string, { kind: 'resource' | 'data'; type: string; path: string[] }>();
  for (const m of text.matchAll(/(data\.)?(konnect_[a-z_]+)\.([A-Za-z0-9_-]+)((?:\.[a-z_]+)+)/g)) {
    const reference = { kind: m[1] ? ('data' as const) : ('resource' as const), type: m[2], path: m[4].slice(1).split('.') };
    found.set(`${reference.kind}:${reference.type}:${reference.path.join('.')}`, reference);
  }
  return [...found.values()];
}

function referenceProblems(json: Synth): string[] {
  return konnectReferences(json).flatMap(({ kind, type, path: attributePath }) => {
    let attributes = (kind === 'data' ? SCHEMA.data_sources : SCHEMA.resources)[type]?.attributes;
    for (const segment of attributePath) {
      const attribute = attributes?.[segment];
      if (!attribute) return [`${kind === 'data' ? 'data.' : ''}${type}: reads ${attributePath.join('.')}, not an attribute of provider ${SCHEMA.version}`];
      attributes = attribute.attributes;
    }
    return [];
  });
}

/** Synthesizes the add-on the way KongPlatform drives it. */
function addOnStack(input: Parameters<typeof section>[0], extra: Partial<ConstructorParameters<typeof KonnectAddOn>[2]> = {}): Synth {
  const stack = newStack();
  const addOn = new KonnectAddOn(stack, 'konnect', { section: section(input), environment: 'onprem-hybrid', ...extra });
  addOn.gatewayValues(CONTEXT);
  addOn.controllerValues(CONTEXT);
  addOn.deploy(stack, CONTEXT, kongReleases(stack));
  return synth(stack);
}

/** Every binding with every option it has, used directly (a consumer of the library may set any of them). */
function everyBindingOption(): Synth {
  const stack: TerraformStack = newStack();
  const provider = new KonnectProvider(stack, 'konnect', {
    serverUrl: 'https://eu.api.konghq.com',
    personalAccessToken: '${var.pat}',
    systemAccountAccessToken: '${var.spat}',
    alias: 'second',
  });
  const cp = new GatewayControlPlane(stack, 'cp', {
    provider,
    name: 'kong-all-options',
    description: 'every option',
    clusterType: 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER',
    authType: 'pki_client_certs',
    labels: { env: 'test', team: 'platform' },
    lifecycle: { preventDestroy: true },
  });
  const existing = new DataGatewayControlPlane(stack, 'existing', { provider, id: UUID });
  new GatewayDataPlaneClientCertificate(stack, 'cert', { provider, cert: '-----BEGIN CERTIFICATE-----', controlPlaneId: cp.id, lifecycle: { createBeforeDestroy: true } });
  new GatewayCustomPluginSchema(stack, 'schema', { provider, controlPlaneId: existing.id, luaSchema: SCHEMA_LUA, dependsOn: [cp] });
  return synth(stack);
}

const CASES: Array<[string, () => Synth]> = [
  [
    'KIC-managed control plane (CLUSTER_TYPE_K8S_INGRESS_CONTROLLER)',
    () => addOnStack({ controlPlane: { clusterType: 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER', labels: { team: 'platform' } } }),
  ],
  [
    'CONTROL_PLANE type, PKI, production, custom plugin schemas',
    () =>
      addOnStack(
        { controlPlane: { clusterType: 'CLUSTER_TYPE_CONTROL_PLANE', authType: 'pki_client_certs', description: 'all options' } },
        {
          production: true,
          customPlugins: [
            { name: 'tenant-header', luaSchema: SCHEMA_LUA },
            { name: 'audit', luaSchema: SCHEMA_LUA.replace('tenant-header', 'audit') },
          ],
        },
      ),
  ],
  [
    'existing control plane (data source), token from the environment',
    () =>
      addOnStack(
        { tokenSource: 'environment', controlPlane: { existingId: UUID } },
        {
          customPlugins: [{ name: 'tenant-header', luaSchema: SCHEMA_LUA }],
        },
      ),
  ],
  [
    'self-managed control plane',
    () => {
      const stack = newStack();
      const postgres = { host: 'pg.db.internal', passwordSecretName: 'kong-cp-postgres' };
      const cp = new SelfManagedControlPlane(stack, 'cp', { environment: 'onprem-hybrid', postgres });
      const addOn = new KonnectAddOn(stack, 'konnect', {
        section: section({ mode: 'self-managed', selfManaged: { postgres } }),
        environment: 'onprem-hybrid',
        selfManagedControlPlane: cp,
      });
      addOn.deploy(stack, CONTEXT, kongReleases(stack));
      return synth(stack);
    },
  ],
  ['every binding option, used directly', everyBindingOption],
];

describe('Konnect bindings against the kong/konnect 3.7.0 schema (test/fixtures/upstream/konnect-provider-3.7.0)', () => {
  it('pins the provider release the fixture was taken from, exactly', () => {
    // THEN the binding's version is the fixture's, with no range operator anywhere
    expect(SCHEMA.provider).toBe('kong/konnect');
    expect(KONNECT_PROVIDER_VERSION).toBe(SCHEMA.version);
    expect(KONNECT_GENERATOR_METADATA.providerVersion).toBe(SCHEMA.version);
    expect(KONNECT_GENERATOR_METADATA.providerVersionConstraint).toBe(SCHEMA.version);
  });

  it('writes required_providers konnect = exactly 3.7.0', () => {
    // WHEN
    const json = addOnStack({});
    // THEN
    expect(json.terraform.required_providers.konnect).toEqual({ source: 'kong/konnect', version: '3.7.0' });
    expect(json.terraform.required_providers.konnect.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each(CASES)('%s: every key written is an argument of the 3.7.0 schema, every required one is there', (_name, build) => {
    // WHEN
    const json = build();
    // THEN
    expect(schemaProblems(json)).toEqual([]);
    expect(referenceProblems(json)).toEqual([]);
  });

  it('the cases cover every Konnect resource type, the data source and both provider credential forms', () => {
    // WHEN
    const synths = CASES.map(([, build]) => build());
    const resourceTypes = new Set(synths.flatMap((j) => Object.keys(j.resource ?? {}).filter((t) => t.startsWith('konnect_'))));
    const dataTypes = new Set(synths.flatMap((j) => Object.keys(j.data ?? {}).filter((t) => t.startsWith('konnect_'))));
    const providerKeys = new Set(synths.flatMap((j) => (j.provider?.konnect ?? []).flatMap((p: object) => Object.keys(p))));
    // THEN every element of the excerpt is exercised, so a binding cannot drift unseen
    expect([...resourceTypes].sort()).toEqual(Object.keys(SCHEMA.resources).sort());
    expect([...dataTypes].sort()).toEqual(Object.keys(SCHEMA.data_sources).sort());
    expect([...providerKeys]).toEqual(expect.arrayContaining(['server_url', 'personal_access_token', 'system_account_access_token']));
  });

  it('the data plane certificate has no title (added to the provider in 3.17.0)', () => {
    // WHEN
    const json = addOnStack({});
    const registrations = Object.values<any>(json.resource.konnect_gateway_data_plane_client_certificate);
    // THEN
    expect(registrations).toHaveLength(1);
    expect(
      Object.keys(registrations[0])
        .filter((k) => !META_ARGUMENTS.has(k))
        .sort(),
    ).toEqual(['cert', 'control_plane_id']);
  });

  it('the check fails, naming the attribute, on an argument 3.7.0 does not have, a computed one, or a missing required one', () => {
    // GIVEN what the old binding wrote, and two other mistakes
    const stack = newStack();
    const cert = new GatewayDataPlaneClientCertificate(stack, 'cert', { cert: 'pem', controlPlaneId: UUID });
    cert.addOverride('title', 'kong-platform onprem-hybrid');
    const cp = new GatewayControlPlane(stack, 'cp', { name: 'x' });
    cp.addOverride('config', { control_plane_endpoint: 'https://x' });
    cp.addOverride('proxy_urls', [{ host: 'proxy.example.com', port: 443 }]);
    const schema = new GatewayCustomPluginSchema(stack, 'schema', { controlPlaneId: UUID, luaSchema: SCHEMA_LUA });
    schema.addOverride('lua_schema', null);
    // WHEN
    const problems = schemaProblems(synth(stack));
    // THEN
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^konnect_gateway_data_plane_client_certificate\.cert\.title: not an argument of provider 3\.7\.0/),
        expect.stringMatching(/^konnect_gateway_control_plane\.cp\.config: computed-only/),
        expect.stringMatching(/^konnect_gateway_control_plane\.cp\.proxy_urls\[0\]\.protocol: required by provider 3\.7\.0, missing/),
        expect.stringMatching(/^konnect_gateway_custom_plugin_schema\.schema\.lua_schema: required by provider 3\.7\.0, missing/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('the reference check fails on an attribute 3.7.0 does not compute', () => {
    // GIVEN an attribute that only exists in other releases
    const stack = newStack();
    const cp = new GatewayControlPlane(stack, 'cp', { name: 'x' });
    new GatewayCustomPluginSchema(stack, 'schema', { controlPlaneId: cp.getStringAttribute('config.dataplane_endpoint'), luaSchema: SCHEMA_LUA });
    // THEN
    expect(referenceProblems(synth(stack))).toEqual(['konnect_gateway_control_plane: reads config.dataplane_endpoint, not an attribute of provider 3.7.0']);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { azureSectionSchema, AzureSection, AzureSectionInput } from '../../config/sections/azure';
import { App, Testing, TerraformStack } from '../../constructs/core/cdktf';
import { AksClusterStack, AksClusterStackProps } from '../../stacks/aks/aks-cluster-stack';
import { addAksEnvironmentStacks } from '../../stacks/aks/aks-environment';
import { KongPlatformStack } from '../../stacks/platform/kong-platform-stack';
import { environment } from '../support/platform-fixture';
import { synthJson } from '../support/terraform-json';

type Raw = Record<string, any>;

export const KEY_VAULT_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-certs/providers/Microsoft.KeyVault/vaults/kv-kong-test';
export const CERT_SECRET_ID = 'https://kv-kong-test.vault.azure.net/secrets/api-example-com';
export const ADMIN_GROUP = '11111111-2222-3333-4444-555555555555';

/** A minimal valid `azure:` section (dev-sized); `overrides` are merged one level deep. */
export function azureInput(overrides: Raw = {}): AzureSectionInput {
  const base: Raw = {
    location: 'westeurope',
    acr: { name: 'kongplatformtest' },
    edge: { hostName: 'api.test.example.com', keyVaultId: KEY_VAULT_ID, keyVaultCertificateSecretId: CERT_SECRET_ID },
    adminGroupObjectIds: [ADMIN_GROUP],
  };
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && base[key] ? { ...base[key], ...value } : value;
  }
  return out as AzureSectionInput;
}

export function azureSection(overrides: Raw = {}): AzureSection {
  return azureSectionSchema.parse(azureInput(overrides));
}

/** Synthesizes `<env>-cluster` in memory and parses it. */
export function synthCluster(options: { azure?: AzureSectionInput; production?: boolean } & Partial<Omit<AksClusterStackProps, 'azure'>> = {}): {
  stack: AksClusterStack;
  json: any;
} {
  const app = Testing.app() as App;
  const azure = azureSectionSchema.parse(options.azure ?? azureInput());
  const stack = new AksClusterStack(app, 'test-cluster', { environment: options.environment ?? 'test', production: options.production ?? false, azure, backend: options.backend });
  return { stack, json: synthJson(stack) };
}

/** Builds cluster + platform stacks in one app, synthesizes the app (cross-stack references need it) and parses both. */
export function synthWired(options: { azure?: AzureSectionInput; production?: boolean } = {}): { cluster: any; platform: any; stacks: TerraformStack[] } {
  const app = Testing.app() as App;
  const azure = azureSectionSchema.parse(options.azure ?? azureInput());
  const stacks = addAksEnvironmentStacks(app, { name: 'test', production: options.production ?? false, azure });
  const platform = new KongPlatformStack(app, 'test-platform', { environment: environment(), clusterAccess: stacks.clusterAccess, addOns: stacks.addOns });
  app.synth();
  const read = (id: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
  return { cluster: read(stacks.cluster.node.id), platform: read(platform.node.id), stacks: [stacks.cluster, platform] };
}

export { only, resources } from '../support/platform-fixture';

/** `${type.name}` prefix of the resource whose body matches, to compare references. */
export function addressOf(json: any, type: string, predicate: (body: any) => boolean = () => true): string {
  const entry = Object.entries(json.resource?.[type] ?? {}).find(([, body]) => predicate(body));
  if (!entry) throw new Error(`no ${type} matches`);
  return `${type}.${entry[0]}`;
}

/** An empty stack to build single constructs in. */
export function testStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'stack');
}

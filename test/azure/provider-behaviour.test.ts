import * as fs from 'fs';
import * as path from 'path';
import { AKS_UPGRADE_SETTINGS } from '../../constructs/azure/aks-cluster';
import { TERRAFORM_REQUIRED_VERSION } from '../../stacks/base-stack';
import { STATE_STORAGE_DATA_ROLE } from '../../stacks/aks/state-storage-stack';
import { REPO_ROOT } from '../support/platform-fixture';
import { sampleSynths } from '../support/sample-synth';
import { synthCluster } from './fixture';

// Provider behaviour at the pinned versions (azurerm 4.55.0, time 0.13.1), from the excerpts in
// test/fixtures/upstream/: what would fail on a first apply, or re-plan after one.

const UPSTREAM = path.join(REPO_ROOT, 'test', 'fixtures', 'upstream');
const READ_FILLED = JSON.parse(fs.readFileSync(path.join(UPSTREAM, 'azurerm-4.55.0', 'read-filled.json'), 'utf8'));
const DEPRECATED = JSON.parse(fs.readFileSync(path.join(UPSTREAM, 'azurerm-4.55.0', 'deprecated.json'), 'utf8'));
const TIME_SCHEMA = JSON.parse(fs.readFileSync(path.join(UPSTREAM, 'time-0.13.1', 'schema.json'), 'utf8'));

/** Every stack of every sample environment, as synth wrote it: [stack name, parsed JSON]. */
const SAMPLE_STACKS: Array<[string, any]> = sampleSynths().flatMap((sample) => Object.entries(sample.stacks()));
const stackNamed = (name: string) => {
  const found = SAMPLE_STACKS.find(([n]) => n === name);
  if (!found) throw new Error(`no sample stack ${name}`);
  return found[1];
};

/** The values at a nested block path (blocks are lists or single objects in cdktf JSON). */
function blocksAt(body: any, blockPath: string[]): any[] {
  let current: any[] = [body];
  for (const key of blockPath) current = current.flatMap((b) => (b?.[key] === undefined ? [] : Array.isArray(b[key]) ? b[key] : [b[key]]));
  return current;
}

/** `[minimum major, minor]` of a `>= x.y[.z]` constraint. */
function minimumVersion(constraint: string): [number, number] | undefined {
  const m = /^>=\s*(\d+)\.(\d+)(\.\d+)?$/.exec(constraint.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const dependsOnOf = (body: any): string[] => body.depends_on ?? [];

describe('sample stacks: the pinned providers and Terraform accept them and they stay converged', () => {
  test('GIVEN the sample environments WHEN synthesized THEN there are state, cluster and platform stacks of every cloud', () => {
    expect(SAMPLE_STACKS.map(([n]) => n)).toEqual(
      expect.arrayContaining(['azure-prod-state', 'azure-prod-cluster', 'azure-prod-platform', 'aws-dev-state', 'aws-dev-cluster', 'aws-dev-platform', 'onprem-hybrid-platform']),
    );
  });

  describe.each(SAMPLE_STACKS)('%s', (_name, json) => {
    test('THEN required_version asks for Terraform >= 1.10 (S3 use_lockfile needs it)', () => {
      expect(json.terraform.required_version).toBe(TERRAFORM_REQUIRED_VERSION);
      const min = minimumVersion(json.terraform.required_version);
      expect(min).toBeDefined();
      expect(min![0] > 1 || (min![0] === 1 && min![1] >= 10)).toBe(true);
    });

    test('THEN no attribute deprecated at azurerm 4.55.0 is used', () => {
      const used = DEPRECATED.deprecated.filter((d: any) =>
        Object.values<any>(json.resource?.[d.resource] ?? {}).some((body) => blocksAt(body, d.attribute.split('.')).length > 0),
      );
      expect(used).toEqual([]);
    });

    test('THEN every block the provider fills on read sets all the attributes it fills (no perpetual diff)', () => {
      const partial: string[] = [];
      for (const block of READ_FILLED.blocks) {
        for (const [address, body] of Object.entries<any>(json.resource?.[block.resource] ?? {})) {
          for (const set of blocksAt(body, block.path)) {
            const missing = block.filledOnRead.filter((attribute: string) => set[attribute] === undefined);
            if (missing.length > 0) partial.push(`${block.resource}.${address}.${block.path.join('.')}: ${missing.join(', ')}`);
          }
        }
      }
      expect(partial).toEqual([]);
    });
  });

  test('THEN the Azure cluster sample sets upgrade_settings on every pool (so the converged check above has something to check)', () => {
    const cluster = stackNamed('azure-prod-cluster');
    const aks = Object.values<any>(cluster.resource.azurerm_kubernetes_cluster);
    const pools = Object.values<any>(cluster.resource.azurerm_kubernetes_cluster_node_pool);
    expect(aks.length).toBe(1);
    expect(pools.length).toBeGreaterThan(0);
    for (const set of [...aks.map((a) => a.default_node_pool.upgrade_settings), ...pools.map((p) => p.upgrade_settings)]) {
      expect(set).toEqual({ max_surge: '33%', drain_timeout_in_minutes: 30, node_soak_duration_in_minutes: 0, undrainable_node_behavior: 'Schedule' });
    }
  });
});

describe('upgrade settings are the values AKS would fill in', () => {
  test('GIVEN the fixture API defaults WHEN a cluster is synthesized THEN the constants equal them and respect the schema limits', () => {
    for (const block of READ_FILLED.blocks) {
      for (const [attribute, value] of Object.entries(block.apiDefaults)) {
        const key = attribute.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) as keyof typeof AKS_UPGRADE_SETTINGS;
        expect(AKS_UPGRADE_SETTINGS[key]).toBe(value);
      }
    }
    expect(AKS_UPGRADE_SETTINGS.nodeSoakDurationInMinutes).toBeGreaterThanOrEqual(0);
    expect(AKS_UPGRADE_SETTINGS.nodeSoakDurationInMinutes).toBeLessThanOrEqual(30);
    const { json } = synthCluster();
    expect(Object.keys(Object.values<any>(json.resource.azurerm_kubernetes_cluster)[0].default_node_pool.upgrade_settings).sort()).toEqual(
      [...READ_FILLED.blocks[0].filledOnRead].sort(),
    );
  });
});

describe('azurerm 5.0 renames: watched at the pinned version', () => {
  test.each(DEPRECATED.renamedIn5.map((r: any) => [r.resource, r] as const))(
    '%s: the old name is the only one in the 4.55.0 binding (move when the new one appears)',
    (_resource, rename: any) => {
      // GIVEN the binding the stacks are built with
      const typings = fs.readFileSync(require.resolve(`${rename.bindingFile}/index.d.ts`), 'utf8');
      // THEN the old property exists and the new one does not: when the pin moves to a release that has it, this fails
      expect(typings).toContain(`readonly ${rename.oldProperty}?:`);
      expect(typings).not.toContain(`readonly ${rename.newProperty}?:`);
    },
  );
});

describe('first apply: RBAC before the reads that need it', () => {
  test('GIVEN the azure-prod state stack THEN the deployer gets Storage Blob Data Contributor before the account and container, after a propagation wait', () => {
    const state = stackNamed('azure-prod-state');
    expect(state.provider.azurerm[0].storage_use_azuread).toBe(true);
    const [[roleName, role]] = Object.entries<any>(state.resource.azurerm_role_assignment);
    expect(role.role_definition_name).toBe(STATE_STORAGE_DATA_ROLE);
    expect(role.principal_id).toMatch(/^\$\{data\.azurerm_client_config\.[\w-]+\.object_id\}$/);
    expect(role.scope).toMatch(/^\$\{azurerm_resource_group\.[\w-]+\.id\}$/);
    const [[sleepName, sleep]] = Object.entries<any>(state.resource.time_sleep);
    expect(dependsOnOf(sleep)).toContain(`azurerm_role_assignment.${roleName}`);
    expect(sleep.create_duration).toMatch(/^\d+s$/);
    for (const type of ['azurerm_storage_account', 'azurerm_storage_container']) {
      const [body] = Object.values<any>(state.resource[type]);
      expect(dependsOnOf(body)).toContain(`time_sleep.${sleepName}`);
    }
  });

  test('GIVEN the azure-prod cluster stack THEN the Application Gateway waits for its Key Vault role to propagate', () => {
    const cluster = stackNamed('azure-prod-cluster');
    const [[roleName]] = Object.entries<any>(cluster.resource.azurerm_role_assignment).filter(([, r]) => r.role_definition_name === 'Key Vault Secrets User');
    const waits = Object.entries<any>(cluster.resource.time_sleep).filter(([, s]) => dependsOnOf(s).includes(`azurerm_role_assignment.${roleName}`));
    expect(waits).toHaveLength(1);
    const [[sleepName, sleep]] = waits;
    expect(Number(/^(\d+)s$/.exec(sleep.create_duration)![1])).toBeGreaterThanOrEqual(120);
    expect(sleep.triggers).toEqual({ role_assignment_0: `\${azurerm_role_assignment.${roleName}.id}` });
    const [gateway] = Object.values<any>(cluster.resource.azurerm_application_gateway);
    expect(dependsOnOf(gateway)).toContain(`time_sleep.${sleepName}`);
  });

  test.each(['azure-prod-state', 'azure-prod-cluster'])('%s: every time_sleep uses only time 0.13.1 arguments and the stack requires the time provider', (name) => {
    const json = stackNamed(name);
    expect(json.terraform.required_providers.time.source).toBe('hashicorp/time');
    for (const body of Object.values<any>(json.resource.time_sleep)) {
      const unknown = Object.keys(body).filter((k) => !(k in TIME_SCHEMA.time_sleep) && !['depends_on', 'lifecycle', 'provider', '//'].includes(k));
      expect(unknown).toEqual([]);
    }
  });
});

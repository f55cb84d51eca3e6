import { azureNetworkIssues, azureSectionRules, azureSectionSchema } from '../../config/sections/azure';
import { azureInput, azureSection } from './fixture';

const issues = (input: unknown) => {
  const result = azureSectionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('azure section: defaults', () => {
  test('a minimal section gets the production-safe defaults', () => {
    // GIVEN / WHEN
    const azure = azureSection();
    // THEN
    expect(azure.apiServer).toEqual({ privateCluster: true, authorizedIpRanges: [] });
    expect(azure.availabilityZones).toEqual(['1', '2', '3']);
    expect(azure.network.dataPlane).toBe('cilium');
    expect(azure.acr).toMatchObject({ publicNetworkAccess: false, untaggedRetentionDays: 7, zoneRedundant: true });
    expect(azure.hostEncryption).toBe(true);
    expect(azure.upgradeChannel).toBe('patch');
    expect(azure.edge.ingressCidrs).toEqual(['0.0.0.0/0']);
  });

  test('every field is described (the environment reference is generated from it)', () => {
    const undocumented: string[] = [];
    let visited = 0;
    const walk = (schema: any, path: string) => {
      let s = schema;
      while (s?._def?.innerType || s?._def?.schema) s = s._def.innerType ?? s._def.schema;
      if (s?._def?.typeName === 'ZodObject') {
        for (const [key, child] of Object.entries<any>(s.shape)) {
          visited++;
          if (!child.description && !child._def?.innerType?.description && !child._def?.schema?.description) undocumented.push(`${path}${key}`);
          walk(child, `${path}${key}.`);
        }
      } else if (s?._def?.typeName === 'ZodArray') walk(s._def.type, `${path}[].`);
    };
    walk(azureSectionSchema, '');
    expect(visited).toBeGreaterThan(50);
    expect(undocumented).toEqual([]);
  });
});

describe('azure section: bad input', () => {
  test.each([
    ['a subnet outside the VNet', { network: { nodeSubnetCidr: '10.99.0.0/20' } }, 'network.nodeSubnetCidr: 10.99.0.0/20 is not inside network.vnetCidr 10.30.0.0/16'],
    ['overlapping subnets', { network: { gatewaySubnetCidr: '10.30.15.0/24' } }, 'network.gatewaySubnetCidr: 10.30.15.0/24 overlaps network.nodeSubnetCidr 10.30.0.0/20'],
    ['a gateway subnet smaller than /26', { network: { gatewaySubnetCidr: '10.30.16.0/27' } }, 'needs at least a /26'],
    ['pods overlapping the VNet', { network: { podCidr: '10.30.0.0/16' } }, 'network.podCidr: 10.30.0.0/16 overlaps network.vnetCidr'],
    ['a DNS service address outside the service range', { network: { dnsServiceIp: '10.0.0.10' } }, 'network.dnsServiceIp: 10.0.0.10 is not inside network.serviceCidr'],
    [
      'the load balancer address outside the node subnet',
      { edge: { kongInternalLoadBalancerIp: '10.30.16.10' } },
      'edge.kongInternalLoadBalancerIp: 10.30.16.10 is not a usable address',
    ],
    ['the load balancer address on a reserved one', { edge: { kongInternalLoadBalancerIp: '10.30.0.1' } }, 'Azure reserves'],
    ['a node pool with min above max', { systemNodePool: { minCount: 6, maxCount: 3 } }, 'systemNodePool.minCount: 6 is greater than maxCount 3'],
    ['a user pool named system', { userNodePools: [{ name: 'system' }] }, 'userNodePools.0.name: "system" is used twice'],
    ['an admin group that is not a GUID', { adminGroupObjectIds: ['platform-admins'] }, 'must be an Entra ID group object id'],
    ['a Key Vault secret id of another host', { edge: { keyVaultCertificateSecretId: 'https://example.com/secrets/x' } }, 'must be a Key Vault secret id'],
    ['an unknown key', { acr: { name: 'kongplatformtest', adminEnabled: true } }, 'Unrecognized key'],
  ])('%s is rejected with the field and the reason', (_what, overrides, message) => {
    // GIVEN / WHEN
    const found = issues(azureInput(overrides));
    // THEN
    expect(found.join('\n')).toContain(message);
  });

  test('the network rules accept the default layout', () => {
    expect(azureNetworkIssues(azureSection())).toEqual([]);
  });
});

describe('azure section: environment rules', () => {
  const env = (azure: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ cloud: 'azure', production: true, azure: azureInput(azure), ...extra });

  test('cloud azure needs the section, and the section needs cloud azure', () => {
    expect(azureSectionRules({ cloud: 'azure' })).toEqual([{ path: 'azure', message: expect.stringContaining('is required when cloud is "azure"') }]);
    expect(azureSectionRules({ cloud: 'aws', azure: {} })).toEqual([{ path: 'azure', message: expect.stringContaining('is only used when cloud is "azure"') }]);
  });

  test('production refuses an API server open to 0.0.0.0/0', () => {
    expect(azureSectionRules(env({ apiServer: { privateCluster: false, authorizedIpRanges: ['0.0.0.0/0'] } }))).toContainEqual({
      path: 'azure.apiServer.authorizedIpRanges',
      message: expect.stringContaining('must list admin networks only in production: these together cover 86.19% of the public IPv4 space'),
    });
  });

  test('production refuses a public API server without authorized ranges', () => {
    expect(azureSectionRules(env({ apiServer: { privateCluster: false } }))).toContainEqual({
      path: 'azure.apiServer',
      message: expect.stringContaining('needs authorizedIpRanges'),
    });
  });

  test('production refuses a public registry and fewer than 3 zones', () => {
    const found = azureSectionRules(env({ acr: { name: 'kongplatformtest', publicNetworkAccess: true }, availabilityZones: ['1', '2'] })).map((v) => v.path);
    expect(found).toEqual(expect.arrayContaining(['azure.acr.publicNetworkAccess', 'azure.availabilityZones']));
  });

  test('the same settings outside production pass the rules', () => {
    expect(azureSectionRules(env({ apiServer: { privateCluster: false }, availabilityZones: ['1'] }, { production: false }))).toEqual([]);
  });

  test('a production section with the defaults passes', () => {
    expect(azureSectionRules(env({}))).toEqual([]);
  });
});

describe('azure section: repeated zones', () => {
  test('GIVEN availabilityZones ["1","1","1"] in production THEN the file names each repeat and the missing spread, not a construct', () => {
    const { problems, rawEnvironment } = require('../support/platform-fixture');
    const { azureInput } = require('./fixture');
    const found: string[] = problems(
      rawEnvironment({
        cloud: 'azure',
        production: true,
        backend: { type: 'azurerm', resourceGroupName: 'rg', storageAccountName: 'stkong', containerName: 'tfstate' },
        azure: azureInput({ availabilityZones: ['1', '1', '1'] }),
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'test-env.yaml: azure.availabilityZones.1: is listed twice (also azure.availabilityZones.0): each zone once, got "1"',
        'test-env.yaml: azure.availabilityZones: must list all 3 zones in production (got 1), got ["1","1","1"]',
      ]),
    );
  });
});

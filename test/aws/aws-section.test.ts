import { awsSectionRules, awsSectionSchema } from '../../config/sections/aws';
import { problems, rawEnvironment } from '../support/platform-fixture';
import { awsInput } from './fixture';

const issues = (input: unknown) => {
  const result = awsSectionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('aws section schema', () => {
  test('a minimal section gets production-safe defaults', () => {
    // WHEN
    const aws = awsSectionSchema.parse({ region: 'eu-central-1', edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } });
    // THEN
    expect(aws).toMatchObject({
      availabilityZoneCount: 3,
      vpcCidr: '10.0.0.0/16',
      kubernetesVersion: '1.33',
      endpoint: { privateAccess: true, publicAccessCidrs: [] },
      bootstrapClusterCreatorAdmin: true,
      nodeGroups: [{ name: 'system', instanceTypes: ['m6i.large'], capacityType: 'ON_DEMAND', minSize: 2, maxSize: 6, diskSizeGiB: 50 }],
      ecr: { keepTaggedImages: 50, untaggedImageExpiryDays: 7 },
      edge: { ingressCidrs: ['0.0.0.0/0'], wafRateLimit: 2000, accessLogRetentionDays: 365 },
      logRetentionDays: 365,
      loadBalancerControllerChartVersion: '1.13.0',
    });
    expect(aws.natGateways).toBeUndefined();
  });

  test('every field is documented', () => {
    const undocumented: string[] = [];
    const seen: string[] = [];
    const visit = (schema: any, at: string) => {
      let inner = schema;
      while (inner?._def?.innerType || inner?._def?.schema) inner = inner._def.innerType ?? inner._def.schema;
      if (inner?._def?.typeName === 'ZodObject') {
        for (const [key, child] of Object.entries(inner.shape)) {
          seen.push(`${at}${key}`);
          if (!(child as any).description && !(child as any)._def?.innerType?.description && !(child as any)._def?.schema?.description) undocumented.push(`${at}${key}`);
          visit(child, `${at}${key}.`);
        }
      } else if (inner?._def?.typeName === 'ZodArray') {
        visit(inner._def.type, `${at}[].`);
      }
    };
    visit(awsSectionSchema, '');
    expect(seen).toEqual(expect.arrayContaining(['region', 'endpoint.publicAccessCidrs', 'nodeGroups.[].instanceTypes', 'edge.wafRateLimit', 'ecr.keepTaggedImages']));
    expect(undocumented).toEqual([]);
  });

  test.each([
    ['an unknown key', { ...awsInput(), nodeCount: 3 }, /Unrecognized key\(s\) in object: 'nodeCount'/],
    ['a malformed region', awsInput({ region: 'Frankfurt' }), /region: must be an AWS region such as eu-central-1/],
    ['a VPC CIDR smaller than /19', awsInput({ vpcCidr: '10.0.0.0/24' }), /vpcCidr: must have a prefix length between \/16 and \/19/],
    ['one availability zone', awsInput({ availabilityZoneCount: 1 }), /availabilityZoneCount: Number must be greater than or equal to 2/],
    ['a public access CIDR that is not a CIDR', awsInput({ endpoint: { publicAccessCidrs: ['office'] } }), /endpoint\.publicAccessCidrs\.0: must be an IPv4 CIDR/],
    ['an edge without certificate and zone', awsInput({ edge: { domainName: 'api.example.com', hostedZoneId: undefined } }), /edge: needs certificateArn .* or hostedZoneId/],
    ['a WAF rate limit below the AWS minimum', awsInput({ edge: { wafRateLimit: 10 } }), /edge\.wafRateLimit: Number must be greater than or equal to 100/],
    ['a log retention CloudWatch does not offer', awsInput({ logRetentionDays: 13 }), /logRetentionDays: must be a CloudWatch retention value: 1, 3, 5, 7, 14/],
    ['a chart version range', awsInput({ loadBalancerControllerChartVersion: '^1.13.0' }), /loadBalancerControllerChartVersion: must be a chart version such as 1\.13\.0/],
    ['a node group with an unknown key', awsInput({ nodeGroups: [{ name: 'system', sshKey: 'k' }] }), /nodeGroups\.0: Unrecognized key\(s\) in object: 'sshKey'/],
    ['a country name instead of a code', awsInput({ edge: { allowedCountries: ['Germany'] } }), /edge\.allowedCountries\.0: must be an ISO 3166-1 alpha-2 country code/],
  ])('rejects %s with a clear message', (_what, input, message) => {
    expect(issues(input).join('\n')).toMatch(message);
  });
});

describe('aws section rules', () => {
  const env = (production: boolean, aws: unknown, cloud = 'aws') => ({ cloud, production, aws });

  test('cloud aws without the section is reported', () => {
    expect(awsSectionRules({ cloud: 'aws', production: false })).toEqual([{ path: 'aws', message: expect.stringMatching(/is required when cloud is "aws"/) }]);
  });

  test('an aws section on another cloud is reported', () => {
    expect(awsSectionRules(env(false, awsInput(), 'azure'))).toEqual([{ path: 'aws', message: expect.stringMatching(/only used when cloud is "aws"/) }]);
  });

  test('production: 0.0.0.0/0 on the API endpoint, two zones and a single NAT gateway are each reported', () => {
    const violations = awsSectionRules(env(true, awsInput({ availabilityZoneCount: 2, natGateways: 'single', endpoint: { publicAccessCidrs: ['0.0.0.0/0'] } })));
    expect(violations.map((v) => v.path)).toEqual(['aws.endpoint.publicAccessCidrs', 'aws.availabilityZoneCount', 'aws.natGateways']);
  });

  test('the same section outside production is fine', () => {
    expect(awsSectionRules(env(false, awsInput({ availabilityZoneCount: 2, natGateways: 'single', endpoint: { publicAccessCidrs: ['0.0.0.0/0'] } })))).toEqual([]);
  });

  test('a production section with 3 zones and a private endpoint passes', () => {
    expect(awsSectionRules(env(true, awsInput({ availabilityZoneCount: 3, endpoint: { publicAccessCidrs: [] } })))).toEqual([]);
  });
});

describe('aws section rules: zones and node groups the cloud would reject', () => {
  const rules = (aws: Record<string, unknown>, name = 'dev') => awsSectionRules({ name, cloud: 'aws', production: false, aws: awsInput(aws) });

  test.each([
    ['a zone of another region', ['eu-west-1a', 'eu-central-1b', 'eu-west-1c'], 'aws.availabilityZoneNames.1', 'is not a zone of aws.region eu-west-1'],
    ['the region itself, no zone letter', ['eu-west-1a', 'eu-west-1', 'eu-west-1c'], 'aws.availabilityZoneNames.1', 'is not a zone of aws.region eu-west-1'],
    ['a zone of a longer region name', ['eu-west-1a', 'eu-west-12b', 'eu-west-1c'], 'aws.availabilityZoneNames.1', 'is not a zone of aws.region eu-west-1'],
    ['a repeated zone', ['eu-west-1a', 'eu-west-1b', 'eu-west-1a'], 'aws.availabilityZoneNames.2', 'is listed twice (also aws.availabilityZoneNames.0)'],
  ])('GIVEN %s THEN it is refused, naming the entry', (_given, zones, path, message) => {
    // WHEN
    const found = rules({ region: 'eu-west-1', availabilityZoneNames: zones });
    // THEN
    expect(found).toEqual([expect.objectContaining({ path, message: expect.stringContaining(message) })]);
  });

  test("GIVEN the region's own zones once each THEN no problem", () => {
    expect(rules({ region: 'eu-west-1', availabilityZoneNames: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] })).toEqual([]);
  });

  test('GIVEN several bad node groups THEN every problem is listed in one pass', () => {
    // GIVEN
    const nodeGroups = [{ name: 'system', minSize: 5, maxSize: 3 }, { name: 'apps', minSize: 2, maxSize: 4, desiredSize: 9 }, { name: 'system' }];
    // WHEN
    const found = rules({ nodeGroups });
    // THEN
    expect(found.map((v) => v.path)).toEqual(['aws.nodeGroups.0.minSize', 'aws.nodeGroups.1.desiredSize', 'aws.nodeGroups.2.name']);
    expect(found[0].message).toBe('must not exceed maxSize (3), got 5');
    expect(found[2].message).toContain('is used twice (also aws.nodeGroups.0.name): node group names are unique, got "system"');
  });

  test('GIVEN an EKS node group name over 63 characters THEN it is refused before apply', () => {
    // GIVEN kong-<environment>-<group>: 5 + 40 + 1 + 20 = 66 characters
    const found = rules({ nodeGroups: [{ name: 'g'.repeat(20) }] }, 'e'.repeat(40));
    // THEN
    expect(found).toEqual([expect.objectContaining({ path: 'aws.nodeGroups.0.name', message: expect.stringContaining("(66 characters), over EKS's 63") })]);
  });
});

describe('aws section rules through an environment file', () => {
  test('GIVEN a zone of another region and a repeated node group THEN the file is refused naming both fields', () => {
    // GIVEN
    const raw = rawEnvironment({
      cloud: 'aws',
      kubernetes: undefined,
      aws: {
        region: 'eu-west-1',
        availabilityZoneNames: ['eu-west-1a', 'us-east-1b'],
        nodeGroups: [{ name: 'system' }, { name: 'system' }],
        edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      },
    });
    // WHEN
    const found = problems(raw);
    // THEN
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^test-env\.yaml: aws\.availabilityZoneNames\.1: is not a zone of aws\.region eu-west-1: use eu-west-1a, eu-west-1b, \.\.\., got "us-east-1b"/),
        expect.stringMatching(/^test-env\.yaml: aws\.nodeGroups\.1\.name: is used twice .*, got "system"/),
      ]),
    );
  });
});

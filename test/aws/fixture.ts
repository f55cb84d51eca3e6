import { awsSectionSchema, AwsSection, AwsSectionInput } from '../../config/sections/aws';
import { App, Testing, TerraformStack } from '../../constructs/core/cdktf';
import type { EksClusterStack, EksClusterStackProps } from '../../stacks/eks/eks-cluster-stack';
import { synthJson } from '../support/terraform-json';

type Raw = Record<string, any>;

/** A minimal valid `aws:` section (dev-sized); `overrides` are merged one level deep. */
export function awsInput(overrides: Raw = {}): AwsSectionInput {
  const base: Raw = {
    region: 'eu-west-1',
    availabilityZoneCount: 2,
    endpoint: { publicAccessCidrs: ['198.51.100.0/24'] },
    edge: { domainName: 'api.dev.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  };
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && base[key] ? { ...base[key], ...value } : value;
  }
  return out as AwsSectionInput;
}

/** A production-sized `aws:` section: 3 zones, no public API endpoint. */
export function productionInput(overrides: Raw = {}): AwsSectionInput {
  return awsInput({ availabilityZoneCount: 3, endpoint: { publicAccessCidrs: [] }, ...overrides });
}

export function awsSection(overrides: Raw = {}): AwsSection {
  return awsSectionSchema.parse(awsInput(overrides));
}

export interface ClusterFixture {
  readonly stack: EksClusterStack;
  /** Parsed cdk.tf.json. */
  readonly json: any;
}

/** Synthesizes `<env>-cluster` in memory. */
export function synthCluster(options: { aws?: AwsSectionInput; production?: boolean } & Partial<Omit<EksClusterStackProps, 'aws'>> = {}): ClusterFixture {
  const app = Testing.app() as App;
  const production = options.production ?? false;
  const aws = awsSectionSchema.parse(options.aws ?? (production ? productionInput() : awsInput()));
  // Required on first use: the suites that only build `aws:` sections never load the AWS provider.
  const { EksClusterStack } = require('../../stacks/eks/eks-cluster-stack') as typeof import('../../stacks/eks/eks-cluster-stack');
  const stack = new EksClusterStack(app, 'test-cluster', { environment: options.environment ?? 'test', production, aws, emulator: options.emulator, backend: options.backend });
  return { stack, json: synthJson(stack) };
}

export { only, resources } from '../support/platform-fixture';

/** Resource address `type.name` for a resource body, to match `${type.name.attr}` references. */
export function addressOf(json: any, type: string, predicate: (body: any) => boolean): string {
  const entry = Object.entries(json.resource?.[type] ?? {}).find(([, body]) => predicate(body));
  if (!entry) throw new Error(`no ${type} matches`);
  return `${type}.${entry[0]}`;
}

/** Parses a JSON policy document that Terraform renders from `jsonencode(...)` — returns the raw string when it is an expression. */
export function expressionText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An empty stack named `stack` to build single constructs in. */
export function testStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'stack');
}

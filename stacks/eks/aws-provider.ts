import { AwsProvider, AwsProviderEndpoints } from '@cdktf/provider-aws/lib/provider';
import { Construct } from '../../constructs/core/cdktf';

/**
 * Test mode only: point the AWS provider at a local AWS emulator (moto) on loopback.
 * Never set from an environment file; `scripts/e2e/aws-moto-e2e.ts` sets it.
 */
export interface AwsEmulatorOptions {
  /**
   * Emulator URL, e.g. `https://127.0.0.1:5123`. Must be a loopback address. With https (moto's
   * self-signed certificate), certificate verification is off for that loopback endpoint only; https
   * keeps the state bucket's TLS-only policy (DenyPlainHttp) satisfiable by the S3 backend.
   */
  readonly endpoint: string;
}

/** Every AWS API the EKS stacks call; each is redirected to the emulator in test mode. */
export const EMULATED_AWS_SERVICES = ['acm', 'ec2', 'ecr', 'eks', 'elbv2', 'iam', 'kms', 'logs', 'route53', 's3', 'sts', 'wafv2'] as const satisfies ReadonlyArray<
  keyof AwsProviderEndpoints
>;

/** Props of {@link createAwsProvider}. */
export interface AwsProviderSettings {
  readonly region: string;
  /** Tags on every resource (provider `default_tags`). */
  readonly tags: Record<string, string>;
  /** Test mode: emulator endpoint overrides and fake credentials. */
  readonly emulator?: AwsEmulatorOptions;
}

/** The stack's default AWS provider. */
export function createAwsProvider(scope: Construct, settings: AwsProviderSettings): AwsProvider {
  const base = { region: settings.region, defaultTags: [{ tags: settings.tags }] };
  if (!settings.emulator) return new AwsProvider(scope, 'aws', base);
  const endpoint = settings.emulator.endpoint;
  if (!/^https?:\/\/127\.0\.0\.1:\d{1,5}\/?$/.test(endpoint)) {
    throw new Error(`${scope.node.path}: invalid emulator.endpoint ${JSON.stringify(endpoint)}: use http(s)://127.0.0.1:<port> (tests only talk to loopback)`);
  }
  const endpoints: Record<string, string> = {};
  for (const service of EMULATED_AWS_SERVICES) endpoints[service] = endpoint;
  return new AwsProvider(scope, 'aws', {
    ...base,
    // Fake credentials: the emulator accepts any; real credentials must never reach it.
    accessKey: 'testing',
    secretKey: 'testing',
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: 'true',
    s3UsePathStyle: true,
    insecure: endpoint.startsWith('https:') ? true : undefined,
    endpoints: [endpoints as AwsProviderEndpoints],
  });
}

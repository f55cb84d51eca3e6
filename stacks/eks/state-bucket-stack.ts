import { KongPlatformBaseStack } from '../base-stack';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct, TerraformOutput } from '../../constructs/core/cdktf';
import { TerraformStateBucket } from '../../constructs/aws/state-bucket';
import { configureBackend } from '../backend';
import { AwsEmulatorOptions, createAwsProvider } from './aws-provider';

/** Props of {@link StateBucketStack}. */
export interface StateBucketStackProps {
  /** Environment name. */
  readonly environment: string;
  /** Production: the bucket is protected from `destroy`. */
  readonly production: boolean;
  /** AWS region. */
  readonly region: string;
  /** Bucket name (the `aws.stateBackend.bucket` of the environment). */
  readonly bucketName: string;
  /** Tags on every resource. @default {} */
  readonly tags?: Record<string, string>;
  /** Test mode only. @default real AWS */
  readonly emulator?: AwsEmulatorOptions;
}

/**
 * `<env>-state`: the bootstrap stack that creates the state bucket the other stacks of the
 * environment use as S3 backend. It keeps its own (tiny) state locally: deploy it once, commit
 * nothing secret (the state holds only bucket and key ids).
 */
export class StateBucketStack extends KongPlatformBaseStack {
  public readonly stateBucket: TerraformStateBucket;

  constructor(scope: Construct, id: string, props: StateBucketStackProps) {
    super(scope, id);
    // Its own state cannot live in the bucket it creates: local, outside cdktf.out/.
    if (!props.emulator) configureBackend(this, id, { type: 'local' });
    createAwsProvider(this, {
      region: props.region,
      tags: { ...(props.tags ?? {}), 'kong-platform/environment': props.environment, 'kong-platform/stack': id, ManagedBy: 'terraform' },
      emulator: props.emulator,
    });
    const account = new DataAwsCallerIdentity(this, 'account', {});
    const partition = new DataAwsPartition(this, 'partition', {}).partition;
    this.stateBucket = new TerraformStateBucket(this, 'state', {
      bucketName: props.bucketName,
      accountId: account.accountId,
      region: props.region,
      partition,
      production: props.production,
    });
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucket.bucketName, description: 'S3 bucket for the other stacks\' state' });
    new TerraformOutput(this, 'state_kms_key_arn', { value: this.stateBucket.key.keyArn, description: 'KMS key encrypting the state objects' });
  }
}

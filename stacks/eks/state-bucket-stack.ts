import { KongPlatformBaseStack } from '../base-stack';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct, TerraformOutput } from '../../constructs/core/cdktf';
import { TerraformStateBucket } from '../../constructs/aws/state-bucket';
import { configureBackend, StateBackend } from '../backend';
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
  /**
   * The environment's S3 backend, which this stack's own state migrates into once the bucket exists
   * (`scripts/deliver.ts bootstrap`: local state first, then `terraform init -migrate-state`).
   * @default local state (`terraform-state/<stack>.tfstate`), for use outside CI only
   */
  readonly backend?: Extract<StateBackend, { type: 's3' }>;
  /** Tags on every resource. @default {} */
  readonly tags?: Record<string, string>;
  /** Test mode only. @default real AWS */
  readonly emulator?: AwsEmulatorOptions;
}

/**
 * `<env>-state`: the stack that creates the state bucket the other stacks of the environment use
 * as S3 backend. With `backend` given, its own state lives in that same bucket: the first apply
 * runs on local state and migrates itself into the bucket (`scripts/deliver.ts bootstrap`), every
 * later run is an ordinary remote-state plan and apply.
 */
export class StateBucketStack extends KongPlatformBaseStack {
  public readonly stateBucket: TerraformStateBucket;

  constructor(scope: Construct, id: string, props: StateBucketStackProps) {
    super(scope, id);
    if (props.backend) configureBackend(this, id, props.backend, { s3Emulator: props.emulator?.endpoint });
    else if (!props.emulator) configureBackend(this, id, { type: 'local' });
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
    // Emulator gap (test mode only): moto applies a Deny statement without evaluating its condition, so the
    // TLS-only policy (Deny when aws:SecureTransport is false) would deny the S3 backend its own bucket even over
    // HTTPS. Real synth always has the policy; test/aws/state-and-test-mode.test.ts checks it.
    if (props.emulator) this.stateBucket.bucket.policy.addOverride('count', 0);
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucket.bucketName, description: "S3 bucket for the other stacks' state" });
    new TerraformOutput(this, 'state_kms_key_arn', { value: this.stateBucket.key.keyArn, description: 'KMS key encrypting the state objects' });
  }
}

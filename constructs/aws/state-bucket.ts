import { Construct } from '../core/cdktf';
import { EncryptionKey } from './encryption-key';
import { SecureBucket } from './secure-bucket';

/** Options of {@link TerraformStateBucket} that have defaults. */
export interface TerraformStateBucketOptions {
  /**
   * Production: `prevent_destroy` on the bucket, objects never force-deleted.
   * @default true
   */
  readonly production?: boolean;
  /**
   * Days superseded state versions are kept (the undo history of every apply).
   * @default 365
   */
  readonly noncurrentVersionExpiryDays?: number;
}

/** Props of {@link TerraformStateBucket}. */
export interface TerraformStateBucketProps extends TerraformStateBucketOptions {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** AWS account id (Terraform reference allowed). */
  readonly accountId: string;
  /** AWS region. */
  readonly region: string;
  /** AWS partition. */
  readonly partition: string;
}

/**
 * The S3 bucket for Terraform state: versioned (every apply can be undone), encrypted with its
 * own rotating KMS key, private, TLS-only. Locking uses S3 conditional writes (`use_lockfile`),
 * so no DynamoDB table is needed.
 */
export class TerraformStateBucket extends Construct {
  /** The bucket. */
  public readonly bucket: SecureBucket;
  /** The KMS key encrypting the state. */
  public readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: TerraformStateBucketProps) {
    super(scope, id);
    const production = props.production ?? true;
    this.key = new EncryptionKey(this, 'key', {
      alias: `${props.bucketName}-state`,
      description: `Terraform state in s3://${props.bucketName}`,
      accountId: props.accountId,
      region: props.region,
      partition: props.partition,
    });
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: this.key.keyArn,
      noncurrentVersionExpiryDays: props.noncurrentVersionExpiryDays ?? 365,
      preventDestroy: production,
      forceDestroy: false,
    });
  }
}

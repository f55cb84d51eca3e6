import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct, Fn, Token } from '../core/cdktf';
import { s3BucketNameProblem } from './bucket-name';
import { invalidProp } from './validation';

/** Options of {@link SecureBucket} that have defaults. */
export interface SecureBucketOptions {
  /**
   * KMS key for SSE-KMS. Absent = SSE-S3 (AES-256), which is what ALB access logs require.
   * @default SSE-S3
   */
  readonly kmsKeyArn?: string;
  /**
   * Delete current objects after this many days. Absent = keep.
   * @default keep forever
   */
  readonly expireAfterDays?: number;
  /**
   * Delete superseded object versions after this many days.
   * @default 90
   */
  readonly noncurrentVersionExpiryDays?: number;
  /**
   * Terraform refuses to destroy the bucket (`lifecycle.prevent_destroy`).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * `destroy` also deletes the objects in it. Never for production data.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Extra bucket policy statements (IAM JSON objects; Terraform references allowed), built
   * from the bucket ARN.
   * @default none
   */
  readonly extraPolicyStatements?: (bucketArn: string) => object[];
}

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps extends SecureBucketOptions {
  /** Globally unique bucket name (Terraform references allowed). */
  readonly bucketName: string;
}

/**
 * An S3 bucket that is private (all public access blocked, ACLs disabled), encrypted by
 * default, versioned, TLS-only (a bucket policy denies plain HTTP), with lifecycle rules for
 * old versions and aborted uploads.
 */
export class SecureBucket extends Construct {
  /** The bucket. */
  public readonly bucket: S3Bucket;
  /** Bucket name. */
  public readonly bucketName: string;
  /** Bucket ARN. */
  public readonly bucketArn: string;
  /** The bucket policy (depend on it before anything writes to the bucket). */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionExpiryDays ?? 90;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) invalidProp(this, 'noncurrentVersionExpiryDays', noncurrentDays, 'use a whole number of days >= 1');
    if (props.expireAfterDays !== undefined && (!Number.isInteger(props.expireAfterDays) || props.expireAfterDays < 1)) {
      invalidProp(this, 'expireAfterDays', props.expireAfterDays, 'use a whole number of days >= 1, or leave it out');
    }

    const nameProblem = Token.isUnresolved(props.bucketName) ? undefined : s3BucketNameProblem(props.bucketName);
    if (nameProblem) invalidProp(this, 'bucketName', props.bucketName, nameProblem);

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'expire-noncurrent-versions-and-aborted-uploads',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ];
    if (props.expireAfterDays !== undefined) {
      rules.push({ id: 'expire-objects', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.expireAfterDays }] });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket: this.bucket.id, rule: rules });

    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyPlainHttp',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          ...(props.extraPolicyStatements?.(this.bucket.arn) ?? []),
        ],
      }),
      // S3 rejects a policy while the public access block is being changed.
      dependsOn: [publicAccess],
    });
  }
}

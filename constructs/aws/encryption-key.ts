import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct, Fn } from '../core/cdktf';
import { invalidProp } from './validation';

/** Options of {@link EncryptionKey} that have defaults. */
export interface EncryptionKeyOptions {
  /**
   * Let CloudWatch Logs in this account and region use the key (for encrypted log groups).
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Days before a deleted key is really gone (7-30); the window to undo a mistaken destroy.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
}

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps extends EncryptionKeyOptions {
  /** Alias name without the `alias/` prefix, e.g. `kong-aws-dev/eks-secrets`. */
  readonly alias: string;
  /** What the key protects (shown in the KMS console). */
  readonly description: string;
  /** AWS account id that owns the key (Terraform reference allowed). */
  readonly accountId: string;
  /** AWS region (needed for the CloudWatch Logs service principal). */
  readonly region: string;
  /** AWS partition, e.g. `aws` (Terraform reference allowed). */
  readonly partition: string;
}

/**
 * A customer-managed KMS key with automatic yearly rotation and an explicit key policy: the
 * account administers it through IAM, and (optionally) CloudWatch Logs may use it for this
 * account's log groups only.
 */
export class EncryptionKey extends Construct {
  /** The key. */
  public readonly key: KmsKey;
  /** The key ARN (what resources reference). */
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindow = props.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
      invalidProp(this, 'deletionWindowInDays', deletionWindow, 'use a whole number of days from 7 to 30');
    }
    const statements: object[] = [
      {
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:*` },
        },
      });
    }
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: statements }),
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}

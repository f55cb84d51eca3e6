import { S3Backend, TerraformStack } from '../../constructs/core/cdktf';

/** Where a stack keeps its state in S3. */
export interface S3StateBackendProps {
  /** State bucket (created by the `<env>-state` stack). */
  readonly bucket: string;
  /** Key prefix; the state object is `<keyPrefix>/<stackName>.tfstate`. */
  readonly keyPrefix: string;
  /** Region of the bucket. */
  readonly region: string;
}

/**
 * Stores the stack's state in S3, encrypted, with S3-native locking (`use_lockfile`, Terraform
 * >= 1.10). cdktf 0.21's S3Backend has no `useLockfile` field, so it is set by an override.
 */
export function configureS3StateBackend(stack: TerraformStack, props: S3StateBackendProps): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: props.bucket,
    key: `${props.keyPrefix}/${stack.node.id}.tfstate`,
    region: props.region,
    encrypt: true,
  });
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
  return backend;
}

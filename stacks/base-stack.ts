import { Construct, TerraformStack } from '../constructs/core/cdktf';

/**
 * Lowest Terraform release every stack accepts: the S3 backend's native locking
 * (`use_lockfile`) arrived in Terraform 1.10; older releases ignore or reject it.
 */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10.0';

/**
 * The base of every kong-platform stack (state, cluster, platform): sets `terraform.required_version`
 * once, so an older Terraform stops at `init` instead of running without state locking.
 */
export class KongPlatformBaseStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
  }
}

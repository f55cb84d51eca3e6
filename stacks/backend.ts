import * as path from 'path';
import { AzurermBackend, LocalBackend, S3Backend, TerraformStack } from '../constructs/core/cdktf';

/** Where a stack keeps its Terraform state (one state per stack, never shared between environments). */
export type StateBackend =
  | { readonly type: 'local'; readonly path?: string }
  | { readonly type: 's3'; readonly bucket: string; readonly region: string; readonly keyPrefix?: string; readonly kmsKeyId?: string }
  | { readonly type: 'azurerm'; readonly resourceGroupName: string; readonly storageAccountName: string; readonly containerName: string; readonly keyPrefix?: string };

/**
 * Configures a stack's backend. S3 uses native S3 locking (`use_lockfile`, Terraform >= 1.10),
 * which cdktf 0.21's S3Backend does not model yet, hence the override; azurerm locks with
 * blob leases by itself.
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: StateBackend): void {
  switch (backend.type) {
    case 'local':
      // Outside cdktf.out/, which every synth replaces.
      new LocalBackend(stack, { path: path.resolve(backend.path ?? 'terraform-state', `${stackName}.tfstate`) });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        region: backend.region,
        key: `${backend.keyPrefix ?? 'kong-platform'}/${stackName}.tfstate`,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
      });
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    case 'azurerm':
      new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: `${backend.keyPrefix ?? 'kong-platform'}/${stackName}.tfstate`,
        useAzureadAuth: true,
      });
      return;
  }
}

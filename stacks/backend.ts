import * as path from 'path';
import { AzurermBackend, LocalBackend, S3Backend, TerraformStack } from '../constructs/core/cdktf';

/** Where a stack keeps its Terraform state (one state per stack, never shared between environments). */
export type StateBackend =
  | { readonly type: 'local'; readonly path?: string }
  | { readonly type: 's3'; readonly bucket: string; readonly region: string; readonly keyPrefix?: string; readonly kmsKeyId?: string }
  | { readonly type: 'azurerm'; readonly resourceGroupName: string; readonly storageAccountName: string; readonly containerName: string; readonly keyPrefix?: string };

/**
 * From a synthesized stack's directory (`cdktf.out/stacks/<stack>/`, where Terraform runs and
 * resolves relative paths) back to the repository root, where `cdktf.out/` is.
 */
export const STACK_DIRECTORY_TO_REPOSITORY_ROOT = '../../..';

/** Default folder of local state files, relative to the repository root (git-ignored). */
export const DEFAULT_LOCAL_STATE_DIRECTORY = 'terraform-state';

/**
 * `path` of a local backend: `<dir>/<stack>.tfstate` with `<dir>` (the environment's `backend.path`)
 * relative to the repository root, written relative to the stack directory, e.g.
 * `../../../terraform-state/onprem-hybrid-platform.tfstate`. The same string serves the
 * `terraform_remote_state` reads cdktf generates for cross-stack references, since every stack
 * directory is at the same depth. Absolute or `~` paths are refused: they would tie the
 * configuration to one machine.
 */
export function localStatePath(stack: TerraformStack, stackName: string, directory: string = DEFAULT_LOCAL_STATE_DIRECTORY): string {
  const posix = directory.replace(/\\/g, '/');
  if (path.isAbsolute(directory) || path.posix.isAbsolute(posix) || /^[A-Za-z]:/.test(posix) || posix.startsWith('~')) {
    throw new Error(
      `${stack.node.path}: backend.path must be a folder relative to the repository root (written relative to cdktf.out/stacks/<stack>/), ` +
        `not an absolute path of one machine; got "${directory}"`,
    );
  }
  return repositoryPathFromStackDirectory(`${posix.replace(/\/+$/, '')}/${stackName}.tfstate`);
}

/**
 * A path relative to the repository root, as Terraform must see it from a stack directory:
 * `kube/onprem.yaml` -> `../../../kube/onprem.yaml`. Absolute and `~` paths are returned as given.
 */
export function repositoryPathFromStackDirectory(repositoryPath: string): string {
  const posix = repositoryPath.replace(/\\/g, '/');
  if (path.isAbsolute(repositoryPath) || path.posix.isAbsolute(posix) || posix.startsWith('~')) return repositoryPath;
  return path.posix.join(STACK_DIRECTORY_TO_REPOSITORY_ROOT, path.posix.normalize(posix));
}

/** Options of {@link configureBackend}. */
export interface BackendOptions {
  /**
   * Test mode only: the S3 backend (and the remote-state reads of it) talk to a local AWS emulator
   * at this loopback URL with path-style addressing and no account or credential checks.
   * @default real S3
   */
  readonly s3Emulator?: string;
}

function s3EmulatorBackendSettings(stack: TerraformStack, endpoint: string) {
  if (!/^https?:\/\/127\.0\.0\.1:\d{1,5}\/?$/.test(endpoint)) {
    throw new Error(`${stack.node.path}: invalid emulator endpoint ${JSON.stringify(endpoint)} for the S3 backend: use http(s)://127.0.0.1:<port>`);
  }
  return {
    endpoints: { s3: endpoint, sts: endpoint, iam: endpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
    skipS3Checksum: true,
    // The emulator's self-signed certificate (loopback only).
    insecure: endpoint.startsWith('https:') ? true : undefined,
  };
}

/**
 * Configures a stack's backend. S3 uses native S3 locking (`use_lockfile`, Terraform >= 1.10),
 * which cdktf 0.21's S3Backend does not model yet, hence the override; azurerm locks with
 * blob leases by itself.
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: StateBackend, options: BackendOptions = {}): void {
  switch (backend.type) {
    case 'local':
      // Outside cdktf.out/, which every synth replaces; relative, so no path of this machine is written.
      new LocalBackend(stack, { path: localStatePath(stack, stackName, backend.path) });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        region: backend.region,
        key: `${backend.keyPrefix ?? 'kong-platform'}/${stackName}.tfstate`,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
        ...(options.s3Emulator ? s3EmulatorBackendSettings(stack, options.s3Emulator) : {}),
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

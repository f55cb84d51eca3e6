import { KongPlatformBaseStack } from '../base-stack';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { rbacPropagationWait } from '../../constructs/azure/rbac-propagation';
import { Construct, TerraformOutput } from '../../constructs/core/cdktf';
import { TerraformStateStorage } from '../../constructs/azure/state-storage';
import { azureTags, createAzurermProvider } from './azure-provider';
import { configureBackend, StateBackend } from '../backend';

/** Props of {@link AzureStateStorageStack}. */
export interface AzureStateStorageStackProps {
  /** Environment name. */
  readonly environment: string;
  /** Production: zone-redundant storage, destroy protection. */
  readonly production: boolean;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the storage account (the `backend.resourceGroupName` of the environment); created here. */
  readonly resourceGroupName: string;
  /** Storage account name (the `backend.storageAccountName`). */
  readonly storageAccountName: string;
  /** Blob container (the `backend.containerName`). */
  readonly containerName: string;
  /**
   * The environment's azurerm backend, which this stack's own state migrates into once the storage
   * account exists (`scripts/deliver.ts bootstrap`: local state first, then `terraform init -migrate-state`).
   * @default local state (`terraform-state/<stack>.tfstate`), for use outside CI only
   */
  readonly backend?: Extract<StateBackend, { type: 'azurerm' }>;
  /** Tags on every resource. @default {} */
  readonly tags?: Record<string, string>;
}

/** Data-plane role the deploying identity needs on the state storage (shared keys are off). */
export const STATE_STORAGE_DATA_ROLE = 'Storage Blob Data Contributor';

/**
 * `<env>-state`: the stack that creates the storage account the other stacks of the environment
 * use as azurerm backend; with `backend` given its own state migrates into it after the first apply.
 *
 * First apply order: resource group, then `Storage Blob Data Contributor` for the deploying identity
 * (`data.azurerm_client_config`) on that group, then a wait for RBAC propagation, then the storage
 * account and its container. The account has shared keys off and the provider uses Entra ID for the
 * data plane (`storage_use_azuread`), so without the role the provider's own reads of the new account
 * fail (403) and the first apply stops; the same role lets the deployer use the account as a backend.
 */
export class AzureStateStorageStack extends KongPlatformBaseStack {
  public readonly storage: TerraformStateStorage;

  constructor(scope: Construct, id: string, props: AzureStateStorageStackProps) {
    super(scope, id);
    createAzurermProvider(this);
    // With a backend: bootstrapped on local state, then migrated into the account it creates
    // (scripts/deliver.ts bootstrap). Without: local, outside cdktf.out/, relative to the stack directory.
    configureBackend(this, id, props.backend ?? { type: 'local' });
    const tags = azureTags(props.environment, id, props.tags ?? {});
    const group = new ResourceGroup(this, 'resource-group', {
      name: props.resourceGroupName,
      location: props.location,
      tags,
      lifecycle: { preventDestroy: props.production },
    });
    const deployer = new DataAzurermClientConfig(this, 'client', {});
    // On the group (which holds only this account), so it exists before the account: the account's
    // own create and read already go to its data plane.
    const dataAccess = new RoleAssignment(this, 'deployer-blob-data', {
      scope: group.id,
      roleDefinitionName: STATE_STORAGE_DATA_ROLE,
      principalId: deployer.objectId,
      description: `${props.environment}: the deploying identity reads and writes the Terraform state blobs (Entra ID only, shared keys off)`,
    });
    const propagated = rbacPropagationWait(this, 'deployer-blob-data-propagation', [dataAccess]);
    this.storage = new TerraformStateStorage(this, 'state', {
      dependsOn: [propagated],
      resourceGroupName: group.name,
      location: props.location,
      tags,
      storageAccountName: props.storageAccountName,
      containerName: props.containerName,
      production: props.production,
    });
    new TerraformOutput(this, 'state_storage_account', { value: this.storage.account.name, description: "Storage account for the other stacks' state" });
    new TerraformOutput(this, 'state_container', { value: this.storage.container.name, description: 'Blob container of the state files' });
  }
}

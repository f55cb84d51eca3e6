import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct, TerraformOutput, TerraformStack } from '../../constructs/core/cdktf';
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

/**
 * `<env>-state`: the stack that creates the storage account the other stacks of the environment
 * use as azurerm backend; with `backend` given its own state migrates into it after the first apply.
 */
export class AzureStateStorageStack extends TerraformStack {
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
    this.storage = new TerraformStateStorage(this, 'state', {
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

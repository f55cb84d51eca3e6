import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct, ITerraformDependable } from '../core/cdktf';
import { blobContainerNameProblem, storageAccountNameProblem } from './resource-names';
import { AzurePlacement, invalidProp } from './validation';

/** Options of {@link TerraformStateStorage} that have defaults. */
export interface TerraformStateStorageOptions {
  /**
   * Blob container of the state files.
   * @default 'tfstate'
   */
  readonly containerName?: string;
  /**
   * Days deleted blobs, old versions and deleted containers can be restored.
   * @default 30
   */
  readonly softDeleteDays?: number;
  /**
   * Production: zone-redundant replication and destroy protection.
   * @default true
   */
  readonly production?: boolean;
}

/** Props of {@link TerraformStateStorage}. */
export interface TerraformStateStorageProps extends TerraformStateStorageOptions, AzurePlacement {
  /** Storage account name (3-24 lowercase letters and digits, globally unique). */
  readonly storageAccountName: string;
  /**
   * What the account and its container wait for: the deploying identity's Storage Blob Data role and
   * its propagation (see AzureStateStorageStack). With shared keys off and `storage_use_azuread`, the
   * provider reads the account's blob data plane with the caller's Entra ID token.
   * @default nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Storage for the other stacks' Terraform state (azurerm backend): HTTPS and TLS 1.2 only,
 * Entra ID authentication only (shared keys off; the backend uses `use_azuread_auth`), no
 * public blobs, blob versioning and soft delete so a bad apply or a deletion can be rolled back.
 * Locking is built into the backend (blob leases).
 */
export class TerraformStateStorage extends Construct {
  public readonly account: StorageAccount;
  public readonly container: StorageContainer;

  constructor(scope: Construct, id: string, props: TerraformStateStorageProps) {
    super(scope, id);
    const production = props.production ?? true;
    const days = props.softDeleteDays ?? 30;
    const containerName = props.containerName ?? 'tfstate';
    const accountProblem = storageAccountNameProblem(props.storageAccountName);
    if (accountProblem) invalidProp(this, 'storageAccountName', props.storageAccountName, accountProblem);
    const containerProblem = blobContainerNameProblem(containerName);
    if (containerProblem) invalidProp(this, 'containerName', containerName, containerProblem);
    if (!Number.isInteger(days) || days < 7 || days > 365) invalidProp(this, 'softDeleteDays', days, 'use a whole number of days between 7 and 365');

    this.account = new StorageAccount(this, 'account', {
      name: props.storageAccountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: production ? 'ZRS' : 'LRS',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        deleteRetentionPolicy: { days },
        containerDeleteRetentionPolicy: { days },
      },
      lifecycle: { preventDestroy: production },
      dependsOn: props.dependsOn,
    });
    this.container = new StorageContainer(this, 'container', {
      name: containerName,
      storageAccountId: this.account.id,
      containerAccessType: 'private',
      dependsOn: props.dependsOn,
    });
  }
}

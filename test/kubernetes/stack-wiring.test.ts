import { environment, synthEnvironment } from '../support/platform-fixture';

describe('hybrid platform stack', () => {
  const json = synthEnvironment(environment({ kubernetes: { kubeconfigPath: '/etc/kube/onprem.yaml', context: 'onprem-admin' } })).stack('platform');

  test('the kubernetes and helm providers use the kubeconfig path and context from the environment file', () => {
    expect(json.provider.kubernetes).toEqual([{ config_path: '/etc/kube/onprem.yaml', config_context: 'onprem-admin' }]);
    expect(json.provider.helm).toEqual([{ kubernetes: { config_path: '/etc/kube/onprem.yaml', config_context: 'onprem-admin' } }]);
  });

  test('no static credentials in the provider configuration', () => {
    expect(JSON.stringify(json.provider)).not.toMatch(/token|password|client_key/);
  });

  test('the stack is named <env>-platform', () => {
    expect(synthEnvironment(environment()).stacks.map((s) => s.node.id)).toEqual(['test-env-platform']);
  });
});

describe('state backends', () => {
  test('local state lives outside cdktf.out, one file per stack', () => {
    const json = synthEnvironment(environment()).stack('platform');
    expect(json.terraform.backend.local.path).toMatch(/terraform-state\/test-env-platform\.tfstate$/);
    expect(json.terraform.backend.local.path).not.toContain('cdktf.out');
  });

  test('s3: encrypted, per-stack key, native locking through the use_lockfile override', () => {
    const json = synthEnvironment(environment({ backend: { type: 's3', bucket: 'acme-tf-state', region: 'eu-west-1', kmsKeyId: 'alias/tf-state' } })).stack('platform');
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'acme-tf-state',
      region: 'eu-west-1',
      key: 'kong-platform/test-env-platform.tfstate',
      encrypt: true,
      kms_key_id: 'alias/tf-state',
      use_lockfile: true,
    });
  });

  test('azurerm: Entra ID auth (no storage keys), per-stack key', () => {
    const json = synthEnvironment(environment({ backend: { type: 'azurerm', resourceGroupName: 'rg-state', storageAccountName: 'sttfstate', containerName: 'tfstate' } })).stack(
      'platform',
    );
    expect(json.terraform.backend.azurerm).toEqual({
      resource_group_name: 'rg-state',
      storage_account_name: 'sttfstate',
      container_name: 'tfstate',
      key: 'kong-platform/test-env-platform.tfstate',
      use_azuread_auth: true,
    });
  });
});

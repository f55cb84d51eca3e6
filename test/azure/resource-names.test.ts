import { TerraformStateStorage } from '../../constructs/azure/state-storage';
import { blobContainerNameProblem, resourceGroupNameProblem, storageAccountNameProblem } from '../../constructs/azure/resource-names';
import { problems, rawEnvironment } from '../support/platform-fixture';
import { testStack } from './fixture';

describe('Azure names Azure would refuse at apply are refused at synth', () => {
  test.each([
    ['st', 'must be 3 to 24 characters long (it has 2)'],
    ['s'.repeat(25), 'must be 3 to 24 characters long (it has 25)'],
    ['st-kong', 'must use only lowercase letters and digits (no "-", "." or capitals)'],
    ['StKong', 'must use only lowercase letters and digits (no "-", "." or capitals)'],
    ['stkоng', 'must use only lowercase letters and digits (no "-", "." or capitals)'], // Cyrillic о
  ])('storage account %p: %s', (name, problem) => {
    expect(storageAccountNameProblem(name)).toBe(problem);
  });

  test.each([
    ['tf', 'must be 3 to 63 characters long (it has 2)'],
    ['t'.repeat(64), 'must be 3 to 63 characters long (it has 64)'],
    ['TFState', 'must use only lowercase letters, digits and "-"'],
    ['tf_state', 'must use only lowercase letters, digits and "-"'],
    ['-tfstate', 'must begin and end with a lowercase letter or a digit'],
    ['tfstate-', 'must begin and end with a lowercase letter or a digit'],
    ['tf--state', 'must not contain two adjacent hyphens'],
  ])('blob container %p: %s', (name, problem) => {
    expect(blobContainerNameProblem(name)).toBe(problem);
  });

  test.each([
    ['', 'must be 1 to 90 characters long (it has 0)'],
    ['r'.repeat(91), 'must be 1 to 90 characters long (it has 91)'],
    ['rg kong', 'must use only letters, digits, "-", "_", ".", "(" and ")"'],
    ['rg/kong', 'must use only letters, digits, "-", "_", ".", "(" and ")"'],
    ['rg-kong.', 'must not end with "."'],
  ])('resource group %p: %s', (name, problem) => {
    expect(resourceGroupNameProblem(name)).toBe(problem);
  });

  test.each([
    [storageAccountNameProblem, 'stkongprod01'],
    [blobContainerNameProblem, 'tfstate'],
    [blobContainerNameProblem, 'kong-prod-state'],
    [resourceGroupNameProblem, 'r'],
    [resourceGroupNameProblem, 'rg-kong_prod.(eu)'],
  ])('a valid name passes (%#)', (problemOf, name) => {
    expect(problemOf(name)).toBeUndefined();
  });

  test('GIVEN a library TerraformStateStorage with a bad container THEN the construct refuses it, naming the field', () => {
    expect(
      () => new TerraformStateStorage(testStack(), 'state', { storageAccountName: 'stkong', resourceGroupName: 'rg', location: 'westeurope', containerName: 'tf--state' }),
    ).toThrow('stack/state: invalid containerName "tf--state": must not contain two adjacent hyphens');
  });

  test('GIVEN an environment file with bad azurerm backend names THEN the loader names the file and every field at once', () => {
    const raw = rawEnvironment({ backend: { type: 'azurerm', resourceGroupName: 'rg-kong.', storageAccountName: 'st-kong', containerName: 'TF' } });
    expect(problems(raw)).toEqual(
      expect.arrayContaining([
        'test-env.yaml: backend.resourceGroupName: must not end with ".", got "rg-kong."',
        'test-env.yaml: backend.storageAccountName: must use only lowercase letters and digits (no "-", "." or capitals), got "st-kong"',
        'test-env.yaml: backend.containerName: must be 3 to 63 characters long (it has 2), got "TF"',
      ]),
    );
  });
});

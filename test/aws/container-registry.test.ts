import { ContainerRegistry } from '../../constructs/aws/container-registry';
import { addressOf, resources, synthCluster, testStack } from './fixture';

describe('ECR repositories for the hardened images', () => {
  const { json } = synthCluster();
  const repositories = resources(json, 'aws_ecr_repository');

  test('one repository each for Kong and the Kong Ingress Controller', () => {
    expect(repositories.map((r) => r.name).sort()).toEqual(['kong-platform/kong', 'kong-platform/kubernetes-ingress-controller']);
  });

  test('images are scanned on push', () => {
    for (const r of repositories) expect(r.image_scanning_configuration).toEqual({ scan_on_push: true });
  });

  test('tags are immutable', () => {
    for (const r of repositories) expect(r.image_tag_mutability).toBe('IMMUTABLE');
  });

  test("layers are encrypted with the stack's ECR KMS key", () => {
    const key = addressOf(json, 'aws_kms_key', (k) => /ECR/.test(k.description));
    for (const r of repositories) expect(r.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: `\${${key}.arn}` }]);
  });

  test('a lifecycle policy expires untagged images and keeps a bounded number of tags', () => {
    const policies = resources(json, 'aws_ecr_lifecycle_policy');
    expect(policies).toHaveLength(2);
    const rules = JSON.parse(policies[0].policy).rules;
    expect(rules[0].selection).toEqual({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 });
    expect(rules[1].selection).toEqual({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 });
  });

  test('production repositories are never force-deleted', () => {
    for (const r of resources(synthCluster({ production: true }).json, 'aws_ecr_repository')) expect(r.force_delete).toBe(false);
  });
});

describe('ECR repositories: bad input', () => {
  const build = (props: Partial<ConstructorParameters<typeof ContainerRegistry>[2]>) =>
    new ContainerRegistry(testStack(), 'registry', { repositories: { kong: 'kong-platform/kong' }, kmsKeyArn: 'k', ...props });

  test('an invalid repository name fails', () => {
    expect(() => build({ repositories: { kong: 'Kong_Platform//kong' } })).toThrow(/stack\/registry: invalid repositories "Kong_Platform\/\/kong"/);
  });

  test('duplicate repository names fail', () => {
    expect(() => build({ repositories: { a: 'x/kong', b: 'x/kong' } })).toThrow(/repository names must be unique/);
  });

  test('keeping zero tagged images fails', () => {
    expect(() => build({ keepTaggedImages: 0 })).toThrow(/invalid keepTaggedImages 0/);
  });
});

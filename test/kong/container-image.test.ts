import { ContainerImage } from '../../constructs/kong/container-image';
import { DIGEST_A } from '../support/platform-fixture';

describe('ContainerImage refuses references a kubelet cannot pull', () => {
  test.each([
    ['credentials in the registry', 'robot:secret@registry.example.com', 'hardened/kong', /credentials never go into an image reference/],
    ['a scheme', 'https://registry.example.com', 'hardened/kong', /\(no scheme\)/],
    ['a port out of range', 'registry.example.com:70000', 'hardened/kong', /port must be 1-65535/],
    ['an upper-case repository', 'registry.example.com', 'Hardened/Kong', /repository must be lowercase path components/],
    ['a repository with a space', 'registry.example.com', 'hardened/ kong', /repository must be lowercase/],
  ])('%s', (_name, registry, repository, message) => {
    expect(() => ContainerImage.fromDigest(registry, repository, DIGEST_A, '3.9.1')).toThrow(message);
  });

  test('a tag with a slash is refused', () => {
    expect(() => ContainerImage.fromDigest('registry.example.com', 'hardened/kong', DIGEST_A, '3.9/1')).toThrow(/tag must be 1-128 characters/);
  });

  test.each([
    ['a host with a port', 'registry.example.com:5000'],
    ['an ECR host', '111111111111.dkr.ecr.eu-west-1.amazonaws.com'],
    ['localhost', 'localhost:5000'],
  ])('accepts %s', (_name, registry) => {
    expect(ContainerImage.fromDigest(registry, 'hardened/kong-gateway', DIGEST_A, '3.9.1').reference).toContain(registry);
  });
});

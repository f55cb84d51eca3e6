import * as path from 'path';
import { parse } from 'yaml';
import { loadEnvironments } from '../../config/load';
import { ecrRepositoriesOf } from '../../stacks/environment-stacks';
import { environment, MESH_IMAGES, PLUGINS_DIR, problems, rawEnvironment, REPO_ROOT, resources, synthEnvironment } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';

/**
 * One source of truth for image names: every image the platform stack pulls from this region's
 * ECR has a repository created by the cluster stack. The aws-dev sample once pulled
 * `kong-platform/kong-gateway` while ECR created `kong-platform/kong`.
 */

const ECR_HOST = /^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com)\/(.+)$/;

/** Every image reference a values document names: `unifiedRepoTag`, `repository` + `tag`, kuma's `global.image.registry`. */
function imageReferences(values: any): string[] {
  const out: string[] = [];
  const globalRegistry = values?.kuma?.global?.image?.registry ?? values?.global?.image?.registry;
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.unifiedRepoTag === 'string') out.push(node.unifiedRepoTag);
    if (typeof node.repository === 'string' && typeof node.tag === 'string') {
      const registry = node.registry ?? (ECR_HOST.test(node.repository) ? undefined : globalRegistry);
      out.push(`${registry ? `${registry}/` : ''}${node.repository}:${node.tag}`);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(values);
  return out;
}

describe('ECR repositories follow the images section', () => {
  const [awsDev] = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR, only: ['aws-dev'] });
  const synth = sampleSynth('aws-dev');

  test('aws-dev: every ECR image of every platform helm release has a repository in the cluster stack', () => {
    // GIVEN the ECR repositories the cluster stack creates
    const created = new Set(resources(synth.stack('cluster'), 'aws_ecr_repository').map((r) => r.name));
    // WHEN every image reference of the platform's releases is collected
    const pulled = resources(synth.stack('platform'), 'helm_release')
      .flatMap((r) => (r.values ?? []).flatMap((doc: string) => imageReferences(parse(doc))))
      .map((ref) => ECR_HOST.exec(ref))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => m[2].replace(/[:@].*$/, ''));
    // THEN there are ECR pulls (gateway, controller, mesh, load balancer controller) and each repository exists
    expect(pulled.length).toBeGreaterThanOrEqual(8);
    expect(pulled.filter((repository) => !created.has(repository))).toEqual([]);
  });

  test('aws-dev: no repository is created that nothing pulls', () => {
    const created = resources(synth.stack('cluster'), 'aws_ecr_repository')
      .map((r) => r.name)
      .sort();
    expect(created).toEqual(Object.values(ecrRepositoriesOf(awsDev)).sort());
    expect(created).toContain('kong-platform/kong-gateway');
    expect(created).toContain('kong-platform/kuma-cp');
    expect(created).toContain('kong-platform/aws-load-balancer-controller');
  });

  test('a registry outside ECR creates no repository', () => {
    const env = environment({ cloud: 'aws', kubernetes: undefined, aws: { region: 'eu-west-1', edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } } });
    expect(env.images.registry).toBe('registry.example.com');
    expect(ecrRepositoriesOf(env)).toEqual({});
    expect(resources(synthEnvironment(env).stack('cluster'), 'aws_ecr_repository')).toHaveLength(0);
  });

  test('the load balancer controller runs the mirrored image, pinned by digest', () => {
    const lbc = resources(synth.stack('platform'), 'helm_release').find((r) => r.name === 'aws-load-balancer-controller');
    const image = parse(lbc.values[0]).image;
    expect(image.repository).toBe('111111111111.dkr.ecr.eu-west-1.amazonaws.com/kong-platform/aws-load-balancer-controller');
    expect(image.tag).toMatch(/^v2\.13\.0@sha256:[a-f0-9]{64}$/);
  });
});

describe('image source rules', () => {
  const aws = { region: 'eu-west-1', edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } };
  const awsEnv = (overrides: Record<string, unknown> = {}) => rawEnvironment({ cloud: 'aws', kubernetes: undefined, aws, ...overrides });

  test('aws.ecr.kongRepositoryName that differs from images.gateway.repository fails, naming both', () => {
    const raw = awsEnv({ aws: { ...aws, ecr: { kongRepositoryName: 'kong-platform/kong' } } });
    expect(problems(raw)).toContainEqual(
      expect.stringMatching(/^test-env\.yaml: aws\.ecr\.kongRepositoryName: is "kong-platform\/kong" but images\.gateway\.repository is "hardened\/kong-gateway"/),
    );
  });

  test('an ECR registry of another region fails', () => {
    const raw = awsEnv({ images: { registry: '111111111111.dkr.ecr.us-east-1.amazonaws.com' } });
    expect(problems(raw)).toContainEqual(expect.stringMatching(/images\.registry: is ECR in us-east-1 but aws\.region is eu-west-1/));
  });

  test('cloud aws without images.awsLoadBalancerController fails', () => {
    const raw = awsEnv();
    delete raw.images.awsLoadBalancerController;
    expect(problems(raw)).toContainEqual(expect.stringMatching(/images\.awsLoadBalancerController: is required when cloud is "aws"/));
  });

  test('the mesh without images.mesh fails', () => {
    const raw = rawEnvironment({ mesh: { enabled: true, product: 'kuma', cni: { confName: '10-calico.conflist' } } });
    delete raw.images.mesh;
    expect(problems(raw)).toContainEqual(expect.stringMatching(/images\.mesh: is required when mesh\.enabled is true/));
  });

  test('the CNI without its image fails; without the CNI the image is not needed', () => {
    const mesh = { enabled: true, product: 'kuma', cni: { confName: '10-calico.conflist' } };
    const { cni: _cni, ...withoutCni } = MESH_IMAGES;
    expect(problems(rawEnvironment({ mesh, images: { mesh: withoutCni } }))).toContainEqual(expect.stringMatching(/images\.mesh\.cni: is required when mesh\.cni\.enabled/));
    expect(problems(rawEnvironment({ mesh: { ...mesh, cni: { enabled: false } }, images: { mesh: withoutCni } }))).toEqual([]);
  });

  test('production needs a digest on every mesh image', () => {
    const raw = rawEnvironment({
      production: true,
      backend: { type: 's3', bucket: 'state-bucket', key: 'x/terraform.tfstate', region: 'eu-west-1' },
      mesh: { enabled: true, product: 'kuma', cni: { confName: '10-calico.conflist' } },
      images: { mesh: { ...MESH_IMAGES, kumactl: { repository: 'hardened/kumactl', tag: '2.14.3' } } },
    });
    expect(problems(raw)).toContainEqual(expect.stringMatching(/images\.mesh\.kumactl\.digest: is required in a production environment/));
  });
});

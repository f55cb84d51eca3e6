import * as path from 'path';
import { EnvironmentConfig } from '../../config/environment';
import { validateEnvironment } from '../../config/load';
import { App, Testing, TerraformStack } from '../../constructs/core/cdktf';
import type { PlatformContext } from '../../constructs/core/platform-add-on';
import { ContainerImage } from '../../constructs/kong/container-image';
import { KongPlatform, KongPlatformProps } from '../../constructs/kong/kong-platform';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { applyPolicies } from '../../constructs/policy/policy-aspect';
import { synthJson } from './terraform-json';

export { only, release, releaseValues, resources } from './terraform-json';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PLUGINS_DIR = path.join(REPO_ROOT, 'plugins');
/** Test digests: real sha256 output (KP-K8S-010 refuses typed placeholders in production). */
export const DIGEST_A = 'sha256:216ba41f3b1029eff5016f5e6335b87f226cfce22e4a9d82dbdcc6fb92967e8c';
export const DIGEST_B = 'sha256:e3eb49bda63820c1ced3f0f5cd893cf32ddb23a672797871c6e1fcf72dacb044';

type Raw = Record<string, any>;

/** A minimal valid hybrid environment; `overrides` are deep-merged onto it. */
export function rawEnvironment(overrides: Raw = {}): Raw {
  const base: Raw = {
    name: 'test-env',
    cloud: 'hybrid',
    kubernetes: { kubeconfigPath: '/tmp/kubeconfig', context: 'test' },
    images: {
      registry: 'registry.example.com',
      gateway: { repository: 'hardened/kong-gateway', tag: '3.9.1', digest: DIGEST_A },
      controller: { repository: 'hardened/kubernetes-ingress-controller', tag: '3.4.4', digest: DIGEST_B },
    },
  };
  const env = deepMerge(base, overrides);
  // A valid file lists every image it runs: the mesh images with the mesh, the load balancer
  // controller on AWS (tests of those rules delete them from the result).
  if (env.mesh?.enabled === true && env.images.mesh === undefined) env.images = { ...env.images, mesh: MESH_IMAGES };
  if (env.cloud === 'aws' && env.images.awsLoadBalancerController === undefined) {
    env.images = { ...env.images, awsLoadBalancerController: { repository: 'hardened/aws-load-balancer-controller', tag: 'v2.13.0', digest: DIGEST_A } };
  }
  return env;
}

/** `images.mesh` of a valid environment file (every mesh image, pinned). */
export const MESH_IMAGES: Raw = Object.fromEntries(
  ['controlPlane', 'dataPlane', 'dataPlaneInit', 'cni', 'kumactl', 'kubectl'].map((field) => [
    field,
    { repository: `hardened/mesh-${field.toLowerCase()}`, tag: field === 'kubectl' ? 'v1.33.4' : '2.14.3', digest: DIGEST_B },
  ]),
);

function deepMerge(a: Raw, b: Raw): Raw {
  const out: Raw = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' && !Array.isArray(a[k]) ? deepMerge(a[k], v) : v;
  }
  return out;
}

/** Validates a raw environment and fails the test with the loader's messages if it is invalid. */
export function environment(overrides: Raw = {}): EnvironmentConfig {
  const result = validateEnvironment(rawEnvironment(overrides), 'test-env.yaml', { pluginsDirectory: PLUGINS_DIR });
  if (!result.environment) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return result.environment;
}

/** The problems the loader reports for an environment (file name `test-env.yaml`). */
export function problems(raw: Raw, expectedName?: string): string[] {
  return validateEnvironment(raw, 'test-env.yaml', { pluginsDirectory: PLUGINS_DIR, expectedName }).issues.map((i) => `${i.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
}

export interface Synthesized {
  readonly stacks: TerraformStack[];
  /** Parsed cdk.tf.json of the stack named `<env>-<kind>`. */
  stack(kind: 'platform' | 'cluster'): any;
}

/**
 * stacks/environment-stacks, required on first use: it loads both cloud providers (12 MB of
 * generated code, ~0.3 s per suite), which most suites importing this fixture never synthesize.
 */
const environmentStacks = (): typeof import('../../stacks/environment-stacks') => require('../../stacks/environment-stacks');

/** Synthesizes an environment's stacks in memory. */
export function synthEnvironment(env: EnvironmentConfig): Synthesized {
  const app = Testing.app() as App;
  const stacks = environmentStacks().addEnvironmentStacks(app, env, { pluginsDirectory: PLUGINS_DIR });
  const cache = new Map<string, any>();
  return {
    stacks,
    stack(kind) {
      const name = `${env.name}-${kind}`;
      if (!cache.has(name)) {
        const stack = stacks.find((s) => s.node.id === name);
        if (!stack) throw new Error(`no stack ${name} (have ${stacks.map((s) => s.node.id).join(', ')})`);
        cache.set(name, synthJson(stack));
      }
      return cache.get(name);
    },
  };
}

/**
 * A team's own cdktf app, no environment file: stack `team-stack` holding KongPlatform `kong` of
 * environment `team` with the smallest valid props (digest-pinned images) and `props` on top.
 * `policy` attaches the guardrails to the stack first, as `applyPolicies` does for library users.
 */
export function libraryPlatform(props: Partial<KongPlatformProps> = {}, options: { policy?: { production: boolean } } = {}): { stack: TerraformStack; kong: KongPlatform } {
  const stack = new TerraformStack(Testing.app(), 'team-stack');
  ClusterAccess.fromKubeconfig('/tmp/kubeconfig', 'team').configureProviders(stack);
  if (options.policy) applyPolicies(stack, options.policy);
  const kong = new KongPlatform(stack, 'kong', {
    environment: 'team',
    images: {
      gateway: ContainerImage.fromDigest('registry.example.com', 'kong/kong-gateway', DIGEST_A, '3.9.1'),
      controller: ContainerImage.fromDigest('registry.example.com', 'kong/kubernetes-ingress-controller', DIGEST_B, '3.4.4'),
    },
    ...props,
  });
  return { stack, kong };
}

/** A PlatformContext for add-on tests; `overrides` replace single fields. */
export function platformContext(overrides: Partial<PlatformContext> = {}): PlatformContext {
  return {
    environment: 'test',
    production: false,
    systemNamespace: 'kong',
    gatewayReleaseName: 'kong-gateway',
    controllerReleaseName: 'kong-controller',
    applicationNamespaces: ['payments', 'accounts'],
    ...overrides,
  };
}

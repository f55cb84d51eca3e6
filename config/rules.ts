import { describeValue } from './errors';
import { clusterKubernetesVersion, kubectlTagMinor } from '../constructs/core';
import { ecrRegistryRegion, environmentImages, meshCniEnabled, meshEnabled } from './images';

/** A rule violation inside one environment file (the loader adds the file name). */
export interface RuleViolation {
  readonly path: string;
  readonly message: string;
}

type Raw = Record<string, any>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Cross-field rules of an environment file. They run on the raw parsed YAML, next to the
 * schema check, so one run reports every problem; each rule checks types defensively and
 * stays silent where the schema already reports the field.
 */
export function checkEnvironmentRules(env: unknown): RuleViolation[] {
  if (!isObject(env)) return [];
  const out: RuleViolation[] = [];
  const production = env.production === true;

  if (env.cloud === 'hybrid' && env.kubernetes === undefined) {
    out.push({ path: 'kubernetes', message: 'is required when cloud is "hybrid" (kubeconfigPath and context of the existing cluster)' });
  }

  if (production) {
    const backendType = isObject(env.backend) ? env.backend.type : 'local';
    if (backendType === 'local' || backendType === undefined) {
      out.push({ path: 'backend.type', message: 'must be "s3" or "azurerm" in a production environment: local state is neither shared, locked nor backed up' });
    }
    for (const { path, image } of environmentImages(env)) {
      if (image.digest === undefined) {
        out.push({
          path: `${path}.digest`,
          message: `is required in a production environment: a tag alone (${describeValue(image.tag)}) can be re-pushed; pin "sha256:<64 hex>"`,
        });
      }
    }
  }
  out.push(...checkImageSources(env));
  out.push(...edgeOwnedGatewaySettings(env));

  // Replica counts, the ha profile, trusted IPs, resources, the Admin API escape hatches and namespace
  // rules are KongPlatform's (constructs/kong/kong-platform-rules.ts); the loader runs them on the mapped props.
  return out;
}

/**
 * Every image the environment runs comes from `images:`: the mesh images when the mesh is on
 * (the CNI image with the CNI), the load balancer controller image on AWS, and an ECR registry
 * in the environment's own region (its repositories are created from these paths).
 */
function checkImageSources(env: Raw): RuleViolation[] {
  const out: RuleViolation[] = [];
  const images = isObject(env.images) ? env.images : undefined;
  if (!images) return out;
  if (meshEnabled(env)) {
    if (!isObject(images.mesh)) {
      out.push({
        path: 'images.mesh',
        message:
          'is required when mesh.enabled is true: mirror the mesh images into the private registry and list them ' +
          '(controlPlane, dataPlane, dataPlaneInit, kumactl, kubectl; cni with the CNI)',
      });
    } else if (meshCniEnabled(env) && images.mesh.cni === undefined) {
      out.push({ path: 'images.mesh.cni', message: 'is required when mesh.cni.enabled is true (the default): the kuma-cni image from the private registry' });
    }
    // The chart hooks run kubectl against the cluster: kubectl supports one minor of skew, so it
    // is pinned to the cluster's minor (the chart's default is whatever kubectl was current).
    const kubectl = isObject(images.mesh) && isObject(images.mesh.kubectl) ? images.mesh.kubectl : undefined;
    if (kubectl && typeof kubectl.tag === 'string') {
      const cluster = clusterKubernetesVersion(env);
      const minor = kubectlTagMinor(kubectl.tag);
      if (minor !== cluster) {
        out.push({
          path: 'images.mesh.kubectl.tag',
          message: `must be a kubectl of the cluster's Kubernetes minor ${cluster} (v${cluster}.<patch>), got ${describeValue(kubectl.tag)}: the mesh chart hooks run it against the API server`,
        });
      }
    }
  } else if (images.mesh !== undefined) {
    out.push({ path: 'images.mesh', message: 'is only used when mesh.enabled is true; remove it' });
  }
  if (env.cloud === 'aws' && images.awsLoadBalancerController === undefined) {
    out.push({
      path: 'images.awsLoadBalancerController',
      message: 'is required when cloud is "aws": the aws-load-balancer-controller image mirrored into the private registry (never public.ecr.aws at run time)',
    });
  }
  if (env.cloud !== 'aws' && images.awsLoadBalancerController !== undefined) {
    out.push({ path: 'images.awsLoadBalancerController', message: `is only used when cloud is "aws" (cloud is ${describeValue(env.cloud)}); remove it` });
  }
  const aws = isObject(env.aws) ? env.aws : undefined;
  const region = typeof images.registry === 'string' ? ecrRegistryRegion(images.registry) : undefined;
  if (env.cloud === 'aws' && aws && region !== undefined && typeof aws.region === 'string' && region !== aws.region) {
    out.push({
      path: 'images.registry',
      message: `is ECR in ${region} but aws.region is ${aws.region}: the environment's ECR repositories are created in ${aws.region}; use <account>.dkr.ecr.${aws.region}.amazonaws.com`,
    });
  }
  const ecr = aws && isObject(aws.ecr) ? aws.ecr : {};
  for (const [field, component] of [
    ['kongRepositoryName', 'gateway'],
    ['controllerRepositoryName', 'controller'],
  ] as const) {
    const image = images[component];
    if (typeof ecr[field] === 'string' && isObject(image) && typeof image.repository === 'string' && ecr[field] !== image.repository) {
      out.push({
        path: `aws.ecr.${field}`,
        message:
          `is ${describeValue(ecr[field])} but images.${component}.repository is ${describeValue(image.repository)}: ` +
          `ECR would create one repository and the cluster pull from another; remove aws.ecr.${field} (the repository comes from images.${component}.repository)`,
      });
    }
  }
  return out;
}

/**
 * On EKS and AKS the cloud edge owns how the proxy is published and whom it trusts for the client IP
 * (the load balancer add-on's values replace these): a file that sets them would read as configured
 * while nothing changes. They are refused there, so what the file says is what Kong gets.
 */
function edgeOwnedGatewaySettings(env: Raw): RuleViolation[] {
  if ((env.cloud !== 'aws' && env.cloud !== 'azure') || !isObject(env.gateway)) return [];
  const edge =
    env.cloud === 'aws'
      ? 'the ALB edge (ClusterIP Service, TargetGroupBinding, the VPC as trusted source)'
      : 'the Application Gateway edge (internal load balancer, its subnet as trusted source)';
  return (['proxyService', 'trustedIps', 'realIpHeader'] as const)
    .filter((field) => env.gateway[field] !== undefined)
    .map((field) => ({ path: `gateway.${field}`, message: `has no effect on cloud "${env.cloud}": ${edge} sets it; remove it, got ${describeValue(env.gateway[field])}` }));
}

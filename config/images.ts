/**
 * Every container image an environment runs, listed once from the `images:` section. The
 * ECR repositories (AWS), the digest rules and the policy all read this list, so an image
 * cannot be pulled from a repository nobody created.
 */

type Raw = Record<string, any>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One image of the environment. */
export interface EnvironmentImage {
  /** Stable id, used in construct ids and outputs (`gateway`, `mesh-control-plane`, ...). */
  readonly id: string;
  /** Field path of the image in the environment file (`images.mesh.controlPlane`). */
  readonly path: string;
  /** The image block (`repository`, `tag`, `digest`). */
  readonly image: { repository: string; tag: string; digest?: string; effectiveSemver?: string };
}

/** Images of `images.mesh`, in the order they appear in docs. */
export const MESH_IMAGE_FIELDS = ['controlPlane', 'dataPlane', 'dataPlaneInit', 'cni', 'kumactl', 'kubectl'] as const;
export type MeshImageField = (typeof MESH_IMAGE_FIELDS)[number];

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The images the environment uses: gateway and controller always, mesh images when the mesh is
 * on (the CNI image only with the CNI), the load balancer controller on AWS. Works on the raw
 * YAML too (entries that are not objects are left out: the schema reports them).
 */
export function environmentImages(env: unknown): EnvironmentImage[] {
  if (!isObject(env) || !isObject(env.images)) return [];
  const images = env.images;
  const out: EnvironmentImage[] = [];
  const add = (id: string, path: string, image: unknown) => {
    if (isObject(image) && typeof image.repository === 'string') out.push({ id, path, image: image as EnvironmentImage['image'] });
  };
  add('gateway', 'images.gateway', images.gateway);
  add('controller', 'images.controller', images.controller);
  if (meshEnabled(env) && isObject(images.mesh)) {
    for (const field of MESH_IMAGE_FIELDS) {
      if (field === 'cni' && !meshCniEnabled(env)) continue;
      add(`mesh-${kebab(field)}`, `images.mesh.${field}`, images.mesh[field]);
    }
  }
  if (env.cloud === 'aws') add('aws-load-balancer-controller', 'images.awsLoadBalancerController', images.awsLoadBalancerController);
  return out;
}

/** The mesh is on (`mesh.enabled: true`). */
export function meshEnabled(env: Raw): boolean {
  return isObject(env.mesh) && env.mesh.enabled === true;
}

/** The Kuma CNI is on (`mesh.cni.enabled` defaults to true). */
export function meshCniEnabled(env: Raw): boolean {
  return meshEnabled(env) && !(isObject(env.mesh.cni) && env.mesh.cni.enabled === false);
}

/** `<account>.dkr.ecr.<region>.amazonaws.com`: the region, or undefined when the host is not ECR. */
export function ecrRegistryRegion(registry: string): string | undefined {
  return /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(registry)?.[1];
}

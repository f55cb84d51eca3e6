import * as fs from 'fs';
import * as path from 'path';
import { IConstruct, TerraformResource, TerraformStack } from '../core/cdktf';
import { PolicyAspect, policySubject } from './policy-aspect';
import { containersOf } from './workloads';
import { imageDigest } from './image-digests';

/**
 * Every image a stack deploys, as the releases render them (effective values, chart defaults
 * underneath) and as workload resources declare them: what the cluster will pull, whichever prop,
 * values file or escape hatch put it there. The delivery script verifies each one's signature
 * before the stack is applied (scripts/deliver.ts), so this list, not the environment file, is what
 * is checked. Images only known at apply time (Terraform references) are left out.
 */
export interface DeployedImages {
  /** Production stack (every image must carry a verifiable signature). */
  readonly production: boolean;
  /** `registry/repository[:tag]@sha256:<digest>`, sorted, each once. */
  readonly pinned: string[];
  /** Images without a digest (a tag can move: nothing to verify a signature against). */
  readonly unpinned: string[];
}

const isLiteral = (image: unknown): image is string => typeof image === 'string' && image.length > 0 && !image.includes('${');

/** The images `stack` deploys. */
export function deployedImages(stack: TerraformStack): DeployedImages {
  const aspect = PolicyAspect.of(stack)[0];
  const context = aspect?.context;
  const images = new Set<string>();
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof TerraformResource)) continue;
    const subject = policySubject(construct, context);
    if (!subject) continue;
    for (const container of containersOf(subject) ?? []) if (isLiteral(container.image)) images.add(container.image);
  }
  const all = [...images].sort();
  return { production: context?.production ?? false, pinned: all.filter((i) => imageDigest(i) !== undefined), unpinned: all.filter((i) => imageDigest(i) === undefined) };
}

/** The stacks under `scope` with the images each deploys (stacks that deploy none are left out). */
export function deployedImagesByStack(scope: IConstruct): Map<string, DeployedImages> {
  const out = new Map<string, DeployedImages>();
  for (const stack of scope.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack)) {
    const images = deployedImages(stack);
    if (images.pinned.length + images.unpinned.length > 0) out.set(stack.node.id, images);
  }
  return out;
}

/** The file beside a stack's cdk.tf.json that lists what it deploys; scripts/deliver.ts reads it before an apply. */
export const DEPLOYED_IMAGES_FILE = 'images.json';

/** Writes {@link DEPLOYED_IMAGES_FILE} into `<stacksDir>/<stack>/` for every stack under `scope` that deploys images. */
export function writeDeployedImages(scope: IConstruct, stacksDir: string): void {
  for (const [stack, images] of deployedImagesByStack(scope)) {
    fs.writeFileSync(path.join(stacksDir, stack, DEPLOYED_IMAGES_FILE), JSON.stringify(images, null, 2) + '\n');
  }
}

import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from '../core/cdktf';
import { invalidProp } from './validation';

/** Options of {@link ContainerRegistry} that have defaults. */
export interface ContainerRegistryOptions {
  /**
   * Tagged images kept per repository (older ones expire).
   * @default 50
   */
  readonly keepTaggedImages?: number;
  /**
   * Untagged images expire after this many days.
   * @default 7
   */
  readonly untaggedImageExpiryDays?: number;
  /**
   * Production: repositories are never force-deleted with their images.
   * @default true
   */
  readonly production?: boolean;
}

/** Props of {@link ContainerRegistry}. */
export interface ContainerRegistryProps extends ContainerRegistryOptions {
  /** Repository names, keyed by a stable id used in construct ids and outputs (e.g. `kong`, `controller`). */
  readonly repositories: Record<string, string>;
  /** KMS key ARN encrypting the image layers. */
  readonly kmsKeyArn: string;
}

const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * Private ECR repositories for the hardened images: vulnerability scan on push, immutable
 * tags (a tag always means the same image), KMS encryption, and a lifecycle policy that
 * expires untagged layers and old tags.
 */
export class ContainerRegistry extends Construct {
  /** Repositories by id. */
  public readonly repositories: Record<string, EcrRepository> = {};
  /** Repository URLs by id (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  public readonly repositoryUrls: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const keep = props.keepTaggedImages ?? 50;
    const untaggedDays = props.untaggedImageExpiryDays ?? 7;
    if (!Number.isInteger(keep) || keep < 1) invalidProp(this, 'keepTaggedImages', keep, 'use a whole number >= 1');
    if (!Number.isInteger(untaggedDays) || untaggedDays < 1) invalidProp(this, 'untaggedImageExpiryDays', untaggedDays, 'use a whole number of days >= 1');
    const entries = Object.entries(props.repositories);
    if (entries.length === 0) invalidProp(this, 'repositories', props.repositories, 'name at least one repository');
    const names = entries.map(([, name]) => name);
    for (const name of names) {
      if (!REPOSITORY_NAME.test(name) || name.length > 256) invalidProp(this, 'repositories', name, 'use an ECR repository name such as kong-platform/kong');
    }
    if (new Set(names).size !== names.length) invalidProp(this, 'repositories', names, 'repository names must be unique');

    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untaggedDays} days`,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: `Keep the ${keep} most recent tagged images`,
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
          action: { type: 'expire' },
        },
      ],
    });

    for (const [key, name] of entries) {
      const repository = new EcrRepository(this, key, {
        name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
        forceDelete: !(props.production ?? true),
      });
      new EcrLifecyclePolicy(this, `${key}-lifecycle`, { repository: repository.name, policy: lifecyclePolicy });
      this.repositories[key] = repository;
      this.repositoryUrls[key] = repository.repositoryUrl;
    }
  }
}

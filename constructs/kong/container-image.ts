const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Options shared by every way of naming an image. */
export interface ContainerImageOptions {
  /**
   * Version the kong chart uses for its feature gates (`image.effectiveSemver`).
   * @default the tag, when the tag is a version
   */
  readonly effectiveSemver?: string;
}

/**
 * A container image as the kong chart needs it: one `registry/repository[:tag]@digest`
 * string (`image.unifiedRepoTag`) plus the version for the chart's feature gates.
 * Use the static factories: `ContainerImage.fromDigest()` in production,
 * `ContainerImage.fromTag()` only where a moving tag is acceptable (development).
 */
const REGISTRY_HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export class ContainerImage {
  /** An image pinned by content digest; the tag is kept for humans. */
  public static fromDigest(registry: string, repository: string, digest: string, tag?: string, options: ContainerImageOptions = {}): ContainerImage {
    if (!DIGEST.test(digest)) {
      throw new Error(`ContainerImage: digest must be "sha256:" followed by 64 lowercase hex digits, got "${digest}"`);
    }
    return new ContainerImage(registry, repository, tag, digest, options.effectiveSemver);
  }

  /** An image named by tag only. Refused for production platforms; `latest` is always refused. */
  public static fromTag(registry: string, repository: string, tag: string, options: ContainerImageOptions = {}): ContainerImage {
    return new ContainerImage(registry, repository, tag, undefined, options.effectiveSemver);
  }

  private constructor(
    public readonly registry: string,
    public readonly repository: string,
    public readonly tag: string | undefined,
    public readonly digest: string | undefined,
    effectiveSemver: string | undefined,
  ) {
    // The distribution reference grammar (github.com/distribution/reference): what a kubelet can pull.
    if (typeof registry !== 'string' || !REGISTRY_HOST.test(registry)) {
      const hint =
        typeof registry === 'string' && registry.includes('@')
          ? ' (credentials never go into an image reference: use an image pull Secret)'
          : typeof registry === 'string' && registry.includes('://')
            ? ' (no scheme)'
            : '';
      throw new Error(`ContainerImage: registry must be a host name or address with an optional port, such as registry.example.com:5000${hint}, got ${JSON.stringify(registry)}`);
    }
    const port = /:(\d+)$/.exec(registry)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new Error(`ContainerImage: registry port must be 1-65535, got ${JSON.stringify(registry)}`);
    if (typeof repository !== 'string' || !REPOSITORY_PATH.test(repository)) {
      throw new Error(`ContainerImage: repository must be lowercase path components (a-z, 0-9, '.', '_', '-', separated by '/'), got ${JSON.stringify(repository)}`);
    }
    if (tag !== undefined && !TAG.test(tag))
      throw new Error(`ContainerImage: tag must be 1-128 characters of letters, digits, '_', '.', '-' (not starting with '.' or '-'), got ${JSON.stringify(tag)}`);
    if (tag === 'latest') throw new Error(`ContainerImage: tag "latest" is not allowed for ${registry}/${repository}: pin a version tag and a digest`);
    if (tag === undefined && digest === undefined) throw new Error(`ContainerImage: ${registry}/${repository} needs a tag or a digest`);
    this.effectiveSemver = effectiveSemver ?? (tag && /^\d+\.\d+(\.\d+)?/.test(tag) ? /^\d+\.\d+(\.\d+)?/.exec(tag)![0] : undefined);
  }

  /** Version for the chart's feature gates, when known. */
  public readonly effectiveSemver: string | undefined;

  /** True when the image is pinned by content digest. */
  public get pinned(): boolean {
    return this.digest !== undefined;
  }

  /** `registry/repository[:tag][@digest]`, what the chart's `unifiedRepoTag` takes verbatim. */
  public get reference(): string {
    return `${this.registry}/${this.repository}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
  }

  /**
   * `registry/repository`, for charts that compose `<repository>:<tag>` themselves.
   */
  public get repositoryPath(): string {
    return `${this.registry}/${this.repository}`;
  }

  /**
   * The tag as charts that print `<repository>:<tag>` need it: `<tag>@<digest>` when pinned, so the
   * digest is what runs (Kuma and the AWS Load Balancer Controller charts).
   */
  public get chartTag(): string {
    if (!this.tag) throw new Error(`ContainerImage: ${this.repositoryPath} needs a tag for charts that print <repository>:<tag>`);
    return this.digest ? `${this.tag}@${this.digest}` : this.tag;
  }

  /** The chart's image values block (`image` or `ingressController.image`). */
  public toValues(): { unifiedRepoTag: string; effectiveSemver?: string } {
    return { unifiedRepoTag: this.reference, ...(this.effectiveSemver ? { effectiveSemver: this.effectiveSemver } : {}) };
  }
}

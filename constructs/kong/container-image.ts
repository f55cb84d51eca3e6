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

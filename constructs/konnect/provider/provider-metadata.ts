import type { TerraformMetaArguments } from '../../core/cdktf';

/**
 * Where the Konnect provider comes from and which release the hand-written bindings in this
 * folder were checked against.
 *
 * Why a hand-written binding: there is no prebuilt `@cdktf/provider-konnect` package, and
 * `cdktf get` would pull the provider's whole schema (hundreds of resources) into the repo.
 * We bind only the resources the platform uses, with the attribute names of the provider's
 * documented schema (registry docs of `kong/konnect`, `docs/resources/*.md`).
 *
 * Upgrading: bump {@link KONNECT_PROVIDER_VERSION}, re-read the provider docs of the resources
 * below for renamed or removed attributes, and run `npx jest test/konnect`.
 */
export const KONNECT_PROVIDER_SOURCE = 'kong/konnect';

/** Exact release written to `required_providers` (Terraform's lock file then pins the checksum). */
export const KONNECT_PROVIDER_VERSION = '3.7.0';

/** Range of releases whose schema these bindings match. */
export const KONNECT_PROVIDER_VERSION_CONSTRAINT = '~> 3.7';

/** `terraformGeneratorMetadata` shared by every binding in this folder. */
export const KONNECT_GENERATOR_METADATA = {
  providerName: 'konnect',
  providerVersion: KONNECT_PROVIDER_VERSION,
  providerVersionConstraint: KONNECT_PROVIDER_VERSION_CONSTRAINT,
} as const;

/**
 * The `TerraformResource` / `TerraformDataSource` options of a binding in this folder: its
 * type, the generator metadata, and the meta-arguments (provider, depends_on, count,
 * lifecycle, for_each) passed through from its config.
 */
export function konnectElementOptions(terraformResourceType: string, config: TerraformMetaArguments) {
  return {
    terraformResourceType,
    terraformGeneratorMetadata: KONNECT_GENERATOR_METADATA,
    provider: config.provider,
    dependsOn: config.dependsOn,
    count: config.count,
    lifecycle: config.lifecycle,
    forEach: config.forEach,
  };
}

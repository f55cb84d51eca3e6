import type { TerraformMetaArguments } from '../../core/cdktf';

/**
 * Where the Konnect provider comes from and which release the hand-written bindings in this
 * folder were checked against.
 *
 * Why a hand-written binding: there is no prebuilt `@cdktf/provider-konnect` package, and
 * `cdktf get` would pull the provider's whole schema (hundreds of resources) into the repo.
 * We bind only the resources the platform uses, with the attribute names of the provider's
 * schema at exactly {@link KONNECT_PROVIDER_VERSION}, kept as an excerpt in
 * test/fixtures/upstream/konnect-provider-3.7.0/schema.json (its README names the sources).
 *
 * Upgrading: bump {@link KONNECT_PROVIDER_VERSION}, replace the fixture with the new release's
 * schema (`terraform providers schema -json` on a stack pinned to it, or the provider's
 * `internal/provider/*_resource.go` at the release tag), adapt the bindings, and run
 * `npx jest test/konnect` (provider-schema.test.ts fails on any key the new schema lacks).
 */
export const KONNECT_PROVIDER_SOURCE = 'kong/konnect';

/** Exact release written to `required_providers` (Terraform's lock file then pins the checksum). */
export const KONNECT_PROVIDER_VERSION = '3.7.0';

/**
 * The version constraint cdktf records for these bindings: the same exact release. The schema is
 * only known for 3.7.0 (test/fixtures/upstream/konnect-provider-3.7.0/schema.json); later 3.x
 * releases added arguments (e.g. `title` on the data plane certificate in 3.17.0), so no range.
 */
export const KONNECT_PROVIDER_VERSION_CONSTRAINT = KONNECT_PROVIDER_VERSION;

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

/**
 * The `konnect:` section of the environment file. Its schema, types and rules belong to the
 * library (constructs/konnect/konnect-section.ts), so library users and environment files share one
 * implementation; this module is the environment file's view of it.
 */
export * from '../../constructs/konnect';

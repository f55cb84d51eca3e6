/**
 * kong-platform: the library entry point. Everything a cdktf app needs to stand up the
 * Kong platform without this repository's environment files: the constructs, their props and
 * a few helpers. The environment files (config/), the per-environment stacks (stacks/), the
 * delivery tooling and the scripts are this repository's own consumer of the library and are
 * not part of the package (package.json `files` ships dist/index and dist/constructs only;
 * test/architecture checks that the library imports nothing outside constructs/).
 */

// Core
export * from './constructs/core/platform-add-on';
export { mergeValues } from './constructs/core/values-merge';
export { PropsValidationError, describePropValue } from './constructs/core/validation';
export type { PropsProblem } from './constructs/core/validation';

// Kong
export * from './constructs/kong/container-image';
export * from './constructs/kong/profiles';
export * from './constructs/kong/custom-plugin';
export * from './constructs/kong/bundled-plugins';
export * from './constructs/kong/admin-api-mtls';
export * from './constructs/kong/kong-chart';
export * from './constructs/kong/kong-gateway';
export * from './constructs/kong/kong-ingress-controller';
export * from './constructs/kong/kong-platform';

// Kubernetes building blocks
export * from './constructs/kubernetes/cluster-access';
export * from './constructs/kubernetes/hardened-helm-release';
export * from './constructs/kubernetes/kong-network-policies';
export * from './constructs/kubernetes/platform-namespaces';

// Synth-time charts for custom resources, Kong Mesh, Konnect
export * from './constructs/manifest-chart';
export * from './constructs/mesh';
export * from './constructs/konnect';

// Declarative APIs, tenants and security plugins; policy guardrails
export * from './constructs/apis';
export * from './constructs/policy';

// Cloud clusters and edges
export * from './constructs/aws';
export * from './constructs/azure';

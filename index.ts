/**
 * kong-platform: the library entry point. Everything a cdktf app needs to stand up the
 * Kong platform without this repository's environment files.
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

// Environment files
export { ConfigError } from './config/errors';
export type { ConfigIssue } from './config/errors';
export { loadEnvironments, parseEnvironmentText, validateEnvironment } from './config/load';
export { environmentSchema } from './config/environment';
export type { EnvironmentConfig } from './config/environment';

// Stacks
export * from './stacks/backend';
export * from './stacks/platform/kong-platform-stack';
export { addEnvironmentStacks, stackNames } from './stacks/environment-stacks';

// Synth-time charts for custom resources, Kong Mesh, Konnect
export * from './constructs/manifest-chart';
export * from './constructs/mesh';
export * from './constructs/konnect';

// Delivery: plan review and the image digest hand-off
export * from './delivery/plan-summary';
export * from './delivery/image-digest';

// Declarative APIs, tenants and security plugins; policy guardrails
export * from './constructs/apis';
export * from './constructs/policy';

// Cloud clusters and edges
export * from './constructs/aws';
export * from './stacks/eks';
export * from './constructs/azure';
export * from './stacks/aks';

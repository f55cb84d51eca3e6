/** Public entry of the Kong area: the platform construct, its parts, their props and its rules. */
export * from './container-image';
export * from './profiles';
export * from './custom-plugin';
export * from './bundled-plugins';
export * from './admin-api-mtls';
export * from './kong-chart';
export * from './kong-gateway';
export * from './kong-ingress-controller';
export * from './kong-platform';
export { kongPlatformProblems } from './kong-platform-rules';

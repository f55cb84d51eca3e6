export * from './rule';
export * from './attributes';
export * from './workloads';
export * from './policy-aspect';
export * from './policy-report';
export * from './rules';
export * from './pod-security';

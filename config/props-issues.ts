import type { PropsProblem } from '../constructs/core';
import { ConfigIssue, describeValue } from './errors';

/** Props paths whose environment-file field has another name (longest prefix first). */
const FIELD_MAP: Array<[RegExp, string]> = [
  [/^addOns\.\d+\(apis\)\.section\./, 'apis.'],
  [/^addOns\.\d+\(mesh\)\./, 'mesh.'],
  [/^applicationNamespaces(?=\.|$)/, 'namespaces.applications'],
  [/^systemNamespace$/, 'namespaces.system'],
  [/^podSecurityLevel$/, 'namespaces.podSecurity'],
  [/^customPlugins(?=\.|$)/, 'plugins.custom'],
  [/^images\.pullSecretName$/, 'images.pullSecret'],
  [/^adminApiCertificates(?=\.|$)/, 'controller.adminApiCertificates'],
  [/^environment$/, 'name'],
];

/** The environment-file field a props field came from (`applicationNamespaces.0.name` → `namespaces.applications.0.name`). */
export function environmentFieldOf(field: string): string {
  for (const [pattern, replacement] of FIELD_MAP) if (pattern.test(field)) return field.replace(pattern, replacement);
  return field;
}

/**
 * Maps construct props problems back to the environment files they came from: the platform
 * stack of environment `x` is `x-platform`, built from `environments/x.yaml`.
 */
export function configIssuesFromProps(problems: readonly PropsProblem[], fileOf: (environment: string) => string | undefined): ConfigIssue[] {
  return problems.map((p) => {
    const environment = /^([^/]+)-(platform|cluster|state)\//.exec(p.constructPath)?.[1];
    const file = environment ? fileOf(environment) : undefined;
    return file ? { file, path: environmentFieldOf(p.field), message: problemMessage(p) } : { file: p.constructPath, path: p.field, message: problemMessage(p) };
  });
}

/**
 * Problems of a construct rule run on a file section whose fields are already the file's paths
 * (`aws.natGateways`: EksClusterStack and AksClusterStack take the section as `aws` / `azure`).
 */
export function ruleViolationsFromProps(problems: readonly PropsProblem[]): Array<{ path: string; message: string }> {
  return problems.map((p) => ({ path: p.field, message: problemMessage(p) }));
}

const problemMessage = (p: PropsProblem) => `${p.message}, got ${describeValue(p.value)}`;

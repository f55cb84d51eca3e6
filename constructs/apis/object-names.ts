import { kongPluginName } from './plugins';

/**
 * The Kubernetes names the API constructs give their objects. The constructs and the section's
 * collision rule (checkApisRules) both use these, so two entries of a file that would make one
 * object are refused with both paths instead of failing when the chart is rendered.
 */

/** The Ingress / HTTPRoute of route `route` of API `api`. */
export function routeObjectName(api: string, route: string): string {
  return `${api}-${route}`;
}

/** The KongPlugin name of a declaration attached to `owner`: its own `name`, or `<owner>-<plugin>` within 63 characters. */
export function pluginObjectName(owner: string, declaration: { readonly name?: string; readonly plugin: string; readonly options?: unknown }): string {
  return declaration.name ?? `${owner}-${kongPluginName(declaration)}`.slice(0, 63).replace(/-+$/, '');
}

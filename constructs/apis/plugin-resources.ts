import type { KubernetesObject } from '../manifest-chart';
import { KongPluginSpec } from './plugins';

/** The Kong CRD group/version of KongPlugin, KongClusterPlugin and KongConsumer. */
export const KONG_CONFIGURATION_V1 = 'configuration.konghq.com/v1';
/** KongConsumerGroup is still v1beta1 in kubernetes-configuration 1.5. */
export const KONG_CONFIGURATION_V1BETA1 = 'configuration.konghq.com/v1beta1';
/** Annotation KIC reads the class of Kong resources from (Ingresses use spec.ingressClassName). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** Annotation attaching KongPlugins (comma-separated names in the same namespace). */
export const PLUGINS_ANNOTATION = 'konghq.com/plugins';

/** `secretNamespace`: KongClusterPlugin secret references must name their namespace; KongPlugin ones must not. */
function pluginBody(spec: KongPluginSpec, secretNamespace?: string): Record<string, unknown> {
  return {
    plugin: spec.plugin,
    config: spec.config,
    ...(spec.configPatches && spec.configPatches.length > 0
      ? {
          configPatches: spec.configPatches.map((patch) => ({
            path: patch.path,
            valueFrom: { secretKeyRef: { ...patch.secretKeyRef, ...(secretNamespace ? { namespace: secretNamespace } : {}) } },
          })),
        }
      : {}),
  };
}

/** A namespaced KongPlugin, attached by name through `konghq.com/plugins`. */
export function kongPluginObject(spec: KongPluginSpec, name: string, namespace: string, labels: Record<string, string> = {}): KubernetesObject {
  return { apiVersion: KONG_CONFIGURATION_V1, kind: 'KongPlugin', metadata: { name, namespace, labels }, ...pluginBody(spec) };
}

/**
 * A KongClusterPlugin labelled `global: "true"`: KIC applies it to every request of its class.
 * Secrets it reads (config patches) live in `secretNamespace` (the Kong namespace).
 */
export function globalKongClusterPluginObject(
  spec: KongPluginSpec,
  name: string,
  ingressClass: string,
  secretNamespace: string,
  labels: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: KONG_CONFIGURATION_V1,
    kind: 'KongClusterPlugin',
    metadata: { name, labels: { ...labels, global: 'true' }, annotations: { [INGRESS_CLASS_ANNOTATION]: ingressClass } },
    ...pluginBody(spec, secretNamespace),
  };
}

/**
 * The CEL rules (`x-kubernetes-validations`) of KongPlugin / KongClusterPlugin that a JSON-schema
 * check misses and that the API server would enforce at apply time: config vs configFrom and
 * configFrom vs configPatches are exclusive. (The third rule, plugin immutability, needs the old
 * object.) Empty when the object passes.
 */
export function kongPluginCelProblems(object: Record<string, unknown>): string[] {
  if (object.kind !== 'KongPlugin' && object.kind !== 'KongClusterPlugin') return [];
  const problems: string[] = [];
  if (object.config !== undefined && object.configFrom !== undefined) problems.push('Using both config and configFrom fields is not allowed.');
  if (object.configFrom !== undefined && object.configPatches !== undefined) problems.push('Using both configFrom and configPatches fields is not allowed.');
  return problems;
}

import { Annotations, Construct } from '../core/cdktf';
import type { KubernetesObject } from '../manifest-chart';
import { pluginObjectName } from './object-names';
import { kongPluginObject } from './plugin-resources';
import { BuildPluginContext, PluginDeclarationInput, buildPlugin, kongPluginName } from './plugins';

/** KongPlugins built for one owner (API, route, consumer, group) and the names to annotate it with. */
export interface AttachedPlugins {
  /** KongPlugin objects, in declaration order. */
  readonly objects: KubernetesObject[];
  /** Names for the owner's `konghq.com/plugins` annotation. */
  readonly names: string[];
  /** True when one of them authenticates the caller. */
  readonly authenticates: boolean;
}

/**
 * Builds the KongPlugins of one owner with the typed builders. A builder error is rethrown with
 * the construct path and the position of the declaration; builder warnings become construct
 * warnings. Each plugin is named `<owner>-<plugin>` unless the declaration names it.
 */
export function attachPlugins(
  scope: Construct,
  where: string,
  owner: string,
  namespace: string,
  declarations: readonly PluginDeclarationInput[],
  context: BuildPluginContext,
  labels: Record<string, string>,
): AttachedPlugins {
  const objects: KubernetesObject[] = [];
  const names: string[] = [];
  let authenticates = false;
  const seen = new Set<string>();
  declarations.forEach((declaration, index) => {
    const kongName = kongPluginName(declaration);
    if (seen.has(kongName)) {
      throw new Error(`${scope.node.path}: ${where}.${index}: plugin "${kongName}" is attached twice to ${owner}; Kong runs one instance per plugin and entity`);
    }
    seen.add(kongName);
    let spec;
    try {
      spec = buildPlugin(declaration, context);
    } catch (error) {
      throw new Error(`${scope.node.path}: ${where}.${index}: ${(error as Error).message}`, { cause: error });
    }
    for (const warning of spec.warnings ?? []) Annotations.of(scope).addWarning(`${where}.${index}: ${warning}`);
    const name = pluginObjectName(owner, declaration);
    objects.push(kongPluginObject(spec, name, namespace, labels));
    names.push(name);
    authenticates ||= spec.authenticates;
  });
  return { objects, names, authenticates };
}

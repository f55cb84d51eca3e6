import { IConstruct } from '../core/cdktf';

/**
 * Throws the construct-time validation error every Azure construct uses: it names the
 * construct path, the field, the bad value and what is allowed, so a failing synth points
 * straight at the environment file entry to fix.
 */
export function invalidProp(scope: IConstruct, field: string, value: unknown, allowed: string): never {
  throw new Error(`${scope.node.path}: invalid ${field} ${JSON.stringify(value)}: ${allowed}`);
}

/** The settings every Azure resource of a construct shares. */
export interface AzurePlacement {
  /** Resource group name (or a reference to it). */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /**
   * Tags on every resource.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

import { Construct, TerraformResource, stringToTerraform } from '../../core/cdktf';
import type { TerraformMetaArguments } from '../../core/cdktf';
import { konnectElementOptions } from './provider-metadata';

/** Inputs of `konnect_gateway_custom_plugin_schema`. */
export interface GatewayCustomPluginSchemaConfig extends TerraformMetaArguments {
  /** `control_plane_id`: UUID of the control plane. Forces replacement. */
  readonly controlPlaneId: string;
  /** `lua_schema`: the plugin's `schema.lua` source text; Konnect derives the plugin name from it. */
  readonly luaSchema: string;
}

/**
 * `konnect_gateway_custom_plugin_schema`: makes a custom (non-bundled) plugin known to a
 * Konnect control plane, so it can be configured there. The data planes still need the plugin
 * code itself (the kong chart's `plugins.configMaps`).
 * Schema: docs/resources/gateway_custom_plugin_schema.md.
 */
export class GatewayCustomPluginSchema extends TerraformResource {
  public static readonly tfResourceType = 'konnect_gateway_custom_plugin_schema';

  private readonly config: GatewayCustomPluginSchemaConfig;

  constructor(scope: Construct, id: string, config: GatewayCustomPluginSchemaConfig) {
    super(scope, id, konnectElementOptions(GatewayCustomPluginSchema.tfResourceType, config));
    this.config = config;
  }

  /** `name` (computed): the plugin name Konnect read from the schema. */
  public get pluginName(): string {
    return this.getStringAttribute('name');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      control_plane_id: stringToTerraform(this.config.controlPlaneId),
      lua_schema: stringToTerraform(this.config.luaSchema),
    };
  }
}

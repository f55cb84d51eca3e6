/**
 * The Azure area's light public entry: its validation rules, resource name checks and IP range
 * helpers, which load no Terraform provider and no cdktf. config/ validates environment files
 * through it, so loading an environment file does not load @cdktf/provider-azurerm (6 MB of
 * generated code); the constructs themselves stay behind the area's main entry (index.ts), which
 * re-exports all of this.
 */
export * from './aks-environment-rules';
export * from './ip-ranges';
export * from './resource-names';

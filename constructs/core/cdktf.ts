/**
 * The single place that imports the cdktf core library.
 *
 * Why: cdktf 0.21.0 is the last cdktf release; its community fork (CDK Terrain)
 * ships the same API under another package name. Every other file imports
 * these names from here, so a move to the fork is a one-file change.
 */
export {
  App,
  Annotations,
  Aspects,
  AzurermBackend,
  Fn,
  conditional,
  Op,
  LocalBackend,
  S3Backend,
  TerraformAsset,
  AssetType,
  TerraformOutput,
  TerraformResource,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  TerraformElement,
  TerraformIterator,
  Token,
  Lazy,
  Testing,
  // Used by the hand-written provider bindings (constructs/konnect/provider), which follow the generated-binding style.
  TerraformDataSource,
  DataResource,
  stringToTerraform,
  booleanToTerraform,
  hashMapper,
} from 'cdktf';
export type { IAspect, ITerraformDependable, TerraformResourceLifecycle, TerraformMetaArguments } from 'cdktf';
export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';

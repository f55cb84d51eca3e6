/**
 * The AWS area's light public entry: its validation rules, name checks and address helpers, which
 * load no Terraform provider and no cdktf. config/ validates environment files through it, so
 * loading an environment file does not load @cdktf/provider-aws (6 MB of generated code); the
 * constructs themselves stay behind the area's main entry (index.ts), which re-exports all of this.
 */
export * from './bucket-name';
export * from './cidr';
export * from './eks-environment-rules';

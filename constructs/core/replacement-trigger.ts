import { Construct, TerraformResource } from './cdktf';

/**
 * Terraform's built-in `terraform_data` resource used as a replacement trigger: when
 * `triggersReplace` changes, so does this resource, and every resource with it in
 * `lifecycle.replace_triggered_by` is replaced (key rotation, for example).
 *
 * Why not cdktf's `DataResource`: it adds a synth-time validation that runs
 * `terraform version` in a child process, so synth would need a Terraform binary (and
 * spends ~35 ms per resource). Terraform >= 1.4 is required to deploy anyway.
 */
export class ReplacementTrigger extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly triggersReplace: Record<string, unknown>,
  ) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
    });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { triggers_replace: this.triggersReplace };
  }
}

/**
 * The one set of helpers for reading synthesized Terraform JSON in tests. Fixture files of an
 * area re-export these (under the names their suites already use); none has its own copy.
 */
import { parse } from 'yaml';
import { Testing, TerraformStack } from '../../constructs/core/cdktf';

/** A synthesized stack: `resource`, `data`, `provider`, `terraform`, `output`, ... */
export type TerraformJson = { [block: string]: any };

/** A stack synthesized in memory, parsed (cdktf `Testing.synth`, no validation pass). */
export function synthJson(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack));
}

/** Resources of one Terraform type, as a list. */
export function resources(json: TerraformJson, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** Resources of one Terraform type with their logical names. */
export function resourceEntries(json: TerraformJson, type: string): Array<{ name: string; body: any }> {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, body]) => ({ name, body }));
}

/** The single resource of a type, with its logical name (fails when there are none or several). */
export function onlyEntry(json: TerraformJson, type: string): { name: string; body: any } {
  const entries = resourceEntries(json, type);
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  return entries[0];
}

/** The single resource of a type (fails when there are none or several). */
export function only(json: TerraformJson, type: string): any {
  return onlyEntry(json, type).body;
}

/** The helm_release with the given release name. */
export function release(json: TerraformJson, name: string): any {
  const found = resources(json, 'helm_release').find((r) => r.name === name);
  if (!found) throw new Error(`no helm_release named ${name}`);
  return found;
}

/** The parsed (first) values document of a helm_release. */
export function releaseValues(json: TerraformJson, name: string): any {
  return parse(release(json, name).values[0]);
}

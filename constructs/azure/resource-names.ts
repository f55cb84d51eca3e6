/**
 * Azure naming rules for the resources an environment names itself
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules):
 * a name Azure refuses fails only at apply, after the plan was reviewed, so it is refused at synth.
 * Each function says what is wrong, or returns undefined when Azure accepts the name.
 */

/** Storage account: 3-24 lowercase letters and digits (globally unique; part of its host name). */
export function storageAccountNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 24) return `must be 3 to 24 characters long (it has ${name.length})`;
  if (!/^[a-z0-9]+$/.test(name)) return 'must use only lowercase letters and digits (no "-", "." or capitals)';
  return undefined;
}

/** Blob container: 3-63 lowercase letters, digits and "-", starting and ending with a letter or digit, no "--". */
export function blobContainerNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (it has ${name.length})`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'must use only lowercase letters, digits and "-"';
  if (name.startsWith('-') || name.endsWith('-')) return 'must begin and end with a lowercase letter or a digit';
  if (name.includes('--')) return 'must not contain two adjacent hyphens';
  return undefined;
}

/** Resource group: 1-90 letters, digits, "-", "_", ".", "(" and ")", not ending with ".". */
export function resourceGroupNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 90) return `must be 1 to 90 characters long (it has ${name.length})`;
  if (!/^[-\w.()]+$/.test(name)) return 'must use only letters, digits, "-", "_", ".", "(" and ")"';
  if (name.endsWith('.')) return 'must not end with "."';
  return undefined;
}

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { konnectProviderFor } from '../../constructs/konnect/konnect-api';
import { describeWithTool } from '../support/required-tool';
import { newStack, synth } from './fixtures';

const TERRAFORM = process.env.TERRAFORM_BIN ?? '/usr/local/bin/terraform';
const missingTerraform = fs.existsSync(TERRAFORM) ? undefined : `no terraform CLI at ${TERRAFORM} (set TERRAFORM_BIN)`;

/**
 * Runs the real Terraform CLI on the synthesized `konnect_token` variable alone (no provider
 * needed, nothing leaves the machine), so the deploy-time behaviour is checked, not assumed.
 */
function planVariableOnly(env: Record<string, string>): { status: number | null; output: string } {
  const json = synth(stackWithProvider());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'konnect-token-'));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ variable: json.variable }));
  const run = (args: string[]) =>
    spawnSync(TERRAFORM, args, {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, TF_IN_AUTOMATION: '1', ...env },
    });
  run(['init', '-input=false', '-backend=false']);
  const result = run(['plan', '-input=false', '-no-color']);
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function stackWithProvider() {
  const stack = newStack();
  konnectProviderFor(stack, { region: 'us' });
  return stack;
}

describeWithTool(missingTerraform, 'the konnect_token deploy-time check')('konnect_token at deploy time (terraform CLI)', () => {
  it('synthesizes without any token', () => {
    // GIVEN no token anywhere
    delete process.env.KONNECT_TOKEN;
    delete process.env.TF_VAR_konnect_token;
    // WHEN synthesizing THEN no error
    expect(() => synth(stackWithProvider())).not.toThrow();
  });

  it('stops the plan with a clear message when the token is missing', () => {
    const { status, output } = planVariableOnly({});
    expect(status).not.toBe(0);
    expect(output).toMatch(/No value for required variable/);
    expect(output).toContain('konnect_token');
    expect(output).toContain('TF_VAR_konnect_token');
  });

  it('rejects a value that is not a Konnect token', () => {
    const { status, output } = planVariableOnly({ TF_VAR_konnect_token: 'my-password' });
    expect(status).not.toBe(0);
    expect(output).toContain('must be a Konnect personal access token (kpat_...) or system account token (spat_...)');
  });

  it('accepts a well-formed token', () => {
    const { status, output } = planVariableOnly({ TF_VAR_konnect_token: `spat_${'a'.repeat(40)}` });
    expect(output).not.toContain('Invalid value for variable');
    expect(status).toBe(0);
  });
});

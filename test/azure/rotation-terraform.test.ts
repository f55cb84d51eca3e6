/**
 * The root rotation expressions of the cluster stack, run by the real Terraform CLI (no provider: the
 * TLS resources are stood in for by `terraform_data`): they parse, `plantimestamp` evaluates at plan,
 * the signer is the slot the replay test expects for this year, and a re-plan shows no changes (the
 * plan-year keys do not drift). Skipped without a terraform CLI.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWithTool } from '../support/required-tool';
import { synthCluster } from './fixture';

const TERRAFORM = process.env.TERRAFORM ?? 'terraform';
const missing = spawnSync(TERRAFORM, ['version'], { encoding: 'utf8' }).status !== 0 ? `no terraform CLI ("${TERRAFORM}")` : undefined;

describeWithTool(missing, 'the Terraform run of the rotation expressions')('root rotation expressions under the real Terraform CLI', () => {
  test("GIVEN the synthesized generation and signer expressions WHEN applied and re-planned THEN the signer is this year's slot and nothing re-plans", () => {
    const { json } = synthCluster();
    const roots = Object.entries<any>(json.resource.tls_self_signed_cert);
    const resource: Record<string, any> = {};
    let leaf: string = Object.values<any>(json.resource.tls_locally_signed_cert)[0].ca_cert_pem;
    for (const [name, ca] of roots) {
      const slot = /\((\w)\)$/.exec(ca.subject[0].common_name)![1];
      const dataName = /^\$\{terraform_data\.([\w-]+)\}$/.exec(ca.lifecycle.replace_triggered_by[0])![1];
      resource[dataName] = json.resource.terraform_data[dataName];
      // the root stands in as a terraform_data whose output is its slot, replaced by the same trigger
      resource[`root-${slot}`] = { input: slot, lifecycle: { replace_triggered_by: [`terraform_data.${dataName}`] } };
      leaf = leaf.split(`tls_self_signed_cert.${name}.cert_pem`).join(`terraform_data.root-${slot}.output`);
    }
    resource.signer = { input: leaf };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-rotation-'));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resource }, output: { signer: { value: '${terraform_data.signer.output}' } } }));
    const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: path.join(dir, 'none.tfrc') };
    fs.writeFileSync(env.TF_CLI_CONFIG_FILE, '');
    const run = (args: string[]) => spawnSync(TERRAFORM, args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    try {
      expect(run(['init', '-input=false', '-no-color']).status).toBe(0);
      const apply = run(['apply', '-auto-approve', '-input=false', '-no-color']);
      expect(apply.stderr).toBe('');
      expect(apply.status).toBe(0);
      const signer = JSON.parse(run(['output', '-json', 'signer']).stdout);
      expect(signer).toBe(new Date().getUTCFullYear() % 2 === 0 ? 'a' : 'b');
      const replan = run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      expect(replan.stdout).toContain('No changes');
      expect(replan.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

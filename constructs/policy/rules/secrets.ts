import { PolicyRule, policyRule } from '../rule';
import { findSecrets } from '../secret-scan';

/** Blocks that are not resources but reach the synthesized JSON all the same (see PolicyAspect). */
const NON_RESOURCE_BLOCKS = ['terraform_output', 'terraform_variable', 'terraform_provider'];

export const secretRules: PolicyRule[] = [
  policyRule({
    id: 'KP-SEC-001',
    area: 'secrets',
    title: 'No plaintext secrets in the synthesized configuration',
    rationale: 'Whatever is synthesized is committed, planned, logged and stored in state; secrets must come from sensitive variables, Secrets or vaults.',
    checkov: ['CKV_SECRET_2', 'CKV_SECRET_6', 'CKV_SECRET_13'],
    reads:
      "every resource's attributes, Helm values documents, manifest objects, provider blocks, variable defaults and outputs: PEM private keys, token formats, secret-named literals",
    appliesTo: () => true,
    check(s) {
      const findings = [...findSecrets(s.attributes), ...s.manifests.flatMap((m, i) => findSecrets(m, `manifests[${i}]`))];
      const where = NON_RESOURCE_BLOCKS.includes(s.type) ? s.type.replace('terraform_', '') : 'attribute';
      return findings.map(
        (f) =>
          `${where} ${f.path || '(value)'} holds a ${f.kind} in plain text: pass it through a sensitive variable (TF_VAR_...), a Kubernetes Secret or a Kong vault reference ({vault://...})`,
      );
    },
  }),
];

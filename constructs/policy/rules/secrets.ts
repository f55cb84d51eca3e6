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
  policyRule({
    id: 'KP-SEC-002',
    area: 'secrets',
    title: 'No private key generated into Terraform state in production',
    rationale:
      'Whoever can read the state (every plan, including merge-request plans with read-only credentials) can read a key Terraform generated; keys belong to the cluster (cert-manager) or a vault.',
    reads: 'tls_private_key resources as synthesized (the tls provider writes the key into state and plan)',
    productionOnly: true,
    appliesTo: (s) => s.type === 'tls_private_key',
    check(s) {
      return [`generates a private key into Terraform state: ${privateKeyRemedy(s.path)}`];
    },
  }),
];

/** What moves a generated key out of state, by the construct that generates it. */
function privateKeyRemedy(path: string): string {
  if (/\/admin-api-mtls\//.test(path)) {
    return 'let cert-manager issue the Admin API certificates (controller.adminApiCertificates.issuer: cert-manager, AdminApiCertificateIssuer.certManager())';
  }
  if (/\/konnect\//.test(path)) {
    return "let cert-manager generate the data plane key (konnect.certificate.issuer.type: cert-manager, with controlPlane.authType: pki_client_certs); a self-managed control plane's CA is Terraform's: waive KP-SEC-002 with a reason";
  }
  if (/\/kong-backend-certificate\/|\/backend-certificate\//.test(path)) {
    return "let cert-manager issue Kong's backend certificate (azure.edge.backendCertificate.issuer: cert-manager, with your issuer and its CA)";
  }
  return 'generate the key where it is used (cert-manager, a vault) and give Terraform only its public certificate or the Secret name';
}

/**
 * Konnect data plane certificates from cert-manager: the key is generated in the cluster and signed
 * by the team's issuer; Terraform registers only the issuer's CA with Konnect (pki_client_certs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { KonnectAddOn } from '../../constructs/konnect/konnect-add-on';
import { konnectSectionSchema } from '../../constructs/konnect/konnect-section';
import { PropsValidationError } from '../../constructs/core/validation';
import { loadCrdSchemas } from '../support/crd-schema';
import { REPO_ROOT } from '../support/platform-fixture';
import { CONTEXT, all, kongReleases, newStack, only, section, synth } from './fixtures';

const CA_PEM = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'konnect', 'dp-issuer-ca.pem'), 'utf8');
const CERT_MANAGER = loadCrdSchemas(path.join(REPO_ROOT, 'test', 'fixtures', 'upstream', 'crds', 'cert-manager-1.21.1', 'cert-manager.io_certificates.yaml'));

const certManagerIssuer = { type: 'cert-manager' as const, issuerName: 'corporate-pki', caCertificatePem: CA_PEM };
const pkiControlPlane = { authType: 'pki_client_certs' as const };

function build(certificate: Record<string, unknown> = {}) {
  const stack = newStack();
  const addOn = new KonnectAddOn(stack, 'konnect', {
    section: section({ controlPlane: pkiControlPlane, certificate: { issuer: certManagerIssuer, ...certificate } }),
    environment: 'onprem-hybrid',
  });
  const releases = kongReleases(stack);
  const gatewayValues = addOn.gatewayValues(CONTEXT);
  addOn.deploy(stack, CONTEXT, releases);
  return { addOn, gatewayValues, json: synth(stack), releases };
}

describe('Konnect data plane certificate from cert-manager', () => {
  const { json, gatewayValues } = build();
  const chartRelease = () => all(json, 'helm_release').find((r) => r.body.name === 'kong-gateway-dp-certificate')!;

  test('GIVEN the cert-manager issuer WHEN synthesized THEN Terraform generates no key, certificate or Secret for the data planes', () => {
    for (const type of ['tls_private_key', 'tls_self_signed_cert', 'tls_locally_signed_cert', 'kubernetes_secret_v1']) expect(all(json, type)).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE KEY|private_key_pem/);
  });

  test("THEN Konnect is given the issuer's CA (public), nothing else", () => {
    expect(only(json, 'konnect_gateway_data_plane_client_certificate').body.cert).toBe(CA_PEM);
  });

  test('THEN the gateway waits for the Certificate release, which waits for the registration', () => {
    const registration = only(json, 'konnect_gateway_data_plane_client_certificate').name;
    expect(chartRelease().body.depends_on).toContain(`konnect_gateway_data_plane_client_certificate.${registration}`);
    expect(all(json, 'helm_release').find((r) => r.body.name === 'kong-gateway')!.body.depends_on).toContain(`helm_release.${chartRelease().name}`);
  });

  test('THEN the gateway mounts the Secret cert-manager writes, and the pods roll on each re-issue epoch', () => {
    expect(gatewayValues.secretVolumes).toEqual(['kong-cluster-cert']);
    expect(gatewayValues.env.cluster_cert).toBe('/etc/secrets/kong-cluster-cert/tls.crt');
    const annotation = Object.values(gatewayValues.podAnnotations as Record<string, string>)[0];
    expect(annotation).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\} rotation 0$/);
    expect(all(json, 'time_rotating')).toEqual([expect.objectContaining({ body: expect.objectContaining({ rotation_days: 121 }) })]);
  });

  test('THEN the Certificate is signed by the named issuer, for client auth, and validates against the cert-manager 1.21.1 CRD', () => {
    const { addOn } = build();
    const chart = addOn.node.scope!.node.findAll().find((c) => c.node.id === 'cluster-certificate') as any;
    const [certificate] = chart.manifests;
    expect(certificate.spec).toMatchObject({
      secretName: 'kong-cluster-cert',
      commonName: 'kong-dp-onprem-hybrid',
      issuerRef: { name: 'corporate-pki', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 384, rotationPolicy: 'Always' },
      duration: `${365 * 24}h`,
      renewBefore: `${30 * 24}h`,
    });
    expect(certificate.spec.usages).toContain('client auth');
    expect(CERT_MANAGER.problems(certificate)).toEqual([]);
    expect(chartRelease().body.values.join('')).toMatch(/time_rotating\..*\.rfc3339.* rotation 0/);
  });
});

describe('the cert-manager issuer is refused where it cannot work', () => {
  const issues = (input: Record<string, unknown>) => {
    const parsed = konnectSectionSchema.safeParse({ enabled: true, ...input });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('GIVEN pinned certificates THEN the section says pki_client_certs is needed and why', () => {
    expect(issues({ certificate: { issuer: certManagerIssuer } })).toEqual([
      expect.stringMatching(/^certificate\.issuer\.type: needs controlPlane\.authType: pki_client_certs: cert-manager creates the certificate in the cluster/),
    ]);
  });

  test('GIVEN a self-managed control plane THEN the section refuses it: that control plane signs with its own CA', () => {
    const out = issues({ mode: 'self-managed', selfManaged: { postgres: { host: 'db.internal', passwordSecretName: 'kong-db' } }, certificate: { issuer: certManagerIssuer } });
    expect(out).toEqual([expect.stringMatching(/^certificate\.issuer\.type: cert-manager is for Konnect control planes/)]);
  });

  test('GIVEN a private key as the CA certificate THEN it is refused: only the public certificate belongs there', () => {
    const pem = ['-----BEGIN ', 'PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'].join('');
    expect(issues({ controlPlane: pkiControlPlane, certificate: { issuer: { ...certManagerIssuer, caCertificatePem: pem } } })).toEqual([
      'certificate.issuer.caCertificatePem: contains a private key: only the public certificate belongs in the environment file',
    ]);
  });

  test('GIVEN the library add-on with pinned certificates THEN it throws a PropsValidationError at the section field', () => {
    expect(() => new KonnectAddOn(newStack(), 'konnect', { section: { enabled: true, certificate: { issuer: certManagerIssuer } }, environment: 'x' })).toThrow(
      PropsValidationError,
    );
    expect(() => new KonnectAddOn(newStack(), 'konnect', { section: { enabled: true, certificate: { issuer: certManagerIssuer } }, environment: 'x' })).toThrow(
      /section\.certificate\.issuer\.type/,
    );
  });
});

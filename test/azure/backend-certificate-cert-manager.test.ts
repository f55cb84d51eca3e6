/**
 * The gateway-to-Kong TLS hop with Kong's key from cert-manager: the cluster stack trusts the team
 * issuer's CA, the platform stack declares the Certificate, and no key is in either stack.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AzureEdgeAddOn, PROXY_CERT_CHECKSUM_ANNOTATION } from '../../constructs/azure/azure-edge-add-on';
import { ManifestChart } from '../../constructs/manifest-chart/manifest-chart';
import { azureSectionSchema } from '../../config/sections/azure';
import { loadCrdSchemas } from '../support/crd-schema';
import { REPO_ROOT, problems, rawEnvironment } from '../support/platform-fixture';
import { AksClusterStack } from '../../stacks/aks/aks-cluster-stack';
import { App, Testing } from '../../constructs/core/cdktf';
import { ADMIN_GROUP, CERT_SECRET_ID, KEY_VAULT_ID, azureInput, resources, synthWired } from './fixture';

const CA_PEM = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'azure', 'backend-issuer-ca.pem'), 'utf8');
const CERT_MANAGER = loadCrdSchemas(path.join(REPO_ROOT, 'test', 'fixtures', 'upstream', 'crds', 'cert-manager-1.21.1', 'cert-manager.io_certificates.yaml'));
const PRIVATE_KEY = ['-----BEGIN ', 'PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'].join('');
const issued = { issuer: 'cert-manager', issuerName: 'platform-internal-ca', caCertificatePems: [CA_PEM] };

describe('Kong backend certificate from cert-manager', () => {
  const { cluster, platform, stacks } = synthWired({ azure: azureInput({ edge: { backendCertificate: issued } }) });
  const releaseNamed = (name: string) => resources(platform, 'helm_release').find((r) => r.name === name);

  test('GIVEN the cert-manager issuer WHEN both stacks are synthesized THEN the cluster stack generates no key and passes none to the platform', () => {
    expect(Object.keys(cluster.resource).filter((type) => type.startsWith('tls_'))).toEqual([]);
    expect(JSON.stringify(cluster)).not.toMatch(/PRIVATE KEY|private_key_pem/);
    expect(JSON.stringify(platform.data?.terraform_remote_state ?? {})).not.toMatch(/private_key/);
    expect(resources(platform, 'kubernetes_secret_v1').filter((s) => /proxy-backend/.test(s.metadata.name))).toEqual([]);
  });

  test("THEN the Application Gateway trusts exactly the issuer's CA", () => {
    const gateway = resources(cluster, 'azurerm_application_gateway')[0];
    expect(gateway.trusted_root_certificate).toEqual([{ name: 'kong-backend-ca', data: `\${base64encode(${JSON.stringify(CA_PEM)})}` }]);
  });

  test("THEN Kong serves the Secret cert-manager writes, and the gateway waits for the Certificate's release", () => {
    const chart = releaseNamed('kong-gateway-proxy-backend-certificate');
    expect(chart).toBeDefined();
    const gateway = releaseNamed('kong-gateway');
    const chartAddress = Object.entries(platform.resource.helm_release).find(([, r]: [string, any]) => r === chart)![0];
    expect(gateway.depends_on).toContain(`helm_release.${chartAddress}`);
    expect(gateway.set).toContainEqual(
      expect.objectContaining({ name: `podAnnotations.${PROXY_CERT_CHECKSUM_ANNOTATION}`, value: expect.stringMatching(/^\$\{time_rotating\..*\.rfc3339\}$/) }),
    );
  });

  test('THEN the Certificate names the host the gateway sends, is signed by the issuer, and validates against the cert-manager CRD', () => {
    const chart = stacks[1].node.findAll().find((c) => c instanceof ManifestChart && c.chartName === 'kong-proxy-backend-certificate') as ManifestChart;
    const [certificate] = chart.manifests as any[];
    expect(certificate.spec).toMatchObject({
      secretName: 'kong-gateway-proxy-backend-tls',
      dnsNames: ['api.test.example.com'],
      issuerRef: { name: 'platform-internal-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      duration: `${90 * 24}h`,
    });
    expect(certificate.spec.usages).toContain('server auth');
    expect(CERT_MANAGER.problems(certificate)).toEqual([]);
  });
});

describe('azure.edge.backendCertificate in an environment file', () => {
  const fileProblems = (backendCertificate: unknown) =>
    problems(
      rawEnvironment({
        cloud: 'azure',
        kubernetes: undefined,
        azure: {
          location: 'westeurope',
          acr: { name: 'kongplatformtest' },
          adminGroupObjectIds: [ADMIN_GROUP],
          edge: { hostName: 'api.example.com', keyVaultId: KEY_VAULT_ID, keyVaultCertificateSecretId: CERT_SECRET_ID, backendCertificate },
        },
      }),
    );

  test('GIVEN the issuer and its CA THEN the file is valid', () => {
    expect(fileProblems(issued)).toEqual([]);
  });

  test('GIVEN a leaf certificate instead of a CA THEN it is refused at its field', () => {
    const leaf = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'apis', 'leaf-not-ca.pem'), 'utf8');
    expect(fileProblems({ ...issued, caCertificatePems: [leaf] })).toEqual([
      expect.stringMatching(/^test-env\.yaml: azure\.edge\.backendCertificate\.caCertificatePems\.0: is not a CA certificate/),
    ]);
  });

  test('GIVEN no CA THEN the gateway would trust nothing: refused', () => {
    expect(fileProblems({ ...issued, caCertificatePems: [] })).toEqual([
      expect.stringMatching(/^test-env\.yaml: azure\.edge\.backendCertificate\.caCertificatePems: must list the issuer's CA certificate/),
    ]);
  });

  test('GIVEN a re-issue period of a year THEN the shared re-issue rule refuses it', () => {
    expect(fileProblems({ ...issued, reissueEveryDays: 365 })).toEqual([
      'test-env.yaml: azure.edge.backendCertificate.reissueEveryDays: must be a whole number of days from 7 to 120 (each re-issue rolls the pods that use the certificate), got 365',
    ]);
  });

  test('GIVEN no setting THEN the Terraform issuer stays the default', () => {
    expect(azureSectionSchema.parse(azureInput()).edge.backendCertificate).toEqual({ issuer: 'terraform' });
  });

  test('GIVEN a library caller with a private key as the CA THEN AksClusterStack refuses it before building, at the same field', () => {
    const azure = azureSectionSchema.parse(azureInput({ edge: { backendCertificate: { ...issued, caCertificatePems: [PRIVATE_KEY] } } }));
    expect(() => new AksClusterStack(Testing.app() as App, 'lib-cluster', { environment: 'lib', production: false, azure })).toThrow(
      /azure\.edge\.backendCertificate\.caCertificatePems\.0: contains a private key/,
    );
  });
});

describe('AzureEdgeAddOn, library use', () => {
  const props = { gatewaySubnetCidr: '10.30.0.0/24', nodeSubnetCidr: '10.30.8.0/21', nodeSubnetName: 'nodes', kongInternalLoadBalancerIp: '10.30.15.250' };

  test('GIVEN both a Terraform key pair and a cert-manager issuer THEN the add-on refuses the ambiguity', () => {
    expect(
      () =>
        new AzureEdgeAddOn({
          ...props,
          proxyCertificate: { certificatePem: 'x', privateKeyPem: 'y' },
          proxyCertificateIssuer: { issuerName: 'ca', hostNames: ['api.example.com'] },
        }),
    ).toThrow('azure-edge: give proxyCertificate or proxyCertificateIssuer, not both');
  });

  test('GIVEN an issuer without host names THEN it is refused', () => {
    expect(() => new AzureEdgeAddOn({ ...props, proxyCertificateIssuer: { issuerName: 'ca', hostNames: [] } })).toThrow(/proxyCertificateIssuer\.hostNames must list/);
  });
});

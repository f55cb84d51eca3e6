import * as path from 'path';
import { ApiAddOn } from '../../constructs/apis/api-add-on';
import { REPO_ROOT } from '../support/platform-fixture';
import { loadCrdSchemas } from '../support/crd-schema';
import { deployed, objectsOf, section } from './fixtures';

// The API chart emits cert-manager.io/v1 Certificates, and no stack installs cert-manager: the
// environment must say it is there, and what we emit must be what cert-manager 1.21.1 accepts.

const CERT_MANAGER = loadCrdSchemas(path.join(REPO_ROOT, 'test', 'fixtures', 'upstream', 'cert-manager-1.21.1', 'crds', 'cert-manager.io_certificates.yaml'));

/** A section with one server certificate and one upstream client certificate, both from cert-manager. */
function issuedSection(overrides: Record<string, unknown> = {}) {
  const apis = section({
    certificates: { servers: [{ name: 'payments-tls', namespace: 'payments', hosts: ['payments.example.com'], source: { certManager: { issuerName: 'letsencrypt' } } }] },
    ...overrides,
  } as any);
  apis.apis![0].service = {
    name: 'payments-api',
    port: 8443,
    protocol: 'https',
    tlsVerify: true,
    caCertificates: [],
    clientCertificate: { certManager: { issuerName: 'internal-ca', issuerKind: 'Issuer' } },
  } as any;
  return apis;
}

describe('cert-manager is a declared prerequisite', () => {
  test('GIVEN certificates issued by cert-manager WHEN the environment does not declare cert-manager THEN synth refuses, naming the field and the way out', () => {
    expect(() => new ApiAddOn({ section: issuedSection() })).toThrow(
      /apis\.certificates\.servers\.0\.source\.certManager: cert-manager issues this certificate, but no stack installs cert-manager.*2 certificate\(s\).*apis\.0\.service\.clientCertificate.*set apis\.certManager: provided/,
    );
  });

  test('GIVEN only existing Secrets THEN nothing needs cert-manager and no declaration is asked for', () => {
    const apis = section({
      certificates: { servers: [{ name: 'payments-tls', namespace: 'payments', hosts: ['payments.example.com'], source: { secretName: 'payments-tls' } }] },
    } as any);
    const addOn = new ApiAddOn({ section: apis });
    deployed(addOn);
    expect(objectsOf(addOn, 'Certificate')).toEqual([]);
  });

  test('GIVEN apis.certManager: provided THEN the Certificates are emitted and each is valid against the cert-manager 1.21.1 CRD', () => {
    const addOn = new ApiAddOn({ section: issuedSection({ certManager: 'provided' }) });
    deployed(addOn);
    const certificates = objectsOf(addOn, 'Certificate');
    expect(certificates.map((c) => c.metadata.name).sort()).toEqual(['payments-tls', 'payments-upstream-client'].sort());
    for (const certificate of certificates) {
      expect(CERT_MANAGER.covers(certificate)).toBe(true);
      expect(CERT_MANAGER.problems(certificate)).toEqual([]);
    }
  });

  test('GIVEN a misspelt Certificate field THEN the CRD check catches it (the check can fail)', () => {
    const addOn = new ApiAddOn({ section: issuedSection({ certManager: 'provided' }) });
    deployed(addOn);
    const [certificate] = objectsOf(addOn, 'Certificate');
    expect(CERT_MANAGER.problems({ ...certificate, spec: { ...certificate.spec, renewbefore: '360h' } }).length).toBeGreaterThan(0);
  });
});

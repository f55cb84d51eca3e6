import { azureSectionSchema } from '../../config/sections/azure';
import { App, Testing } from '../../constructs/core/cdktf';
import { AksClusterStack } from '../../stacks/aks/aks-cluster-stack';
import { problems, rawEnvironment } from '../support/platform-fixture';
import { ADMIN_GROUP, CERT_SECRET_ID, KEY_VAULT_ID, azureInput, only, resources } from './fixture';
import { synthJson } from '../support/terraform-json';

/** The Application Gateway serves every route host: its listeners take them and Kong's backend certificate covers them. */

function clusterWithHosts(hosts: string[]) {
  const app = Testing.app() as App;
  const stack = new AksClusterStack(app, 'test-cluster', { environment: 'test', production: false, azure: azureSectionSchema.parse(azureInput()), edgeHostNames: hosts });
  return { stack, json: synthJson(stack) };
}

describe('Application Gateway edge and route hosts', () => {
  test('both listeners take every route host besides the edge host name', () => {
    const gateway = only(clusterWithHosts(['payments.test.example.com']).json, 'azurerm_application_gateway');
    for (const listener of gateway.http_listener) expect(listener.host_names).toEqual(['api.test.example.com', 'payments.test.example.com']);
  });

  test("Kong's backend certificate covers the route hosts (the gateway sends the client's host as SNI)", () => {
    const certificate = resources(clusterWithHosts(['payments.test.example.com']).json, 'tls_cert_request').find((r) => (r.dns_names ?? []).includes('api.test.example.com'));
    expect(certificate.dns_names).toEqual(['api.test.example.com', 'payments.test.example.com']);
  });

  test('more than 5 host names are refused by the construct, naming the field and the limit', () => {
    expect(() => clusterWithHosts(['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'])).toThrow(
      /additionalHostNames.*at most 5 host names; cover route hosts with a wildcard/,
    );
  });

  test('and by the environment file check, before synth', () => {
    const routes = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ name: h, hosts: [`${h}.example.com`], paths: ['/'] }));
    const raw = rawEnvironment({
      cloud: 'azure',
      kubernetes: undefined,
      azure: {
        location: 'westeurope',
        acr: { name: 'kongplatformtest' },
        adminGroupObjectIds: [ADMIN_GROUP],
        edge: { hostName: 'api.example.com', keyVaultId: KEY_VAULT_ID, keyVaultCertificateSecretId: CERT_SECRET_ID },
      },
      namespaces: { applications: [{ name: 'payments' }] },
      apis: { apis: [{ name: 'pay', namespace: 'payments', service: { name: 'pay', port: 8080 }, public: true, routes }] },
    });
    expect(problems(raw)).toContainEqual(
      expect.stringMatching(/^test-env\.yaml: apis\.apis: route hosts and azure\.edge\.hostName make 6 host names, but an Application Gateway listener takes at most 5/),
    );
  });
});

import * as path from 'path';
import { parse } from 'yaml';
import { awsSectionSchema } from '../../config/sections/aws';
import { loadEnvironments } from '../../config/load';
import { App, Testing } from '../../constructs/core/cdktf';
import { clientCertificateDelivery } from '../../config/sections/apis';
import { ApiAddOn } from '../../constructs/apis/api-add-on';
import { context, deployed, objectsOf } from '../apis/fixtures';
import { EksClusterStack } from '../../stacks/eks/eks-cluster-stack';
import { awsInput, resources } from './fixture';
import { PLUGINS_DIR, problems, rawEnvironment, REPO_ROOT } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';
import { synthJson } from '../support/terraform-json';

/**
 * The edge serves every route host (certificate names and DNS), and client certificates reach
 * Kong only the way the edge can deliver them. The aws-dev sample once routed
 * payments.api.dev.example.com, outside its certificate's api.dev.example.com, and used mtls-auth
 * behind the TLS-terminating ALB, where no client certificate ever reaches Kong.
 */

const [awsDev] = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR, only: ['aws-dev'] });
const synth = sampleSynth('aws-dev');

function clusterWithHosts(hosts: string[], edge: Record<string, unknown> = {}) {
  const app = Testing.app() as App;
  const aws = awsSectionSchema.parse(awsInput({ edge }));
  const stack = new EksClusterStack(app, 'test-cluster', { environment: 'test', production: false, aws, edgeHostNames: hosts });
  return { stack, json: synthJson(stack) };
}

describe('edge certificate and DNS cover every route host', () => {
  test('aws-dev: the ACM certificate names every route host besides the edge domain', () => {
    const [certificate] = resources(synth.stack('cluster'), 'aws_acm_certificate');
    expect(certificate.domain_name).toBe('api.dev.example.com');
    expect(certificate.subject_alternative_names).toEqual(['payments.api.dev.example.com']);
  });

  test('aws-dev: every route host has a DNS alias to the ALB', () => {
    const records = resources(synth.stack('cluster'), 'aws_route53_record').filter((r) => r.alias);
    const routeHosts = awsDev.apis!.apis.flatMap((api) => api.routes.flatMap((route) => route.hosts ?? []));
    for (const host of [awsDev.aws!.edge.domainName, ...routeHosts]) {
      expect(records.find((r) => r.name === host)).toMatchObject({ type: 'A', alias: { name: expect.stringMatching(/^\$\{aws_lb\./) } });
    }
  });

  test('a wildcard route host becomes a wildcard name and a wildcard record', () => {
    const { json } = clusterWithHosts(['*.tenants.example.com']);
    expect(resources(json, 'aws_acm_certificate')[0].subject_alternative_names).toEqual(['*.tenants.example.com']);
    expect(resources(json, 'aws_route53_record').map((r) => r.name)).toContain('*.tenants.example.com');
  });

  test('an existing certificate cannot be checked: a warning lists the hosts it must cover', () => {
    const { stack } = clusterWithHosts(['payments.example.com'], { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' });
    const texts = stack.node.findAll().flatMap((c) => c.node.metadata.map((m) => `${m.type}: ${String(m.data)}`));
    expect(texts).toContainEqual(expect.stringMatching(/warn.*certificateArn is used as given: it must cover api\.dev\.example\.com, payments\.example\.com/));
  });

  test('a host that is not a DNS name is refused, naming the field', () => {
    expect(() => clusterWithHosts(['Payments_API'])).toThrow(/subjectAlternativeNames.*Payments_API.*lowercase DNS names/);
  });
});

describe('client certificates through the ALB', () => {
  test('aws-dev: the HTTPS listener asks for client certificates in passthrough mode', () => {
    const listener = resources(synth.stack('cluster'), 'aws_lb_listener').find((l) => l.port === 443);
    expect(listener.mutual_authentication).toEqual({ mode: 'passthrough' });
  });

  test('without passthrough the listener has no mutual authentication', () => {
    const listener = resources(clusterWithHosts([]).json, 'aws_lb_listener').find((l) => l.port === 443);
    expect(listener.mutual_authentication).toBeUndefined();
  });

  test('header-cert-auth reads the ALB header, URL-encoded PEM, only from trusted sources', () => {
    // GIVEN the aws-dev APIs with the ALB's delivery
    const addOn = new ApiAddOn({ section: awsDev.apis!, defaultIngressClass: awsDev.controller.ingressClass, clientCertificates: clientCertificateDelivery(awsDev) });
    deployed(addOn, context({ applicationNamespaces: awsDev.namespaces.applications.map((n) => n.name) }));
    // THEN the plugin takes the certificate from the ALB's header
    const plugin = objectsOf(addOn, 'KongPlugin').find((p) => p.plugin === 'header-cert-auth')!;
    expect(plugin.config).toMatchObject({
      certificate_header_name: 'X-Amzn-Mtls-Clientcert',
      certificate_header_format: 'url_encoded',
      secure_source: true,
      ca_certificates: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
    });
  });
});

describe('client certificate plugins are refused where the edge cannot deliver the certificate', () => {
  const apis = (plugin: Record<string, unknown>) => ({
    enterprise: true,
    certificates: { authorities: [{ name: 'partners', namespace: 'payments', pem: PARTNERS_CA }] },
    apis: [{ name: 'pay', namespace: 'payments', service: { name: 'pay', port: 8080 }, routes: [{ name: 'r', hosts: ['api.example.com'], paths: ['/'], plugins: [plugin] }] }],
  });
  const base = { namespaces: { applications: [{ name: 'payments' }] } };
  const aws = (edge: Record<string, unknown> = {}) => ({
    cloud: 'aws',
    kubernetes: undefined,
    aws: { region: 'eu-west-1', edge: { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', ...edge } },
  });
  const mtls = { plugin: 'mtls-auth', options: { caCertificates: ['partners'] } };
  const headerCert = { plugin: 'header-cert-auth', options: { caCertificates: ['partners'] } };

  test('mtls-auth behind the ALB is refused, pointing to header-cert-auth', () => {
    expect(problems(rawEnvironment({ ...base, ...aws({ clientCertificates: 'passthrough' }), apis: apis(mtls) }))).toContainEqual(
      'test-env.yaml: apis.apis.0.routes.0.plugins.0.plugin: mtls-auth needs the TLS handshake at Kong, but the ALB (mutual authentication, passthrough) terminates TLS and forwards the certificate in a header: use header-cert-auth',
    );
  });

  test('header-cert-auth behind the ALB without passthrough is refused, naming the switch', () => {
    expect(problems(rawEnvironment({ ...base, ...aws(), apis: apis(headerCert) }))).toContainEqual(
      expect.stringMatching(
        /apis\.apis\.0\.routes\.0\.plugins\.0\.plugin: header-cert-auth needs an edge that forwards the client certificate, but the ALB drops it; set aws\.edge\.clientCertificates: passthrough/,
      ),
    );
  });

  test('behind the Application Gateway both are refused', () => {
    const azure = {
      cloud: 'azure',
      kubernetes: undefined,
      azure: {
        location: 'westeurope',
        acr: { name: 'kongplatformtest' },
        adminGroupObjectIds: ['11111111-2222-3333-4444-555555555555'],
        edge: {
          hostName: 'api.example.com',
          keyVaultId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
          keyVaultCertificateSecretId: 'https://kv.vault.azure.net/secrets/api',
        },
      },
    };
    for (const plugin of [mtls, headerCert]) {
      expect(problems(rawEnvironment({ ...base, ...azure, apis: apis(plugin) }))).toContainEqual(
        expect.stringMatching(/the Application Gateway .*client certificate authentication behind the Application Gateway edge is not supported/),
      );
    }
  });

  test('on an existing cluster mtls-auth is allowed (Kong terminates TLS)', () => {
    expect(problems(rawEnvironment({ ...base, apis: apis(mtls) }))).toEqual([]);
  });

  test('on an existing cluster header-cert-auth needs the header named explicitly', () => {
    expect(problems(rawEnvironment({ ...base, apis: apis(headerCert) }))).toContainEqual(
      expect.stringMatching(/header-cert-auth needs certificateHeaderName and certificateHeaderFormat here/),
    );
    const explicit = { plugin: 'header-cert-auth', options: { caCertificates: ['partners'], certificateHeaderName: 'X-Client-Cert', certificateHeaderFormat: 'base64_encoded' } };
    expect(problems(rawEnvironment({ ...base, apis: apis(explicit) }))).toEqual([]);
  });
});

const PARTNERS_CA = parse(require('fs').readFileSync(path.join(REPO_ROOT, 'environments', 'aws-dev.yaml'), 'utf8')).apis.certificates.authorities[0].pem;

import { clientCertificateDelivery } from '../../config/sections/apis';
import { ApiAddOn } from '../../constructs/apis/api-add-on';
import { caCertificateId, hostCovered, kongPluginCelProblems, SERVICE_ANNOTATIONS } from '../../constructs/apis';
import { ChartValuesKeys, KONG_CHART_FREE_FORM_PATHS } from '../support/chart-values-keys';
import { describeWithHelm } from '../support/helm';
import { environment, resources } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';
import { loadEnvironments } from '../../config/load';
import * as path from 'path';
import { KONG_VALUES, IDP_PUBLIC_KEY, PARTNERS_CA, UPSTREAM_CA, context, deployed, kongCrds, objectsOf, resourcesOf, section, synth } from './fixtures';

const REPO = path.resolve(__dirname, '..', '..');

/** Every Kong custom resource in the chart validates against the CRDs and their CEL rules. */
function expectKongResourcesValid(addOn: ApiAddOn): void {
  const crds = kongCrds();
  const kongObjects = addOn.chart!.manifests.filter((o) => o.apiVersion.startsWith('configuration.konghq.com/'));
  expect(kongObjects.length).toBeGreaterThan(0);
  for (const object of kongObjects) {
    expect({ object: `${object.kind}/${object.metadata.name}`, problems: [...crds.problems(object), ...kongPluginCelProblems(object)] }).toEqual({
      object: `${object.kind}/${object.metadata.name}`,
      problems: [],
    });
  }
}

describe('ApiAddOn deploy', () => {
  test('installs the chart after the controller release, or after the gateway without one', () => {
    const withController = new ApiAddOn({ section: section() });
    const json = synth(deployed(withController).stack);
    const release = resourcesOf(json, 'helm_release').find((r) => r.name === 'kong-apis')!;
    expect(release.depends_on).toEqual(expect.arrayContaining(['helm_release.controller']));
    expect(release.namespace).toBe('kong');
    const gatewayOnly = new ApiAddOn({ section: section() });
    const json2 = synth(deployed(gatewayOnly, context(), false).stack);
    expect(resourcesOf(json2, 'helm_release').find((r) => r.name === 'kong-apis')!.depends_on).toEqual(expect.arrayContaining(['helm_release.gateway']));
  });

  test('API keys: a Secret from a sensitive variable, labelled for KIC, never a literal; the chart only references it', () => {
    const addOn = new ApiAddOn({ section: section() });
    const json = synth(deployed(addOn).stack);
    expect(json.variable.apikey_acme_acme_web).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    const [secret] = resourcesOf(json, 'kubernetes_secret_v1');
    expect(secret.metadata).toMatchObject({ name: 'acme-web-key-auth', namespace: 'payments', labels: { 'konghq.com/credential': 'key-auth' } });
    expect(secret.data).toEqual({ key: '${var.apikey_acme_acme_web}' });
    const consumer = objectsOf(addOn, 'KongConsumer')[0];
    expect(consumer).toMatchObject({ username: 'acme-web', credentials: ['acme-web-key-auth', 'acme-web-acl-payments-read'] });
    expect(consumer.metadata.annotations).toMatchObject({ 'kubernetes.io/ingress.class': 'kong', 'konghq.com/tags': 'tenant:acme' });
    expect(JSON.stringify(addOn.chart!.manifests)).not.toMatch(/"key":/);
    const release = resourcesOf(json, 'helm_release').find((r) => r.name === 'kong-apis')!;
    expect(release.depends_on).toContainEqual(expect.stringMatching(/^kubernetes_secret_v1\./));
  });

  test('an existing key Secret is referenced, not created', () => {
    const tenants = [{ name: 'acme', namespace: 'payments', consumers: [{ username: 'acme-web', keyAuth: { existingSecret: 'acme-web-key' } }] }];
    const addOn = new ApiAddOn({ section: section({ tenants }) });
    const json = synth(deployed(addOn).stack);
    expect(resourcesOf(json, 'kubernetes_secret_v1')).toEqual([]);
    expect(json.variable).toBeUndefined();
    expect(objectsOf(addOn, 'KongConsumer')[0].credentials).toEqual(['acme-web-key']);
  });

  test('routes become annotated Ingresses; route plugins replace API plugins of the same kind', () => {
    const addOn = new ApiAddOn({
      section: section({
        apis: [
          {
            name: 'payments',
            namespace: 'payments',
            service: { name: 'payments-api', port: 8080 },
            plugins: [{ plugin: 'key-auth' }, { plugin: 'rate-limiting', options: { minute: 10 } }],
            routes: [
              { name: 'read', hosts: ['p.example.com'], paths: ['/v1'], methods: ['GET'], stripPath: true },
              { name: 'bulk', hosts: ['p.example.com'], paths: ['/bulk'], plugins: [{ plugin: 'rate-limiting', options: { minute: 1 } }] },
            ],
          },
        ],
      }),
    });
    deployed(addOn);
    const [read, bulk] = objectsOf(addOn, 'Ingress');
    expect(read.metadata.annotations).toEqual({
      'konghq.com/plugins': 'payments-key-auth,payments-rate-limiting',
      'konghq.com/strip-path': 'true',
      'konghq.com/methods': 'GET',
    });
    expect(read.spec).toEqual({
      ingressClassName: 'kong',
      rules: [{ host: 'p.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'payments-api', port: { number: 8080 } } } }] } }],
    });
    expect(bulk.metadata.annotations['konghq.com/plugins']).toBe('payments-key-auth,payments-bulk-rate-limiting');
    expectKongResourcesValid(addOn);
  });

  test('global plugins are KongClusterPlugins labelled global with the ingress class', () => {
    const addOn = new ApiAddOn({ section: section({ globalPlugins: [{ plugin: 'prometheus' }] }), defaultIngressClass: 'kong-internal' });
    deployed(addOn);
    expect(objectsOf(addOn, 'KongClusterPlugin')[0].metadata).toEqual({
      name: 'global-prometheus',
      labels: expect.objectContaining({ global: 'true' }),
      annotations: { 'kubernetes.io/ingress.class': 'kong-internal' },
    });
    expect(objectsOf(addOn, 'Ingress')[0].spec.ingressClassName).toBe('kong-internal');
  });

  test('gateway-api routing: HTTPRoutes attached to the Gateway, one match per path and method', () => {
    const apis = section({ routing: 'gateway-api', gateway: { name: 'kong', namespace: 'kong' } });
    (apis.apis![0].routes[0] as any).methods = ['GET', 'POST'];
    const addOn = new ApiAddOn({ section: apis });
    deployed(addOn);
    expect(objectsOf(addOn, 'Ingress')).toEqual([]);
    const [route] = objectsOf(addOn, 'HTTPRoute');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'kong', namespace: 'kong' }],
      hostnames: ['payments.example.com'],
      rules: [
        {
          matches: [
            { path: { type: 'PathPrefix', value: '/v1' }, method: 'GET' },
            { path: { type: 'PathPrefix', value: '/v1' }, method: 'POST' },
          ],
          backendRefs: [{ name: 'payments-api', port: 8080 }],
        },
      ],
    });
  });

  test('a namespace outside the application namespaces fails at deploy with the construct path', () => {
    const addOn = new ApiAddOn({ section: section() });
    expect(() => deployed(addOn, context({ applicationNamespaces: ['accounts'] }))).toThrow(/platform\/apis: namespaces payments are not application namespaces \(accounts\)/);
  });

  test('production: an unauthenticated API fails at construct time too (library use without the loader)', () => {
    const apis = section();
    apis.apis![0].plugins = [];
    expect(() => deployed(new ApiAddOn({ section: apis }), context({ production: true }))).toThrow(
      /platform\/apis\/payments-payments: API "payments" has a route without an authentication plugin/,
    );
  });
});

describe('certificates', () => {
  const withTls = (service: Record<string, unknown>, certificates: Record<string, unknown> = {}) => {
    const apis = section({
      enterprise: true,
      certManager: 'provided',
      certificates: { authorities: [{ name: 'upstream-ca', namespace: 'payments', pem: UPSTREAM_CA }], ...certificates },
    });
    apis.apis![0].service = { name: 'payments-api', port: 8443, ...service } as any;
    const addOn = new ApiAddOn({ section: apis });
    const json = synth(deployed(addOn).stack);
    return { addOn, annotations: resourcesOf(json, 'kubernetes_annotations')[0], json };
  };

  test('CA certificate Secret: labelled konghq.com/ca-cert, class annotation, PEM and a stable UUID id', () => {
    const { addOn } = withTls({ protocol: 'https' });
    const secret = objectsOf(addOn, 'Secret').find((s) => s.metadata.name === 'upstream-ca')!;
    expect(secret.metadata.labels['konghq.com/ca-cert']).toBe('true');
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'kong' });
    expect(secret.stringData.cert).toContain('BEGIN CERTIFICATE');
    expect(secret.stringData.id).toBe(caCertificateId('payments', 'upstream-ca'));
    expect(secret.stringData.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(caCertificateId('payments', 'upstream-ca')).not.toBe(caCertificateId('accounts', 'upstream-ca'));
  });

  test('https upstream: tls-verify on by default, CA bundle and depth on the Service', () => {
    const { annotations } = withTls({ protocol: 'https', caCertificates: ['upstream-ca'], tlsVerifyDepth: 2 });
    expect(annotations).toMatchObject({
      api_version: 'v1',
      kind: 'Service',
      metadata: { name: 'payments-api', namespace: 'payments' },
      field_manager: 'kong-platform',
      annotations: {
        [SERVICE_ANNOTATIONS.protocol]: 'https',
        [SERVICE_ANNOTATIONS.tlsVerify]: 'true',
        [SERVICE_ANNOTATIONS.tlsVerifyDepth]: '2',
        [SERVICE_ANNOTATIONS.caCertificatesSecret]: 'upstream-ca',
      },
    });
    // The team's Service is read first (a missing Service fails there, clearly), and the keys are forced
    // over from the team's field manager (kubernetes 2.38.0: `force`, server-side apply).
    expect(annotations.force).toBe(true);
    expect(annotations.depends_on).toEqual(['helm_release.controller', expect.stringMatching(/^data\.kubernetes_service_v1\.[\w-]+$/)]);
  });

  test('plain http upstream: no Service annotations at all', () => {
    expect(withTls({ protocol: 'http', port: 8080 }).annotations).toBeUndefined();
  });

  test('upstream client certificate: an existing Secret, or a cert-manager Certificate for client auth', () => {
    expect(withTls({ protocol: 'https', clientCertificate: { secretName: 'kong-to-payments' } }).annotations.annotations[SERVICE_ANNOTATIONS.clientCert]).toBe('kong-to-payments');
    const { addOn, annotations } = withTls({ protocol: 'https', clientCertificate: { certManager: { issuerName: 'internal', issuerKind: 'Issuer' } } });
    expect(annotations.annotations[SERVICE_ANNOTATIONS.clientCert]).toBe('payments-upstream-client');
    expect(objectsOf(addOn, 'Certificate')[0]).toMatchObject({
      apiVersion: 'cert-manager.io/v1',
      metadata: { name: 'payments-upstream-client', namespace: 'payments' },
      spec: { secretName: 'payments-upstream-client', usages: expect.arrayContaining(['client auth']), issuerRef: { name: 'internal', kind: 'Issuer', group: 'cert-manager.io' } },
    });
  });

  test('SNI certificates: Ingress tls for covered hosts (exact or wildcard); cert-manager issues server certificates', () => {
    const { addOn } = withTls(
      { protocol: 'https' },
      { servers: [{ name: 'wild', namespace: 'payments', hosts: ['*.example.com'], source: { certManager: { issuerName: 'letsencrypt' } } }] },
    );
    expect(objectsOf(addOn, 'Ingress')[0].spec.tls).toEqual([{ hosts: ['payments.example.com'], secretName: 'wild' }]);
    expect(objectsOf(addOn, 'Certificate')[0].spec).toMatchObject({ secretName: 'wild', dnsNames: ['*.example.com'], usages: expect.arrayContaining(['server auth']) });
    expect(hostCovered('*.example.com', 'a.b.example.com')).toBe(false);
    expect(hostCovered('*.example.com', 'example.com')).toBe(false);
  });

  test('an httpsOnly route without a certificate for its host fails', () => {
    const apis = section();
    (apis.apis![0].routes[0] as any).httpsOnly = true;
    expect(() => deployed(new ApiAddOn({ section: apis }))).toThrow(/route "read" is httpsOnly but no certificate in namespace "payments" covers payments.example.com/);
  });

  test('default certificate: mounted into the gateway and named in ssl_cert; the keys exist in the chart values', () => {
    const addOn = new ApiAddOn({ section: section({ certificates: { default: { secretName: 'kong-default-tls' } } }) });
    const values = addOn.gatewayValues(context());
    expect(values).toEqual({
      secretVolumes: ['kong-default-tls'],
      env: { ssl_cert: '/etc/secrets/kong-default-tls/tls.crt', ssl_cert_key: '/etc/secrets/kong-default-tls/tls.key' },
    });
    expect(new ChartValuesKeys(KONG_VALUES, KONG_CHART_FREE_FORM_PATHS).unknownKeys(values)).toEqual([]);
  });

  test('mtls-auth gets the CA certificate ids, consumers get mtls-auth and jwt credentials', () => {
    const apis = section({
      enterprise: true,
      certificates: { authorities: [{ name: 'partners', namespace: 'payments', pem: PARTNERS_CA }] },
      tenants: [
        {
          name: 'acme',
          namespace: 'payments',
          consumers: [{ username: 'acme-batch', mtlsSubjectName: 'batch.acme.example.com', jwt: { issuer: 'https://idp.example.com', publicKey: IDP_PUBLIC_KEY } }],
        },
      ],
    });
    apis.apis![0].plugins = [{ plugin: 'mtls-auth', options: { caCertificates: ['partners'] } }];
    const addOn = new ApiAddOn({ section: apis });
    deployed(addOn);
    const plugin = objectsOf(addOn, 'KongPlugin').find((p) => p.plugin === 'mtls-auth')!;
    expect(plugin.config.ca_certificates).toEqual([caCertificateId('payments', 'partners')]);
    const secrets = objectsOf(addOn, 'Secret');
    expect(secrets.find((s) => s.metadata.name === 'acme-batch-mtls-auth')).toMatchObject({
      metadata: { labels: { 'konghq.com/credential': 'mtls-auth' } },
      stringData: { subject_name: 'batch.acme.example.com' },
    });
    expect(secrets.find((s) => s.metadata.name === 'acme-batch-jwt')).toMatchObject({
      metadata: { labels: { 'konghq.com/credential': 'jwt' } },
      stringData: { key: 'https://idp.example.com', algorithm: 'RS256', rsa_public_key: expect.stringContaining('BEGIN PUBLIC KEY') },
    });
    expectKongResourcesValid(addOn);
  });
});

describe('sample environments: the payments API', () => {
  const samples = loadEnvironments({ directory: path.join(REPO, 'environments'), only: ['aws-dev', 'onprem-hybrid'], pluginsDirectory: path.join(REPO, 'plugins') });

  test.each(samples.map((env) => [env.name, env] as const))(
    '%s: key-auth per tenant, ACL, CORS, rate limiting, JWT, client certificates, upstream client certificate',
    (_name, env) => {
      const platform = sampleSynth(env.name).stack('platform');
      const release = resources(platform, 'helm_release').find((r: any) => r.name === 'kong-apis');
      expect(release.depends_on).toContainEqual(expect.stringMatching(/^helm_release\.kong_controller/));
      const kinds = new Set(env.apis!.apis.flatMap((api) => [...api.plugins, ...api.routes.flatMap((r) => r.plugins)]).map((p) => p.plugin));
      // Client certificates: mtls-auth where Kong terminates TLS (hybrid), header-cert-auth behind the ALB.
      const clientCertificatePlugin = env.cloud === 'aws' ? 'header-cert-auth' : 'mtls-auth';
      for (const wanted of ['key-auth', 'acl', 'cors', 'rate-limiting', 'jwt', clientCertificatePlugin]) expect(kinds.has(wanted as any)).toBe(true);
      const annotations = resources(platform, 'kubernetes_annotations')[0].annotations;
      expect(annotations).toMatchObject({ 'konghq.com/client-cert': 'payments-upstream-client', 'konghq.com/tls-verify': 'true' });
      expect(platform.variable.apikey_acme_acme_web.sensitive).toBe(true);
    },
  );

  test('every generated Kong resource of the samples validates against the CRDs', () => {
    for (const env of samples) {
      const addOn = new ApiAddOn({ section: env.apis!, defaultIngressClass: env.controller.ingressClass, clientCertificates: clientCertificateDelivery(env) });
      deployed(addOn, context({ applicationNamespaces: env.namespaces.applications.map((n) => n.name) }));
      expectKongResourcesValid(addOn);
    }
  });
});

describeWithHelm('generated chart with real helm', (helm) => {
  test('helm lint --strict and helm template render every object of the onprem-hybrid sample', () => {
    const [env] = loadEnvironments({ directory: path.join(REPO, 'environments'), only: ['onprem-hybrid'], pluginsDirectory: path.join(REPO, 'plugins') });
    const addOn = new ApiAddOn({ section: env.apis!, defaultIngressClass: env.controller.ingressClass });
    deployed(addOn, context({ applicationNamespaces: ['payments', 'accounts'] }));
    helm().lint(addOn.chart!.chartDirectory);
    const rendered = helm().template(addOn.chart!.chartDirectory, 'kong-apis', 'kong');
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(addOn.chart!.manifests.map((o) => `${o.kind}/${o.metadata.name}`).sort());
    const crds = kongCrds();
    for (const object of rendered.filter((o) => crds.covers(o))) expect(crds.problems(object)).toEqual([]);
  });
});

test('an apis section passes the loader with its defaults applied', () => {
  const env = environment({ namespaces: { applications: [{ name: 'payments' }] }, apis: section({ tenants: [] }) });
  expect(env.apis!.apis[0].service.protocol).toBe('http');
  expect(env.apis!.routing).toBe('ingress');
});

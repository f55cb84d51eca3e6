import * as path from 'path';
import { AKS_ENTRA_SERVER_ID, configureAksProviders, kubeloginExecArgs } from '../../constructs/azure/aks-cluster-access';
import { AZURE_INTERNAL_LB_ANNOTATION, AZURE_LB_IPV4_ANNOTATION, AzureEdgeAddOn } from '../../constructs/azure/azure-edge-add-on';
import { Testing, TerraformStack, TerraformVariable } from '../../constructs/core/cdktf';
import { PlatformContext } from '../../constructs/core/platform-add-on';
import { ChartValuesKeys, KONG_CHART_FREE_FORM_PATHS, KONG_CHART_TEMPLATE_ONLY_KEYS } from '../support/chart-values-keys';
import { REPO_ROOT, release, releaseValues } from '../support/platform-fixture';
import { synthWired } from './fixture';

const context: PlatformContext = {
  environment: 'test',
  production: true,
  systemNamespace: 'kong',
  gatewayReleaseName: 'kong-gateway',
  controllerReleaseName: 'kong-controller',
  applicationNamespaces: ['payments'],
};
const literals = { gatewaySubnetCidr: '10.30.16.0/24', nodeSubnetCidr: '10.30.0.0/20', nodeSubnetName: 'kong-test-nodes', kongInternalLoadBalancerIp: '10.30.15.250' };
const REMOTE_STATE = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-test-cluster\.outputs\.[^}]+\}$/;

describe('platform stack on AKS', () => {
  const { platform } = synthWired({ production: true });
  const gateway = releaseValues(platform, 'kong-gateway');

  test("Kong's proxy is an internal Azure load balancer at the fixed address in the node subnet", () => {
    expect(gateway.proxy.type).toBe('LoadBalancer');
    expect(gateway.proxy.annotations).toEqual({
      [AZURE_INTERNAL_LB_ANNOTATION]: 'true',
      [AZURE_LB_IPV4_ANNOTATION]: '10.30.15.250',
      'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'kong-test-nodes',
    });
  });

  test('only the gateway subnet may use the load balancer, and the source address survives (externalTrafficPolicy Local)', () => {
    expect(gateway.proxy.loadBalancerSourceRanges).toEqual(['10.30.16.0/24']);
    expect(gateway.proxy.externalTrafficPolicy).toBe('Local');
  });

  test('Kong trusts X-Forwarded-For from the gateway subnet only', () => {
    expect(gateway.env).toMatchObject({ trusted_ips: '10.30.16.0/24', real_ip_header: 'X-Forwarded-For' });
  });

  test('Kong serves the proxy certificate the gateway verifies, from a Secret created before the release', () => {
    const secretRef = (key: string) => ({ valueFrom: { secretKeyRef: { name: 'kong-gateway-proxy-backend-tls', key } } });
    expect(gateway.env.ssl_cert).toEqual(secretRef('tls.crt'));
    expect(gateway.env.ssl_cert_key).toEqual(secretRef('tls.key'));
    const [secretName, secret] = Object.entries<any>(platform.resource.kubernetes_secret_v1).find(([, s]) => s.metadata.name === 'kong-gateway-proxy-backend-tls')!;
    expect(secret).toMatchObject({ type: 'kubernetes.io/tls', metadata: { namespace: 'kong' } });
    expect(secret.data['tls.crt']).toMatch(REMOTE_STATE);
    expect(secret.data['tls.key']).toMatch(REMOTE_STATE);
    expect(secret.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_namespace_v1\./)]));
    expect(release(platform, 'kong-gateway').depends_on).toContain(`kubernetes_secret_v1.${secretName}`);
  });

  test('a new proxy certificate rolls the gateway pods (checksum annotation)', () => {
    const set = release(platform, 'kong-gateway').set.find((s: any) => s.name === 'podAnnotations.kong-platform/proxy-backend-cert-sha256');
    expect(set.value).toMatch(/^\$\{sha256\(data\.terraform_remote_state\./);
  });

  test("the providers reach AKS with the cluster stack's host and CA and a kubelogin token; no static credential", () => {
    const kubernetes = platform.provider.kubernetes[0];
    expect(kubernetes.host).toMatch(REMOTE_STATE);
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\./);
    expect(kubernetes.exec).toEqual([
      { api_version: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID] },
    ]);
    for (const key of ['token', 'client_key', 'client_certificate', 'password', 'username', 'config_path']) expect(kubernetes[key]).toBeUndefined();
    const helm = platform.provider.helm[0].kubernetes;
    expect(helm).toEqual({ host: kubernetes.host, cluster_ca_certificate: kubernetes.cluster_ca_certificate, exec: kubernetes.exec[0] });
  });

  test('the gateway values the add-on contributes exist in the kong chart', () => {
    // `proxy.externalTrafficPolicy` is read by the chart's `kong.service` template (charts/kong/templates/_helpers.tpl,
    // `{{- if .externalTrafficPolicy }}`) but not listed in values.yaml.
    const keys = new ChartValuesKeys(
      path.join(REPO_ROOT, 'test/fixtures/upstream/kong-charts-3.4.1/values.yaml'),
      [...KONG_CHART_FREE_FORM_PATHS, 'proxy.annotations', 'podAnnotations'],
      {
        templateOnlyKeys: [...KONG_CHART_TEMPLATE_ONLY_KEYS, 'proxy.externalTrafficPolicy'],
      },
    );
    const values = new AzureEdgeAddOn({ ...literals, proxyCertificate: { certificatePem: 'c', privateKeyPem: 'k' } }).gatewayValues(context);
    expect(keys.unknownKeys(values)).toEqual([]);
    // and the checker does catch a misspelt key
    expect(keys.unknownKeys({ proxy: { externalTrafficPolicyy: 'Local' } })).toEqual(['proxy.externalTrafficPolicyy']);
  });
});

describe('AzureEdgeAddOn: bad input', () => {
  test.each([
    [{ kongInternalLoadBalancerIp: '10.30.16.5' }, 'azure-edge: invalid kongInternalLoadBalancerIp "10.30.16.5": use a usable address of nodeSubnetCidr 10.30.0.0/20'],
    [{ gatewaySubnetCidr: 'gateway' }, 'azure-edge: invalid gatewaySubnetCidr "gateway"'],
    [{ nodeSubnetName: 'bad name/with slash' }, 'azure-edge: invalid nodeSubnetName'],
  ])('%j is refused', (props, message) => {
    expect(() => new AzureEdgeAddOn({ ...literals, ...props })).toThrow(message);
  });

  test("a Terraform reference instead of the literal gateway subnet is refused (Kong's trusted_ips are plain Helm data)", () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const reference = new TerraformVariable(stack, 'gateway_subnet', { type: 'string' }).stringValue;
    expect(() => new AzureEdgeAddOn({ ...literals, gatewaySubnetCidr: reference })).toThrow('azure-edge: invalid gatewaySubnetCidr (a Terraform reference)');
  });

  test('without a proxy certificate nothing is added to the cluster and Kong keeps its own certificate', () => {
    const values = new AzureEdgeAddOn(literals).gatewayValues(context) as any;
    expect(values.env.ssl_cert).toBeUndefined();
    expect(values.podAnnotations).toBeUndefined();
  });
});

describe('AKS cluster access', () => {
  test('kubelogin modes for CI running in Azure', () => {
    expect(kubeloginExecArgs('workloadidentity')).toEqual(['get-token', '--login', 'workloadidentity', '--server-id', AKS_ENTRA_SERVER_ID]);
  });

  test("configureAksProviders returns the stack's kubernetes and helm providers, once per stack", () => {
    const stack = new TerraformStack(Testing.app(), 'p');
    const first = configureAksProviders(stack, { clusterHost: 'https://aks.example', clusterCaCertificate: 'Q0E=' });
    const second = configureAksProviders(stack, { clusterHost: 'https://aks.example', clusterCaCertificate: 'Q0E=' });
    expect(first.kubernetes.terraformResourceType).toBe('kubernetes');
    expect(first.helm.terraformResourceType).toBe('helm');
    expect(second.kubernetes).toBe(first.kubernetes);
  });
});

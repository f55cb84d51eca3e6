import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsLoadBalancerControllerAddOn, AwsLoadBalancerControllerAddOnProps, LOAD_BALANCER_CONTROLLER_CHART } from '../../constructs/aws/aws-load-balancer-controller-add-on';
import { configureEksProviders, eksClusterAccess } from '../../constructs/aws/eks-cluster-access';
import { TARGET_GROUP_BINDING_CHART_FILES } from '../../constructs/aws/target-group-binding';
import { App, Testing, TerraformStack, Token } from '../../constructs/core/cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { parse } from 'yaml';
import { PlatformContext } from '../../constructs/core/platform-add-on';
import { EksClusterStack } from '../../stacks/eks/eks-cluster-stack';
import { KongPlatformStack } from '../../stacks/platform/kong-platform-stack';
import { ChartValuesKeys, KONG_CHART_FREE_FORM_PATHS, KONG_CHART_TEMPLATE_ONLY_KEYS } from '../support/chart-values-keys';
import { describeWithHelm } from '../support/helm';
import { environment, platformContext, REPO_ROOT, release, releaseValues, resources } from '../support/platform-fixture';
import { awsSection } from './fixture';
import { synthJson } from '../support/terraform-json';

/**
 * Keys of the aws-load-balancer-controller chart values we set, checked by hand against the
 * chart's values.yaml (github.com/aws/eks-charts, stable/aws-load-balancer-controller, chart
 * 1.13.0). The chart ships no values.schema.json, so a typo would be silently ignored.
 */
const LOAD_BALANCER_CONTROLLER_VALUES_KEYS = new Set([
  'replicaCount',
  'serviceAccount',
  'serviceAccount.create',
  'serviceAccount.name',
  'serviceAccount.annotations',
  'clusterName',
  'region',
  'vpcId',
  'enableServiceMutatorWebhook',
  'createIngressClassResource',
  'enableShield',
  'enableWaf',
  'enableWafv2',
  'podDisruptionBudget',
  'podDisruptionBudget.maxUnavailable',
  'image',
  'image.repository',
  'image.tag',
  'resources',
  'securityContext',
  'podSecurityContext',
]);

const context: PlatformContext = {
  environment: 'test',
  production: false,
  systemNamespace: 'kong',
  gatewayReleaseName: 'kong-gateway',
  controllerReleaseName: 'kong-controller',
  applicationNamespaces: ['payments'],
};

function wiredPlatform() {
  // GIVEN a cluster stack and a platform stack wired to it in one app
  const app = Testing.app() as App;
  const cluster = new EksClusterStack(app, 'test-cluster', { environment: 'test', production: false, aws: awsSection() });
  const addOn = new AwsLoadBalancerControllerAddOn({
    clusterName: cluster.clusterName,
    region: cluster.region,
    vpcId: cluster.vpcId,
    vpcCidr: cluster.vpcCidr,
    roleArn: cluster.loadBalancerControllerRoleArn,
    targetGroupArn: cluster.targetGroupArn,
  });
  const platform = new KongPlatformStack(app, 'test-platform', { environment: environment(), clusterAccess: eksClusterAccess(cluster), addOns: [addOn] });
  // WHEN the whole app is synthesized (cross-stack references are only resolved by App.synth)
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', platform.node.id, 'cdk.tf.json'), 'utf8'));
}

describe('AWS Load Balancer Controller add-on', () => {
  const json = wiredPlatform();
  const controller = release(json, 'aws-load-balancer-controller');
  const binding = release(json, 'kong-gateway-edge');

  test('the controller chart is pinned and installed in kube-system', () => {
    expect(controller).toMatchObject({
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: LOAD_BALANCER_CONTROLLER_CHART.version,
      namespace: 'kube-system',
    });
  });

  test('the controller only serves TargetGroupBindings: no Service webhook, no IngressClass, no WAF/Shield', () => {
    expect(releaseValues(json, 'aws-load-balancer-controller')).toMatchObject({
      enableServiceMutatorWebhook: false,
      createIngressClassResource: false,
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      replicaCount: 2,
    });
  });

  test('cluster name, VPC and IRSA role come from the cluster stack', () => {
    const set = Object.fromEntries(controller.set.map((s: any) => [s.name, s.value]));
    expect(set['serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn']).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\./);
    expect(set.clusterName).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(set.vpcId).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(set.region).toBe('eu-west-1');
  });

  test('every controller values key exists in the chart', () => {
    const keys: string[] = [];
    const walk = (node: any, prefix: string) => {
      for (const [k, v] of Object.entries(node)) {
        const p = prefix ? `${prefix}.${k}` : k;
        keys.push(p);
        if (v && typeof v === 'object' && !Array.isArray(v) && !['serviceAccount.annotations', 'resources', 'securityContext', 'podSecurityContext'].includes(p)) walk(v, p);
      }
    };
    walk(releaseValues(json, 'aws-load-balancer-controller'), '');
    keys.push(...controller.set.map((s: any) => s.name.replace(/\.eks\\\.amazonaws\\\.com\/role-arn$/, '')));
    expect(keys.filter((k) => !LOAD_BALANCER_CONTROLLER_VALUES_KEYS.has(k))).toEqual([]);
  });

  test('the TargetGroupBinding is a helm_release of a local chart, never a kubernetes_manifest', () => {
    expect(resources(json, 'kubernetes_manifest')).toHaveLength(0);
    expect(binding.chart).toMatch(/^\.\/assets\//);
    expect(binding.namespace).toBe('kong');
  });

  test('it binds the Terraform-owned target group to the Kong proxy Service TLS port', () => {
    const set = Object.fromEntries(binding.set.map((s: any) => [s.name, s.value]));
    expect(set).toMatchObject({ name: 'kong-gateway-edge', serviceName: 'kong-gateway-kong-proxy', servicePort: '443' });
    expect(set.targetGroupArn).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
  });

  test('the binding is created after the controller (its CRD) and the Kong gateway release', () => {
    const addressOf = (name: string) => `helm_release.${Object.entries(json.resource.helm_release).find(([, r]: [string, any]) => r.name === name)![0]}`;
    expect(binding.depends_on).toEqual(expect.arrayContaining([addressOf('aws-load-balancer-controller'), addressOf('kong-gateway')]));
  });

  test("Kong's proxy Service is cluster-internal and trusts X-Forwarded-For only from the VPC", () => {
    const gateway = releaseValues(json, 'kong-gateway');
    expect(gateway.proxy.type).toBe('ClusterIP');
    expect(gateway.env).toMatchObject({ trusted_ips: '10.0.0.0/16', real_ip_header: 'X-Forwarded-For' });
  });

  test('the gateway values it contributes exist in the kong chart', () => {
    const chartDir = path.join(REPO_ROOT, 'test/fixtures/upstream/kong-charts-3.4.1');
    const keys = new ChartValuesKeys(path.join(chartDir, 'values.yaml'), KONG_CHART_FREE_FORM_PATHS, { templateOnlyKeys: KONG_CHART_TEMPLATE_ONLY_KEYS });
    const addOn = new AwsLoadBalancerControllerAddOn({ clusterName: 'c', region: 'eu-west-1', vpcId: 'v', vpcCidr: '10.0.0.0/16', roleArn: 'r', targetGroupArn: 't' });
    expect(keys.unknownKeys(addOn.gatewayValues(context))).toEqual([]);
  });

  test("the providers reach EKS with the cluster stack's endpoint and CA and a token from aws eks get-token", () => {
    const kubernetes = json.provider.kubernetes[0];
    expect(kubernetes.host).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\./);
    expect(kubernetes.exec[0]).toMatchObject({ api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws' });
    expect(kubernetes.exec[0].args.slice(0, 3)).toEqual(['eks', 'get-token', '--cluster-name']);
    expect(kubernetes.exec[0].args.slice(4)).toEqual(['--region', 'eu-west-1', '--output', 'json']);
    expect(kubernetes.token).toBeUndefined();
    const helm = json.provider.helm[0];
    expect(helm.kubernetes).toMatchObject({ host: kubernetes.host, cluster_ca_certificate: kubernetes.cluster_ca_certificate, exec: kubernetes.exec[0] });
  });

  test("configureEksProviders returns the stack's kubernetes and helm providers", () => {
    const stack = new TerraformStack(Testing.app(), 'p');
    const providers = configureEksProviders(stack, { clusterName: 'c', clusterEndpoint: 'https://e', clusterCertificateAuthority: 'Q0E=', region: 'eu-west-1' });
    expect(providers.kubernetes.terraformResourceType).toBe('kubernetes');
    expect(providers.helm.terraformResourceType).toBe('helm');
  });
});

const base = { clusterName: 'c', region: 'eu-west-1', vpcId: 'v', vpcCidr: '10.0.0.0/16', roleArn: 'r', targetGroupArn: 't' };

describe('AWS Load Balancer Controller add-on: bad input', () => {
  const problemsOf = (props: Partial<AwsLoadBalancerControllerAddOnProps>) => new AwsLoadBalancerControllerAddOn({ ...base, ...props }).validate(platformContext());

  test('a VPC CIDR that is not a CIDR is a problem naming the field', () => {
    expect(problemsOf({ vpcCidr: '10.0.0.0' })).toEqual([{ field: 'vpcCidr', value: '10.0.0.0', message: 'must be an IPv4 CIDR such as 10.0.0.0/16' }]);
  });

  test('a VPC CIDR that is a Terraform reference is a problem: trusted_ips is plain Helm data', () => {
    expect(problemsOf({ vpcCidr: Token.asString({ Ref: 'x' }) })).toEqual([
      expect.objectContaining({ field: 'vpcCidr', message: expect.stringContaining('not a Terraform reference') }),
    ]);
  });

  test.each([0, -1, 1.5, NaN])('replicaCount %p is a problem', (replicaCount) => {
    expect(problemsOf({ replicaCount })).toEqual([{ field: 'replicaCount', value: replicaCount, message: 'must be a whole number >= 1' }]);
  });

  test('good props have no problem', () => {
    expect(problemsOf({ replicaCount: 3 })).toEqual([]);
  });
});

describe('AWS Load Balancer Controller add-on: extraValues', () => {
  test('GIVEN extraValues WHEN deployed THEN they are merged last onto the controller release', () => {
    // GIVEN
    const addOn = new AwsLoadBalancerControllerAddOn({ ...base, extraValues: { replicaCount: 3, nodeSelector: { pool: 'system' } } });
    const stack = new TerraformStack(Testing.app(), 'p');
    new HelmProvider(stack, 'helm', {});
    new KubernetesProvider(stack, 'kubernetes', {});
    const kong = { gateway: new Release(stack, 'g', { name: 'kong-gateway', chart: 'kong' }), controller: new Release(stack, 'c', { name: 'kong-controller', chart: 'kong' }) };
    // WHEN
    addOn.deploy(stack, platformContext(), kong);
    const json = synthJson(stack);
    // THEN
    const release = Object.values<any>(json.resource.helm_release).find((r) => r.name === 'aws-load-balancer-controller');
    const values = parse(release.values[0]);
    expect(values.replicaCount).toBe(3);
    expect(values.nodeSelector).toEqual({ pool: 'system' });
    expect(values.enableServiceMutatorWebhook).toBe(false);
  });
});

/** Writes the TargetGroupBinding chart's files to a fresh temp folder. */
function writeChart(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgb-chart-'));
  for (const [file, content] of Object.entries(TARGET_GROUP_BINDING_CHART_FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describeWithHelm('TargetGroupBinding chart (rendered by helm)', (helm) => {
  test('renders one valid TargetGroupBinding (ip targets, service port) from the release values', () => {
    const dir = writeChart();
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/kong-test-edge-kong/0123456789abcdef';
    const values = ['--set', 'name=kong-gateway-edge', '--set-string', `targetGroupArn=${arn}`, '--set', 'serviceName=kong-gateway-kong-proxy', '--set', 'servicePort=443'];
    const lint = helm().run(['lint', '--strict', dir, ...values]);
    expect([lint.status, lint.stderr]).toEqual([0, '']);
    const objects = helm().template(dir, 'kong-gateway-edge', 'kong', undefined, values);
    expect(objects).toEqual([
      {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name: 'kong-gateway-edge', namespace: 'kong', labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/part-of': 'kong-platform' } },
        spec: { targetGroupARN: arn, targetType: 'ip', serviceRef: { name: 'kong-gateway-kong-proxy', port: 443 } },
      },
    ]);
  });

  test('refuses to render without a target group ARN', () => {
    const dir = writeChart();
    expect(() => helm().template(dir, 'x', 'kong', undefined, ['--set', 'name=x', '--set', 'serviceName=s'])).toThrow(/targetGroupArn is required/);
  });
});

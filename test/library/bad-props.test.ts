/**
 * Library mode: the README's example, written the way a user writes it (KongPlatform straight
 * from the package entry, no environment file), and the bad props a user can pass. Every check
 * of the environment files runs here too, each refused with the construct path, the field, the
 * value and what is allowed, all problems in one PropsValidationError.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AdminApiCertificateIssuer,
  ApiAddOn,
  AwsLoadBalancerControllerAddOn,
  ClusterAccess,
  ContainerImage,
  CustomPlugin,
  DeploymentProfile,
  KongPlatform,
  KongPlatformProps,
  KonnectAddOn,
  MeshAddOn,
  PropsValidationError,
} from '../../index';
import { App, TerraformStack, Testing } from '../../constructs/core/cdktf';
import { DIGEST_A, DIGEST_B } from '../support/platform-fixture';
import { addOnProps } from '../mesh/fixtures';
import { scratchPluginsFolder } from '../support/plugin-folders';
import { synthJson } from '../support/terraform-json';

const PLUGINS = path.resolve(__dirname, '../../plugins');

/** The README's library example (`Use the constructs in your own cdktf app`), with overrides. */
function readmeExample(overrides: (props: KongPlatformProps) => KongPlatformProps = (p) => p): { app: App; stack: TerraformStack; kong: KongPlatform } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'payments-platform');
  ClusterAccess.fromKubeconfig('/tmp/kubeconfig', 'payments-prod').configureProviders(stack);
  const props: KongPlatformProps = {
    environment: 'payments-prod',
    production: true,
    profile: DeploymentProfile.HA,
    images: {
      gateway: ContainerImage.fromDigest('registry.example.com', 'hardened/kong-gateway', DIGEST_A, '3.9.1'),
      controller: ContainerImage.fromDigest('registry.example.com', 'hardened/kubernetes-ingress-controller', DIGEST_B, '3.4.4'),
    },
    applicationNamespaces: [{ name: 'payments' }],
    gateway: { trustedIps: ['10.0.0.0/16'], autoscaling: { minReplicas: 3, maxReplicas: 12 } },
    customPlugins: [CustomPlugin.fromDirectory(path.join(PLUGINS, 'tenant-header'))],
    adminApiCertificates: AdminApiCertificateIssuer.certManager(),
  };
  const kong = new KongPlatform(stack, 'kong', overrides(props));
  return { app, stack, kong };
}

/** The error a construct threw, checked to be the one error type. */
function refusal(build: () => unknown): PropsValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof PropsValidationError) return error;
    throw new Error(`expected a PropsValidationError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
  throw new Error('expected a PropsValidationError, nothing was thrown');
}

/** A custom plugin of the given name (handler and schema), from a scratch folder. */
const pluginNamed = (name: string) => CustomPlugin.fromDirectory(path.join(scratchPluginsFolder([name]), name));

const apis = (section: Record<string, unknown>) => new ApiAddOn({ section: section as any });
const tenantsWithKeys = (pairs: Array<[string, string]>) => pairs.map(([tenant, username]) => ({ name: tenant, namespace: 'payments', consumers: [{ username, keyAuth: {} }] }));
const route = (plugins: unknown[]) => ({
  name: 'orders',
  namespace: 'payments',
  service: { name: 'orders', port: 8080 },
  routes: [{ name: 'all', hosts: ['orders.example.com'] }],
  plugins,
});

describe('library mode: the README example', () => {
  test('GIVEN the README props WHEN synthesized THEN both Kong releases (and the Admin API certificates) exist and the guardrails pass in production', () => {
    const { stack } = readmeExample();
    const json = JSON.parse(Testing.synth(stack, true));
    expect(
      Object.values(json.resource.helm_release)
        .map((r: any) => r.name)
        .sort(),
    ).toEqual(['kong-controller', 'kong-gateway', 'kong-gateway-admin-api-certificates']);
  });
});

// [what, override, field, value text, part of what is allowed]
const BAD_PROPS: Array<[string, (p: KongPlatformProps) => KongPlatformProps, string, string, string]> = [
  ['negative replicas', (p) => ({ ...p, gateway: { replicas: -1 } }), 'gateway.replicas', '-1', 'whole number from 1 to 100'],
  ['NaN replicas', (p) => ({ ...p, gateway: { replicas: NaN } }), 'gateway.replicas', 'NaN', 'whole number from 1 to 100'],
  [
    'Infinity max replicas',
    (p) => ({ ...p, gateway: { autoscaling: { minReplicas: 3, maxReplicas: Infinity } } }),
    'gateway.autoscaling.maxReplicas',
    'Infinity',
    'whole number from 1 to 100',
  ],
  ['fractional controller replicas', (p) => ({ ...p, controller: { replicas: 2.5 } }), 'controller.replicas', '2.5', 'whole number from 1 to 10'],
  ['a single gateway pod in the ha profile', (p) => ({ ...p, gateway: { replicas: 1 } }), 'gateway.replicas', '1', 'at least 2 in the ha profile'],
  [
    'autoscaling min above max',
    (p) => ({ ...p, gateway: { autoscaling: { minReplicas: 8, maxReplicas: 4 } } }),
    'gateway.autoscaling.minReplicas',
    '8',
    'must not exceed maxReplicas (4)',
  ],
  ['a namespace that is no DNS-1123 label', (p) => ({ ...p, systemNamespace: 'Kong_System' }), 'systemNamespace', '"Kong_System"', 'DNS-1123 label'],
  ['Kong in kube-system', (p) => ({ ...p, systemNamespace: 'kube-system' }), 'systemNamespace', '"kube-system"', 'must not be a Kubernetes or cloud system namespace'],
  [
    'an application namespace that is a system namespace',
    (p) => ({ ...p, applicationNamespaces: [{ name: 'kube-public' }] }),
    'applicationNamespaces.0.name',
    '"kube-public"',
    'must not be a Kubernetes or cloud system namespace',
  ],
  [
    'an application namespace that is no DNS-1123 label',
    (p) => ({ ...p, applicationNamespaces: [{ name: 'Payments' }] }),
    'applicationNamespaces.0.name',
    '"Payments"',
    'DNS-1123 label',
  ],
  ['an environment name with a space', (p) => ({ ...p, environment: 'payments prod' }), 'environment', '"payments prod"', 'DNS-1123 label'],
  [
    'privileged Pod Security in production',
    (p) => ({ ...p, podSecurityLevel: 'privileged' }),
    'podSecurityLevel',
    '"privileged"',
    '"restricted" or "baseline" on a production platform',
  ],
  [
    'trusted IPs 0.0.0.0/0 in production',
    (p) => ({ ...p, gateway: { ...p.gateway, trustedIps: ['0.0.0.0/0'] } }),
    'gateway.trustedIps',
    '["0.0.0.0/0"]',
    'must not contain 0.0.0.0/0',
  ],
  [
    'the Admin API as a LoadBalancer through extraValues',
    (p) => ({ ...p, gateway: { ...p.gateway, extraValues: { admin: { type: 'LoadBalancer' } } } }),
    'gateway.extraValues.admin.type',
    '"LoadBalancer"',
    'must stay "ClusterIP"',
  ],
  [
    'an application namespace reusing the Kong namespace',
    (p) => ({ ...p, applicationNamespaces: [{ name: 'kong' }] }),
    'applicationNamespaces.0.name',
    '"kong"',
    "never share Kong's namespace",
  ],
  [
    'a watched namespace that is not declared',
    (p) => ({ ...p, controller: { watchNamespaces: ['billing'] } }),
    'controller.watchNamespaces.0',
    '"billing"',
    'allowed: "kong", "payments"',
  ],
  [
    'a custom plugin named like a bundled one',
    (p) => ({ ...p, customPlugins: [pluginNamed('key-auth')] }),
    'customPlugins.0',
    '"key-auth"',
    'is the name of a plugin bundled with Kong',
  ],
  [
    'a namespace label value Kubernetes refuses',
    (p) => ({ ...p, applicationNamespaces: [{ name: 'payments', labels: { team: 'pay ments' } }] }),
    'applicationNamespaces.0.labels.team',
    '"pay ments"',
    'must be valid Kubernetes label syntax',
  ],
  [
    'requests above limits',
    (p) => ({ ...p, controller: { resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '256Mi' } } } }),
    'controller.resources.requests.memory',
    '"512Mi"',
    'must not exceed limits.memory (256Mi)',
  ],
  [
    'two releases of one name',
    (p) => ({ ...p, releaseNames: { gateway: 'kong', controller: 'kong' } }),
    'releaseNames.controller',
    '"kong"',
    'must differ from releaseNames.gateway',
  ],
  [
    'an ACL group no consumer has (typo)',
    (p) => ({
      ...p,
      addOns: [
        apis({
          tenants: [{ name: 'shop', namespace: 'payments', consumers: [{ username: 'web', aclGroups: ['buyers'], keyAuth: { existingSecret: 'web-key' } }] }],
          apis: [route([{ plugin: 'key-auth' }, { plugin: 'acl', options: { allow: ['buyer'] } }])],
        }),
      ],
    }),
    'addOns.0(apis).section.apis.0.plugins.1.options.allow.0',
    '"buyer"',
    'no consumer is in ACL group "buyer"',
  ],
  [
    'an enterprise-only plugin on the OSS image',
    (p) => ({ ...p, addOns: [apis({ apis: [route([{ plugin: 'openid-connect', options: { issuer: 'https://idp.example.com/' } }])] })] }),
    'addOns.0(apis).section.apis.0.plugins.0.plugin',
    '"openid-connect"',
    'needs Kong Gateway Enterprise',
  ],
  [
    'a custom plugin referenced but not loaded',
    (p) => ({ ...p, customPlugins: [], addOns: [apis({ apis: [route([{ plugin: 'key-auth' }, { plugin: 'tenant-header' }])] })] }),
    'addOns.0(apis).section.apis.0.plugins.1.plugin',
    '"tenant-header"',
    'custom plugin "tenant-header" is not enabled',
  ],
  [
    'two consumers whose API key variables collide after normalisation',
    (p) => ({
      ...p,
      addOns: [
        apis({
          tenants: tenantsWithKeys([
            ['team-a', 'b'],
            ['team', 'a-b'],
          ]),
        }),
      ],
    }),
    'addOns.0(apis).section.tenants.1.consumers.0.username',
    '"a-b"',
    'its API key variable apikey_team_a_b',
  ],
];

describe('library mode: bad props are refused with path, field, value and what is allowed', () => {
  test.each(BAD_PROPS)('GIVEN %s WHEN KongPlatform is built THEN it is refused', (_what, override, field, value, allowed) => {
    const error = refusal(() => readmeExample(override));
    const problem = error.problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    expect(problem!.constructPath).toBe('payments-platform/kong');
    expect(problem!.message).toContain(allowed);
    expect(error.message).toContain(`payments-platform/kong: ${field}: `);
    expect(error.message).toContain(`got ${value}`);
  });

  test('GIVEN several bad props at once THEN every problem is in the one error', () => {
    const error = refusal(() =>
      readmeExample((p) => ({
        ...p,
        environment: 'Payments',
        podSecurityLevel: 'privileged',
        gateway: { replicas: NaN, trustedIps: ['0.0.0.0/0'] },
        controller: { replicas: -3 },
      })),
    );
    expect(error.problems.map((p) => p.field).sort()).toEqual(['controller.replicas', 'environment', 'gateway.replicas', 'gateway.trustedIps', 'podSecurityLevel']);
    expect(error.message).toMatch(/^Invalid construct props \(5 problems\):\n/);
  });

  test('GIVEN required props missing (a JavaScript caller) THEN a clear problem, not a TypeError', () => {
    const error = refusal(() => readmeExample(() => ({}) as KongPlatformProps));
    expect(error.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['environment', 'images']));
  });

  test('GIVEN the same values outside production THEN the production-only rules do not apply', () => {
    expect(() => readmeExample((p) => ({ ...p, production: false, podSecurityLevel: 'privileged', gateway: { trustedIps: ['0.0.0.0/0'] } }))).not.toThrow();
  });
});

describe('library mode: policy guardrails are on by default', () => {
  const privilegedGateway = (p: KongPlatformProps): KongPlatformProps => ({ ...p, gateway: { ...p.gateway, extraValues: { containerSecurityContext: { privileged: true } } } });

  test('GIVEN a production platform running a privileged gateway container WHEN synthesized with validation THEN synth fails naming the rule', () => {
    const { stack } = readmeExample(privilegedGateway);
    expect(() => Testing.synth(stack, true)).toThrow(/KP-K8S-003/);
  });

  test('GIVEN the Admin API listening on plain HTTP on 0.0.0.0 through extraValues WHEN synthesized THEN the guardrail KP-KONG-002 refuses it', () => {
    const { stack } = readmeExample((p) => ({ ...p, gateway: { ...p.gateway, extraValues: { env: { admin_listen: '0.0.0.0:8001' } } } }));
    expect(() => Testing.synth(stack, true)).toThrow(/KP-KONG-002 .*env\.admin_listen serves the Admin API over plain HTTP on 0\.0\.0\.0:8001/);
  });

  test('GIVEN the same violation with a written waiver THEN synth passes', () => {
    const { stack } = readmeExample((p) => ({
      ...privilegedGateway(p),
      policy: {
        waivers: [
          { rule: 'KP-K8S-003', reason: 'eBPF probe needs it until the node agent ships, ticket SEC-123' },
          { rule: 'KP-HELM-008', reason: 'the same eBPF probe setting, reviewed in SEC-123 until a typed prop exists' },
        ],
      },
    }));
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('GIVEN a waiver with no real reason THEN it is refused like in an environment file', () => {
    expect(() => readmeExample((p) => ({ ...p, policy: { waivers: [{ rule: 'KP-K8S-003', reason: 'because' }] } }))).toThrow(/needs a written reason of at least 20 characters/);
  });

  test('GIVEN a non-production platform with the violation THEN it is a warning, synth passes', () => {
    const { stack } = readmeExample((p) => ({ ...privilegedGateway(p), production: false }));
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe('library mode: add-on props are plain objects with defaults applied inside the add-on', () => {
  const konnect = (section: Record<string, unknown>) => {
    const stack = new TerraformStack(Testing.app(), 'payments-platform');
    return { stack, addOn: new KonnectAddOn(stack, 'konnect', { section: section as any, environment: 'payments-prod' }) };
  };

  test('GIVEN only { enabled: true } WHEN the Konnect add-on is built THEN the defaults apply (no TypeError on a missing field)', () => {
    const { addOn } = konnect({ enabled: true });
    expect(addOn.secretName).toBeTruthy();
    expect(addOn.controllerMode).toBe('disabled');
  });

  test.each([
    [{ enabled: true, mode: 'self-managed' }, 'section.selfManaged', 'is required when mode is "self-managed"'],
    [{ enabled: true, region: 'mars' }, 'section.region', "Invalid enum value. Expected 'us' | 'eu' | 'au' | 'me' | 'in'"],
    [{ enabled: true, certificat: {} }, 'section', "Unrecognized key(s) in object: 'certificat'"],
  ])('GIVEN Konnect settings %j THEN refused at %s', (section, field, message) => {
    const error = refusal(() => konnect(section));
    expect(error.problems).toContainEqual(expect.objectContaining({ constructPath: 'payments-platform/konnect', field, message: expect.stringContaining(message) }));
  });
});

describe('library mode: extraValues of every add-on that owns a Helm release are under the same guardrails', () => {
  test('GIVEN a privileged mesh control plane through the mesh add-on extraValues on a production platform WHEN synthesized THEN KP-K8S-003 refuses it', () => {
    const mesh = new MeshAddOn(addOnProps({ extraValues: { kuma: { controlPlane: { containerSecurityContext: { privileged: true } } } } }));
    const { stack } = readmeExample((p) => ({ ...p, applicationNamespaces: [{ name: 'pay' }, { name: 'shop' }], addOns: [mesh] }));
    const json = synthJson(stack);
    const release = Object.values(json.resource.helm_release as Record<string, any>).find((r) => r.chart === 'kong-mesh');
    expect(release.values[0]).toMatch(/privileged: true/);
    expect(() => Testing.synth(stack, true)).toThrow(/KP-K8S-003/);
  });
});

describe('library mode: the AWS Load Balancer Controller add-on under the same contract', () => {
  const alb = (props: Partial<ConstructorParameters<typeof AwsLoadBalancerControllerAddOn>[0]> = {}) =>
    new AwsLoadBalancerControllerAddOn({ clusterName: 'c', region: 'eu-west-1', vpcId: 'v', vpcCidr: '10.0.0.0/16', roleArn: 'r', targetGroupArn: 't', ...props });

  test('GIVEN a privileged controller through its extraValues on a production platform WHEN synthesized THEN KP-K8S-003 refuses it', () => {
    // GIVEN
    const { stack } = readmeExample((p) => ({ ...p, addOns: [alb({ extraValues: { securityContext: { privileged: true } } })] }));
    // WHEN
    const json = synthJson(stack);
    // THEN the value reaches the release, and the guardrail reads it there
    const release = Object.values(json.resource.helm_release as Record<string, any>).find((r) => r.chart === 'aws-load-balancer-controller');
    expect(release.values[0]).toMatch(/privileged: true/);
    expect(() => Testing.synth(stack, true)).toThrow(/KP-K8S-003/);
  });

  test('GIVEN bad props of two add-ons and of the platform THEN every problem is in the one error, each under its add-on', () => {
    // GIVEN
    const mesh = new MeshAddOn(addOnProps({ mtls: { mode: 'PERMISSIVE', caRsaBits: 4096, caExpiration: '5y', dpCertRotation: '24h' } }));
    // WHEN
    const error = refusal(() =>
      readmeExample((p) => ({
        ...p,
        environment: 'Payments',
        applicationNamespaces: [{ name: 'pay' }, { name: 'shop' }],
        addOns: [alb({ vpcCidr: '10.0.0.0', replicaCount: 0 }), mesh],
      })),
    );
    // THEN
    expect(error.problems.map((p) => p.field).sort()).toEqual([
      'addOns.0(aws-load-balancer-controller).replicaCount',
      'addOns.0(aws-load-balancer-controller).vpcCidr',
      'addOns.1(mesh).mtls.mode',
      'environment',
    ]);
    expect(error.message).toContain('payments-platform/kong: addOns.0(aws-load-balancer-controller).vpcCidr: must be an IPv4 CIDR such as 10.0.0.0/16, got "10.0.0.0"');
  });
});

describe('library mode: weak cryptography in the API add-on', () => {
  test('GIVEN an expired CA certificate and an RSA-1024 JWT key WHEN KongPlatform is built THEN both are in the one error', () => {
    // GIVEN
    const fixture = (file: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'apis', file), 'utf8');
    const addOn = apis({
      certificates: { authorities: [{ name: 'partners', namespace: 'payments', pem: fixture('expired-ca.pem') }] },
      tenants: [{ name: 'shop', namespace: 'payments', consumers: [{ username: 'batch', jwt: { issuer: 'https://idp.example.com', publicKey: fixture('rsa1024-public.pem') } }] }],
    });
    // WHEN
    const error = refusal(() => readmeExample((p) => ({ ...p, addOns: [addOn] })));
    // THEN
    expect(error.problems.map((p) => [p.field, p.message])).toEqual(
      expect.arrayContaining([
        ['addOns.0(apis).section.certificates.authorities.0.pem', expect.stringContaining('expired on 2021-01-01')],
        ['addOns.0(apis).section.tenants.0.consumers.0.jwt.publicKey', 'has an RSA key of 1024 bits; at least 2048 are required'],
      ]),
    );
  });
});

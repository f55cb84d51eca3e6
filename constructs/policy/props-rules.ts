/**
 * The rules that run before anything is synthesized, as one catalogue: the rules on construct
 * props (checked by the constructs themselves, so library users get them) and the rules on
 * environment files (config/, which maps a file onto those props). docs/policy.md lists them next
 * to the synth-time policy rules; test/policy/props-rules.test.ts runs every example below against
 * a sample environment file, so an entry whose rule changed or went away fails.
 *
 * The catalogue is data: it names where each rule lives and the field it guards, it does not call
 * the rules (they stay where docs/architecture.md puts them).
 */

/** Where a rule lives: the construct (or add-on, or section of the library) that checks it, or the environment-file layer. */
export type PropsRuleWhere =
  | 'KongPlatform'
  | 'ContainerImage'
  | 'CustomPlugin'
  | 'ApiAddOn'
  | 'KongApi'
  | 'API plugins'
  | 'MeshAddOn'
  | 'mesh section'
  | 'KonnectControlPlane'
  | 'SelfManagedControlPlane'
  | 'konnect section'
  | 'AwsNetwork'
  | 'HardenedEksCluster'
  | 'EksManagedNodeGroup'
  | 'VpcCni'
  | 'EksClusterStack'
  | 'EdgeCertificate'
  | 'EdgeLoadBalancer'
  | 'SecureBucket'
  | 'AwsLoadBalancerControllerAddOn'
  | 'HardenedAksCluster'
  | 'AksClusterStack'
  | 'AzureNetwork'
  | 'AzureContainerRegistry'
  | 'ApplicationGatewayEdge'
  | 'AzureEdgeAddOn'
  | 'TerraformStateStorage'
  | 'environment file';

/** A file of a plugin folder in an example: its Lua source, or a symbolic link. */
export type PropsRuleExampleFile = string | { readonly symlinkTo: string };

/** How to trigger a rule from an environment file. */
export interface PropsRuleExample {
  /**
   * A partial environment file, deep-merged over a valid sample environment (maps merge, lists
   * replace, `undefined` removes a key). The sample is picked by `sample` and the rule's
   * `productionOnly` (a production sample when true).
   */
  readonly file: Readonly<Record<string, unknown>>;
  /**
   * Where the problem is reported. `load` stage: the issue path as the loader reports it
   * (`namespaces.system`). `synth` stage: the field the construct's error names (the file field
   * for KongPlatform and add-on problems, mapped by config/props-issues.ts; the construct prop for
   * a cloud construct's `invalid <field>` error).
   */
  readonly expectPath: string;
  /** The sample environment the patch applies to. @default hybrid (onprem-hybrid.yaml) */
  readonly sample?: 'hybrid' | 'aws' | 'azure';
  /**
   * When the rule fires: `load`, when the file is validated (`validateEnvironment`, nothing is
   * built), or `synth`, when the stacks are built from the valid file (construct time, before
   * anything is written). @default load
   */
  readonly stage?: 'load' | 'synth';
  /** Plugin folders the example adds beside `plugins/` (folder -> file -> source); handler.lua and schema.lua default to minimal ones. */
  readonly plugins?: Readonly<Record<string, Readonly<Record<string, PropsRuleExampleFile>>>>;
  /** YAML text appended to the sample file's text, for rules on the text itself (read with `parseEnvironmentText`). */
  readonly appendYaml?: string;
}

interface PropsRuleBase {
  /** Stable id, `KP-PROPS-<AREA>-<nnn>`. */
  readonly id: string;
  /** Where the rule lives. */
  readonly where: PropsRuleWhere;
  /** The guarded prop or file field (`<i>` for list indexes); the construct's prop name for library-only rules. */
  readonly field: string;
  /** One line: what is refused. */
  readonly rule: string;
  /** The rule applies to production environments only. */
  readonly productionOnly: boolean;
  /** Checkov checks covering the same ground, only where a real one does. */
  readonly checkov?: readonly string[];
}

/** A props or environment-file rule. */
export type PropsRule =
  | (PropsRuleBase & { readonly example: PropsRuleExample; readonly libraryOnly?: undefined })
  | (PropsRuleBase & {
      /** Library-only rules cannot be reached through an environment file. */
      readonly example: undefined;
      readonly libraryOnly: true;
      /** Why no environment file reaches it. */
      readonly reason: string;
    });

/** Valid id of a props rule: `KP-PROPS-<AREA>-<nnn>`. */
export const PROPS_RULE_ID = /^KP-PROPS-(KONG|APIS|MESH|KONNECT|AWS|AZURE|FILE)-\d{3}$/;

/** A minimal valid API of the `payments` namespace, for the examples (`extra` replaces fields). */
const api = (extra: Record<string, unknown> = {}) => ({
  name: 'orders',
  namespace: 'payments',
  service: { name: 'orders', port: 8080 },
  routes: [{ name: 'main', hosts: ['orders.example.com'], plugins: [{ plugin: 'key-auth' }] }],
  ...extra,
});
/** An API whose API-level plugins are `plugins`. */
const apiWithPlugins = (...plugins: Array<Record<string, unknown>>) => ({ apis: { apis: [api({ plugins })] } });
/** An `apis:` section with one tenant `name` of the `payments` namespace and these consumers. */
const tenantWith = (name: string, ...consumers: Array<Record<string, unknown>>) => ({ apis: { tenants: [{ name, namespace: 'payments', consumers }] } });
/** A waiver that is valid on its own. */
const waiver = (extra: Record<string, unknown> = {}) => ({ rule: 'KP-MESH-002', reason: 'Mesh rollout: workloads join the mesh this quarter', ...extra });

/** Every rule on construct props and environment files, grouped by where it lives. */
export const PROPS_RULES: readonly PropsRule[] = [
  // --- KongPlatform (constructs/kong/kong-platform-rules.ts) ------------------------------------
  {
    id: 'KP-PROPS-KONG-001',
    where: 'KongPlatform',
    field: 'systemNamespace',
    rule: 'environment, namespaces, the pull Secret, the ingress class and release names that are not DNS-1123 labels',
    productionOnly: false,
    example: { file: { namespaces: { system: 'Kong_System' } }, expectPath: 'namespaces.system' },
  },
  {
    id: 'KP-PROPS-KONG-002',
    where: 'KongPlatform',
    field: 'profile',
    rule: 'a production platform in the dev profile (production runs the ha profile)',
    productionOnly: true,
    example: { file: { profile: 'dev' }, expectPath: 'profile' },
  },
  {
    id: 'KP-PROPS-KONG-003',
    where: 'KongPlatform',
    field: 'systemNamespace',
    rule: 'a Kong namespace that is a Kubernetes or cloud system namespace (`default`, `kube-*`, ...): it is labelled restricted and default-deny',
    productionOnly: false,
    example: { file: { namespaces: { system: 'kube-system' } }, expectPath: 'namespaces.system' },
  },
  {
    id: 'KP-PROPS-KONG-004',
    where: 'KongPlatform',
    field: 'applicationNamespaces.<i>.name',
    rule: "an application namespace that is Kong's own, a system namespace, or declared twice",
    productionOnly: false,
    example: { file: { namespaces: { applications: [{ name: 'payments' }, { name: 'accounts' }, { name: 'kong' }] } }, expectPath: 'namespaces.applications.2.name' },
  },
  {
    id: 'KP-PROPS-KONG-005',
    where: 'KongPlatform',
    field: 'applicationNamespaces.<i>.labels',
    rule: 'namespace labels that are not Kubernetes label syntax (the API server refuses them at apply)',
    productionOnly: false,
    example: {
      file: { namespaces: { applications: [{ name: 'payments' }, { name: 'accounts', labels: { team: 'core banking' } }] } },
      expectPath: 'namespaces.applications.1.labels.team',
    },
  },
  {
    id: 'KP-PROPS-KONG-023',
    where: 'KongPlatform',
    field: 'applicationNamespaces.<i>.labels',
    rule: 'namespace labels the platform owns: pod-security.kubernetes.io/* (the Pod Security level) and kong-platform.io/* (what the network policies admit)',
    productionOnly: false,
    example: {
      file: { namespaces: { applications: [{ name: 'payments' }, { name: 'accounts', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }] } },
      expectPath: 'namespaces.applications.1.labels.pod-security.kubernetes.io/enforce',
    },
  },
  {
    id: 'KP-PROPS-KONG-024',
    where: 'KongPlatform',
    field: 'images.controller.digest',
    rule: "a production controller image with the gateway's digest (two images cannot share one: a copied digest)",
    productionOnly: true,
    example: { file: { images: { controller: { digest: 'sha256:2b8f4f1c9d3e5a7b6c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b' } } }, expectPath: 'images.controller.digest' },
  },
  {
    id: 'KP-PROPS-KONG-006',
    where: 'KongPlatform',
    field: 'podSecurityLevel',
    rule: 'a Pod Security level other than restricted, baseline or privileged, and privileged on a production platform',
    productionOnly: true,
    example: undefined,
    libraryOnly: true,
    reason: 'environment files have no Pod Security level; their namespaces are always restricted',
  },
  {
    id: 'KP-PROPS-KONG-007',
    where: 'KongPlatform',
    field: 'gateway.replicas',
    rule: 'replica counts, autoscaling bounds and the drain timeout that are not whole numbers in range (NaN, fractions, negatives)',
    productionOnly: false,
    example: { file: { gateway: { replicas: 0 } }, expectPath: 'gateway.replicas' },
  },
  {
    id: 'KP-PROPS-KONG-008',
    where: 'KongPlatform',
    field: 'gateway.autoscaling.minReplicas',
    rule: 'an autoscaling minimum above its maximum',
    productionOnly: false,
    example: { file: { gateway: { autoscaling: { minReplicas: 4, maxReplicas: 3 } } }, expectPath: 'gateway.autoscaling.minReplicas' },
  },
  {
    id: 'KP-PROPS-KONG-009',
    where: 'KongPlatform',
    field: 'gateway.replicas',
    rule: "fewer than 2 gateway pods (replicas, or autoscaling.minReplicas) or 2 controller replicas in the ha profile (production's)",
    productionOnly: false,
    example: { file: { profile: 'ha', gateway: { replicas: 1 } }, expectPath: 'gateway.replicas' },
  },
  {
    id: 'KP-PROPS-KONG-010',
    where: 'KongPlatform',
    field: 'gateway.trustedIps',
    rule: '0.0.0.0/0 in the trusted IPs of a production gateway (any client could forge its address)',
    productionOnly: true,
    example: { file: { gateway: { trustedIps: ['0.0.0.0/0'] } }, expectPath: 'gateway.trustedIps' },
  },
  {
    id: 'KP-PROPS-KONG-011',
    where: 'KongPlatform',
    field: 'gateway.resources.requests.cpu',
    rule: 'CPU or memory requests above their limits (gateway, controller)',
    productionOnly: false,
    example: { file: { gateway: { resources: { requests: { cpu: '2', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } } }, expectPath: 'gateway.resources.requests.cpu' },
  },
  {
    id: 'KP-PROPS-KONG-012',
    where: 'KongPlatform',
    field: 'gateway.extraValues.admin',
    rule: 'extraValues that expose the Admin API (admin.type other than ClusterIP, admin.ingress.enabled) or serve it over plain HTTP (admin.http.enabled)',
    productionOnly: false,
    example: { file: { gateway: { extraValues: { admin: { type: 'NodePort' } } } }, expectPath: 'gateway.extraValues.admin.type' },
  },
  {
    id: 'KP-PROPS-KONG-013',
    where: 'KongPlatform',
    field: 'controller.watchNamespaces.<i>',
    rule: 'a watched namespace that is neither the Kong namespace nor a declared application namespace',
    productionOnly: false,
    example: { file: { controller: { watchNamespaces: ['billing'] } }, expectPath: 'controller.watchNamespaces.0' },
  },
  {
    id: 'KP-PROPS-KONG-014',
    where: 'KongPlatform',
    field: 'customPlugins.<i>',
    rule: 'a custom plugin listed twice, or named like a plugin bundled with Kong or Kong Gateway Enterprise (it would replace that plugin everywhere: a no-op mtls-auth turns authentication off)',
    productionOnly: false,
    example: { file: { plugins: { custom: ['tenant-header', 'cors'] } }, plugins: { cors: {} }, expectPath: 'plugins.custom.1' },
  },
  {
    id: 'KP-PROPS-KONG-015',
    where: 'KongPlatform',
    field: 'releaseNames.controller',
    rule: 'gateway and controller releases of the same name',
    productionOnly: false,
    example: undefined,
    libraryOnly: true,
    reason: 'environment files have no release names; they are always kong-gateway and kong-controller',
  },
  {
    id: 'KP-PROPS-KONG-016',
    where: 'KongPlatform',
    field: 'addOns.<i>.id',
    rule: 'an add-on without an id, or two add-ons with one id',
    productionOnly: false,
    example: undefined,
    libraryOnly: true,
    reason: "an environment file's sections add each add-on once",
  },
  // --- ContainerImage, CustomPlugin (constructs/kong) -------------------------------------------
  {
    id: 'KP-PROPS-KONG-017',
    where: 'ContainerImage',
    field: 'tag',
    rule: 'the image tag "latest"',
    productionOnly: false,
    checkov: ['CKV_K8S_14'],
    example: { file: { images: { gateway: { tag: 'latest' } } }, expectPath: 'images.gateway.tag' },
  },
  {
    id: 'KP-PROPS-KONG-018',
    where: 'ContainerImage',
    field: 'registry',
    rule: 'image references a kubelet cannot pull: a registry with a scheme or credentials, an invalid repository path or tag, a digest other than `sha256:<64 hex>`',
    productionOnly: false,
    example: { file: { images: { registry: 'https://registry.internal.example.com' } }, expectPath: 'images.registry' },
  },
  {
    id: 'KP-PROPS-KONG-019',
    where: 'CustomPlugin',
    field: 'customPlugins.<i>',
    rule: 'a plugin folder without handler.lua and schema.lua',
    productionOnly: false,
    example: { file: { plugins: { custom: ['tenant-header', 'no-such-plugin'] } }, expectPath: 'plugins.custom.1' },
  },
  {
    id: 'KP-PROPS-KONG-020',
    where: 'CustomPlugin',
    field: 'customPlugins.<i>',
    rule: 'a Lua file that does not parse as LuaJIT (Kong would fail to load it at start)',
    productionOnly: false,
    example: { file: { plugins: { custom: ['tenant-header', 'broken'] } }, plugins: { broken: { 'handler.lua': 'return {' } }, expectPath: 'plugins.custom.1' },
  },
  {
    id: 'KP-PROPS-KONG-021',
    where: 'CustomPlugin',
    field: 'customPlugins.<i>',
    rule: 'more Lua than fits a ConfigMap (900 KiB)',
    productionOnly: false,
    example: { file: { plugins: { custom: ['tenant-header', 'huge'] } }, plugins: { huge: { 'big.lua': `--${'x'.repeat(921_600)}\n` } }, expectPath: 'plugins.custom.1' },
  },
  {
    id: 'KP-PROPS-KONG-022',
    where: 'CustomPlugin',
    field: 'customPlugins.<i>',
    rule: 'sub-folders, and symbolic links to files outside the plugin folder',
    productionOnly: false,
    example: {
      file: { plugins: { custom: ['tenant-header', 'linked'] } },
      plugins: { linked: { 'secret.lua': { symlinkTo: '/etc/passwd' } } },
      expectPath: 'plugins.custom.1',
    },
  },
  {
    id: 'KP-PROPS-KONG-025',
    where: 'KongPlatform',
    field: 'adminApiCertificates.reissueEveryDays',
    rule: 'a cert-manager re-issue period of the Admin API certificates outside 7-120 whole days (each re-issue rolls the pods)',
    productionOnly: false,
    example: { file: { controller: { adminApiCertificates: { issuer: 'cert-manager', reissueEveryDays: 365 } } }, expectPath: 'controller.adminApiCertificates.reissueEveryDays' },
  },

  // --- ApiAddOn: the apis section's rules (constructs/apis/apis-section.ts checkApisRules) ------
  {
    id: 'KP-PROPS-APIS-001',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.namespace',
    rule: 'APIs, tenants, consumer groups and certificates outside the application namespaces',
    productionOnly: false,
    example: { file: { apis: { apis: [api({ namespace: 'billing' })] } }, expectPath: 'apis.apis.0.namespace' },
  },
  {
    id: 'KP-PROPS-APIS-002',
    where: 'ApiAddOn',
    field: 'section.gateway',
    rule: 'Gateway API routing without the Gateway the HTTPRoutes attach to',
    productionOnly: false,
    example: { file: { apis: { routing: 'gateway-api' } }, expectPath: 'apis.gateway' },
  },
  {
    id: 'KP-PROPS-APIS-003',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.name',
    rule: 'names declared twice: APIs and consumer groups per namespace, routes per API, CA certificates and consumer usernames across the gateway',
    productionOnly: false,
    example: { file: { apis: { apis: [api(), api()] } }, expectPath: 'apis.apis.1.name' },
  },
  {
    id: 'KP-PROPS-APIS-004',
    where: 'ApiAddOn',
    field: 'section.certificates.authorities.<i>.pem',
    rule: 'a CA certificate that is not exactly one PEM block of a CA valid today with an RSA key of 2048+ bits, or that contains a private key',
    productionOnly: false,
    example: {
      file: {
        apis: {
          certificates: {
            authorities: [
              { name: 'payments-partners-ca', namespace: 'payments', pem: 'issuer: partners\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
              { name: 'payments-upstream-ca', namespace: 'payments', existingSecret: { name: 'payments-upstream-ca', id: '0b0c9a1e-6d4a-4b7e-9a1c-2e5f7d8b9c0a' } },
            ],
          },
        },
      },
      expectPath: 'apis.certificates.authorities.0.pem',
    },
  },
  {
    id: 'KP-PROPS-APIS-005',
    where: 'ApiAddOn',
    field: 'section.tenants.<i>.consumers.<j>.consumerGroups.<k>',
    rule: "a consumer in a consumer group not declared in the tenant's namespace",
    productionOnly: false,
    example: {
      file: tenantWith('acme', { username: 'acme-web', consumerGroups: ['silver'] }),
      expectPath: 'apis.tenants.0.consumers.0.consumerGroups.0',
    },
  },
  {
    id: 'KP-PROPS-APIS-006',
    where: 'ApiAddOn',
    field: 'section.tenants.<i>.consumers.<j>.username',
    rule: 'two consumers whose API key variables (`apikey_<tenant>_<consumer>`, "-" read as "_") collide',
    productionOnly: false,
    example: {
      file: {
        apis: {
          tenants: [
            { name: 'a-b', namespace: 'payments', consumers: [{ username: 'c', keyAuth: {} }] },
            { name: 'a', namespace: 'payments', consumers: [{ username: 'b-c', keyAuth: {} }] },
          ],
        },
      },
      expectPath: 'apis.tenants.1.consumers.0.username',
    },
  },
  {
    id: 'KP-PROPS-APIS-007',
    where: 'ApiAddOn',
    field: 'section.tenants.<i>.consumers.<j>.jwt.publicKey',
    rule: "a JWT public key that is not one PEM public key of the algorithm's type (RSA 2048+ bits for `RS*`, the curve for `ES*`), or that contains a private key",
    productionOnly: false,
    example: {
      file: tenantWith('globex', { username: 'globex-app', jwt: { issuer: 'https://idp.example.com', publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' } }),
      expectPath: 'apis.tenants.0.consumers.0.jwt.publicKey',
    },
  },
  {
    id: 'KP-PROPS-APIS-008',
    where: 'ApiAddOn',
    field: 'section.tenants.<i>.consumers.<j>.mtlsSubjectName',
    rule: 'one credential for two consumers: a JWT key or issuer, a client certificate subject, an API key Secret',
    productionOnly: false,
    example: {
      file: tenantWith('acme', { username: 'acme-one', mtlsSubjectName: 'settlement.acme.example.com' }, { username: 'acme-two', mtlsSubjectName: 'Settlement.acme.example.com' }),
      expectPath: 'apis.tenants.0.consumers.1.mtlsSubjectName',
    },
  },
  {
    id: 'KP-PROPS-APIS-009',
    where: 'ApiAddOn',
    field: 'section.apis.<i>',
    rule: 'a production API with a route no authentication plugin covers (API, route or global), unless it is public: true',
    productionOnly: true,
    example: { file: { apis: { apis: [api({ routes: [{ name: 'main', hosts: ['orders.example.com'] }] })] } }, expectPath: 'apis.apis.0' },
  },
  {
    id: 'KP-PROPS-APIS-010',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.routes.<j>',
    rule: 'a production public route that takes requests of an authenticated route (Kong picks it by host, then path precedence)',
    productionOnly: true,
    example: {
      file: {
        apis: {
          apis: [
            api({ routes: [{ name: 'main', hosts: ['orders.example.com'], paths: ['/v1'], plugins: [{ plugin: 'key-auth' }] }] }),
            api({ name: 'docs', public: true, routes: [{ name: 'docs', hosts: ['orders.example.com'], paths: ['/v1/orders'] }] }),
          ],
        },
      },
      expectPath: 'apis.apis.1.routes.0',
    },
  },
  {
    id: 'KP-PROPS-APIS-011',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.service.tlsVerify',
    rule: 'a production https or grpcs upstream with tlsVerify: false and no tlsVerifyWaiver',
    productionOnly: true,
    example: { file: { apis: { apis: [api({ service: { name: 'orders', port: 8443, protocol: 'https', tlsVerify: false } })] } }, expectPath: 'apis.apis.0.service.tlsVerify' },
  },
  {
    id: 'KP-PROPS-APIS-012',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.service',
    rule: 'upstream TLS settings where they do nothing: tlsVerify, tlsVerifyDepth, caCertificates or clientCertificate on an http upstream, a tlsVerifyWaiver without tlsVerify: false',
    productionOnly: false,
    example: { file: { apis: { apis: [api({ service: { name: 'orders', port: 8080, tlsVerifyDepth: 2 } })] } }, expectPath: 'apis.apis.0.service.tlsVerifyDepth' },
  },
  {
    id: 'KP-PROPS-APIS-013',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.service.caCertificates.<k>',
    rule: "an upstream CA certificate that is not declared, or not in the API's namespace (KIC reads the Service's namespace only)",
    productionOnly: false,
    example: {
      file: { apis: { apis: [api({ namespace: 'accounts', service: { name: 'orders', port: 8443, protocol: 'https', caCertificates: ['payments-upstream-ca'] } })] } },
      expectPath: 'apis.apis.0.service.caCertificates.0',
    },
  },
  {
    id: 'KP-PROPS-APIS-014',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.plugin',
    rule: 'one plugin attached twice to one entity (Kong runs one instance per plugin and entity)',
    productionOnly: false,
    example: {
      file: apiWithPlugins({ plugin: 'cors', options: { origins: ['https://a.example.com'] } }, { plugin: 'cors', options: { origins: ['https://b.example.com'] } }),
      expectPath: 'apis.apis.0.plugins.1.plugin',
    },
  },
  {
    id: 'KP-PROPS-APIS-015',
    where: 'ApiAddOn',
    field: 'section.consumerGroups.<i>.plugins.<k>.plugin',
    rule: 'authentication plugins and tenant-header on a consumer or consumer group',
    productionOnly: false,
    example: {
      file: { apis: { consumerGroups: [{ name: 'gold', namespace: 'payments', plugins: [{ plugin: 'key-auth' }] }] } },
      expectPath: 'apis.consumerGroups.0.plugins.0.plugin',
    },
  },
  {
    id: 'KP-PROPS-APIS-016',
    where: 'ApiAddOn',
    field: 'section.enterprise',
    rule: 'Enterprise plugins (openid-connect, mtls-auth, header-cert-auth) without enterprise: true',
    productionOnly: false,
    example: { file: { apis: { enterprise: false } }, expectPath: 'apis.apis.0.routes.3.plugins.0.plugin' },
  },
  {
    id: 'KP-PROPS-APIS-017',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.plugin',
    rule: 'a custom plugin (tenant-header, custom) that plugins.custom does not enable on the gateway',
    productionOnly: false,
    example: { file: { plugins: { custom: [] } }, expectPath: 'apis.apis.0.plugins.3.plugin' },
  },
  {
    id: 'KP-PROPS-APIS-018',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.options.origins',
    rule: 'production CORS with credentials for `"*"` or for a plain-http origin',
    productionOnly: true,
    example: { file: apiWithPlugins({ plugin: 'cors', options: { origins: ['*'], credentials: true } }), expectPath: 'apis.apis.0.plugins.0.options.origins' },
  },
  {
    id: 'KP-PROPS-APIS-019',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.options.redis',
    rule: 'production rate-limiting counters in Redis without TLS or without certificate verification',
    productionOnly: true,
    example: {
      file: apiWithPlugins({ plugin: 'rate-limiting', options: { minute: 100, policy: 'redis', redis: { host: 'redis.internal.example.com', ssl: false } } }),
      expectPath: 'apis.apis.0.plugins.0.options.redis',
    },
  },
  {
    id: 'KP-PROPS-APIS-020',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.routes.<j>.plugins.<k>.plugin',
    rule: 'client certificate plugins the edge cannot serve: mtls-auth where TLS ends before Kong, header-cert-auth where no edge forwards the certificate',
    productionOnly: false,
    example: { file: { aws: { edge: { clientCertificates: 'off' } } }, sample: 'aws', expectPath: 'apis.apis.0.routes.3.plugins.0.plugin' },
  },
  {
    id: 'KP-PROPS-APIS-021',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.routes.<j>.plugins.<k>.options.caCertificates.<n>',
    rule: 'mtls-auth or header-cert-auth trusting a CA certificate that is not declared',
    productionOnly: false,
    example: {
      file: {
        apis: { apis: [api({ routes: [{ name: 'main', hosts: ['orders.example.com'], plugins: [{ plugin: 'mtls-auth', options: { caCertificates: ['other-ca'] } }] }] })] },
      },
      expectPath: 'apis.apis.0.routes.0.plugins.0.options.caCertificates.0',
    },
  },
  {
    id: 'KP-PROPS-APIS-022',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.options.allow.<n>',
    rule: 'an ACL group no consumer is in (a typo locks everyone out)',
    productionOnly: false,
    example: { file: apiWithPlugins({ plugin: 'acl', options: { allow: ['payments-admin'] } }), expectPath: 'apis.apis.0.plugins.0.options.allow.0' },
  },
  {
    id: 'KP-PROPS-APIS-023',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.options',
    rule: 'ip-restriction allowing every address (0.0.0.0/0, its halves, every /8, ::/0: judged by coverage)',
    productionOnly: false,
    example: { file: apiWithPlugins({ plugin: 'ip-restriction', options: { allow: ['0.0.0.0/1', '128.0.0.0/1'] } }), expectPath: 'apis.apis.0.plugins.0.options.allow' },
  },
  {
    id: 'KP-PROPS-APIS-024',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.plugins.<k>.options.issuer',
    rule: 'an openid-connect issuer that is not https (discovery and keys over plaintext can be forged)',
    productionOnly: false,
    example: { file: apiWithPlugins({ plugin: 'openid-connect', options: { issuer: 'http://idp.example.com' } }), expectPath: 'apis.apis.0.plugins.0.options.issuer' },
  },
  {
    id: 'KP-PROPS-APIS-025',
    where: 'ApiAddOn',
    field: 'section.certificates.servers.<i>.source.certManager',
    rule: 'certificates issued by cert-manager while the file does not declare apis.certManager: provided (no stack installs it)',
    productionOnly: false,
    example: { file: { apis: { certManager: undefined } }, stage: 'synth', expectPath: 'apis.certificates.servers.0.source.certManager' },
  },
  {
    id: 'KP-PROPS-APIS-026',
    where: 'KongApi',
    field: 'api.routes.<i>.httpsOnly',
    rule: "an httpsOnly route whose hosts no server certificate of the API's namespace covers",
    productionOnly: false,
    example: {
      file: { apis: { apis: [api({ routes: [{ name: 'main', hosts: ['orders.example.com'], httpsOnly: true, plugins: [{ plugin: 'key-auth' }] }] })] } },
      stage: 'synth',
      expectPath: 'httpsOnly',
    },
  },
  {
    id: 'KP-PROPS-APIS-027',
    where: 'API plugins',
    field: 'plugins.<k>.options',
    rule: 'rate-limiting without a limit, a longer period with a lower limit, redis without policy redis (or the reverse), limitBy header or path without headerName or path',
    productionOnly: false,
    example: { file: apiWithPlugins({ plugin: 'rate-limiting', options: { minute: 100, hour: 50 } }), stage: 'synth', expectPath: 'hour (50)' },
  },
  {
    id: 'KP-PROPS-APIS-028',
    where: 'API plugins',
    field: 'plugins.<k>.options',
    rule: 'jwt verifying no registered claim, or a maximumExpiration without "exp" in claimsToVerify',
    productionOnly: false,
    example: { file: apiWithPlugins({ plugin: 'jwt', options: { claimsToVerify: ['nbf'] } }), expectPath: 'apis.apis.0.plugins.0.options.claimsToVerify' },
  },
  {
    id: 'KP-PROPS-APIS-029',
    where: 'ApiAddOn',
    field: 'section.tenants.<i>.consumers.<j>.customId',
    rule: "a customId used twice, or equal to another consumer's username (Kong keeps custom_id unique; mtls-auth matches either)",
    productionOnly: false,
    example: {
      file: tenantWith('acme', { username: 'acme-web', keyAuth: {} }, { username: 'acme-batch', customId: 'acme-web', keyAuth: {} }),
      expectPath: 'apis.tenants.0.consumers.1.customId',
    },
  },
  {
    id: 'KP-PROPS-APIS-030',
    where: 'ApiAddOn',
    field: 'section.apis.<i>.routes.<j>.name',
    rule: 'two entries that make the same Kubernetes object: Ingress/HTTPRoute names joined from API and route, KongPlugin names given or cut to 63 characters',
    productionOnly: false,
    example: {
      file: {
        apis: {
          apis: [
            api({ name: 'orders-a', routes: [{ name: 'b', hosts: ['a.example.com'], plugins: [{ plugin: 'key-auth' }] }] }),
            api({ name: 'orders', routes: [{ name: 'a-b', hosts: ['b.example.com'], plugins: [{ plugin: 'key-auth' }] }] }),
          ],
        },
      },
      expectPath: 'apis.apis.1.routes.0.name',
    },
  },

  // --- Mesh (constructs/mesh: MeshAddOn.validate, mesh-section.ts checkMeshRules) --------------
  {
    id: 'KP-PROPS-MESH-001',
    where: 'MeshAddOn',
    field: 'namespace',
    rule: 'a control plane namespace that is not its own: the Kong namespace, an application namespace or a system namespace',
    productionOnly: false,
    example: { file: { mesh: { namespace: 'payments' } }, stage: 'synth', expectPath: 'mesh.namespace' },
  },
  {
    id: 'KP-PROPS-MESH-002',
    where: 'MeshAddOn',
    field: 'mtls.mode',
    rule: 'a production mesh in PERMISSIVE mTLS (it still accepts plaintext)',
    productionOnly: true,
    example: { file: { mesh: { mtls: { mode: 'PERMISSIVE' } } }, expectPath: 'mesh.mtls.mode' },
  },
  {
    id: 'KP-PROPS-MESH-003',
    where: 'MeshAddOn',
    field: 'services.<i>.namespace',
    rule: 'mesh services outside the application namespaces, or in the Kong namespace (kept out of sidecar injection)',
    productionOnly: false,
    example: { file: { mesh: { services: [{ name: 'payments-api', namespace: 'kong' }], traffic: [] } }, expectPath: 'mesh.services.0.namespace' },
  },
  {
    id: 'KP-PROPS-MESH-004',
    where: 'MeshAddOn',
    field: 'services.<i>.selector',
    rule: 'an empty pod selector (it matches every pod of the namespace)',
    productionOnly: false,
    example: {
      file: { mesh: { services: [{ name: 'payments-api', namespace: 'payments', selector: {} }], traffic: [{ from: 'gateway', to: 'payments/payments-api' }] } },
      stage: 'synth',
      expectPath: 'services[0].selector',
    },
  },
  {
    id: 'KP-PROPS-MESH-005',
    where: 'mesh section',
    field: 'mesh.licenseSecretName',
    rule: 'Kong Mesh without the licence Secret',
    productionOnly: false,
    example: { file: { mesh: { licenseSecretName: undefined } }, sample: 'aws', expectPath: 'mesh.licenseSecretName' },
  },
  {
    id: 'KP-PROPS-MESH-006',
    where: 'mesh section',
    field: 'mesh.cni.confName',
    rule: 'the Kuma CNI on an existing (hybrid) cluster without the CNI config file to chain onto',
    productionOnly: false,
    example: { file: { mesh: { cni: { confName: undefined } } }, expectPath: 'mesh.cni.confName' },
  },
  {
    id: 'KP-PROPS-MESH-007',
    where: 'mesh section',
    field: 'mesh.controlPlaneReplicas',
    rule: 'one control plane replica (it serves the admission webhooks: a restart blocks every pod start in the mesh)',
    productionOnly: false,
    example: { file: { mesh: { controlPlaneReplicas: 1 } }, expectPath: 'mesh.controlPlaneReplicas' },
  },
  {
    id: 'KP-PROPS-MESH-008',
    where: 'mesh section',
    field: 'mesh.mtls.dpCertRotation',
    rule: 'proxy certificates that outlive the mesh CA',
    productionOnly: false,
    example: { file: { mesh: { mtls: { caExpiration: '1d', dpCertRotation: '24h' } } }, expectPath: 'mesh.mtls.dpCertRotation' },
  },
  {
    id: 'KP-PROPS-MESH-009',
    where: 'mesh section',
    field: 'mesh.traffic.<i>',
    rule: 'a service declared twice, a traffic edge to or from an undeclared service, an edge listed twice',
    productionOnly: false,
    example: { file: { mesh: { traffic: [{ from: 'gateway', to: 'payments/unknown' }] } }, expectPath: 'mesh.traffic.0.to' },
  },
  {
    id: 'KP-PROPS-MESH-010',
    where: 'mesh section',
    field: 'mesh.chartVersion',
    rule: 'a mesh chart outside the 2.x line (Kuma 3.0 removes Mesh.spec.mtls)',
    productionOnly: false,
    example: { file: { mesh: { chartVersion: '3.0.0' } }, expectPath: 'mesh.chartVersion' },
  },

  // --- Konnect (constructs/konnect) --------------------------------------------------------------
  {
    id: 'KP-PROPS-KONNECT-001',
    where: 'KonnectControlPlane',
    field: 'labels',
    rule: 'control plane label keys over 63 characters or with a prefix Konnect reserves (kong, konnect, mesh, kic, _)',
    productionOnly: false,
    example: { file: { konnect: { controlPlane: { labels: { 'kong-team': 'platform' } } } }, expectPath: 'konnect.controlPlane.labels.kong-team' },
  },
  {
    id: 'KP-PROPS-KONNECT-002',
    where: 'KonnectControlPlane',
    field: 'existingId',
    rule: 'an existing control plane id that is not a UUID',
    productionOnly: false,
    example: { file: { konnect: { controlPlane: { existingId: 'prod-cp' } } }, expectPath: 'konnect.controlPlane.existingId' },
  },
  {
    id: 'KP-PROPS-KONNECT-003',
    where: 'konnect section',
    field: 'konnect.selfManaged',
    rule: 'mode self-managed without the self-managed control plane settings',
    productionOnly: false,
    example: { file: { konnect: { mode: 'self-managed' } }, expectPath: 'konnect.selfManaged' },
  },
  {
    id: 'KP-PROPS-KONNECT-004',
    where: 'SelfManagedControlPlane',
    field: 'postgres.passwordSecretName',
    rule: 'a self-managed control plane whose PostgreSQL password does not come from an existing Secret',
    productionOnly: false,
    example: {
      file: { konnect: { mode: 'self-managed', selfManaged: { postgres: { host: 'pg.internal.example.com' } } } },
      expectPath: 'konnect.selfManaged.postgres.passwordSecretName',
    },
  },
  {
    id: 'KP-PROPS-KONNECT-005',
    where: 'KonnectControlPlane',
    field: 'customPlugins.<i>',
    rule: 'a custom plugin schema.lua uploaded to Konnect that does not return a table with name and fields',
    productionOnly: false,
    example: { file: { plugins: { custom: ['tenant-header', 'odd'] } }, plugins: { odd: { 'schema.lua': 'return {}\n' } }, stage: 'synth', expectPath: 'schema.lua' },
  },
  {
    id: 'KP-PROPS-KONNECT-006',
    where: 'konnect section',
    field: 'konnect.certificate.issuer.type',
    rule: 'data plane certificates from cert-manager with pinned certificates (Terraform cannot register a certificate it never sees) or a self-managed control plane',
    productionOnly: false,
    example: {
      file: { konnect: { enabled: true, certificate: { issuer: { type: 'cert-manager', issuerName: 'corporate-pki', caCertificatePem: 'not a certificate' } } } },
      expectPath: 'konnect.certificate.issuer.type',
    },
  },

  // --- AWS (constructs/aws, config/sections/aws.ts awsSectionRules) -----------------------------
  {
    id: 'KP-PROPS-AWS-001',
    where: 'environment file',
    field: 'aws',
    rule: 'cloud aws without the aws section, or an aws section on another cloud',
    productionOnly: false,
    example: { file: { aws: undefined }, sample: 'aws', expectPath: 'aws' },
  },
  {
    id: 'KP-PROPS-AWS-002',
    where: 'AwsNetwork',
    field: 'vpcCidr',
    rule: 'a VPC CIDR outside /16 to /19 (a private and a public subnet per zone)',
    productionOnly: false,
    example: { file: { aws: { vpcCidr: '10.0.0.0/24' } }, sample: 'aws', expectPath: 'aws.vpcCidr' },
  },
  {
    id: 'KP-PROPS-AWS-003',
    where: 'AwsNetwork',
    field: 'availabilityZoneCount',
    rule: 'fewer than 3 availability zones in production (2 to 6 elsewhere)',
    productionOnly: true,
    example: { file: { aws: { availabilityZoneCount: 2 } }, sample: 'aws', expectPath: 'aws.availabilityZoneCount' },
  },
  {
    id: 'KP-PROPS-AWS-004',
    where: 'AwsNetwork',
    field: 'natGateways',
    rule: 'a single NAT gateway in production (a zone-wide single point of failure)',
    productionOnly: true,
    example: { file: { aws: { natGateways: 'single' } }, sample: 'aws', expectPath: 'aws.natGateways' },
  },
  {
    id: 'KP-PROPS-AWS-005',
    where: 'AwsNetwork',
    field: 'availabilityZoneNames.<i>',
    rule: 'zone names of another region, or a zone listed twice',
    productionOnly: false,
    example: { file: { aws: { availabilityZoneNames: ['eu-west-1a', 'eu-central-1b'] } }, sample: 'aws', expectPath: 'aws.availabilityZoneNames.1' },
  },
  {
    id: 'KP-PROPS-AWS-006',
    where: 'HardenedEksCluster',
    field: 'endpoint.publicAccessCidrs',
    rule: 'a production public Kubernetes API endpoint open beyond admin networks (0.0.0.0/0, or ranges that add up to the Internet)',
    productionOnly: true,
    checkov: ['CKV_AWS_38'],
    example: { file: { aws: { endpoint: { publicAccessCidrs: ['0.0.0.0/0'] } } }, sample: 'aws', expectPath: 'aws.endpoint.publicAccessCidrs' },
  },
  {
    id: 'KP-PROPS-AWS-007',
    where: 'HardenedEksCluster',
    field: 'endpoint',
    rule: 'a Kubernetes API nothing can reach (no private access and no public CIDRs)',
    productionOnly: false,
    example: { file: { aws: { endpoint: { privateAccess: false, publicAccessCidrs: [] } } }, sample: 'aws', expectPath: 'aws.endpoint' },
  },
  {
    id: 'KP-PROPS-AWS-008',
    where: 'HardenedEksCluster',
    field: 'viewerPrincipalArns',
    rule: 'admin or viewer principals that are not IAM role or user ARNs, and a viewer that is also an admin',
    productionOnly: false,
    example: {
      file: { aws: { adminPrincipalArns: ['arn:aws:iam::111111111111:role/kong-platform-aws-dev-plan'] } },
      sample: 'aws',
      stage: 'synth',
      expectPath: 'viewerPrincipalArns',
    },
  },
  {
    id: 'KP-PROPS-AWS-009',
    where: 'VpcCni',
    field: 'enableNetworkPolicy',
    rule: 'VPC CNI network policy enforcement off in production (every NetworkPolicy would be ignored)',
    productionOnly: true,
    example: { file: { aws: { vpcCni: { enableNetworkPolicy: false } } }, sample: 'aws', expectPath: 'aws.vpcCni.enableNetworkPolicy' },
  },
  {
    id: 'KP-PROPS-AWS-010',
    where: 'EksManagedNodeGroup',
    field: 'minSize',
    rule: 'node group sizes out of order (minSize <= desiredSize <= maxSize)',
    productionOnly: false,
    example: { file: { aws: { nodeGroups: [{ name: 'system', minSize: 5, maxSize: 4 }] } }, sample: 'aws', expectPath: 'aws.nodeGroups.0.minSize' },
  },
  {
    id: 'KP-PROPS-AWS-011',
    where: 'EksManagedNodeGroup',
    field: 'instanceTypes',
    rule: 'instance types of two CPU architectures in one node group',
    productionOnly: false,
    example: { file: { aws: { nodeGroups: [{ name: 'system', instanceTypes: ['m6i.large', 'm7g.large'] }] } }, sample: 'aws', stage: 'synth', expectPath: 'instanceTypes' },
  },
  {
    id: 'KP-PROPS-AWS-012',
    where: 'EksClusterStack',
    field: 'aws.nodeGroups.<i>.name',
    rule: 'node group names used twice, or making an EKS node group name (`kong-<environment>-<group>`) over 63 characters (EksManagedNodeGroup checks the length too)',
    productionOnly: false,
    example: { file: { aws: { nodeGroups: [{ name: 'system' }, { name: 'system' }] } }, sample: 'aws', expectPath: 'aws.nodeGroups.1.name' },
  },
  {
    id: 'KP-PROPS-AWS-013',
    where: 'EdgeCertificate',
    field: 'hostedZoneId',
    rule: 'an edge with neither an ACM certificate nor a hosted zone to request and DNS-validate one',
    productionOnly: false,
    example: { file: { aws: { edge: { hostedZoneId: undefined } } }, sample: 'aws', expectPath: 'aws.edge' },
  },
  {
    id: 'KP-PROPS-AWS-014',
    where: 'EdgeCertificate',
    field: 'subjectAlternativeNames',
    rule: 'more route hosts than one ACM certificate holds (100 names)',
    productionOnly: false,
    example: {
      file: {
        apis: {
          apis: [api({ routes: [{ name: 'main', hosts: Array.from({ length: 100 }, (_, i) => `h${i}.api.dev.example.com`), plugins: [{ plugin: 'key-auth' }] }] })],
        },
      },
      sample: 'aws',
      stage: 'synth',
      expectPath: 'subjectAlternativeNames',
    },
  },
  {
    id: 'KP-PROPS-AWS-015',
    where: 'environment file',
    field: 'images.registry',
    rule: "an ECR registry in another region than aws.region, and aws.ecr repository names that differ from the images' repositories",
    productionOnly: false,
    example: { file: { images: { registry: '111111111111.dkr.ecr.eu-central-1.amazonaws.com' } }, sample: 'aws', expectPath: 'images.registry' },
  },
  {
    id: 'KP-PROPS-AWS-016',
    where: 'environment file',
    field: 'images.awsLoadBalancerController',
    rule: 'an AWS environment without the load balancer controller image from the private registry, or that image on another cloud',
    productionOnly: false,
    example: { file: { images: { awsLoadBalancerController: undefined } }, sample: 'aws', expectPath: 'images.awsLoadBalancerController' },
  },
  {
    id: 'KP-PROPS-AWS-017',
    where: 'SecureBucket',
    field: 'bucketName',
    rule: 'an S3 bucket name against the S3 naming rules',
    productionOnly: false,
    example: { file: { backend: { bucket: 'Kong_State' } }, sample: 'aws', expectPath: 'backend.bucket' },
  },
  {
    id: 'KP-PROPS-AWS-018',
    where: 'EdgeLoadBalancer',
    field: 'sslPolicy',
    rule: 'an ALB TLS policy that allows TLS below 1.2',
    productionOnly: false,
    checkov: ['CKV_AWS_103'],
    example: undefined,
    libraryOnly: true,
    reason: 'environment files have no TLS policy setting; the ALB always gets ELBSecurityPolicy-TLS13-1-2-2021-06',
  },
  {
    id: 'KP-PROPS-AWS-019',
    where: 'AwsLoadBalancerControllerAddOn',
    field: 'vpcCidr',
    rule: "a VPC CIDR that is a Terraform reference or not an IPv4 CIDR (Kong's trusted_ips is plain Helm data), and a replica count below 1",
    productionOnly: false,
    example: undefined,
    libraryOnly: true,
    reason: "the environment stacks pass aws.vpcCidr, a validated literal, and the add-on's default replicas",
  },

  // --- Azure (constructs/azure, config/sections/azure.ts azureSectionRules) ----------------------
  {
    id: 'KP-PROPS-AZURE-001',
    where: 'environment file',
    field: 'azure',
    rule: 'cloud azure without the azure section, or an azure section on another cloud',
    productionOnly: false,
    example: { file: { azure: undefined }, sample: 'azure', expectPath: 'azure' },
  },
  {
    id: 'KP-PROPS-AZURE-002',
    where: 'HardenedAksCluster',
    field: 'apiServer.authorizedIpRanges',
    rule: 'a production public API server whose authorized ranges go beyond admin networks (0.0.0.0/0, or ranges that add up to the Internet)',
    productionOnly: true,
    example: { file: { azure: { apiServer: { privateCluster: false, authorizedIpRanges: ['0.0.0.0/0'] } } }, sample: 'azure', expectPath: 'azure.apiServer.authorizedIpRanges' },
  },
  {
    id: 'KP-PROPS-AZURE-003',
    where: 'HardenedAksCluster',
    field: 'apiServer',
    rule: 'a public production API server without authorized IP ranges',
    productionOnly: true,
    checkov: ['CKV_AZURE_6'],
    example: { file: { azure: { apiServer: { privateCluster: false } } }, sample: 'azure', expectPath: 'azure.apiServer' },
  },
  {
    id: 'KP-PROPS-AZURE-004',
    where: 'HardenedAksCluster',
    field: 'apiServer.authorizedIpRanges',
    rule: 'authorized IP ranges on a private cluster (they apply to a public API server only)',
    productionOnly: false,
    example: { file: { azure: { apiServer: { authorizedIpRanges: ['198.51.100.0/24'] } } }, sample: 'azure', stage: 'synth', expectPath: 'apiServer.authorizedIpRanges' },
  },
  {
    id: 'KP-PROPS-AZURE-005',
    where: 'HardenedAksCluster',
    field: 'availabilityZones',
    rule: 'fewer than 3 availability zones in production',
    productionOnly: true,
    example: { file: { azure: { availabilityZones: ['1', '2'] } }, sample: 'azure', expectPath: 'azure.availabilityZones' },
  },
  {
    id: 'KP-PROPS-AZURE-020',
    where: 'HardenedAksCluster',
    field: 'availabilityZones.<i>',
    rule: 'an availability zone listed twice',
    productionOnly: false,
    example: { file: { azure: { availabilityZones: ['1', '2', '2'] } }, sample: 'azure', expectPath: 'azure.availabilityZones.2' },
  },
  {
    id: 'KP-PROPS-AZURE-006',
    where: 'HardenedAksCluster',
    field: 'systemNodePool.minCount',
    rule: 'fewer system nodes than zones in production',
    productionOnly: true,
    example: { file: { azure: { systemNodePool: { minCount: 2 } } }, sample: 'azure', stage: 'synth', expectPath: 'systemNodePool.minCount' },
  },
  {
    id: 'KP-PROPS-AZURE-007',
    where: 'HardenedAksCluster',
    field: 'userNodePools.<i>.minCount',
    rule: 'a node pool minimum above its maximum',
    productionOnly: false,
    example: { file: { azure: { userNodePools: [{ name: 'user', minCount: 10, maxCount: 9 }] } }, sample: 'azure', expectPath: 'azure.userNodePools.0.minCount' },
  },
  {
    id: 'KP-PROPS-AZURE-008',
    where: 'HardenedAksCluster',
    field: 'userNodePools.<i>.name',
    rule: 'a node pool name used twice (the system pool is "system")',
    productionOnly: false,
    example: { file: { azure: { userNodePools: [{ name: 'system' }] } }, sample: 'azure', expectPath: 'azure.userNodePools.0.name' },
  },
  {
    id: 'KP-PROPS-AZURE-009',
    where: 'AzureNetwork',
    field: 'privateEndpointSubnetCidr',
    rule: 'subnets outside the VNet, or overlapping each other',
    productionOnly: false,
    example: { file: { azure: { network: { privateEndpointSubnetCidr: '10.30.16.0/25' } } }, sample: 'azure', expectPath: 'azure.network.privateEndpointSubnetCidr' },
  },
  {
    id: 'KP-PROPS-AZURE-010',
    where: 'AzureNetwork',
    field: 'gatewaySubnetCidr',
    rule: 'an Application Gateway subnet smaller than /26',
    productionOnly: false,
    example: { file: { azure: { network: { gatewaySubnetCidr: '10.30.16.0/27' } } }, sample: 'azure', expectPath: 'azure.network.gatewaySubnetCidr' },
  },
  {
    id: 'KP-PROPS-AZURE-011',
    where: 'HardenedAksCluster',
    field: 'network.podCidr',
    rule: 'pod and Service ranges that overlap the VNet or each other, a DNS Service address outside the Service range',
    productionOnly: false,
    example: { file: { azure: { network: { podCidr: '10.30.128.0/17' } } }, sample: 'azure', expectPath: 'azure.network.podCidr' },
  },
  {
    id: 'KP-PROPS-AZURE-012',
    where: 'AzureEdgeAddOn',
    field: 'kongInternalLoadBalancerIp',
    rule: 'a Kong load balancer address that is not a usable address of the node subnet (Azure reserves the first four and the last)',
    productionOnly: false,
    example: { file: { azure: { edge: { kongInternalLoadBalancerIp: '10.30.0.1' } } }, sample: 'azure', expectPath: 'azure.edge.kongInternalLoadBalancerIp' },
  },
  {
    id: 'KP-PROPS-AZURE-013',
    where: 'AzureEdgeAddOn',
    field: 'gatewaySubnetCidr',
    rule: 'subnets and addresses that are Terraform references (Helm values and checks need them at synth time) or not IPv4',
    productionOnly: false,
    example: undefined,
    libraryOnly: true,
    reason: 'the environment stacks pass the validated literals of azure.network and azure.edge',
  },
  {
    id: 'KP-PROPS-AZURE-014',
    where: 'ApplicationGatewayEdge',
    field: 'minCapacity',
    rule: 'a gateway autoscaling minimum above its maximum',
    productionOnly: false,
    example: { file: { azure: { edge: { minCapacity: 5, maxCapacity: 3 } } }, sample: 'azure', expectPath: 'azure.edge.minCapacity' },
  },
  {
    id: 'KP-PROPS-AZURE-015',
    where: 'ApplicationGatewayEdge',
    field: 'minCapacity',
    rule: 'fewer than 2 Application Gateway instances in production (one zone can fail)',
    productionOnly: true,
    example: { file: { azure: { edge: { minCapacity: 1 } } }, sample: 'azure', stage: 'synth', expectPath: 'minCapacity' },
  },
  {
    id: 'KP-PROPS-AZURE-016',
    where: 'ApplicationGatewayEdge',
    field: 'additionalHostNames',
    rule: 'more than 5 host names (route hosts and azure.edge.hostName) on the gateway listener',
    productionOnly: false,
    example: {
      file: {
        apis: {
          apis: [
            api({
              routes: [{ name: 'main', hosts: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'], plugins: [{ plugin: 'key-auth' }] }],
            }),
          ],
        },
      },
      sample: 'azure',
      expectPath: 'apis.apis',
    },
  },
  {
    id: 'KP-PROPS-AZURE-017',
    where: 'AzureContainerRegistry',
    field: 'publicNetworkAccess',
    rule: 'a production registry reachable from outside the VNet (nodes pull through its private endpoint)',
    productionOnly: true,
    checkov: ['CKV_AZURE_139'],
    example: { file: { azure: { acr: { publicNetworkAccess: true } } }, sample: 'azure', expectPath: 'azure.acr.publicNetworkAccess' },
  },
  {
    id: 'KP-PROPS-AZURE-018',
    where: 'AzureContainerRegistry',
    field: 'allowedIpRanges',
    rule: 'registry allowed ranges without public network access, or 0.0.0.0/0 among them',
    productionOnly: false,
    example: { file: { azure: { acr: { allowedIpRanges: ['203.0.113.0/24'] } } }, sample: 'azure', stage: 'synth', expectPath: 'allowedIpRanges' },
  },

  {
    id: 'KP-PROPS-AZURE-019',
    where: 'TerraformStateStorage',
    field: 'storageAccountName',
    rule: "state storage account, blob container and resource group names against Azure's naming rules (refused at synth, not at apply)",
    productionOnly: false,
    example: { file: { backend: { storageAccountName: 'st-kong-state' } }, sample: 'azure', expectPath: 'backend.storageAccountName' },
  },
  {
    id: 'KP-PROPS-AZURE-021',
    where: 'AksClusterStack',
    field: 'azure.edge.backendCertificate.caCertificatePems.<i>',
    rule: 'a cert-manager backend certificate whose trusted root is not a valid, current CA certificate (a leaf, a key, expired, RSA under 2048 bits)',
    productionOnly: false,
    example: {
      file: { azure: { edge: { backendCertificate: { issuer: 'cert-manager', issuerName: 'platform-internal-ca', caCertificatePems: ['not a certificate'] } } } },
      sample: 'azure',
      expectPath: 'azure.edge.backendCertificate.caCertificatePems.0',
    },
  },

  // --- The environment file itself (config/: load.ts, rules.ts, hardening.ts, schema.ts) --------
  {
    id: 'KP-PROPS-FILE-001',
    where: 'environment file',
    field: '(the file text)',
    rule: 'files that are not plain YAML text: binary, over 1 MiB, nested deeper than 64 levels, over 50 aliases or 20000 expanded values, duplicate keys, tags',
    productionOnly: false,
    example: { file: {}, appendYaml: 'description: a second description\n', expectPath: '' },
  },
  {
    id: 'KP-PROPS-FILE-002',
    where: 'environment file',
    field: 'name',
    rule: 'a name other than the file name',
    productionOnly: false,
    example: { file: { name: 'other-name' }, expectPath: 'name' },
  },
  {
    id: 'KP-PROPS-FILE-003',
    where: 'environment file',
    field: '(any field)',
    rule: 'unknown fields and YAML merge keys (`<<`), with the closest allowed name',
    productionOnly: false,
    example: { file: { gateway: { replica: 3 } }, expectPath: 'gateway.replica' },
  },
  {
    id: 'KP-PROPS-FILE-004',
    where: 'environment file',
    field: 'kubernetes',
    rule: 'cloud hybrid without the kubeconfig context of the existing cluster',
    productionOnly: false,
    example: { file: { kubernetes: undefined }, expectPath: 'kubernetes' },
  },
  {
    id: 'KP-PROPS-FILE-005',
    where: 'environment file',
    field: 'backend.type',
    rule: 'local Terraform state in production (neither shared, locked nor backed up)',
    productionOnly: true,
    example: { file: { backend: { type: 'local', bucket: undefined, region: undefined } }, expectPath: 'backend.type' },
  },
  {
    id: 'KP-PROPS-FILE-006',
    where: 'environment file',
    field: 'images.<image>.digest',
    rule: 'a production image without a digest (KongGateway and KongIngressController refuse unpinned images in production too)',
    productionOnly: true,
    checkov: ['CKV_K8S_43'],
    example: { file: { images: { gateway: { digest: undefined } } }, expectPath: 'images.gateway.digest' },
  },
  {
    id: 'KP-PROPS-FILE-007',
    where: 'environment file',
    field: 'images.mesh',
    rule: 'a mesh without its images in images.mesh (the CNI image with the CNI)',
    productionOnly: false,
    example: { file: { images: { mesh: { cni: undefined } } }, expectPath: 'images.mesh.cni' },
  },
  {
    id: 'KP-PROPS-FILE-008',
    where: 'environment file',
    field: 'images.mesh',
    rule: 'images.mesh without the mesh (listed images are what runs)',
    productionOnly: false,
    example: { file: { mesh: { enabled: false } }, expectPath: 'images.mesh' },
  },
  {
    id: 'KP-PROPS-FILE-009',
    where: 'environment file',
    field: 'images.mesh.kubectl.tag',
    rule: "a kubectl image of another minor than the cluster's Kubernetes (the mesh chart hooks run it against the API server)",
    productionOnly: false,
    example: { file: { images: { mesh: { kubectl: { tag: 'v1.31.2' } } } }, expectPath: 'images.mesh.kubectl.tag' },
  },
  {
    id: 'KP-PROPS-FILE-010',
    where: 'environment file',
    field: '(any string or key)',
    rule: 'Terraform template sequences (${, %{): Terraform would evaluate them in the generated configuration',
    productionOnly: false,
    example: { file: { description: 'owned by ${var.team}' }, expectPath: 'description' },
  },
  {
    id: 'KP-PROPS-FILE-011',
    where: 'environment file',
    field: 'apis.<...>.options.config.<key>',
    rule: 'secrets written inline in custom plugin config (api_key, password, client_secret, ..., any depth and case); a Kong vault reference is allowed',
    productionOnly: false,
    example: {
      file: { apis: { globalPlugins: [{ plugin: 'prometheus' }, { plugin: 'custom', options: { name: 'tenant-header', config: { api_key: 'kong-partner-7f3a' } } }] } },
      expectPath: 'apis.globalPlugins.1.options.config.api_key',
    },
  },
  {
    id: 'KP-PROPS-FILE-012',
    where: 'environment file',
    field: 'gateway.extraValues',
    rule: 'production images set through gateway.extraValues or controller.extraValues that are not from images.registry',
    productionOnly: true,
    example: { file: { gateway: { extraValues: { image: { unifiedRepoTag: 'docker.io/kong:3.9' } } } }, expectPath: 'gateway.extraValues.image.unifiedRepoTag' },
  },
  {
    id: 'KP-PROPS-FILE-013',
    where: 'environment file',
    field: 'policy.waivers.<i>',
    rule: 'a waiver of an unknown rule id, or without a written reason of at least 20 characters',
    productionOnly: false,
    example: { file: { policy: { waivers: [waiver({ reason: 'because' })] } }, expectPath: 'policy.waivers.0.reason' },
  },
  {
    id: 'KP-PROPS-FILE-014',
    where: 'environment file',
    field: 'policy.waivers.<i>.expires',
    rule: 'a waiver expiry that is not a real calendar date (2026-02-30)',
    productionOnly: false,
    example: { file: { policy: { waivers: [waiver({ expires: '2026-02-30' })] } }, expectPath: 'policy.waivers.0.expires' },
  },
  {
    id: 'KP-PROPS-FILE-015',
    where: 'environment file',
    field: 'policy.waivers',
    rule: 'a rule waived twice',
    productionOnly: false,
    example: { file: { policy: { waivers: [waiver(), waiver()] } }, expectPath: 'policy.waivers' },
  },
  {
    id: 'KP-PROPS-FILE-016',
    where: 'environment file',
    field: 'helm.kongChartVersion',
    rule: 'a kong chart version that is not one exact version (no ranges)',
    productionOnly: false,
    example: { file: { helm: { kongChartVersion: '^3.4' } }, expectPath: 'helm.kongChartVersion' },
  },
  {
    id: 'KP-PROPS-FILE-017',
    where: 'environment file',
    field: 'gateway.proxyService, gateway.trustedIps, gateway.realIpHeader',
    rule: 'on EKS or AKS, proxy and client-IP settings the cloud edge replaces (they would read as configured while nothing changes)',
    productionOnly: false,
    example: { file: { gateway: { realIpHeader: 'X-Real-IP' } }, sample: 'aws', expectPath: 'gateway.realIpHeader' },
  },
];

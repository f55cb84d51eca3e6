/**
 * KongPlatform, built from plain TypeScript props as a library user builds it (no environment
 * file): the releases, hardening, profiles, custom plugins and values layering it synthesizes.
 */
import * as path from 'path';
import { TerraformStack, Testing } from '../../constructs/core/cdktf';
import { ContainerImage } from '../../constructs/kong/container-image';
import { CustomPlugin } from '../../constructs/kong/custom-plugin';
import { KongPlatform, KongPlatformProps } from '../../constructs/kong/kong-platform';
import { DeploymentProfile } from '../../constructs/kong/profiles';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { DIGEST_A, DIGEST_B, PLUGINS_DIR, release, releaseValues, resources } from '../support/platform-fixture';
import { synthJson } from '../support/terraform-json';

/** The synthesized stack of a KongPlatform with the smallest valid props and `props` on top. */
function platformJson(props: Partial<KongPlatformProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test-platform');
  ClusterAccess.fromKubeconfig('/tmp/kubeconfig', 'test').configureProviders(stack);
  new KongPlatform(stack, 'kong', {
    environment: 'test',
    images: {
      gateway: ContainerImage.fromDigest('registry.example.com', 'hardened/kong-gateway', DIGEST_A, '3.9.1'),
      controller: ContainerImage.fromDigest('registry.example.com', 'hardened/kubernetes-ingress-controller', DIGEST_B, '3.4.4'),
    },
    ...props,
  });
  return synthJson(stack);
}

const withTenantHeader: Partial<KongPlatformProps> = { customPlugins: [CustomPlugin.fromDirectory(path.join(PLUGINS_DIR, 'tenant-header'))] };

const GATEWAY = 'kong-gateway';
const CONTROLLER = 'kong-controller';

describe('Kong gateway and controller releases', () => {
  const dev = platformJson(withTenantHeader);
  const gw = releaseValues(dev, GATEWAY);
  const ctl = releaseValues(dev, CONTROLLER);

  test('two releases of the pinned kong chart', () => {
    // THEN
    for (const name of [GATEWAY, CONTROLLER]) {
      const r = release(dev, name);
      expect(r).toMatchObject({ chart: 'kong', repository: 'https://charts.konghq.com', version: '3.4.1', namespace: 'kong' });
    }
  });

  test('every release is atomic, cleans up on failure, waits with a timeout and bounds its history', () => {
    for (const r of resources(dev, 'helm_release')) {
      expect(r).toMatchObject({ atomic: true, cleanup_on_fail: true, wait: true, timeout: 600, max_history: 10, create_namespace: false });
    }
  });

  test('the gateway runs the digest-pinned image via unifiedRepoTag and effectiveSemver', () => {
    expect(gw.image.unifiedRepoTag).toBe(`registry.example.com/hardened/kong-gateway:3.9.1@sha256:216ba41f3b1029eff5016f5e6335b87f226cfce22e4a9d82dbdcc6fb92967e8c`);
    expect(gw.image.effectiveSemver).toBe('3.9.1');
  });

  test('the controller runs its own digest-pinned image', () => {
    expect(ctl.ingressController.image.unifiedRepoTag).toBe(
      `registry.example.com/hardened/kubernetes-ingress-controller:3.4.4@sha256:e3eb49bda63820c1ced3f0f5cd893cf32ddb23a672797871c6e1fcf72dacb044`,
    );
    expect(ctl.ingressController.image.effectiveSemver).toBe('3.4.4');
  });

  test('the gateway release has no controller and the controller release has no gateway', () => {
    expect(gw.ingressController.enabled).toBe(false);
    expect(gw.deployment.kong.enabled).toBe(true);
    expect(ctl.deployment.kong.enabled).toBe(false);
    expect(ctl.ingressController.enabled).toBe(true);
  });

  test('DB-less', () => {
    expect(gw.env.database).toBe('off');
  });

  test('the Admin API is a headless ClusterIP over TLS only', () => {
    expect(gw.admin).toMatchObject({ enabled: true, type: 'ClusterIP', clusterIP: 'None', http: { enabled: false }, tls: { enabled: true }, ingress: { enabled: false } });
  });

  test('the controller discovers the gateway through its admin Service', () => {
    expect(ctl.ingressController.gatewayDiscovery).toEqual({ enabled: true, adminApiService: { name: 'kong-gateway-kong-admin', namespace: 'kong' } });
    expect(ctl.proxy.nameOverride).toBe('kong-gateway-kong-proxy');
    expect(ctl.ingressController.env.kong_admin_svc_port_names).toBe('kong-admin-tls');
  });

  test('controller and gateway use mutual TLS with certificates from Terraform', () => {
    // THEN the controller presents a client certificate it did not generate itself
    expect(ctl.ingressController.adminApi.tls.client).toEqual({ enabled: true, certProvided: true, secretName: 'kong-gateway-admin-api-client-tls' });
    // and verifies the gateway's server certificate against the CA in its own Secret (mounted by the chart)
    expect(ctl.ingressController.env.kong_admin_tls_skip_verify).toBe(false);
    expect(ctl.ingressController.env.kong_admin_tls_server_name).toBe('kong-gateway-kong-admin.kong.svc');
    expect(ctl.ingressController.env.kong_admin_ca_cert_file).toBe('/etc/secrets/admin-api-cert/ca.crt');
    // and the gateway only accepts clients signed by the same CA
    expect(gw.env.nginx_admin_ssl_verify_client).toBe('on');
    expect(gw.env.nginx_admin_ssl_client_certificate).toBe('/etc/secrets/kong-gateway-admin-api-server-tls/ca.crt');
    expect(gw.env.admin_ssl_cert).toBe('/etc/secrets/kong-gateway-admin-api-server-tls/tls.crt');
    expect(gw.secretVolumes).toContain('kong-gateway-admin-api-server-tls');
    // and both Secrets carry that CA
    const secrets = resources(dev, 'kubernetes_secret_v1').filter((x) => /admin-api-(server|client)-tls$/.test(x.metadata.name));
    expect(secrets.map((x) => x.data['ca.crt'])).toEqual([
      expect.stringMatching(/^\$\{tls_self_signed_cert\..*\.cert_pem\}$/),
      expect.stringMatching(/^\$\{tls_self_signed_cert\..*\.cert_pem\}$/),
    ]);
    // and no release carries a PEM in its values
    expect(JSON.stringify([release(dev, GATEWAY).set ?? [], release(dev, CONTROLLER).set ?? []])).not.toMatch(/caBundle|kong_admin_ca_cert"/);
  });

  test('a renewed Admin API certificate rolls the pods: their annotation is the hash of certificate and CA', () => {
    const annotation = (name: string) => (release(dev, name).set ?? []).find((x: { name: string }) => x.name === 'podAnnotations.kong-platform\\.io/admin-api-certificates');
    expect(annotation(GATEWAY)?.value).toMatch(/^\$\{sha256\(".*tls_locally_signed_cert\.[^.]*server-cert[^.]*\.cert_pem.*tls_self_signed_cert.*\)\}$/);
    expect(annotation(CONTROLLER)?.value).toMatch(/^\$\{sha256\(".*tls_locally_signed_cert\.[^.]*client-cert[^.]*\.cert_pem.*tls_self_signed_cert.*\)\}$/);
  });

  test('the CA is a CA and the leaf certificates are scoped to server and client use', () => {
    const ca = resources(dev, 'tls_self_signed_cert')[0];
    expect(ca.is_ca_certificate).toBe(true);
    const leaves = resources(dev, 'tls_locally_signed_cert');
    expect(leaves.map((l) => l.allowed_uses.filter((u: string) => u.endsWith('_auth'))).sort()).toEqual([['client_auth'], ['server_auth']]);
    const serverCsr = resources(dev, 'tls_cert_request').find((c) => c.dns_names);
    expect(serverCsr.dns_names).toContain('kong-gateway-kong-admin.kong.svc');
    expect(resources(dev, 'kubernetes_secret_v1').map((s) => s.type)).toEqual(['kubernetes.io/tls', 'kubernetes.io/tls']);
  });

  test('no output carries a private key', () => {
    expect(JSON.stringify(dev.output ?? {})).not.toMatch(/private_key/);
  });

  test('the gateway waits for its secrets and plugin ConfigMaps; the controller waits for the gateway', () => {
    const gwDeps: string[] = release(dev, GATEWAY).depends_on;
    expect(gwDeps.some((d) => d.startsWith('kubernetes_secret_v1.'))).toBe(true);
    expect(gwDeps.some((d) => d.startsWith('kubernetes_config_map_v1.'))).toBe(true);
    expect(release(dev, CONTROLLER).depends_on.some((d: string) => d.startsWith('helm_release.'))).toBe(true);
  });
});

describe('hardening (every profile)', () => {
  const json = platformJson();

  test.each(['kong-gateway', 'kong-controller'])('%s pods run non-root with a read-only root filesystem and no capabilities', (name) => {
    const v = releaseValues(json, name);
    expect(v.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.containerSecurityContext).toEqual(
      expect.objectContaining({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      }),
    );
  });

  test('every container has requests and limits', () => {
    const gw = releaseValues(json, GATEWAY);
    const ctl = releaseValues(json, CONTROLLER);
    for (const r of [gw.resources, gw.initContainerResources, ctl.ingressController.resources, ctl.initContainerResources]) {
      expect(r.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(r.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  test('Kong hides its version headers and trusts the client IP only from the load balancer', () => {
    const gw = releaseValues(platformJson({ gateway: { trustedIps: ['10.1.0.0/16', '10.2.0.0/16'] } }), GATEWAY);
    expect(gw.env.headers).toBe('off');
    expect(gw.env.trusted_ips).toBe('10.1.0.0/16,10.2.0.0/16');
    expect(gw.env.real_ip_header).toBe('X-Forwarded-For');
  });

  test('a configured header list is passed through', () => {
    const gw = releaseValues(platformJson({ gateway: { headers: ['X-Kong-Request-Id'] } }), GATEWAY);
    expect(gw.env.headers).toBe('X-Kong-Request-Id');
  });

  test('the proxy Service is ClusterIP and the pods carry no service account token', () => {
    const gw = releaseValues(json, GATEWAY);
    expect(gw.proxy.type).toBe('ClusterIP');
    expect(gw.deployment.serviceAccount.automountServiceAccountToken).toBe(false);
  });

  test('values are rendered with quoted strings so Helm never reads "off" as false', () => {
    expect(release(json, GATEWAY).values[0]).toContain('database: "off"');
  });
});

describe('profiles', () => {
  test('dev: one pod, no PodDisruptionBudget, short drain', () => {
    const gw = releaseValues(platformJson(), GATEWAY);
    expect(gw.replicaCount).toBe(1);
    expect(gw.podDisruptionBudget.enabled).toBe(false);
    expect(gw.lifecycle.preStop.exec.command).toEqual(['kong', 'quit', '--wait=5']);
  });

  describe('ha (production)', () => {
    const json = platformJson({ production: true });
    const gw = releaseValues(json, GATEWAY);
    const ctl = releaseValues(json, CONTROLLER);

    test('several replicas of gateway and controller', () => {
      expect(gw.replicaCount).toBe(3);
      expect(ctl.replicaCount).toBe(2);
    });

    test('PodDisruptionBudgets', () => {
      expect(gw.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
      expect(ctl.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    });

    test('replicas are spread over zones, strictly', () => {
      expect(gw.topologySpreadConstraints[0]).toMatchObject({
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        maxSkew: 1,
        labelSelector: { matchLabels: { 'app.kubernetes.io/instance': GATEWAY } },
      });
    });

    test('graceful shutdown drains before the grace period ends', () => {
      expect(gw.lifecycle.preStop.exec.command).toEqual(['kong', 'quit', '--wait=30']);
      expect(gw.terminationGracePeriodSeconds).toBeGreaterThan(30);
    });

    test('rolling updates never take a serving pod away first', () => {
      expect(gw.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    });

    test('the admission webhook rejects invalid configuration', () => {
      expect(ctl.ingressController.admissionWebhook.failurePolicy).toBe('Fail');
    });
  });

  test('autoscaling replaces the fixed replica count with an HPA', () => {
    const gw = releaseValues(platformJson({ profile: DeploymentProfile.HA, gateway: { autoscaling: { minReplicas: 3, maxReplicas: 9, targetCpuUtilization: 60 } } }), GATEWAY);
    expect(gw.autoscaling).toMatchObject({ enabled: true, minReplicas: 3, maxReplicas: 9 });
    expect(gw.autoscaling.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(gw.replicaCount).toBeUndefined();
    expect(gw.podDisruptionBudget.enabled).toBe(true);
  });
});

describe('custom plugins', () => {
  const json = platformJson(withTenantHeader);

  test('each plugin is packed into a ConfigMap in the Kong namespace', () => {
    const [cm] = resources(json, 'kubernetes_config_map_v1');
    expect(cm.metadata).toMatchObject({ name: 'kong-plugin-tenant-header', namespace: 'kong' });
    expect(Object.keys(cm.data).sort()).toEqual(['handler.lua', 'schema.lua']);
    expect(cm.data['schema.lua']).toContain('name = "tenant-header"');
  });

  test('the gateway mounts it through plugins.configMaps (Kong runs bundled,<name>)', () => {
    expect(releaseValues(json, GATEWAY).plugins.configMaps).toEqual([{ pluginName: 'tenant-header', name: 'kong-plugin-tenant-header' }]);
  });

  test('no plugins, no plugins key', () => {
    expect(releaseValues(platformJson(), GATEWAY).plugins).toBeUndefined();
  });
});

describe('values layering', () => {
  test('extraValues win over computed values', () => {
    const gw = releaseValues(platformJson({ gateway: { extraValues: { env: { nginx_worker_processes: '4' }, podLabels: { team: 'edge' } } } }), GATEWAY);
    expect(gw.env.nginx_worker_processes).toBe('4');
    expect(gw.podLabels).toEqual({ team: 'edge' });
    expect(gw.env.database).toBe('off');
  });
});

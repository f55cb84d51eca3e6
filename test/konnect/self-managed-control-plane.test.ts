import * as path from 'path';
import { parse } from 'yaml';
import { KonnectAddOn } from '../../constructs/konnect/konnect-add-on';
import { SelfManagedControlPlane } from '../../constructs/konnect/self-managed-control-plane';
import { ChartValuesKeys } from '../support/chart-values-keys';
import { CONTEXT, all, kongReleases, newStack, section, synth } from './fixtures';

const KONG_VALUES_YAML = path.resolve(__dirname, '../fixtures/upstream/kong-charts-3.4.1/values.yaml');
const POSTGRES = { host: 'pg.db.internal', passwordSecretName: 'kong-cp-postgres' };

function build(endpoint?: string) {
  const stack = newStack();
  const cp = new SelfManagedControlPlane(stack, 'cp', { environment: 'onprem-hybrid', postgres: POSTGRES, endpoint, clusterServiceType: endpoint ? 'LoadBalancer' : 'ClusterIP' });
  const addOn = new KonnectAddOn(stack, 'konnect', {
    section: section({ mode: 'self-managed', selfManaged: { postgres: POSTGRES } }),
    environment: 'onprem-hybrid',
    selfManagedControlPlane: cp,
  });
  const gatewayValues = addOn.gatewayValues(CONTEXT);
  addOn.deploy(stack, CONTEXT, kongReleases(stack));
  return { cp, addOn, gatewayValues, json: synth(stack) };
}

describe('SelfManagedControlPlane + KonnectAddOn (self-managed)', () => {
  it('runs a PKI control plane release from the kong chart with its certificate mounted', () => {
    const { json } = build();
    const release = Object.values(json.resource.helm_release).find((r: any) => r.name === 'kong-cp');
    const values = parse((release as any).values[0]);
    expect(values.env).toMatchObject({
      role: 'control_plane',
      database: 'postgres',
      cluster_mtls: 'pki',
      cluster_ca_cert: '/etc/secrets/kong-cluster-cert/ca.crt',
      cluster_cert: '/etc/secrets/kong-cluster-cert/tls.crt',
      pg_password: { valueFrom: { secretKeyRef: { name: 'kong-cp-postgres', key: 'password' } } },
    });
    expect(values.secretVolumes).toEqual(['kong-cluster-cert']);
    expect(values.cluster.tls).toMatchObject({ enabled: true, servicePort: 8005 });
  });

  it('control plane values pass the values key check', () => {
    const { cp } = build();
    expect(new ChartValuesKeys(KONG_VALUES_YAML, ['env', 'podAnnotations']).unknownKeys(cp.values)).toEqual([]);
  });

  it('signs both ends with one CA; the server certificate names the endpoint data planes dial', () => {
    const { json } = build('kong-cp.example.internal');
    const [ca] = all(json, 'tls_self_signed_cert');
    expect(ca.body.is_ca_certificate).toBe(true);
    const signed = all(json, 'tls_locally_signed_cert');
    expect(signed).toHaveLength(2);
    for (const cert of signed) expect(cert.body.ca_cert_pem).toBe(`\${tls_self_signed_cert.${ca.name}.cert_pem}`);
    const uses = signed.map((c) => c.body.allowed_uses).flat();
    expect(uses).toEqual(expect.arrayContaining(['server_auth', 'client_auth']));
    const requests = all(json, 'tls_cert_request')
      .map((r) => r.body.dns_names)
      .filter(Boolean);
    expect(requests[0]).toContain('kong-cp.example.internal');
  });

  it('points data planes at the control plane with the CA mounted', () => {
    const { gatewayValues, json, addOn } = build('kong-cp.example.internal');
    expect(gatewayValues.env).toMatchObject({
      role: 'data_plane',
      database: 'off',
      cluster_mtls: 'pki',
      cluster_control_plane: 'kong-cp.example.internal:8005',
      cluster_server_name: 'kong-cp.example.internal',
      cluster_ca_cert: '/etc/secrets/kong-cluster-cert/ca.crt',
    });
    expect(addOn.controllerMode).toBe('disabled');
    const dpSecret = all(json, 'kubernetes_secret_v1').find((s) => s.body.metadata.namespace === 'kong')!;
    expect(Object.keys(dpSecret.body.data).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(json.resource.konnect_gateway_control_plane).toBeUndefined();
    expect(new ChartValuesKeys(KONG_VALUES_YAML, ['env', 'podAnnotations']).unknownKeys(gatewayValues)).toEqual([]);
  });

  it('defaults the endpoint to the in-cluster cluster Service', () => {
    const { cp } = build();
    expect(cp.clusterControlPlane).toBe('kong-cp-kong-cluster.kong-cp.svc:8005');
  });

  it('rejects a missing password Secret', () => {
    expect(() => new SelfManagedControlPlane(newStack(), 'cp', { environment: 'dev', postgres: { host: 'pg', passwordSecretName: '' } })).toThrow(
      /test\/cp: postgres.host and postgres.passwordSecretName are required/,
    );
  });

  it('keeps private keys out of outputs and only in Secrets', () => {
    const { json } = build();
    expect(json.output).toBeUndefined();
    const keyRefs = JSON.stringify(json).match(/tls_private_key\.[\w-]+\.private_key_pem/g) ?? [];
    const secrets = JSON.stringify(json.resource.kubernetes_secret_v1);
    const signers = JSON.stringify([json.resource.tls_self_signed_cert, json.resource.tls_locally_signed_cert, json.resource.tls_cert_request]);
    for (const ref of keyRefs) expect(secrets.includes(ref) || signers.includes(ref)).toBe(true);
  });
});

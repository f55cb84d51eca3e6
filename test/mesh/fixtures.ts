import * as path from 'path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack, Testing } from '../../constructs/core/cdktf';
import type { KongReleases, PlatformContext } from '../../constructs/core/platform-add-on';
import { platformContext } from '../support/platform-fixture';
import { MeshAddOn, MeshAddOnProps } from '../../constructs/mesh/mesh-add-on';
import type { MeshServiceDeclaration, TrafficEdgeDeclaration } from '../../constructs/mesh/traffic-matrix';

export const KUMA_FIXTURES = path.join(__dirname, '..', 'fixtures', 'upstream', 'kuma-2.14.3');
export const KUMA_VALUES = path.join(KUMA_FIXTURES, 'values.yaml');
export const MESH_CRD = path.join(KUMA_FIXTURES, 'crds', 'kuma.io_meshes.yaml');
export const MTP_CRD = path.join(KUMA_FIXTURES, 'crds', 'kuma.io_meshtrafficpermissions.yaml');
export const MESH_JSON_SCHEMA = path.join(KUMA_FIXTURES, 'schemas', 'Mesh.json');

/** A small shop: the gateway calls two front services, which call one back-end each. */
export const SERVICES: MeshServiceDeclaration[] = [
  { name: 'orders', namespace: 'shop', port: 8080 },
  { name: 'payments', namespace: 'pay', port: 9090, selector: { 'app.kubernetes.io/name': 'payments' } },
  { name: 'ledger', namespace: 'pay' },
  { name: 'catalog', namespace: 'shop', port: 8080 },
  { name: 'reports', namespace: 'shop' },
];
export const TRAFFIC: TrafficEdgeDeclaration[] = [
  { from: 'gateway', to: 'shop/orders' },
  { from: 'gateway', to: 'shop/catalog' },
  { from: 'shop/orders', to: 'pay/payments' },
  { from: 'shop/orders', to: 'shop/catalog' },
  { from: 'pay/payments', to: 'pay/ledger' },
];
export const GATEWAY_IDENTITY = { namespace: 'kong', releaseName: 'kong-gateway' };

export function addOnProps(overrides: Partial<MeshAddOnProps> = {}): MeshAddOnProps {
  return {
    product: 'kong-mesh',
    chartVersion: '2.14.3',
    license: { secretName: 'kong-mesh-license' },
    controlPlaneReplicas: 3,
    mtls: { mode: 'STRICT', caRsaBits: 4096, caExpiration: '5y', dpCertRotation: '24h' },
    cni: { confName: '10-aws.conflist' },
    services: SERVICES,
    traffic: TRAFFIC,
    ...overrides,
  };
}

export function context(overrides: Partial<PlatformContext> = {}): PlatformContext {
  return platformContext({ production: true, applicationNamespaces: ['shop', 'pay'], ...overrides });
}

/** A stack with stand-in Kong releases, the add-on deployed into it. */
export function deployedStack(addOn: MeshAddOn, ctx: PlatformContext = context()): { stack: TerraformStack; kong: KongReleases } {
  const stack = new TerraformStack(Testing.app(), 'platform');
  new HelmProvider(stack, 'helm', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  const kong: KongReleases = {
    gateway: new Release(stack, 'gateway', { name: 'kong-gateway', chart: 'kong', namespace: 'kong' }),
    controller: new Release(stack, 'controller', { name: 'kong-controller', chart: 'kong', namespace: 'kong' }),
  };
  addOn.deploy(stack, ctx, kong);
  return { stack, kong };
}

export { synthJson as synth, resources as resourcesOf } from '../support/terraform-json';

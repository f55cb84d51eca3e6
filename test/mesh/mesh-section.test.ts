import { z } from 'zod';
import { checkMeshRules, effectiveControlPlaneReplicas, effectiveMeshNamespace, effectiveMtlsMode, meshSectionSchema } from '../../config/sections/mesh';

const VALID = {
  enabled: true,
  licenseSecretName: 'kong-mesh-license',
  services: [
    { name: 'orders', namespace: 'shop', port: 8080 },
    { name: 'payments', namespace: 'pay' },
  ],
  traffic: [
    { from: 'gateway', to: 'shop/orders' },
    { from: 'shop/orders', to: 'pay/payments' },
  ],
};

/** A raw environment document around a mesh section. */
function env(mesh: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'x', cloud: 'aws', namespaces: { system: 'kong', applications: [{ name: 'shop' }, { name: 'pay' }] }, mesh, ...extra };
}

describe('mesh section schema', () => {
  test('defaults: disabled, kong-mesh 2.14.3, builtin CA 4096 bits / 5y, 24h proxy certificates, CNI on', () => {
    expect(meshSectionSchema.parse({})).toEqual({
      enabled: false,
      product: 'kong-mesh',
      chartVersion: '2.14.3',
      mtls: { caRsaBits: 4096, caExpiration: '5y', dpCertRotation: '24h' },
      cni: { enabled: true },
      services: [],
      traffic: [],
    });
  });

  test('a valid section parses', () => {
    expect(meshSectionSchema.safeParse(VALID).success).toBe(true);
  });

  test.each([
    ['unknown key', { ...VALID, mtlsMode: 'STRICT' }, '', /Unrecognized key/],
    ['3.x chart', { chartVersion: '3.0.0' }, 'chartVersion', /2.x chart version/],
    ['mode', { mtls: { mode: 'strict' } }, 'mtls.mode', /PERMISSIVE.*STRICT/],
    ['CA key size', { mtls: { caRsaBits: 1024 } }, 'mtls.caRsaBits', /.+/],
    ['duration', { mtls: { dpCertRotation: '1 day' } }, 'mtls.dpCertRotation', /whole number and one unit/],
    ['edge source', { traffic: [{ from: 'orders', to: 'shop/orders' }] }, 'traffic.0.from', /"gateway" or "<namespace>\/<service>"/],
    ['edge target gateway', { traffic: [{ from: 'shop/orders', to: 'gateway' }] }, 'traffic.0.to', /<namespace>\/<service>/],
    ['service name', { services: [{ name: 'Orders', namespace: 'shop' }] }, 'services.0.name', /DNS label/],
    ['replicas', { controlPlaneReplicas: 9 }, 'controlPlaneReplicas', /.+/],
  ])('rejects a bad %s with its field path', (_case, input, path, message) => {
    const result = meshSectionSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((candidate) => candidate.path.join('.') === path);
    expect(issue?.message).toMatch(message);
  });

  test('every field has a description', () => {
    const missing: string[] = [];
    const walk = (schema: z.ZodTypeAny, at: string) => {
      let inner: z.ZodTypeAny = schema;
      while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional || inner instanceof z.ZodEffects) {
        if (inner.description) break;
        inner = inner instanceof z.ZodEffects ? inner.innerType() : (inner._def.innerType as z.ZodTypeAny);
      }
      if (at && !schema.description && !inner.description) missing.push(at);
      let shapeHolder: z.ZodTypeAny = schema;
      while (!(shapeHolder instanceof z.ZodObject) && !(shapeHolder instanceof z.ZodArray) && shapeHolder._def.innerType) shapeHolder = shapeHolder._def.innerType;
      if (shapeHolder instanceof z.ZodEffects) shapeHolder = shapeHolder.innerType();
      if (shapeHolder instanceof z.ZodArray) shapeHolder = shapeHolder.element;
      if (shapeHolder instanceof z.ZodObject) {
        for (const [key, child] of Object.entries(shapeHolder.shape as Record<string, z.ZodTypeAny>)) walk(child, at ? `${at}.${key}` : key);
      }
    };
    walk(meshSectionSchema, '');
    expect(missing).toEqual([]);
  });
});

describe('mesh rules', () => {
  test('a valid section has no violations', () => {
    expect(checkMeshRules(env(VALID))).toEqual([]);
  });

  test('an edge to an unknown service is a config error naming the edge and the known services', () => {
    expect(checkMeshRules(env({ ...VALID, traffic: [{ from: 'gateway', to: 'shop/basket' }] }))).toEqual([
      { path: 'mesh.traffic.0.to', message: 'unknown service "shop/basket": declare it under mesh.services (known: shop/orders, pay/payments)' },
    ]);
  });

  test('an edge from an unknown service is a config error', () => {
    expect(checkMeshRules(env({ ...VALID, traffic: [{ from: 'pay/ledger', to: 'shop/orders' }] }))).toEqual([expect.objectContaining({ path: 'mesh.traffic.0.from' })]);
  });

  test('production requires STRICT mTLS', () => {
    expect(checkMeshRules(env({ ...VALID, mtls: { mode: 'PERMISSIVE' } }, { production: true }))).toEqual([
      { path: 'mesh.mtls.mode', message: 'must be "STRICT" in a production environment: PERMISSIVE still accepts plaintext' },
    ]);
  });

  test('PERMISSIVE is fine outside production (rollout)', () => {
    expect(checkMeshRules(env({ ...VALID, mtls: { mode: 'PERMISSIVE' } }))).toEqual([]);
  });

  test('production requires an HA control plane', () => {
    expect(checkMeshRules(env({ ...VALID, mtls: { mode: 'STRICT' }, controlPlaneReplicas: 1 }, { production: true }))).toEqual([
      expect.objectContaining({ path: 'mesh.controlPlaneReplicas', message: expect.stringContaining('at least 2 in a production environment') }),
    ]);
  });

  test('kong-mesh needs the licence Secret', () => {
    expect(checkMeshRules(env({ ...VALID, licenseSecretName: undefined }))).toEqual([expect.objectContaining({ path: 'mesh.licenseSecretName' })]);
    expect(checkMeshRules(env({ ...VALID, licenseSecretName: undefined, product: 'kuma' }))).toEqual([]);
  });

  test('a hybrid cluster must name its CNI config (or turn the CNI off)', () => {
    expect(checkMeshRules(env(VALID, { cloud: 'hybrid' }))).toEqual([expect.objectContaining({ path: 'mesh.cni.confName' })]);
    expect(checkMeshRules(env({ ...VALID, cni: { confName: '10-calico.conflist' } }, { cloud: 'hybrid' }))).toEqual([]);
  });

  test('services must live in application namespaces, not the Kong namespace', () => {
    const violations = checkMeshRules(env({ ...VALID, services: [...VALID.services, { name: 'x', namespace: 'kong' }, { name: 'y', namespace: 'other' }] }));
    expect(violations.map((v) => v.path)).toEqual(['mesh.services.2.namespace', 'mesh.services.3.namespace']);
  });

  test('duplicate services and edges are reported', () => {
    const violations = checkMeshRules(env({ ...VALID, services: [...VALID.services, VALID.services[0]], traffic: [...VALID.traffic, VALID.traffic[0]] }));
    expect(violations.map((v) => v.path)).toEqual(['mesh.services.2', 'mesh.traffic.2']);
  });

  test('a proxy certificate may not outlive the CA', () => {
    expect(checkMeshRules(env({ ...VALID, mtls: { caExpiration: '30d', dpCertRotation: '1y' } }))).toEqual([expect.objectContaining({ path: 'mesh.mtls.dpCertRotation' })]);
  });

  test('all violations are returned together', () => {
    const violations = checkMeshRules(env({ ...VALID, licenseSecretName: undefined, mtls: { mode: 'PERMISSIVE' }, traffic: [{ from: 'a/b', to: 'c/d' }] }, { production: true }));
    expect(violations.map((v) => v.path)).toEqual(['mesh.licenseSecretName', 'mesh.mtls.mode', 'mesh.traffic.0.from', 'mesh.traffic.0.to']);
  });

  test('no mesh section, no violations', () => {
    expect(checkMeshRules({ name: 'x' })).toEqual([]);
  });
});

describe('effective settings', () => {
  const section = meshSectionSchema.parse({});
  test('mode: STRICT in production, PERMISSIVE elsewhere, explicit wins', () => {
    expect(effectiveMtlsMode(section, true)).toBe('STRICT');
    expect(effectiveMtlsMode(section, false)).toBe('PERMISSIVE');
    expect(effectiveMtlsMode(meshSectionSchema.parse({ mtls: { mode: 'STRICT' } }), false)).toBe('STRICT');
  });
  test('replicas: 3 in production, 2 elsewhere (the control plane serves fail-closed admission webhooks)', () => {
    expect(effectiveControlPlaneReplicas(section, true)).toBe(3);
    expect(effectiveControlPlaneReplicas(section, false)).toBe(2);
  });

  test('one replica is refused outside production too', () => {
    // GIVEN a non-production mesh with one control plane replica
    // THEN the rule explains the webhook outage
    expect(checkMeshRules(env({ ...VALID, controlPlaneReplicas: 1 }, { production: false }))).toEqual([
      expect.objectContaining({ path: 'mesh.controlPlaneReplicas', message: expect.stringContaining('failurePolicy Fail') }),
    ]);
  });
  test('namespace per product', () => {
    expect(effectiveMeshNamespace(section)).toBe('kong-mesh-system');
    expect(effectiveMeshNamespace(meshSectionSchema.parse({ product: 'kuma' }))).toBe('kuma-system');
  });
});

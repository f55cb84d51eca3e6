import { GATEWAY, TrafficMatrix, meshTrafficPermissions, trafficNetworkPolicies } from '../../constructs/mesh/traffic-matrix';
import { loadCrdSchemas } from '../support/crd-schema';
import { GATEWAY_IDENTITY, MTP_CRD, SERVICES, TRAFFIC } from './fixtures';

const matrix = () => TrafficMatrix.resolve(SERVICES, TRAFFIC);
const permissions = () => meshTrafficPermissions(matrix(), { meshName: 'default', gateway: GATEWAY_IDENTITY });

/** The caller tags we expect for `gateway` or `ns/svc`. */
function expectedTags(caller: string): Record<string, string> {
  if (caller === GATEWAY) return { 'k8s.kuma.io/namespace': 'kong', 'app.kubernetes.io/instance': 'kong-gateway' };
  const [namespace, name] = caller.split('/');
  return { 'k8s.kuma.io/namespace': namespace, 'k8s.kuma.io/service-name': name };
}

/** Every (caller, callee) pair the generated permissions allow, as `caller -> ns/svc`. */
function allowedPairs(objects: ReturnType<typeof permissions>): string[] {
  const byTags = new Map(['gateway', ...SERVICES.map((s) => `${s.namespace}/${s.name}`)].map((ref) => [JSON.stringify(expectedTags(ref)), ref]));
  return objects.flatMap((mtp: any) =>
    mtp.spec.from.map((entry: any) => {
      expect(entry.default).toEqual({ action: 'Allow' });
      expect(entry.targetRef.kind).toBe('MeshSubset');
      const caller = byTags.get(JSON.stringify(entry.targetRef.tags));
      expect(caller).toBeDefined();
      const callee = SERVICES.find((s) => s.namespace === mtp.metadata.namespace && `allow-to-${s.name}` === mtp.metadata.name)!;
      return `${caller} -> ${callee.namespace}/${callee.name}`;
    }),
  );
}

describe('traffic matrix -> MeshTrafficPermissions', () => {
  test.each(TRAFFIC.map((edge) => [`${edge.from} -> ${edge.to}`, edge] as const))('edge %s is allowed exactly once', (_name, edge) => {
    // GIVEN / WHEN
    const [namespace, name] = edge.to.split('/');
    const mtp = permissions().find((object) => object.metadata.namespace === namespace && object.metadata.name === `allow-to-${name}`) as any;
    // THEN the callee's permission lists the caller, once, with Allow
    expect(mtp).toBeDefined();
    const entries = mtp.spec.from.filter((entry: any) => JSON.stringify(entry.targetRef.tags) === JSON.stringify(expectedTags(edge.from)));
    expect(entries).toEqual([{ targetRef: { kind: 'MeshSubset', tags: expectedTags(edge.from) }, default: { action: 'Allow' } }]);
  });

  test('nothing beyond the matrix is allowed: the allowed pairs are exactly the declared edges', () => {
    expect(allowedPairs(permissions()).sort()).toEqual(TRAFFIC.map((edge) => `${edge.from} -> ${edge.to}`).sort());
  });

  test('every allow is Allow (no Deny / shadow entries) and no policy targets the whole Mesh', () => {
    for (const mtp of permissions() as any[]) {
      expect(mtp.spec.targetRef.kind).toBe('Dataplane');
      expect(mtp.spec.from.every((entry: any) => entry.targetRef.kind !== 'Mesh')).toBe(true);
    }
  });

  test('a service nobody calls gets no permission at all (denied by default)', () => {
    expect(
      permissions()
        .map((object) => `${object.metadata.namespace}/${object.metadata.name}`)
        .sort(),
    ).toEqual(['pay/allow-to-ledger', 'pay/allow-to-payments', 'shop/allow-to-catalog', 'shop/allow-to-orders']);
  });

  test('the permission selects the callee pods by their labels, in the callee namespace', () => {
    const byName = Object.fromEntries(permissions().map((object: any) => [object.metadata.name, object]));
    expect(byName['allow-to-orders'].spec.targetRef).toEqual({ kind: 'Dataplane', labels: { app: 'orders' } });
    expect(byName['allow-to-payments'].spec.targetRef).toEqual({ kind: 'Dataplane', labels: { 'app.kubernetes.io/name': 'payments' } });
    expect(byName['allow-to-payments'].metadata).toMatchObject({ namespace: 'pay', labels: { 'kuma.io/mesh': 'default' } });
  });

  test('an empty matrix allows nothing', () => {
    expect(meshTrafficPermissions(TrafficMatrix.resolve(SERVICES, []), { meshName: 'default', gateway: GATEWAY_IDENTITY })).toEqual([]);
  });

  test('every generated MeshTrafficPermission validates against the Kuma 2.14.3 CRD', () => {
    const crds = loadCrdSchemas(MTP_CRD);
    for (const object of permissions()) expect({ name: object.metadata.name, problems: crds.problems(object as any) }).toEqual({ name: object.metadata.name, problems: [] });
  });
});

describe('traffic matrix validation', () => {
  test('an edge to an unknown service is an error naming the edge and the known services', () => {
    expect(() => TrafficMatrix.resolve(SERVICES, [{ from: 'gateway', to: 'shop/basket' }])).toThrow(
      /traffic\[0\]\.to: unknown service "shop\/basket" \(declared: shop\/orders, pay\/payments, pay\/ledger, shop\/catalog, shop\/reports\)/,
    );
  });

  test('an edge from an unknown service is an error', () => {
    expect(() => TrafficMatrix.resolve(SERVICES, [{ from: 'shop/basket', to: 'shop/orders' }])).toThrow(/traffic\[0\]\.from: unknown service "shop\/basket"/);
  });

  test('all problems are reported together', () => {
    const problems = TrafficMatrix.problems(
      [...SERVICES, { name: 'orders', namespace: 'shop' }, { name: 'x', namespace: 'shop', selector: {} }],
      [
        { from: 'gateway', to: 'nope/a' },
        { from: 'gateway', to: 'shop/orders' },
        { from: 'gateway', to: 'shop/orders' },
      ],
    );
    expect(problems).toEqual([
      'services[5]: "shop/orders" is declared twice',
      'services[6].selector: must not be empty (an empty selector matches every pod in the namespace)',
      expect.stringMatching(/^traffic\[0\]\.to: unknown service "nope\/a"/),
      'traffic[2]: repeats gateway -> shop/orders',
    ]);
  });
});

describe('traffic matrix -> NetworkPolicies (second layer)', () => {
  const policies = () => trafficNetworkPolicies(matrix(), GATEWAY_IDENTITY);

  test('one ingress policy per called service, on the same services as the mesh permissions', () => {
    expect(
      policies()
        .map((p) => `${p.namespace}/${p.name}`)
        .sort(),
    ).toEqual(
      permissions()
        .map((object) => `${object.metadata.namespace}/${object.metadata.name}`)
        .sort(),
    );
  });

  test.each(TRAFFIC.map((edge) => [`${edge.from} -> ${edge.to}`, edge] as const))('edge %s is a peer of the callee policy', (_name, edge) => {
    const [namespace, name] = edge.to.split('/');
    const policy = policies().find((p) => p.namespace === namespace && p.name === `allow-to-${name}`)!;
    const expectedPeer =
      edge.from === GATEWAY
        ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong' } }, podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'kong-gateway' } } }
        : (() => {
            const [fromNs, fromName] = edge.from.split('/');
            const caller = SERVICES.find((s) => s.namespace === fromNs && s.name === fromName)!;
            return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': fromNs } }, podSelector: { matchLabels: caller.selector ?? { app: fromName } } };
          })();
    expect(policy.spec.ingress![0].from).toContainEqual(expectedPeer);
  });

  test('nothing beyond the matrix: one peer per declared edge, in total', () => {
    expect(policies().reduce((count, p) => count + p.spec.ingress!.reduce((n, rule) => n + rule.from.length, 0), 0)).toBe(TRAFFIC.length);
  });

  test('peers are exactly the callers and the declared port narrows the rule', () => {
    const catalog = policies().find((p) => p.name === 'allow-to-catalog')!;
    expect(catalog.spec).toEqual({
      podSelector: { matchLabels: { app: 'catalog' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong' } }, podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'kong-gateway' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'orders' } } },
          ],
          ports: [{ port: '8080', protocol: 'TCP' }],
        },
      ],
    });
    expect(policies().find((p) => p.name === 'allow-to-ledger')!.spec.ingress![0].ports).toBeUndefined();
  });
});

/**
 * The CRD-schema helper is what every custom-resource test relies on; if it accepted anything,
 * those tests could not fail. These tests pin what it must reject.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonSchemaProblems, loadCrdSchemas } from '../support/crd-schema';

const KUMA = path.join(__dirname, '..', 'fixtures', 'upstream', 'kuma-2.14.3');
const MTP_CRD = path.join(KUMA, 'crds', 'kuma.io_meshtrafficpermissions.yaml');
const MESH_CRD = path.join(KUMA, 'crds', 'kuma.io_meshes.yaml');

function permission(spec: Record<string, unknown>): Record<string, any> {
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshTrafficPermission',
    metadata: { name: 'allow-orders', namespace: 'shop', labels: { 'kuma.io/mesh': 'default' } },
    spec,
  };
}

const VALID_SPEC = {
  targetRef: { kind: 'Dataplane', labels: { app: 'payments' } },
  from: [{ targetRef: { kind: 'MeshSubset', tags: { 'kuma.io/service': 'orders' } }, default: { action: 'Allow' } }],
};

describe('CRD schema helper', () => {
  const schemas = loadCrdSchemas(MTP_CRD, MESH_CRD);

  test('accepts a valid MeshTrafficPermission', () => {
    expect(schemas.problems(permission(VALID_SPEC))).toEqual([]);
  });

  test('rejects a value outside an enum', () => {
    // GIVEN
    const spec = { ...VALID_SPEC, from: [{ ...VALID_SPEC.from[0], default: { action: 'ALLOW' } }] };
    // WHEN / THEN
    expect(schemas.problems(permission(spec))).toEqual([expect.stringMatching(/^\/spec\/from\/0\/default\/action: .*allowed: \["Allow","Deny","AllowWithShadowDeny"\]/)]);
  });

  test('rejects a field the API server would prune (misspelt)', () => {
    // GIVEN
    const spec = { ...VALID_SPEC, targetRef: { kind: 'Dataplane', lables: { app: 'payments' } } };
    // WHEN / THEN
    expect(schemas.problems(permission(spec))).toContainEqual(expect.stringContaining('unknown field "lables"'));
  });

  test('rejects a missing required field', () => {
    // GIVEN
    const spec = { ...VALID_SPEC, from: [{ default: { action: 'Allow' } }] };
    // WHEN / THEN
    expect(schemas.problems(permission(spec))).toContainEqual(expect.stringContaining("must have required property 'targetRef'"));
  });

  test('rejects an unknown apiVersion/kind instead of passing it', () => {
    expect(schemas.problems({ apiVersion: 'kuma.io/v1beta1', kind: 'MeshTrafficPermission', metadata: { name: 'x' } })).toEqual([
      expect.stringMatching(/no served CRD version for apiVersion "kuma.io\/v1beta1"/),
    ]);
  });

  test('checks metadata like the API server: scope and DNS names', () => {
    // GIVEN
    const clusterScopedWithNamespace = { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default', namespace: 'x' }, spec: {} };
    const badName = permission(VALID_SPEC);
    badName.metadata.name = 'Allow_Orders';
    // WHEN / THEN
    expect(schemas.problems(clusterScopedWithNamespace)).toEqual([expect.stringContaining('cluster-scoped kind must not set a namespace')]);
    expect(schemas.problems(badName)).toEqual([expect.stringContaining('/metadata/name: "Allow_Orders" is not a DNS subdomain')]);
  });

  test('keeps x-kubernetes-preserve-unknown-fields open (Mesh spec is free-form in the CRD)', () => {
    expect(schemas.problems({ apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: 'default' }, spec: { anything: 1 } })).toEqual([]);
  });

  test('int-or-string accepts both and rejects other types', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-'));
    const crd = path.join(dir, 'crd.yaml');
    fs.writeFileSync(
      crd,
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: probes.example.com}',
        'spec:',
        '  group: example.com',
        '  names: {kind: Probe, plural: probes}',
        '  scope: Namespaced',
        '  versions:',
        '  - name: v1',
        '    served: true',
        '    storage: true',
        '    schema:',
        '      openAPIV3Schema:',
        '        type: object',
        '        properties:',
        '          spec:',
        '            type: object',
        '            properties:',
        '              port: {x-kubernetes-int-or-string: true}',
      ].join('\n'),
    );
    const probes = loadCrdSchemas(crd);
    const probe = (port: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Probe', metadata: { name: 'p' }, spec: { port } });
    // WHEN / THEN
    expect(probes.problems(probe(8080))).toEqual([]);
    expect(probes.problems(probe('http'))).toEqual([]);
    expect(probes.problems(probe(true)).length).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('closed JSON-schema mode catches a misspelt field that the lax Mesh.json would ignore', () => {
    // GIVEN
    const schema = path.join(KUMA, 'schemas', 'Mesh.json');
    const typo = { mtls: { enabledBackend: 'ca-1', backend: [] } };
    // WHEN / THEN
    expect(jsonSchemaProblems(schema, typo)).toEqual([]);
    expect(jsonSchemaProblems(schema, typo, { closeObjects: true })).toContainEqual(expect.stringContaining('unknown field "backend"'));
  });
});

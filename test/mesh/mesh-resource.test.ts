import { meshResource } from '../../constructs/mesh/mesh-resource';
import { jsonSchemaProblems, loadCrdSchemas } from '../support/crd-schema';
import { MESH_CRD, MESH_JSON_SCHEMA } from './fixtures';

const MTLS = { mode: 'PERMISSIVE', caRsaBits: 3072, caExpiration: '5y', dpCertRotation: '12h' } as const;

/**
 * The builtin CA `conf` is free-form in Mesh.json. Its fields come from kumahq/kuma v2.14.3
 * pkg/plugins/ca/builtin/config/builtin_ca_config.proto (BuiltinCertificateAuthorityConfig:
 * caCert { RSAbits uint32, expiration string }), written out here as a closed schema.
 */
const BUILTIN_CA_CONF_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    caCert: {
      type: 'object',
      additionalProperties: false,
      properties: { RSAbits: { type: 'integer', minimum: 0, maximum: 4294967295 }, expiration: { type: 'string' } },
    },
  },
};

describe('Mesh resource', () => {
  test('validates against the Mesh CRD (v1alpha1, cluster-scoped)', () => {
    expect(loadCrdSchemas(MESH_CRD).problems(meshResource('default', MTLS) as any)).toEqual([]);
  });

  test('the spec validates against Mesh.json with unknown fields rejected', () => {
    expect(jsonSchemaProblems(MESH_JSON_SCHEMA, meshResource('default', MTLS).spec, { closeObjects: true })).toEqual([]);
  });

  test('the builtin CA conf carries the key size and lifetime under the proto field names', () => {
    const backend = (meshResource('default', MTLS).spec as any).mtls.backends[0];
    const ajv = new (require('ajv').default)({ strict: false });
    expect(ajv.validate(BUILTIN_CA_CONF_SCHEMA, backend.conf)).toBe(true);
    expect(backend.conf).toEqual({ caCert: { RSAbits: 3072, expiration: '5y' } });
  });

  test('builtin CA, enabled, with data plane certificate rotation and the mode', () => {
    const spec = meshResource('default', MTLS).spec as any;
    expect(spec.mtls).toEqual({
      enabledBackend: 'ca-1',
      backends: [{ name: 'ca-1', type: 'builtin', mode: 'PERMISSIVE', dpCert: { rotation: { expiration: '12h' } }, conf: { caCert: { RSAbits: 3072, expiration: '5y' } } }],
    });
  });

  test('STRICT is written as the backend mode', () => {
    expect((meshResource('default', { ...MTLS, mode: 'STRICT' }).spec as any).mtls.backends[0].mode).toBe('STRICT');
  });

  test('the control plane never creates a MeshTrafficPermission of its own', () => {
    expect((meshResource('default', MTLS).spec as any).skipCreatingInitialPolicies).toEqual(['MeshTrafficPermission']);
  });

  test('a mode outside the schema enum is caught by the Mesh.json check (the check can fail)', () => {
    const spec = meshResource('default', MTLS).spec as any;
    spec.mtls.backends[0].mode = 'STRICTER';
    expect(jsonSchemaProblems(MESH_JSON_SCHEMA, spec, { closeObjects: true }).join('\n')).toMatch(/mode/);
  });
});

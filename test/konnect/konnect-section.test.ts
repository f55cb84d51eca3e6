import { konnectSectionSchema } from '../../config/sections/konnect';

describe('konnect section schema', () => {
  it('defaults to a Konnect control plane in the US with pinned certificates', () => {
    const parsed = konnectSectionSchema.parse({ enabled: true });
    expect(parsed).toMatchObject({
      mode: 'konnect',
      region: 'us',
      tokenSource: 'variable',
      controlPlane: { clusterType: 'CLUSTER_TYPE_CONTROL_PLANE', authType: 'pinned_client_certs', labels: {} },
      certificate: { validityDays: 365, earlyRenewalDays: 30, rotation: 0, algorithm: 'ECDSA', secretName: 'kong-cluster-cert' },
      customPluginSchemas: true,
    });
  });

  it.each([
    [{ region: 'mars' }, 'region'],
    [{ token: 'kpat_abc' }, 'Unrecognized key'],
    [{ controlPlane: { labels: { kong_team: 'x' } } }, 'reserved by Konnect'],
    [{ controlPlane: { existingId: 'not-a-uuid' } }, 'must be a control plane UUID'],
    [{ certificate: { rotation: -1 } }, 'rotation'],
    [{ certificate: { validityDays: 10 } }, 'validityDays'],
    [{ mode: 'self-managed' }, 'is required when mode is "self-managed"'],
    [{ mode: 'self-managed', selfManaged: {} }, 'postgres'],
  ])('rejects %j', (input, message) => {
    const result = konnectSectionSchema.safeParse({ enabled: true, ...input });
    expect(result.success).toBe(false);
    const text = (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(text).toContain(message);
  });

  it('describes every field', () => {
    let schema: any = konnectSectionSchema;
    while (!schema.shape) schema = schema._def.schema;
    const shape = schema.shape;
    for (const [key, field] of Object.entries(shape)) expect([key, (field as any).description]).toEqual([key, expect.any(String)]);
  });
});

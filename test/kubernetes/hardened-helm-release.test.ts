import { Testing, TerraformStack, Fn } from '../../constructs/core/cdktf';
import { HardenedHelmRelease, splitTokenValues } from '../../constructs/kubernetes/hardened-helm-release';
import { synthJson } from '../support/terraform-json';

function release(values: Record<string, unknown>, extra: Partial<ConstructorParameters<typeof HardenedHelmRelease>[2]> = {}) {
  const stack = new TerraformStack(Testing.app(), 'stack');
  const r = new HardenedHelmRelease(stack, 'r', {
    releaseName: 'x',
    namespace: 'ns',
    chart: 'kong',
    repository: 'https://charts.konghq.com',
    chartVersion: '3.4.1',
    values,
    ...extra,
  });
  return { stack, r, json: () => Object.values(synthJson(stack).resource.helm_release)[0] as any };
}

describe('HardenedHelmRelease', () => {
  test('Terraform references in values go to `set`, the YAML stays plain data', () => {
    // GIVEN a value only known at apply time
    const { json } = release({ env: { cluster_control_plane: Fn.join(':', ['host', '443']), database: 'off' }, list: ['a', Fn.upper('b')] });
    // THEN
    const r = json();
    expect(r.values[0]).not.toContain('${');
    expect(r.values[0]).toContain('database: "off"');
    expect(r.set).toEqual([
      { name: 'env.cluster_control_plane', type: 'string', value: '${join(":", ["host", "443"])}' },
      { name: 'list[1]', type: 'string', value: '${upper("b")}' },
    ]);
  });

  test('keys with dots are escaped in set paths', () => {
    const { tokenValues } = splitTokenValues({ podAnnotations: { 'kuma.io/gateway': Fn.lower('X') } });
    expect(tokenValues[0].name).toBe('podAnnotations.kuma\\.io/gateway');
  });

  test('refuses a version range', () => {
    expect(() => release({}, { chartVersion: '^3.4' })).toThrow('stack/r: chartVersion must be an exact version such as 3.4.1 (no ranges), got "^3.4"');
  });

  test('refuses a timeout too short for a rollout', () => {
    expect(() => release({}, { timeoutSeconds: 10 })).toThrow('stack/r: timeoutSeconds must be at least 60');
  });
});

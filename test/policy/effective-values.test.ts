import { ReleaseConfig } from '@cdktf/provider-helm/lib/release';
import { Construct, Fn, TerraformVariable } from '../../constructs/core/cdktf';
import { coalesceValues, mergeUserValues, parseSetString } from '../../constructs/policy/helm-values';
import { compliantGatewayValues, kongRelease, merge, messagesOf, valuesYaml, violatedRules } from './support';

/**
 * The rules judge a Helm release by the values Helm really installs with: every values document
 * merged in order, the set entries, the chart defaults underneath; unresolved leaves are unknown,
 * the rest is still checked.
 */

const kong = (scope: Construct, overrides: Partial<ReleaseConfig>) => kongRelease(scope, {}, overrides);

describe('Helm --set parsing (strvals)', () => {
  test.each<[string, boolean, Array<{ path: Array<string | number>; value: unknown }>]>([
    ['a.b=true', true, [{ path: ['a', 'b'], value: true }]],
    ['a.b=true', false, [{ path: ['a', 'b'], value: 'true' }]],
    ['replicaCount=2', true, [{ path: ['replicaCount'], value: 2 }]],
    ['a.b=null', true, [{ path: ['a', 'b'], value: null }]],
    ['list[1].name=x', true, [{ path: ['list', 1, 'name'], value: 'x' }]],
    ['annotations.service\\.beta\\.kubernetes\\.io/x=internal', true, [{ path: ['annotations', 'service.beta.kubernetes.io/x'], value: 'internal' }]],
    [
      'env.headers=off,admin.type=NodePort',
      true,
      [
        { path: ['env', 'headers'], value: 'off' },
        { path: ['admin', 'type'], value: 'NodePort' },
      ],
    ],
    ['env.headers=off\\,Via', true, [{ path: ['env', 'headers'], value: 'off,Via' }]],
    ['ranges={10.0.0.0/8,0.0.0.0/0}', true, [{ path: ['ranges'], value: ['10.0.0.0/8', '0.0.0.0/0'] }]],
    ['version=007', true, [{ path: ['version'], value: '007' }]],
  ])('%s (typed: %s)', (input, typed, expected) => {
    expect(parseSetString(input, typed)).toEqual(expected);
  });

  test('a key without "=" is an error naming the input', () => {
    expect(() => parseSetString('a.b', true)).toThrow('key without "=" in "a.b"');
  });
});

describe('merging like Helm', () => {
  test('later values documents win key by key; lists and null replace', () => {
    const merged = mergeUserValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: null });
  });

  test('chart defaults fill what the user values leave out, and a user null removes a default', () => {
    const effective = coalesceValues({ proxy: { type: 'LoadBalancer', http: { enabled: true } }, admin: { type: 'NodePort' } }, { proxy: { type: 'ClusterIP' }, admin: null });
    expect(effective).toEqual({ proxy: { type: 'ClusterIP', http: { enabled: true } } });
  });
});

describe('unknown values: only the unresolved leaf is unknown', () => {
  test('a Terraform expression in one value no longer switches off the checks of the whole release', () => {
    // GIVEN a values document with an expression leaf and Kong Manager switched on
    const build = (s: Construct) => kong(s, { values: [valuesYaml(merge(compliantGatewayValues(), { podAnnotations: { note: '${var.note}' }, manager: { enabled: true } }))] });
    // WHEN / THEN
    expect(violatedRules(build)).toEqual(['KP-KONG-003']);
  });

  test('an unresolved token as the value of a checked field is not judged', () => {
    // GIVEN admin.type only known at apply time (a Terraform variable, rendered through `set`)
    const build = (s: Construct) => {
      const type = new TerraformVariable(s, 'admin_type', { type: 'string' });
      kong(s, { set: [{ name: 'admin.type', value: type.stringValue }] });
    };
    // WHEN / THEN
    expect(violatedRules(build)).toEqual([]);
  });

  test('a whole values document only known at apply time fails KP-HELM-005, and the other documents are still checked', () => {
    // GIVEN a jsonencode()d document beside a readable one that exposes the Admin API
    const build = (s: Construct) => {
      const doc = new TerraformVariable(s, 'values', { type: 'any' });
      kong(s, { values: [valuesYaml(merge(compliantGatewayValues(), { admin: { type: 'LoadBalancer' } })), Fn.jsonencode(doc.value)] });
    };
    // WHEN / THEN
    expect(violatedRules(build)).toEqual(['KP-HELM-005', 'KP-KONG-001']);
    expect(messagesOf('KP-HELM-005', build)[0]).toMatch(/^values\[1\] is only known at apply time \(.*\): the guardrails cannot check it$/);
  });

  test('a values document that is not valid YAML fails KP-HELM-005', () => {
    const build = (s: Construct) => kong(s, { values: [valuesYaml(compliantGatewayValues()), 'a: [unclosed'] });
    expect(messagesOf('KP-HELM-005', build)).toEqual([expect.stringMatching(/^values\[1\] is not valid YAML/)]);
  });
});

describe('effective values: documents in order, then set entries, over the chart defaults', () => {
  test('a later values document overrides an earlier one', () => {
    const build = (s: Construct) => kong(s, { values: [valuesYaml(compliantGatewayValues()), valuesYaml({ containerSecurityContext: { readOnlyRootFilesystem: false } })] });
    expect(violatedRules(build)).toEqual(['KP-K8S-002']);
  });

  test('a removed proxy block gets the chart default: a public LoadBalancer', () => {
    const values = compliantGatewayValues();
    delete values.proxy;
    expect(messagesOf('KP-KONG-006', (s) => kong(s, { values: [valuesYaml(values)] }))).toEqual([
      'proxy.type is "LoadBalancer" (chart default: the proxy block was removed) without an internal load balancer annotation: the cloud provisions a public load balancer that bypasses the edge (WAF); keep ClusterIP or annotate it internal',
    ]);
  });

  test('a set entry is applied after the values documents, typed like --set', () => {
    const build = (s: Construct) => kong(s, { set: [{ name: 'deployment.hostNetwork', value: 'true' }] });
    expect(messagesOf('KP-K8S-008', build)).toEqual(['values: deployment.hostNetwork is true']);
  });

  test('a set_sensitive entry counts like a set entry', () => {
    const build = (s: Construct) => kong(s, { setSensitive: [{ name: 'env.trusted_ips', value: '0.0.0.0/0' }] });
    expect(violatedRules(build)).toEqual(['KP-KONG-005']);
  });

  test('a comma in a set value starts another assignment, as in Helm', () => {
    const build = (s: Construct) => kong(s, { set: [{ name: 'env.log_level', value: 'notice,admin.type=LoadBalancer' }] });
    expect(messagesOf('KP-KONG-001', build)).toEqual(['admin.type is "LoadBalancer": the Admin API must be a ClusterIP Service']);
  });

  test('a set entry of type string keeps "true" a string, which Kong still reads as true', () => {
    const build = (s: Construct) => kong(s, { set: [{ name: 'containerSecurityContext.privileged', value: 'true', type: 'string' }] });
    expect(violatedRules(build)).toEqual(['KP-K8S-003']);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { z } from 'zod';
import { environmentSchema } from '../../config/environment';
import { environmentFieldOf } from '../../config/props-issues';

const ROOT = path.resolve(__dirname, '../..');

/** The props interfaces the environment file maps onto, and where their fields sit in the props tree. */
const INTERFACES: Array<{ file: string; name: string; prefix: string }> = [
  { file: 'constructs/kong/kong-platform.ts', name: 'KongPlatformProps', prefix: '' },
  { file: 'constructs/kong/kong-platform.ts', name: 'KongImages', prefix: 'images.' },
  { file: 'constructs/kong/kong-platform.ts', name: 'KongPlatformPolicyProps', prefix: 'policy.' },
  { file: 'constructs/kong/kong-gateway.ts', name: 'KongGatewayOptions', prefix: 'gateway.' },
  { file: 'constructs/kong/kong-gateway.ts', name: 'GatewayAutoscalingOptions', prefix: 'gateway.autoscaling.' },
  { file: 'constructs/kong/kong-gateway.ts', name: 'ProxyServiceOptions', prefix: 'gateway.proxyService.' },
  { file: 'constructs/kong/kong-ingress-controller.ts', name: 'KongIngressControllerOptions', prefix: 'controller.' },
];

/**
 * The maintained table: a props field whose environment-file field has another path (`env`), or
 * that environment files do not offer, and why (`reason`). A new props field fails the test below
 * until it has an environment-file counterpart of the same path or a row here.
 */
const MAPPING: Record<string, { env: string } | { reason: string }> = {
  'images.gateway': { env: 'images.gateway' },
  'images.controller': { env: 'images.controller' },
  podSecurityLevel: { reason: 'environment files always get "restricted"; a weaker level is a library decision with its own review' },
  chart: { env: 'helm.kongChartVersion' },
  release: { env: 'helm.timeoutSeconds' },
  addOns: { reason: 'built by stacks/ from the aws, azure, mesh, konnect and apis sections' },
  'gateway.escapeHatchField': { reason: 'set by KongPlatform itself so policy findings name gateway.extraValues; not a setting' },
  'controller.escapeHatchField': { reason: 'set by KongPlatform itself so policy findings name controller.extraValues; not a setting' },
  releaseNames: { reason: 'environment files keep the default release names (dashboards and runbooks rely on them)' },
  'policy.enabled': { reason: 'environment files cannot switch the guardrails off; stacks/policy.ts attaches them to every stack' },
  'policy.waivers': { env: 'policy.waivers' },
  'policy.registries': { env: 'images.registry' },
  'policy.cloud': { env: 'cloud' },
};

function interfaceFields(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`${file}: no interface ${name}`);
  return found.members.filter(ts.isPropertySignature).map((m) => (m.name as ts.Identifier).text);
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) schema = schema.unwrap();
    else if (schema instanceof z.ZodDefault) schema = schema._def.innerType;
    else if (schema instanceof z.ZodEffects) schema = schema.innerType();
    else return schema;
  }
}

/** Does the environment schema have this dotted path (list items as `0`)? */
function environmentHas(fieldPath: string): boolean {
  let schema: z.ZodTypeAny = environmentSchema;
  for (const part of fieldPath.split('.')) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray && /^\d+$/.test(part)) schema = schema.element;
    else if (schema instanceof z.ZodObject && schema.shape[part]) schema = schema.shape[part];
    else return false;
  }
  return true;
}

describe('props are the contract: every KongPlatform props field has an environment-file counterpart or a documented reason', () => {
  const fields = INTERFACES.flatMap(({ file, name, prefix }) => interfaceFields(file, name).map((f) => `${prefix}${f}`));

  test('GIVEN the props interfaces THEN the reader finds their fields', () => {
    expect(fields).toEqual(expect.arrayContaining(['environment', 'gateway.replicas', 'gateway.autoscaling.minReplicas', 'controller.watchNamespaces', 'policy.waivers']));
  });

  test.each(INTERFACES.flatMap(({ file, name, prefix }) => interfaceFields(file, name).map((f) => [`${prefix}${f}`])))('%s', (field) => {
    const row = MAPPING[field];
    if (row && 'reason' in row) {
      expect(row.reason.length).toBeGreaterThan(20);
      return;
    }
    const envPath = row?.env ?? environmentFieldOf(field);
    expect({ field, envPath, inEnvironmentSchema: environmentHas(envPath) }).toEqual({ field, envPath, inEnvironmentSchema: true });
  });

  test('GIVEN a props field with no counterpart and no row WHEN checked THEN it is caught', () => {
    expect(environmentHas(environmentFieldOf('gateway.replicaz'))).toBe(false);
    expect(environmentHas(environmentFieldOf('applicationNamespaces.0.name'))).toBe(true);
  });

  test('every row of the table is still a props field', () => {
    expect(Object.keys(MAPPING).filter((f) => !fields.includes(f))).toEqual([]);
  });
});

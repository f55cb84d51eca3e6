import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { ApisSectionInput } from '../../config/sections/apis';
import { ApiAddOn } from '../../constructs/apis/api-add-on';
import { TerraformStack, Testing } from '../../constructs/core/cdktf';
import type { KongReleases, PlatformContext } from '../../constructs/core/platform-add-on';
import { platformContext } from '../support/platform-fixture';
import { loadCrdSchemas } from '../support/crd-schema';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const KONG_CRDS = path.join(FIXTURES, 'upstream', 'kong-charts-3.4.1', 'crds', 'custom-resource-definitions.yaml');
export const KONG_VALUES = path.join(FIXTURES, 'upstream', 'kong-charts-3.4.1', 'values.yaml');
export const PARTNERS_CA = fs.readFileSync(path.join(FIXTURES, 'apis', 'partners-ca.pem'), 'utf8');
export const UPSTREAM_CA = fs.readFileSync(path.join(FIXTURES, 'apis', 'upstream-ca.pem'), 'utf8');
export const LEAF_NOT_CA = fs.readFileSync(path.join(FIXTURES, 'apis', 'leaf-not-ca.pem'), 'utf8');
export const IDP_PUBLIC_KEY = fs.readFileSync(path.join(FIXTURES, 'apis', 'idp-public.pem'), 'utf8');

/**
 * The Kong CRDs as the test validator can compile them. The API server's regex engine (RE2)
 * accepts `\-` outside a character class; JavaScript's unicode-mode RegExp (what ajv uses) does
 * not, so that one escape is rewritten to `-` (same meaning) in a temporary copy.
 */
let compatibleCrds: string | undefined;
export const kongCrds = () => {
  if (!compatibleCrds) {
    compatibleCrds = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kong-crds-')), 'custom-resource-definitions.yaml');
    fs.writeFileSync(
      compatibleCrds,
      fs.readFileSync(KONG_CRDS, 'utf8').replace(/^(\s*pattern: )(.*)$/gm, (_, key, pattern) => key + unescapeDashOutsideClasses(pattern)),
    );
  }
  return loadCrdSchemas(compatibleCrds);
};

function unescapeDashOutsideClasses(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      out += !inClass && next === '-' ? '-' : c + (next ?? '');
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

/** A small, valid `apis:` section: one API with key-auth, one tenant with one consumer. */
export function section(overrides: Partial<ApisSectionInput> = {}): ApisSectionInput {
  return {
    tenants: [{ name: 'acme', namespace: 'payments', consumers: [{ username: 'acme-web', keyAuth: {}, aclGroups: ['payments-read'] }] }],
    apis: [
      {
        name: 'payments',
        namespace: 'payments',
        service: { name: 'payments-api', port: 8080 },
        plugins: [{ plugin: 'key-auth' }],
        routes: [{ name: 'read', hosts: ['payments.example.com'], paths: ['/v1'] }],
      },
    ],
    ...overrides,
  };
}

export function context(overrides: Partial<PlatformContext> = {}): PlatformContext {
  return platformContext(overrides);
}

/** A stack with stand-in Kong releases and the add-on deployed into it. */
export function deployed(addOn: ApiAddOn, ctx: PlatformContext = context(), withController = true): { stack: TerraformStack; kong: KongReleases } {
  const stack = new TerraformStack(Testing.app(), 'platform');
  new HelmProvider(stack, 'helm', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  const kong: KongReleases = {
    gateway: new Release(stack, 'gateway', { name: 'kong-gateway', chart: 'kong', namespace: 'kong' }),
    controller: withController ? new Release(stack, 'controller', { name: 'kong-controller', chart: 'kong', namespace: 'kong' }) : undefined,
  };
  addOn.deploy(stack, ctx, kong);
  return { stack, kong };
}

export { synthJson as synth, resources as resourcesOf } from '../support/terraform-json';

/** Objects of one kind in the add-on's chart. */
export function objectsOf(addOn: ApiAddOn, kind: string): Array<Record<string, any>> {
  return addOn.chart!.manifests.filter((o) => o.kind === kind) as Array<Record<string, any>>;
}

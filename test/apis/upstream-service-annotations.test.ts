import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { SERVICE_ANNOTATIONS, SERVICE_ANNOTATIONS_FIELD_MANAGER } from '../../constructs/apis/api';
import { loadEnvironments } from '../../config/load';
import { PLUGINS_DIR, REPO_ROOT } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';

// The upstream settings of an API live on the application team's Service, which the platform does not
// own: checked against the kubernetes provider 2.38.0 excerpt and the KIC CRDs of kong chart 3.4.1.

const UPSTREAM = path.join(REPO_ROOT, 'test', 'fixtures', 'upstream');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(UPSTREAM, 'kubernetes-provider-2.38.0', 'schema.json'), 'utf8'));
const KONG_CRDS = YAML.parseAllDocuments(fs.readFileSync(path.join(UPSTREAM, 'kong-charts-3.4.1', 'crds', 'custom-resource-definitions.yaml'), 'utf8')).map((d) => d.toJS());

const allowedKeys = (entry: Record<string, unknown>) => new Set([...Object.keys(entry), 'depends_on', 'provider', 'lifecycle', '//']);

describe('upstream Service annotations: an explicit, forced dependency on the team Service', () => {
  // GIVEN the onprem-hybrid sample with the payments API (https upstream, CA, client certificate)
  const env = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR }).find((e) => e.name === 'onprem-hybrid')!;
  const platform = sampleSynth(env.name).stack('platform');
  const patches = Object.entries<any>(platform.resource.kubernetes_annotations ?? {});
  const reads = Object.entries<any>(platform.data?.kubernetes_service_v1 ?? {});

  test('THEN every annotated Service is read first, and the patch waits for the read', () => {
    expect(patches.length).toBeGreaterThan(0);
    for (const [, patch] of patches) {
      const read = reads.find(([, r]) => r.metadata.name === patch.metadata.name && r.metadata.namespace === patch.metadata.namespace);
      expect(read).toBeDefined();
      expect(patch.depends_on).toContain(`data.kubernetes_service_v1.${read![0]}`);
      // the read itself waits for the controller (and so for the namespaces), never for the patch
      expect(read![1].depends_on ?? []).not.toContain(expect.stringMatching(/kubernetes_annotations/));
    }
  });

  test('THEN the patch forces only its own keys, under the platform field manager', () => {
    for (const [, patch] of patches) {
      expect(patch.force).toBe(true);
      expect(patch.field_manager).toBe(SERVICE_ANNOTATIONS_FIELD_MANAGER);
      expect(patch.field_manager).not.toBe(SCHEMA.kubernetes_annotations.field_manager.default);
      expect(Object.keys(patch.annotations).every((k) => (Object.values(SERVICE_ANNOTATIONS) as string[]).includes(k))).toBe(true);
      expect(patch.template_annotations).toBeUndefined();
    }
  });

  test('THEN the patch and the read use only kubernetes 2.38.0 arguments', () => {
    for (const [, patch] of patches) {
      expect(Object.keys(patch).filter((k) => !allowedKeys(SCHEMA.kubernetes_annotations).has(k))).toEqual([]);
      expect(Object.keys(patch.metadata).filter((k) => !(k in SCHEMA.kubernetes_annotations.metadata.block))).toEqual([]);
    }
    for (const [, read] of reads) {
      expect(Object.keys(read).filter((k) => !allowedKeys(SCHEMA['data.kubernetes_service_v1']).has(k))).toEqual([]);
    }
  });

  test('GIVEN the KIC CRDs THEN no platform-owned Kong object can carry these settings (KongUpstreamPolicy has balancing and health checks only)', () => {
    const policy = KONG_CRDS.find((c) => c?.spec?.names?.kind === 'KongUpstreamPolicy');
    expect(policy).toBeDefined();
    const fields = Object.keys(policy.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties);
    expect(fields).toEqual(expect.arrayContaining(['algorithm', 'healthchecks']));
    // When a KIC release moves protocol or upstream TLS into a CRD, this fails: move the annotations there.
    expect(fields.filter((f) => /protocol|tls|verify|certificate|ca/i.test(f))).toEqual([]);
    expect(KONG_CRDS.map((c) => c?.spec?.names?.kind)).not.toContain('KongServiceFacade');
  });
});

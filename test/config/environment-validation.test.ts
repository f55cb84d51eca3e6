import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../config/errors';
import { loadEnvironments, parseEnvironmentText, validateEnvironment } from '../../config/load';
import { DIGEST_A, problems, PLUGINS_DIR, rawEnvironment, REPO_ROOT } from '../support/platform-fixture';
import { scratchPluginsFolder } from '../support/plugin-folders';

const only = (raw: Record<string, any>) => problems(raw).join('\n');

describe('sample environments', () => {
  test('every sample environment file is valid', () => {
    // WHEN
    const envs = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR });
    // THEN
    expect(envs.map((e) => e.name)).toEqual(expect.arrayContaining(['onprem-hybrid', 'aws-dev', 'azure-prod']));
  });

  test('a selection loads only the named environments', () => {
    const envs = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR, only: ['onprem-hybrid'] });
    expect(envs.map((e) => e.name)).toEqual(['onprem-hybrid']);
  });

  test('selecting an unknown environment names the ones available', () => {
    expect(() => loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), only: ['nope'] })).toThrow(/no environment file for "nope" \(available: .*onprem-hybrid/);
  });
});

describe('invalid environment files fail with a message naming file, field, value and what is allowed', () => {
  test('image tag "latest" is refused', () => {
    const out = only(rawEnvironment({ images: { gateway: { tag: 'latest' } } }));
    expect(out).toContain('test-env.yaml: images.gateway.tag: must not be "latest": pin a version tag and a digest, got "latest"');
  });

  test('production requires digests', () => {
    const out = only(rawEnvironment({ production: true, backend: { type: 's3', bucket: 'state', region: 'eu-west-1' }, images: { controller: { digest: undefined } } }));
    expect(out).toMatch(/images\.controller\.digest: is required in a production environment: a tag alone \("3\.4\.4"\) can be re-pushed/);
  });

  test('a malformed digest is refused', () => {
    expect(only(rawEnvironment({ images: { gateway: { digest: 'sha256:abc' } } }))).toContain(
      'images.gateway.digest: must be "sha256:" followed by 64 lowercase hex digits, got "sha256:abc"',
    );
  });

  test('an unknown field is named with a suggestion and the allowed fields', () => {
    const out = only(rawEnvironment({ gateway: { replica: 3 } }));
    expect(out).toMatch(/gateway\.replica: unknown field \(did you mean "replicas"\?\); allowed here: replicas, autoscaling/);
  });

  test('a wrong enum value lists the allowed values', () => {
    expect(only(rawEnvironment({ cloud: 'gcp' }))).toContain('cloud: must be one of "hybrid", "aws", "azure", got "gcp"');
  });

  test('a hybrid environment needs a kubeconfig', () => {
    expect(only(rawEnvironment({ kubernetes: undefined }))).toContain('kubernetes: is required when cloud is "hybrid"');
  });

  test('an invalid CIDR is refused', () => {
    expect(only(rawEnvironment({ gateway: { trustedIps: ['10.0.0.0/33'] } }))).toContain('gateway.trustedIps.0: must be an IPv4 CIDR such as 10.0.0.0/16, got "10.0.0.0/33"');
  });

  test('the ha profile refuses a single gateway replica', () => {
    expect(only(rawEnvironment({ profile: 'ha', gateway: { replicas: 1 } }))).toContain(
      'gateway.replicas: must be at least 2 in the ha profile (or set gateway.autoscaling), got 1',
    );
  });

  test('autoscaling minReplicas above maxReplicas is refused', () => {
    expect(only(rawEnvironment({ gateway: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } }))).toContain(
      'gateway.autoscaling.minReplicas: must not exceed maxReplicas (3), got 5',
    );
  });

  test('requests above limits are refused', () => {
    const resources = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '500m', memory: '2Gi' } };
    expect(only(rawEnvironment({ gateway: { resources } }))).toContain('gateway.resources.requests.cpu: must not exceed limits.cpu (500m), got "2"');
  });

  test('a production environment refuses the dev profile and local state', () => {
    const out = only(rawEnvironment({ production: true, profile: 'dev' }));
    expect(out).toContain('profile: must be "ha" (or omitted) on a production platform, got "dev"');
    expect(out).toContain('backend.type: must be "s3" or "azurerm" in a production environment');
  });

  test('extraValues cannot expose the Admin API', () => {
    const out = only(rawEnvironment({ gateway: { extraValues: { admin: { type: 'LoadBalancer', ingress: { enabled: true } } } } }));
    expect(out).toContain('gateway.extraValues.admin.type: must stay "ClusterIP": the Admin API is never exposed outside the cluster, got "LoadBalancer"');
    expect(out).toContain('gateway.extraValues.admin.ingress.enabled: must stay false');
  });

  test('a custom plugin without its folder is refused', () => {
    expect(only(rawEnvironment({ plugins: { custom: ['no-such-plugin'] } }))).toMatch(/plugins\.custom\.0: plugin "no-such-plugin" has no handler\.lua in plugins\/no-such-plugin/);
  });

  test('an application namespace may not reuse the Kong namespace or repeat', () => {
    const out = only(rawEnvironment({ namespaces: { applications: [{ name: 'kong' }, { name: 'team-a' }, { name: 'team-a' }] } }));
    expect(out).toContain('namespaces.applications.0.name: must differ from the Kong namespace "kong"');
    expect(out).toContain('namespaces.applications.2.name: is declared twice: each application namespace once, got "team-a"');
  });

  test('watchNamespaces must be declared namespaces', () => {
    expect(only(rawEnvironment({ controller: { watchNamespaces: ['ghost'] } }))).toContain(
      'controller.watchNamespaces.0: must be a declared namespace (allowed: "kong"), got "ghost"',
    );
  });

  test('an unknown header name lists the allowed ones', () => {
    expect(only(rawEnvironment({ gateway: { headers: 'on' } }))).toMatch(/gateway\.headers: must be "off" or a list of header names \(server_tokens, .*\), got "on"/);
  });

  test('production refuses 0.0.0.0/0 as trusted IPs', () => {
    const out = only(rawEnvironment({ production: true, backend: { type: 's3', bucket: 'state', region: 'eu-west-1' }, gateway: { trustedIps: ['0.0.0.0/0'] } }));
    expect(out).toContain('gateway.trustedIps: must not contain 0.0.0.0/0 on a production platform');
  });

  test('the name must equal the file name', () => {
    expect(problems(rawEnvironment({ name: 'other' }), 'test-env').join('\n')).toContain('name: must equal the file name "test-env", got "other"');
  });

  test('a missing required field says it is required', () => {
    const raw = rawEnvironment();
    delete raw.images.registry;
    expect(only(raw)).toContain('images.registry: is required (string)');
  });

  test('invalid YAML names the line', () => {
    const result = parseEnvironmentText('name: x\n  bad: [\n', 'broken.yaml');
    expect(result.issues[0].file).toBe('broken.yaml');
    expect(result.issues[0].message).toMatch(/is not valid YAML: .*\(line \d+, column \d+\)/);
  });

  test('every problem is reported at once, not the first only', () => {
    const out = problems(rawEnvironment({ cloud: 'gcp', images: { gateway: { tag: 'latest' } }, gateway: { replicas: 0, trustedIps: ['nope'] } }));
    expect(out.length).toBeGreaterThanOrEqual(4);
  });
});

describe('loadEnvironments', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('throws one ConfigError listing the problems of every file', () => {
    // GIVEN two broken files
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'name: a\ncloud: gcp\n');
    fs.writeFileSync(
      path.join(dir, 'b.yaml'),
      `name: b\ncloud: hybrid\nimages: {registry: r.example.com, gateway: {repository: k, tag: latest, digest: ${DIGEST_A}}, controller: {repository: c, tag: "1.0"}}\n`,
    );
    // WHEN
    let error: ConfigError | undefined;
    try {
      loadEnvironments({ directory: dir, pluginsDirectory: PLUGINS_DIR });
    } catch (e) {
      error = e as ConfigError;
    }
    // THEN
    expect(error).toBeInstanceOf(ConfigError);
    const files = new Set(error!.issues.map((i) => path.basename(i.file)));
    expect(files).toEqual(new Set(['a.yaml', 'b.yaml']));
    expect(error!.message).toMatch(/^Invalid environment configuration \(\d+ problems\):/);
  });
});

describe('the mesh hooks kubectl is pinned to the cluster Kubernetes minor (constructs/core/kubernetes-version.ts)', () => {
  const withKubectl = (tag: string, extra: Record<string, any> = {}) =>
    rawEnvironment({ mesh: { enabled: true, product: 'kuma' }, ...extra, images: { mesh: { kubectl: { repository: 'hardened/kubectl', tag, digest: DIGEST_A } } } });

  test('a kubectl of the default minor passes on a hybrid cluster', () => {
    // GIVEN a hybrid environment (no cluster version of its own) with kubectl v1.33.x
    // THEN no kubectl problem
    expect(only(withKubectl('v1.33.4'))).not.toContain('images.mesh.kubectl.tag');
  });

  test("the chart's kubectl 1.36 against a 1.33 cluster is refused", () => {
    // GIVEN the kuma chart's own kubectl tag
    // THEN the rule names the cluster minor
    expect(only(withKubectl('v1.36.1'))).toContain('images.mesh.kubectl.tag: must be a kubectl of the cluster\'s Kubernetes minor 1.33 (v1.33.<patch>), got "v1.36.1"');
  });
});

describe('custom plugins named like bundled ones', () => {
  test.each(['key-auth', 'rate-limiting', 'pre-function'])('GIVEN plugins.custom: [%s] THEN the file is refused at plugins.custom.1', (name) => {
    // GIVEN
    const raw = rawEnvironment({ plugins: { custom: ['tenant-guard', name] } });
    // WHEN
    const result = validateEnvironment(raw, 'test-env.yaml', { pluginsDirectory: scratchPluginsFolder(['tenant-guard', name]) });
    // THEN
    expect(result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      `plugins.custom.1: is the name of a plugin bundled with Kong: the custom plugin would replace it on every route that uses "${name}"; give it a name of its own, got "${name}"`,
    ]);
  });

  test.each(['mtls-auth', 'openid-connect', 'header-cert-auth'])(
    'GIVEN plugins.custom: [%s] (an Enterprise plugin) THEN the file is refused: it would replace the authentication',
    (name) => {
      const raw = rawEnvironment({ plugins: { custom: ['tenant-guard', name] } });
      const result = validateEnvironment(raw, 'test-env.yaml', { pluginsDirectory: scratchPluginsFolder(['tenant-guard', name]) });
      expect(result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
        `plugins.custom.1: is the name of a plugin bundled with Kong Gateway Enterprise: the custom plugin would replace it on every route that uses "${name}"; give it a name of its own, got "${name}"`,
      ]);
    },
  );
});

describe('look-alike characters are named in the message', () => {
  test.each([
    ['a Cyrillic "о" in the key production', { 'pr\u043eduction': true }, 'pr\u043eduction', 'unknown field (contains U+043E, not ASCII'],
    ['a Cyrillic "а" in a namespace name', { namespaces: { applications: [{ name: 'p\u0430yments' }] } }, 'namespaces.applications.0.name', 'contains U+0430, not ASCII'],
    ['a zero-width space in a watched namespace', { controller: { watchNamespaces: ['kong\u200b'] } }, 'controller.watchNamespaces.0', 'contains U+200B, not ASCII'],
  ])('GIVEN %s THEN the problem names the code point', (_given, overrides, field, note) => {
    // WHEN
    const result = validateEnvironment(rawEnvironment(overrides), 'test-env.yaml', { pluginsDirectory: PLUGINS_DIR });
    // THEN
    expect(result.environment).toBeUndefined();
    expect(result.issues).toContainEqual(expect.objectContaining({ path: field, message: expect.stringContaining(note) }));
  });

  test('GIVEN a unicode description (allowed text) THEN the file passes', () => {
    expect(validateEnvironment(rawEnvironment({ description: 'Zahlungen – Produktion 🇩🇪' }), 'test-env.yaml', { pluginsDirectory: PLUGINS_DIR }).issues).toEqual([]);
  });
});

describe('gateway settings the cloud edge owns', () => {
  test.each([
    ['aws', 'proxyService', { type: 'NodePort' }],
    ['aws', 'realIpHeader', 'X-Real-IP'],
    ['azure', 'trustedIps', ['0.0.0.0/0']],
  ])('GIVEN cloud %s with gateway.%s THEN the file is refused: the edge replaces it', (cloud, field, value) => {
    const raw = rawEnvironment({ cloud, gateway: { [field]: value } });
    const result = validateEnvironment(raw, 'test-env.yaml');
    expect(result.issues.map((i) => `${i.path}: ${i.message}`)).toContainEqual(expect.stringMatching(new RegExp(`^gateway\\.${field}: has no effect on cloud "${cloud}"`)));
  });

  test('GIVEN an existing (hybrid) cluster THEN the same settings are the platform team’s to set', () => {
    const result = validateEnvironment(rawEnvironment({ gateway: { realIpHeader: 'X-Real-IP' } }), 'test-env.yaml');
    expect(result.issues.filter((i) => i.path.startsWith('gateway.'))).toEqual([]);
  });
});

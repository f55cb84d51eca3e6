/**
 * The render harness's own parts: the Kubernetes v1.33 schema, the Terraform-to-object
 * conversion, and the whole pipeline on small synthetic stacks and charts (a vendored upstream
 * chart with a workload, a generated chart, unknown kinds).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KUBERNETES_SCHEMA_VERSION, KubernetesSchemas } from '../support/k8s-schema';
import { describeWithHelm } from '../support/helm';
import { APPLY_TIME_PLACEHOLDER, resolveExpressions, terraformObjects } from './terraform-objects';
import { ObjectValidator, SynthesizedPlatform, checkPlatform, findingLine, helmReleases, valuesDocument } from './harness';

const schemas = KubernetesSchemas.load();

const pod = (spec: Record<string, any>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec });

describe('Kubernetes schema', () => {
  test('is the v1.33.0 API: kinds of 1.33 exist, removed ones do not', () => {
    expect(KUBERNETES_SCHEMA_VERSION).toBe('1.33.0');
    expect(schemas.covers({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR' })).toBe(true); // GA in 1.33
    expect(schemas.covers({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema' })).toBe(false); // removed in 1.32
    expect(schemas.covers({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget' })).toBe(false); // removed in 1.25
    expect(schemas.problems({ apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } })).toEqual([
      expect.stringContaining('has no built-in apiVersion "autoscaling/v2beta2"'),
    ]);
  });

  test('accepts 1.33 fields (image volume, lifecycle stopSignal, webhook rule resources), rejects an unknown one', () => {
    const container = { name: 'c', image: 'i', lifecycle: { stopSignal: 'SIGTERM' }, securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } };
    expect(schemas.problems(pod({ containers: [container], volumes: [{ name: 'v', image: { reference: 'r' } }] }))).toEqual([]);
    expect(schemas.problems(pod({ containers: [{ ...container, lifecycle: { stopSignal: 'SIGTERN' } }] }))).toEqual([
      expect.stringMatching(/^\/spec\/containers\/0\/lifecycle\/stopSignal: must be equal to one of the allowed values/),
    ]);
    const webhook = (rule: Record<string, unknown>) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'w' },
      webhooks: [{ name: 'w.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig: { url: 'https://x' }, rules: [rule] }],
    });
    expect(schemas.problems(webhook({ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }))).toEqual([]);
    expect(schemas.problems(webhook({ apiGroups: [''], resource: ['pods'] }))).toEqual([expect.stringMatching(/^\/webhooks\/0\/rules\/0: .*unknown field "resource"/)]);
  });

  test('rejects unknown fields at any depth, missing required fields and wrong types', () => {
    const problems = schemas.problems({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'apps', labelz: {} },
      spec: {
        replica: 2,
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ image: 'i', readOnly: true, ports: [{ containerPort: '80' }] }] } },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/metadata: .*unknown field "labelz"/),
        expect.stringMatching(/^\/spec: .*unknown field "replica"/),
        expect.stringMatching(/^\/spec\/template\/spec\/containers\/0: .*unknown field "readOnly"/),
        expect.stringMatching(/^\/spec\/template\/spec\/containers\/0: must have required property 'name'/),
        expect.stringMatching(/^\/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort: must be number/),
      ]),
    );
  });

  test('value checks: enums and integers', () => {
    const problems = schemas.problems({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'apps' },
      spec: { type: 'Loadbalancer', ports: [{ port: 80.5, protocol: 'tcp' }] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/spec\/type: must be equal to one of the allowed values/),
        expect.stringMatching(/^\/spec\/ports\/0\/protocol: must be equal to one of the allowed values/),
        expect.stringMatching(/^\/spec\/ports\/0\/port: must be integer/),
      ]),
    );
  });

  test('int-or-string fields take both; metadata names, labels and scope are checked', () => {
    const pdb = (maxUnavailable: unknown) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'a' }, spec: { maxUnavailable } });
    expect(schemas.problems(pdb(1))).toEqual([]);
    expect(schemas.problems(pdb('25%'))).toEqual([]);
    expect(schemas.problems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'a', labels: { app: 'x y' } } })).toEqual([
      expect.stringContaining('/metadata/name: "Bad_Name" is not a DNS subdomain'),
      expect.stringContaining('/metadata/labels/app: invalid label value'),
    ]);
    expect(schemas.problems({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', namespace: 'x' } })).toEqual([
      expect.stringContaining('cluster-scoped kind must not set a namespace'),
    ]);
  });
});

describe('object validator', () => {
  const validator = new ObjectValidator();

  test('a kind with neither a built-in schema nor an upstream CRD is a failure, not a skip', () => {
    const object = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(validator.schemaFor(object)).toBeUndefined();
    expect(validator.problems(object)).toEqual([expect.stringContaining('no schema for apiVersion "example.com/v1" kind "Widget"')]);
  });

  test('custom resources validate against the upstream CRDs (Kong, Kuma), unknown fields rejected', () => {
    const plugin = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'p', namespace: 'a' }, plugin: 'key-auth', config: {} };
    expect(validator.problems(plugin)).toEqual([]);
    expect(validator.problems({ ...plugin, plugn: 'x' })).toEqual([expect.stringContaining('unknown field "plugn"')]);
    const mesh = {
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'Mesh',
      metadata: { name: 'default' },
      spec: { mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin', mode: 'STRICT' }] } },
    };
    expect(validator.problems(mesh)).toEqual([]);
    expect(validator.problems({ ...mesh, spec: { mtls: { enabledBakend: 'ca-1' } } })).toEqual([expect.stringContaining('[Mesh.json]')]);
    expect(validator.clusterScoped(mesh)).toBe(true);
    expect(validator.clusterScoped(plugin)).toBe(false);
  });
});

describe('Terraform resources to Kubernetes objects', () => {
  const stack = {
    resource: {
      kubernetes_namespace_v1: { ns: { metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } }, wait_for_default_service_account: true } },
      kubernetes_deployment_v1: {
        web: {
          metadata: [{ name: 'web', namespace: '${kubernetes_namespace_v1.ns.metadata[0].name}' }],
          spec: [
            {
              replicas: '2',
              selector: [{ match_labels: { app: 'web' } }],
              template: [
                {
                  metadata: [{ labels: { app: 'web' } }],
                  spec: [
                    {
                      container: [
                        { name: 'web', image: 'registry.example.com/web@sha256:0', port: [{ container_port: 8080 }], security_context: [{ run_as_non_root: true }] },
                        { name: 'sidecar', image: 'registry.example.com/s@sha256:0' },
                      ],
                      volume: [{ name: 'tmp', empty_dir: [{}] }],
                    },
                  ],
                },
              ],
            },
          ],
          wait_for_rollout: true,
          depends_on: ['x'],
        },
      },
      kubernetes_secret_v1: { s: { metadata: { name: 's', namespace: 'apps' }, data: { token: '${var.token}' }, type: 'Opaque' } },
      kubernetes_manifest: {
        m: { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', namespace: 'apps' }, data: { a: 'b' } }, field_manager: [{ name: 'x' }] },
      },
      kubernetes_annotations: { a: { api_version: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'apps' }, annotations: { 'konghq.com/protocol': 'https' } } },
      kubernetes_persistent_volume_claim_v1: { pvc: { metadata: { name: 'c' } } },
    },
  };

  test('blocks become objects, repeated blocks become lists, references resolve, Terraform-only arguments go', () => {
    const { objects, unconverted } = terraformObjects(stack, schemas);
    const byAddress = Object.fromEntries(objects.map((o) => [o.address, o]));
    const deployment = byAddress['kubernetes_deployment_v1.web'].object;
    expect(deployment).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'registry.example.com/web@sha256:0', ports: [{ containerPort: 8080 }], securityContext: { runAsNonRoot: true } },
              { name: 'sidecar', image: 'registry.example.com/s@sha256:0' },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
    expect(schemas.problems(deployment)).toEqual([]);
    expect(byAddress['kubernetes_secret_v1.s'].object.data).toEqual({ token: Buffer.from(APPLY_TIME_PLACEHOLDER).toString('base64') });
    expect(byAddress['kubernetes_manifest.m'].object).toEqual(stack.resource.kubernetes_manifest.m.manifest);
    expect(byAddress['kubernetes_annotations.a']).toMatchObject({ patch: true, object: { kind: 'Service', metadata: { annotations: { 'konghq.com/protocol': 'https' } } } });
    expect(byAddress['kubernetes_namespace_v1.ns'].object).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: stack.resource.kubernetes_namespace_v1.ns.metadata });
    expect(unconverted).toEqual([{ address: 'kubernetes_persistent_volume_claim_v1.pvc', reason: expect.stringContaining('no conversion') }]);
  });

  test('a misspelt argument survives the conversion and fails the schema check', () => {
    const { objects } = terraformObjects({ resource: { kubernetes_namespace_v1: { n: { metadata: { name: 'n', lables: { a: 'b' } } } } } }, schemas);
    expect(schemas.problems(objects[0].object)).toEqual([expect.stringContaining('unknown field "lables"')]);
  });

  test('apply-time expressions become the placeholder; ManifestChart values become JSON', () => {
    expect(resolveExpressions({ a: '${aws_lb.x.arn}', b: 'x-${var.y}-z', c: 3 })).toEqual({ a: APPLY_TIME_PLACEHOLDER, b: `x-${APPLY_TIME_PLACEHOLDER}-z`, c: 3 });
    expect(JSON.parse(valuesDocument('${jsonencode({"targetGroupArn" = aws_lb_target_group.x.arn, "other" = "y"})}'))).toEqual({
      targetGroupArn: APPLY_TIME_PLACEHOLDER,
      other: APPLY_TIME_PLACEHOLDER,
    });
    expect(valuesDocument('ca: "${tls_self_signed_cert.ca.cert_pem}"\n')).toBe(`ca: "${APPLY_TIME_PLACEHOLDER}"\n`);
  });
});

/** A stack directory with one namespace and the given helm releases. */
function syntheticPlatform(releases: Record<string, any>, namespaceLabels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'restricted' }): SynthesizedPlatform {
  const stackDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'render-selftest-'));
  return {
    environment: 'selftest',
    stackName: 'selftest-platform',
    stackDirectory,
    json: { resource: { kubernetes_namespace_v1: { ns: { metadata: { name: 'apps', labels: namespaceLabels } } }, helm_release: releases } },
  };
}

function writeChart(directory: string, name: string, version: string, templates: Record<string, string>, values = ''): void {
  fs.mkdirSync(path.join(directory, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(directory, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\ndescription: render harness self-test chart\ntype: application\nversion: ${version}\n`);
  fs.writeFileSync(path.join(directory, 'values.yaml'), values);
  for (const [file, content] of Object.entries(templates)) fs.writeFileSync(path.join(directory, 'templates', file), content);
}

const WORKLOAD = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: {{ .Release.Name }}',
  'spec:',
  '  selector: {matchLabels: {app: w}}',
  '  template:',
  '    metadata: {labels: {app: w}}',
  '    spec:',
  '      hostNetwork: {{ .Values.hostNetwork }}',
  '      containers:',
  '        - name: w',
  '          image: {{ .Values.image | quote }}',
  '          securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}',
  '',
].join('\n');

describeWithHelm('render harness pipeline on synthetic charts', (helm) => {
  const validator = new ObjectValidator();

  test('a vendored upstream chart is rendered with the release values and its pod templates are checked', () => {
    // GIVEN a vendored chart folder named <chart>-<version>
    const vendored = fs.mkdtempSync(path.join(os.tmpdir(), 'vendored-charts-'));
    writeChart(path.join(vendored, 'selftest-workload-1.2.3'), 'selftest-workload', '1.2.3', { 'deployment.yaml': WORKLOAD }, 'hostNetwork: false\nimage: ""\n');
    const platform = syntheticPlatform({
      w: {
        name: 'w',
        namespace: 'apps',
        chart: 'selftest-workload',
        repository: 'https://charts.example.com',
        version: '1.2.3',
        values: ['hostNetwork: true\nreplicaCont: 2\n'],
        set: [
          { name: 'image', value: '${var.image}', type: 'string' },
          { name: 'imag.tag', value: 'x' },
        ],
      },
    });
    // WHEN
    const report = checkPlatform(platform, helm(), validator, vendored);
    // THEN
    expect(report.notRendered).toEqual([]);
    expect(report.rendered[0].objects[0].spec.template.spec.containers[0].image).toBe(APPLY_TIME_PLACEHOLDER);
    expect(report.counts.podTemplates).toBe(1);
    // (a values key or --set name the chart does not know is ignored by Helm: a finding)
    expect(report.findings.map(findingLine)).toEqual([
      'selftest-platform/w | chart selftest-workload 1.2.3 | values key "replicaCont" is not in the chart\'s values.yaml: Helm ignores it',
      'selftest-platform/w | chart selftest-workload 1.2.3 | values key "imag.tag" is not in the chart\'s values.yaml: Helm ignores it',
      'selftest-platform/w | Deployment apps/w | Pod Security "restricted" (hostNamespaces): spec.template.spec.hostNetwork: hostNetwork must be unset or false',
    ]);
  });

  test('without a vendored chart the upstream release is reported as not rendered', () => {
    const platform = syntheticPlatform({ k: { name: 'kong', namespace: 'apps', chart: 'kong', repository: 'https://charts.konghq.com', version: '3.4.1' } });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vendored-charts-'));
    const report = checkPlatform(platform, helm(), validator, empty);
    expect(report.notRendered.map((r) => r.id)).toEqual(['selftest-platform/kong']);
    expect(report.rendered).toEqual([]);
  });

  test('a generated chart is linted and rendered from the synth output; bad objects, unknown kinds and missing namespaces are findings', () => {
    const platform = syntheticPlatform({
      g: { name: 'objects', namespace: 'apps', chart: './assets/objects/ABC', version: '0.1.0', lint: true },
    });
    writeChart(path.join(platform.stackDirectory, 'assets', 'objects', 'ABC'), 'objects', '0.1.0', {
      'objects.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: ok}',
        'data: {a: b}',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: typo}',
        'dta: {a: b}',
        '---',
        'apiVersion: example.com/v1',
        'kind: Widget',
        'metadata: {name: w}',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: elsewhere, namespace: nowhere}',
        '',
      ].join('\n'),
    });
    const report = checkPlatform(platform, helm(), validator);
    expect(helmReleases(platform)[0].source).toBe('generated');
    expect(report.rendered[0].lintProblems).toEqual([]);
    const lines = report.findings.map(findingLine);
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^selftest-platform\/objects \| ConfigMap apps\/typo \| \/: .*unknown field "dta"/),
        expect.stringMatching(/^selftest-platform\/objects \| Widget apps\/w \| no schema for apiVersion "example.com\/v1" kind "Widget"/),
        'selftest-platform/objects | ConfigMap nowhere/elsewhere | namespace "nowhere" is not created by this stack',
      ]),
    );
  });

  test('a namespace without a Pod Security label is a finding; a lint failure is a finding', () => {
    const platform = syntheticPlatform({ g: { name: 'broken', namespace: 'apps', chart: './assets/broken/X' } }, {});
    const chart = path.join(platform.stackDirectory, 'assets', 'broken', 'X');
    // renders, but helm lint warns about the name, which fails --strict
    writeChart(chart, 'broken', '0.1.0', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n' });
    const lines = checkPlatform(platform, helm(), validator).findings.map(findingLine);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^selftest-platform\/broken \| chart .* \| helm lint --strict failed:[\s\S]*Bad_Name/),
        expect.stringMatching(/^selftest-platform\/broken \| ConfigMap apps\/Bad_Name \| \/metadata\/name: "Bad_Name" is not a DNS subdomain/),
        'selftest-platform | Namespace apps | no pod-security.kubernetes.io/enforce label: Pod Security Admission enforces nothing in it (privileged)',
      ]),
    );
  });
});

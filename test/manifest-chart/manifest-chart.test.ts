import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { App, TerraformStack, Testing } from '../../constructs/core/cdktf';
import { KubernetesObject, ManifestChart, ManifestChartProps } from '../../constructs/manifest-chart';
import { describeWithHelm } from '../support/helm';
import { synthJson } from '../support/terraform-json';

const CONFIG_MAP: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'greeting', namespace: 'apps' },
  data: { message: 'hello' },
};
const MESH: KubernetesObject = {
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'Mesh',
  metadata: { name: 'default' },
  spec: { mtls: { enabledBackend: 'ca-1' } },
};

function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new HelmProvider(stack, 'helm', {});
  return stack;
}

function chartIn(stack: TerraformStack, props: Partial<ManifestChartProps> = {}): ManifestChart {
  return new ManifestChart(stack, 'Objects', {
    chartName: 'platform-objects',
    namespace: 'platform',
    manifests: [CONFIG_MAP, MESH],
    ...props,
  });
}

function releaseOf(stack: TerraformStack): Record<string, any> {
  const synthesized = synthJson(stack);
  const releases = Object.values(synthesized.resource.helm_release) as Record<string, any>[];
  expect(releases).toHaveLength(1);
  return releases[0];
}

describe('ManifestChart release', () => {
  test('installs the generated chart with the hardened release defaults', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    chartIn(stack);
    // THEN
    const release = releaseOf(stack);
    expect(release).toMatchObject({
      name: 'platform-objects',
      namespace: 'platform',
      atomic: true,
      cleanup_on_fail: true,
      wait: true,
      timeout: 600,
      max_history: 10,
      create_namespace: false,
      lint: true,
    });
  });

  test('chart points at the stack asset and version carries the content hash', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const chart = chartIn(stack);
    // THEN
    const release = releaseOf(stack);
    expect(release.version).toMatch(/^0\.1\.0\+[0-9a-f]{12}$/);
    expect(release.version).toBe(chart.chartVersion);
    expect(release.chart).toMatch(/^\.\/assets\/[A-Za-z0-9_-]+\/[0-9A-F]+$/);
    expect(release.chart).toBe(chart.chartAssetPath);
  });

  test('release settings can be overridden', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    chartIn(stack, { releaseName: 'objects', atomic: false, timeout: 120, maxHistory: 3, createNamespace: true });
    // THEN
    expect(releaseOf(stack)).toMatchObject({ name: 'objects', atomic: false, timeout: 120, max_history: 3, create_namespace: true });
  });

  test('depends on the given resources', () => {
    // GIVEN
    const stack = newStack();
    const controlPlane = chartIn(stack, { chartName: 'control-plane', manifests: [] });
    // WHEN
    new ManifestChart(stack, 'Policies', { chartName: 'policies', namespace: 'platform', dependsOn: [controlPlane.release] });
    // THEN
    const releases = synthJson(stack).resource.helm_release;
    const policies = Object.values(releases).find((release: any) => release.name === 'policies') as any;
    expect(policies.depends_on).toEqual([expect.stringMatching(/^helm_release\.Objects_Release_[A-Z0-9]+$/)]);
  });
});

describe('ManifestChart content and version', () => {
  test('same objects give the same version and files (reproducible synth)', () => {
    // GIVEN
    const first = chartIn(newStack());
    // WHEN
    const second = chartIn(newStack(), { manifests: [{ ...CONFIG_MAP }, { ...MESH }] });
    // THEN
    expect(second.chartVersion).toBe(first.chartVersion);
    expect(second.chartDirectory).toBe(first.chartDirectory);
  });

  test('changing one field of one object changes the version and the chart path', () => {
    // GIVEN
    const before = newStack();
    chartIn(before);
    const after = newStack();
    // WHEN
    chartIn(after, { manifests: [{ ...CONFIG_MAP, data: { message: 'bye' } }, MESH] });
    // THEN
    expect(releaseOf(after).version).not.toBe(releaseOf(before).version);
    expect(releaseOf(after).chart).not.toBe(releaseOf(before).chart);
  });

  test('addManifest after construction is reflected in the synthesized version and files', () => {
    // GIVEN
    const stack = newStack();
    const chart = chartIn(stack, { manifests: [CONFIG_MAP] });
    const versionBefore = chart.chartVersion;
    // WHEN
    chart.addManifest(MESH);
    // THEN
    expect(chart.chartVersion).not.toBe(versionBefore);
    expect(releaseOf(stack).version).toBe(chart.chartVersion);
    const stored = fs.readFileSync(path.join(chart.chartDirectory, 'files', 'objects.yaml'), 'utf8');
    expect(stored.split('\n').filter((line) => line.startsWith('# '))).toEqual(['# configmap_apps_greeting.yaml', '# mesh_default.yaml']);
  });

  test('writes one template that embeds every stored file, keys sorted', () => {
    // GIVEN / WHEN
    const chart = chartIn(newStack());
    // THEN
    expect(fs.readdirSync(path.join(chart.chartDirectory, 'templates'))).toEqual(['objects.yaml']);
    const template = fs.readFileSync(path.join(chart.chartDirectory, 'templates', 'objects.yaml'), 'utf8');
    expect(template).toBe('{{- $content := .Files.Get "files/objects.yaml" }}\n{{ $content }}\n');
    const stored = fs.readFileSync(path.join(chart.chartDirectory, 'files', 'objects.yaml'), 'utf8');
    expect(stored.split('\n').filter((line) => /^\S/.test(line) && !line.startsWith('#'))).toEqual([
      'apiVersion: v1',
      'data:',
      'kind: ConfigMap',
      'metadata:',
      '---',
      'apiVersion: kuma.io/v1alpha1',
      'kind: Mesh',
      'metadata:',
      'spec:',
    ]);
    const chartYaml = fs.readFileSync(path.join(chart.chartDirectory, 'Chart.yaml'), 'utf8');
    expect(chartYaml).toContain(`version: ${chart.chartVersion}`);
    expect(chartYaml).toContain('name: platform-objects');
  });

  test('the caller cannot change the chart by mutating an object after adding it', () => {
    // GIVEN
    const mutable = { ...CONFIG_MAP, data: { message: 'hello' } };
    const chart = chartIn(newStack(), { manifests: [mutable] });
    const version = chart.chartVersion;
    // WHEN
    mutable.data.message = 'changed';
    // THEN
    expect(chart.manifests[0].data).toEqual({ message: 'hello' });
    expect(chart.chartVersion).toBe(version);
  });
});

describe('ManifestChart validation', () => {
  test.each([
    ['no apiVersion', { kind: 'ConfigMap', metadata: { name: 'x' } }, /Objects: manifest #0 \(ConfigMap x\) is invalid: apiVersion must be a non-empty string/],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'x' } }, /manifest #0 \(<no kind> x\) is invalid: kind must be a non-empty string/],
    ['no metadata', { apiVersion: 'v1', kind: 'ConfigMap' }, /manifest #0 \(ConfigMap <no name>\) is invalid: metadata must be an object/],
    ['empty name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '' } }, /metadata.name must be a non-empty string/],
    ['empty namespace', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: '' } }, /metadata.namespace must be a non-empty string when set/],
  ])('rejects an object with %s, naming the construct and the object', (_case, object, message) => {
    // GIVEN
    const stack = newStack();
    // WHEN / THEN
    expect(() => chartIn(stack, { manifests: [object as unknown as KubernetesObject] })).toThrow(message);
  });

  test('rejects a bad object passed to addManifest, with its position', () => {
    // GIVEN
    const chart = chartIn(newStack());
    // WHEN / THEN
    expect(() => chart.addManifest({ apiVersion: 'v1', kind: 'Secret' } as unknown as KubernetesObject)).toThrow(/^test\/Objects: manifest #2 \(Secret <no name>\) is invalid/);
  });

  test('rejects two objects with the same group, kind, namespace and name', () => {
    // GIVEN
    const stack = newStack();
    // WHEN / THEN
    expect(() => chartIn(stack, { manifests: [CONFIG_MAP, { ...CONFIG_MAP, data: {} }] })).toThrow(
      /test\/Objects: manifest #1 \(ConfigMap apps\/greeting\) duplicates manifest #0/,
    );
  });

  test('rejects unresolved Terraform tokens inside an object', () => {
    // GIVEN
    const stack = newStack();
    const other = chartIn(stack, { chartName: 'other', manifests: [] });
    // WHEN / THEN
    expect(
      () =>
        new ManifestChart(stack, 'WithToken', {
          chartName: 'with-token',
          namespace: 'platform',
          manifests: [{ ...CONFIG_MAP, data: { release: other.release.name } }],
        }),
    ).toThrow(/WithToken: manifest #0 \(ConfigMap apps\/greeting\) is invalid: contains unresolved Terraform tokens at data\.release/);
  });

  test.each([
    ['chartName', { chartName: 'Bad_Name' }, /test\/Objects: chartName "Bad_Name" is not a valid Helm chart name/],
    ['releaseName', { releaseName: 'x'.repeat(54) }, /test\/Objects: releaseName "x{54}" is invalid: .* at most 53 characters/],
    ['namespace', { namespace: 'Platform' }, /test\/Objects: namespace "Platform" is invalid/],
    ['timeout', { timeout: 0 }, /test\/Objects: timeout must be a positive whole number of seconds, got 0/],
    ['maxHistory', { maxHistory: 0 }, /test\/Objects: maxHistory must be a whole number >= 1/],
  ])('rejects a bad %s', (_field, props, message) => {
    // GIVEN
    const stack = newStack();
    // WHEN / THEN
    expect(() => chartIn(stack, props as Partial<ManifestChartProps>)).toThrow(message);
  });
});

describe('ManifestChart apply-time values', () => {
  const BINDING = (arn: string): KubernetesObject => ({
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: { name: 'kong-proxy', namespace: 'kong' },
    spec: { targetGroupARN: arn, serviceRef: { name: 'kong-proxy', port: 443 } },
  });

  test('a Terraform reference reaches the release as one JSON values document', () => {
    // GIVEN
    const stack = newStack();
    const other = chartIn(stack, { chartName: 'other', manifests: [] });
    // WHEN
    new ManifestChart(stack, 'Binding', {
      chartName: 'binding',
      namespace: 'kong',
      values: { targetGroupArn: other.release.id },
      manifests: [BINDING(ManifestChart.valueRef('targetGroupArn'))],
    });
    // THEN
    const binding = Object.values(synthJson(stack).resource.helm_release).find((r: any) => r.name === 'binding') as any;
    expect(binding.values).toEqual([expect.stringMatching(/^\$\{jsonencode\(\{"targetGroupArn" = helm_release\.Objects_Release_[A-Z0-9]+\.id\}\)\}$/)]);
  });

  test('no values, no values attribute', () => {
    const stack = newStack();
    chartIn(stack);
    expect(releaseOf(stack).values).toBeUndefined();
  });

  test('a reference to an undeclared value is an error', () => {
    expect(() => chartIn(newStack(), { manifests: [BINDING(ManifestChart.valueRef('arn'))] })).toThrow(
      /test\/Objects: manifest #0 \(TargetGroupBinding kong\/kong-proxy\): spec.targetGroupARN: uses the value "arn", which the chart does not declare/,
    );
  });

  test('a reference inside a longer string is an error (it would not stay valid YAML once quoted)', () => {
    expect(() => chartIn(newStack(), { values: { arn: 'x' }, manifests: [BINDING(`prefix-${ManifestChart.valueRef('arn')}`)] })).toThrow(
      /spec.targetGroupARN: a value reference must be the whole string value/,
    );
  });

  test('bad or duplicate value names are errors naming the construct', () => {
    expect(() => chartIn(newStack(), { values: { 'target-group': 'x' } })).toThrow(/test\/Objects: value name "target-group" must start with a letter/);
    const chart = chartIn(newStack(), { values: { arn: 'x' } });
    expect(() => chart.addValue('arn', 'y')).toThrow(/test\/Objects: value "arn" is declared twice/);
  });
});

describeWithHelm('ManifestChart with the real helm binary', (helm) => {
  test('apply-time values are substituted JSON-quoted: quotes, colons and {{ stay literal', () => {
    // GIVEN
    const tricky = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/k "q" {{ .Release.Name }}';
    const chart = chartIn(newStack(), {
      values: { targetGroupArn: 'set-at-apply' },
      manifests: [{ ...CONFIG_MAP, data: { arn: ManifestChart.valueRef('targetGroupArn'), other: 'plain' } }],
    });
    const valuesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'values-')), 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify({ targetGroupArn: tricky }));
    // WHEN
    helm().lint(chart.chartDirectory);
    const rendered = helm().template(chart.chartDirectory, 'objects', 'platform', undefined, ['--values', valuesFile]);
    // THEN
    expect(rendered[0].data).toEqual({ arn: tricky, other: 'plain' });
  });

  test('the generated chart passes helm lint --strict', () => {
    // GIVEN
    const chart = chartIn(newStack());
    // WHEN
    const result = helm().lint(chart.chartDirectory);
    // THEN
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  test('helm template renders exactly the declared objects', () => {
    // GIVEN
    const chart = chartIn(newStack());
    // WHEN
    const rendered = helm().template(chart.chartDirectory, 'platform-objects', 'platform');
    // THEN
    expect(rendered).toEqual([CONFIG_MAP, MESH].map((object) => expect.objectContaining(object)));
    expect(rendered).toHaveLength(2);
  });

  test('Go template syntax inside an object is applied literally, not evaluated', () => {
    // GIVEN
    const literal = '{{ .Release.Name }} and {{ fail "boom" }}';
    const chart = chartIn(newStack(), {
      manifests: [{ ...CONFIG_MAP, data: { template: literal } }],
    });
    // WHEN
    const rendered = helm().template(chart.chartDirectory, 'platform-objects', 'platform');
    // THEN
    expect(rendered[0].data.template).toBe(literal);
  });

  test('an empty chart lints and renders nothing', () => {
    // GIVEN
    const chart = chartIn(newStack(), { manifests: [] });
    // WHEN / THEN
    helm().lint(chart.chartDirectory);
    expect(helm().template(chart.chartDirectory, 'empty', 'platform')).toEqual([]);
  });

  test('app synth copies the chart into cdktf.out/stacks/<stack>/assets and the release path resolves there', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-chart-synth-'));
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, 'platform-dev');
    new HelmProvider(stack, 'helm', {});
    chartIn(stack);
    // WHEN
    app.synth();
    // THEN
    const stackDir = path.join(outdir, 'stacks', 'platform-dev');
    const synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const release = Object.values(synthesized.resource.helm_release)[0] as Record<string, string>;
    expect(fs.existsSync(path.join(stackDir, release.chart, 'Chart.yaml'))).toBe(true);
    // helm runs from the stack directory, as terraform does
    expect(helm().template(release.chart, 'platform-objects', 'platform', stackDir)).toHaveLength(2);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

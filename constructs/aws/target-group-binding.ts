import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { AssetType, Construct, TerraformAsset } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { invalidProp } from './validation';

/**
 * The chart's files. The target group ARN is a Terraform reference (known only at apply), so
 * it reaches the object through a Helm value; the shared ManifestChart takes plain data only.
 * Swap for ManifestChart once it accepts values.
 */
export const TARGET_GROUP_BINDING_CHART_FILES: Readonly<Record<string, string>> = {
  'Chart.yaml': [
    'apiVersion: v2',
    'name: kong-target-group-binding',
    'description: TargetGroupBinding that registers Kong proxy pods in a Terraform-owned ALB target group',
    'type: application',
    'version: 0.1.0',
    '',
  ].join('\n'),
  'values.yaml': ['# Set by the TargetGroupBindingRelease construct.', 'name: ""', 'targetGroupArn: ""', 'serviceName: ""', 'servicePort: 443', ''].join('\n'),
  'templates/targetgroupbinding.yaml': [
    'apiVersion: elbv2.k8s.aws/v1beta1',
    'kind: TargetGroupBinding',
    'metadata:',
    '  name: {{ required "name is required" .Values.name }}',
    '  namespace: {{ .Release.Namespace }}',
    '  labels:',
    '    app.kubernetes.io/managed-by: {{ .Release.Service }}',
    '    app.kubernetes.io/part-of: kong-platform',
    'spec:',
    '  targetGroupARN: {{ required "targetGroupArn is required" .Values.targetGroupArn | quote }}',
    '  targetType: ip',
    '  serviceRef:',
    '    name: {{ required "serviceName is required" .Values.serviceName }}',
    '    port: {{ .Values.servicePort }}',
    '',
  ].join('\n'),
};

/** Writes the chart once per content hash under the OS temp dir and returns its folder. */
function stageChart(): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify(TARGET_GROUP_BINDING_CHART_FILES)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'kong-platform-charts', `kong-target-group-binding-${hash}`);
  if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) {
    const staging = `${dir}.${process.pid}.tmp`;
    for (const [file, content] of Object.entries(TARGET_GROUP_BINDING_CHART_FILES)) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), content);
    }
    try {
      fs.renameSync(staging, dir);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process staged it first
    }
  }
  return dir;
}

/** Props of {@link TargetGroupBindingRelease}. */
export interface TargetGroupBindingReleaseProps {
  /** Namespace of the Kong proxy Service (the binding must live next to it). */
  readonly namespace: string;
  /** Name of the TargetGroupBinding object. */
  readonly bindingName: string;
  /** ALB target group ARN (Terraform reference allowed). */
  readonly targetGroupArn: string;
  /** Kong proxy Service name, `<gateway release>-kong-proxy`. */
  readonly serviceName: string;
  /**
   * Service port of the proxy's TLS listener.
   * @default 443
   */
  readonly servicePort?: number;
  /** The load balancer controller release (installs the CRD) and the Kong gateway release. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Installs a `TargetGroupBinding` (elbv2.k8s.aws/v1beta1, target type ip) through a small
 * local Helm chart. Not `kubernetes_manifest`: that needs a live cluster with the CRD while
 * planning, so a fresh environment could not be planned.
 */
export class TargetGroupBindingRelease extends Construct {
  /** The Helm release. */
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: TargetGroupBindingReleaseProps) {
    super(scope, id);
    for (const [field, value] of [
      ['namespace', props.namespace],
      ['bindingName', props.bindingName],
    ] as const) {
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) invalidProp(this, field, value, 'use a DNS label (lowercase letters, digits and "-")');
    }
    const servicePort = props.servicePort ?? 443;
    if (!Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535) invalidProp(this, 'servicePort', servicePort, 'use a port number 1-65535');

    const chart = new TerraformAsset(this, 'chart', { path: stageChart(), type: AssetType.DIRECTORY });
    this.release = new Release(this, 'release', {
      name: props.bindingName,
      namespace: props.namespace,
      chart: `./${chart.path}`,
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
      set: [
        { name: 'name', value: props.bindingName },
        { name: 'targetGroupArn', value: props.targetGroupArn, type: 'string' },
        { name: 'serviceName', value: props.serviceName },
        { name: 'servicePort', value: String(servicePort) },
      ],
      dependsOn: props.dependsOn,
    });
  }
}

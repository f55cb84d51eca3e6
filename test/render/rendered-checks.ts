/**
 * Checks on the RENDERED objects of a platform stack (render harness output) for the defects a
 * values-level test cannot see: each returns problems as text, empty when the objects are right.
 * render.test.ts runs them over every sample environment; rendered-checks.test.ts shows each one
 * failing on the defect it is for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseIpv4Cidr } from '../../constructs/aws/cidr';
import { kubectlTagMinor } from '../../constructs/core/kubernetes-version';
import { podTemplatesOf } from '../../constructs/policy/pod-security';
import { helmRelease } from '../../constructs/policy/workloads';
import type { PolicySubject } from '../../constructs/policy/rule';
import type { PlatformReport } from './harness';
import { KubernetesSchemas } from '../support/k8s-schema';
import { terraformObjects } from './terraform-objects';

type Obj = Record<string, any>;

/** True when IPv4 CIDR `outer` contains `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseIpv4Cidr(outer);
  const b = parseIpv4Cidr(inner);
  if (b.prefix < a.prefix) return false;
  const mask = a.prefix === 0 ? 0 : (~0 << (32 - a.prefix)) >>> 0;
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** A rendered object with the release it came from and its namespace. */
export interface RenderedObject {
  readonly source: string;
  readonly namespace?: string;
  readonly object: Obj;
}

const CLUSTER_SCOPED = new Set([
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'Namespace',
]);

/** Every object the upstream and generated charts of a report render. */
export function renderedObjects(report: Pick<PlatformReport, 'rendered'>): RenderedObject[] {
  return report.rendered.flatMap((r) =>
    r.objects.map((object) => ({
      source: r.release.id,
      namespace: CLUSTER_SCOPED.has(object.kind) ? undefined : (object.metadata?.namespace ?? r.release.namespace),
      object,
    })),
  );
}

/** Objects the stack creates through the kubernetes provider (Namespaces, Secrets, NetworkPolicies...). */
export function providerObjects(json: Obj): Obj[] {
  return terraformObjects(json, KubernetesSchemas.load())
    .objects.filter((o) => !o.patch)
    .map((o) => o.object);
}

const label = (o: RenderedObject) => `${o.source}: ${o.object.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.object.metadata?.name}`;

/** The image reference's repository path and tag: `reg/path/kubectl:v1.33.4@sha256:...` -> kubectl, v1.33.4. */
function imageParts(image: string): { name: string; tag?: string } {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return { name: repository.slice(repository.lastIndexOf('/') + 1), tag };
}

const containersOf = (spec: Obj): Obj[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];

/**
 * Defect 1: with a registry pull secret, every rendered pod gets it, on the pod or on its
 * service account, and the Secret exists in the pod's namespace (created by the stack, or the
 * namespace it is provisioned in beforehand).
 */
export function pullSecretProblems(objects: RenderedObject[], stackObjects: Obj[], secret: string, provisionedIn: string): string[] {
  const problems: string[] = [];
  const accounts = new Map(objects.filter((o) => o.object.kind === 'ServiceAccount').map((o) => [`${o.namespace}/${o.object.metadata.name}`, o.object]));
  const secretNamespaces = new Set([
    provisionedIn,
    ...stackObjects.filter((o) => o.kind === 'Secret' && o.metadata?.name === secret).map((o) => o.metadata.namespace ?? 'default'),
  ]);
  for (const o of objects) {
    for (const template of podTemplatesOf(o.object)) {
      const names = (list: unknown) => ((Array.isArray(list) ? list : []) as Obj[]).map((s) => s.name);
      const account = accounts.get(`${o.namespace}/${template.spec.serviceAccountName ?? 'default'}`);
      if (!names(template.spec.imagePullSecrets).includes(secret) && !names(account?.imagePullSecrets).includes(secret)) {
        problems.push(`${label(o)}: neither the pod nor its service account "${template.spec.serviceAccountName ?? 'default'}" has imagePullSecrets "${secret}"`);
      } else if (!secretNamespaces.has(o.namespace ?? '')) {
        problems.push(`${label(o)}: pulls with Secret "${secret}", which does not exist in namespace "${o.namespace}"`);
      }
    }
  }
  return problems;
}

/** The Deployments whose pods a Service selects. */
function backends(objects: RenderedObject[], namespace: string | undefined, serviceName: string): RenderedObject[] {
  const service = objects.find((o) => o.object.kind === 'Service' && o.object.metadata.name === serviceName && o.namespace === namespace);
  const selector: Record<string, string> | undefined = service?.object.spec?.selector;
  if (!selector) return [];
  return objects.filter((o) => {
    if (o.object.kind !== 'Deployment' || o.namespace !== namespace) return false;
    const labels = o.object.spec?.template?.metadata?.labels ?? {};
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

/**
 * Defect 2: a TargetGroupBinding's pods get the ALB readiness gate (their namespace carries the
 * controller's injection label) and the target group drains them before their termination grace
 * period ends.
 */
export function targetGroupDrainProblems(objects: RenderedObject[], stackObjects: Obj[], deregistrationDelaySeconds: number | undefined): string[] {
  const problems: string[] = [];
  for (const binding of objects.filter((o) => o.object.kind === 'TargetGroupBinding')) {
    const namespace = stackObjects.find((o) => o.kind === 'Namespace' && o.metadata?.name === binding.namespace);
    if (namespace?.metadata?.labels?.['elbv2.k8s.aws/pod-readiness-gate-inject'] !== 'enabled') {
      problems.push(`${label(binding)}: namespace "${binding.namespace}" lacks elbv2.k8s.aws/pod-readiness-gate-inject=enabled: rollouts do not wait for target health`);
    }
    const deployments = backends(objects, binding.namespace, binding.object.spec?.serviceRef?.name);
    if (deployments.length === 0) problems.push(`${label(binding)}: no rendered Deployment behind Service "${binding.object.spec?.serviceRef?.name}"`);
    for (const deployment of deployments) {
      const grace = deployment.object.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      if (deregistrationDelaySeconds === undefined || deregistrationDelaySeconds >= grace) {
        problems.push(
          `${label(deployment)}: target group deregistration delay ${deregistrationDelaySeconds ?? 'unknown'} s is not shorter than terminationGracePeriodSeconds ${grace} s`,
        );
      }
    }
  }
  return problems;
}

/** Defect 3: a load balancer Service publishes TLS only (port 443), no plain HTTP. */
export function plainHttpLoadBalancerProblems(objects: RenderedObject[]): string[] {
  return objects
    .filter((o) => o.object.kind === 'Service' && o.object.spec?.type === 'LoadBalancer')
    .flatMap((o) =>
      ((o.object.spec.ports ?? []) as Obj[])
        .filter((p) => p.port !== 443)
        .map((p) => `${label(o)}: publishes port ${p.port} (targetPort ${p.targetPort}); the load balancer Service carries TLS only`),
    );
}

/**
 * Defect 4: Kong's status/metrics port (8100) is admitted only from the load balancer's
 * health-check sources and the monitoring namespace, by every NetworkPolicy that selects the
 * gateway pods.
 */
export function statusPortProblems(
  stackObjects: Obj[],
  gatewayNamespace: string,
  gatewayLabels: Record<string, string>,
  healthCheckCidrs: string[],
  monitoringLabel: string,
  statusPort = 8100,
): string[] {
  const problems: string[] = [];
  for (const policy of stackObjects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === gatewayNamespace)) {
    const selector: Record<string, string> = policy.spec?.podSelector?.matchLabels ?? {};
    if (!Object.entries(selector).every(([k, v]) => gatewayLabels[k] === v) || policy.spec?.podSelector?.matchExpressions) continue;
    ((policy.spec?.ingress ?? []) as Obj[]).forEach((rule, i) => {
      const ports = (rule.ports ?? []) as Obj[];
      if (ports.length > 0 && !ports.some((p) => String(p.port) === String(statusPort))) return;
      const where = `NetworkPolicy ${policy.metadata.namespace}/${policy.metadata.name} ingress[${i}]`;
      const from = (rule.from ?? []) as Obj[];
      if (from.length === 0) problems.push(`${where}: admits port ${statusPort} from everywhere`);
      for (const peer of from) {
        if (peer.namespaceSelector?.matchLabels?.[monitoringLabel] === 'true' && !peer.podSelector) continue;
        const cidr = peer.ipBlock?.cidr;
        if (cidr && healthCheckCidrs.some((allowed) => cidrContains(allowed, cidr))) continue;
        problems.push(
          `${where}: admits port ${statusPort} from ${JSON.stringify(peer)}, not a load balancer health-check source (${healthCheckCidrs.join(', ') || 'none'}) or the monitoring namespace`,
        );
      }
    });
  }
  return problems;
}

/**
 * Defect 6: an admission webhook with failurePolicy Fail is served by at least two pods, so one
 * restart does not block the objects it admits.
 */
export function webhookAvailabilityProblems(objects: RenderedObject[]): string[] {
  const problems: string[] = [];
  for (const configuration of objects.filter((o) => o.object.kind === 'MutatingWebhookConfiguration' || o.object.kind === 'ValidatingWebhookConfiguration')) {
    for (const webhook of (configuration.object.webhooks ?? []) as Obj[]) {
      const service = webhook.clientConfig?.service;
      if ((webhook.failurePolicy ?? 'Fail') !== 'Fail' || !service) continue;
      const deployments = backends(objects, service.namespace, service.name);
      if (deployments.length === 0)
        problems.push(`${label(configuration)}: webhook ${webhook.name} (Fail): no rendered Deployment behind Service ${service.namespace}/${service.name}`);
      for (const deployment of deployments) {
        const hpa = objects.find(
          (o) => o.object.kind === 'HorizontalPodAutoscaler' && o.namespace === deployment.namespace && o.object.spec?.scaleTargetRef?.name === deployment.object.metadata.name,
        );
        const replicas = hpa ? (hpa.object.spec.minReplicas ?? 1) : (deployment.object.spec.replicas ?? 1);
        if (replicas < 2)
          problems.push(`${label(configuration)}: webhook ${webhook.name} has failurePolicy Fail and is served by ${replicas} replica of ${deployment.object.metadata.name}`);
      }
    }
  }
  return problems;
}

/** Defect 7: every kubectl container runs the cluster's Kubernetes minor. */
export function kubectlSkewProblems(objects: RenderedObject[], clusterMinor: string): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    for (const template of podTemplatesOf(o.object)) {
      for (const container of containersOf(template.spec)) {
        const { name, tag } = imageParts(String(container.image ?? ''));
        if (name !== 'kubectl') continue;
        const minor = tag ? kubectlTagMinor(tag) : undefined;
        if (minor !== clusterMinor) problems.push(`${label(o)}: container ${container.name} runs kubectl ${tag ?? '(no tag)'} against a ${clusterMinor} cluster`);
      }
    }
  }
  return problems;
}

/** The synthesized cluster stack next to a platform stack (EKS/AKS), if any. */
export function clusterStackJson(report: Pick<PlatformReport, 'platform'>): Obj | undefined {
  const file = path.join(report.platform.outdir ?? '', 'stacks', `${report.platform.environment}-cluster`, 'cdk.tf.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

/**
 * Where the policy guardrails (which judge a release from its values, at synth time, without
 * helm) and the rendered chart disagree about a release's containers: a container the policy
 * checks that the chart does not render with that image, a rendered container the policy does not
 * see, or a security context setting the policy reads that the rendered container does not have.
 */
export function policyDriftProblems(report: Pick<PlatformReport, 'platform' | 'rendered'>): string[] {
  const problems: string[] = [];
  const releases = (report.platform.json.resource?.helm_release ?? {}) as Record<string, Obj>;
  for (const [address, attributes] of Object.entries(releases)) {
    const rendered = report.rendered.find((r) => r.release.name === attributes.name && r.release.source === 'upstream');
    if (!rendered) continue;
    const subject: PolicySubject = { type: 'helm_release', path: address, construct: undefined as never, attributes, manifests: [] };
    const view = helmRelease(subject);
    if (!view?.chart) {
      problems.push(`${rendered.release.id}: the policy does not know chart ${attributes.chart}`);
      continue;
    }
    const containers = rendered.objects.flatMap((object) =>
      podTemplatesOf(object).flatMap((template) =>
        containersOf(template.spec).map((container) => ({
          where: `${object.kind} ${object.metadata?.name}/${container.name}`,
          container,
          pod: template.spec.securityContext ?? {},
        })),
      ),
    );
    const views = view.chart.containers(String(attributes.name), view.effective, attributes.version).filter((c) => c.kind !== 'injected' && typeof c.image === 'string');
    for (const c of views) {
      const sameImage = containers.filter((r) => r.container.image === c.image);
      // Several containers of one image (Kong's proxy and its clear-stale-pid init container): by name.
      const byName = sameImage.filter((r) => r.container.name === c.name.split('/').pop());
      const matches = byName.length > 0 ? byName : sameImage;
      if (matches.length === 0) {
        problems.push(`${rendered.release.id}: the policy checks ${c.name} with image ${c.image}, which no rendered container runs`);
        continue;
      }
      for (const match of matches) {
        // `enabled` is the kong chart's own toggle for containerSecurityContext, not a Kubernetes field.
        for (const [key, value] of Object.entries(c.securityContext ?? {}).filter(([key]) => key !== 'enabled')) {
          if (JSON.stringify(match.container.securityContext?.[key]) !== JSON.stringify(value)) {
            problems.push(
              `${rendered.release.id}: ${c.name}: the policy reads securityContext.${key}=${JSON.stringify(value)}, ${match.where} renders ${JSON.stringify(match.container.securityContext?.[key])}`,
            );
          }
        }
        for (const [key, value] of Object.entries(c.podSecurityContext ?? {})) {
          if (JSON.stringify(match.pod[key]) !== JSON.stringify(value)) {
            problems.push(
              `${rendered.release.id}: ${c.name}: the policy reads pod securityContext.${key}=${JSON.stringify(value)}, ${match.where} renders ${JSON.stringify(match.pod[key])}`,
            );
          }
        }
      }
    }
    for (const r of containers) {
      if (!views.some((c) => c.image === r.container.image))
        problems.push(`${rendered.release.id}: ${r.where} (image ${r.container.image}) is rendered but the policy does not check it`);
    }
  }
  return problems;
}

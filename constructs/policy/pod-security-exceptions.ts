import { PodSecurityCheck, PodSecurityViolation, podTemplatesOf, workloadPodSecurityViolations } from './pod-security';

type Obj = Record<string, any>;

/**
 * Pod Security exceptions: the pods that cannot meet the `restricted` level, each with what it
 * may do beyond it and why. Everything else the platform installs meets `restricted`, including
 * what runs in `kube-system` (which the stacks do not label, so the API server enforces nothing
 * there: the render test checks those pods against `restricted` itself, less these exceptions).
 * `npm run policy` lists the exceptions that apply to each stack.
 */
export interface PodSecurityException {
  /** Short id. */
  readonly id: string;
  /** Namespace, kind and name of the rendered workload. */
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  /** The checks it fails and may fail. */
  readonly checks: readonly PodSecurityCheck[];
  /** The only hostPath paths it may mount. */
  readonly hostPaths: readonly string[];
  /** When the stacks install it. */
  readonly appliesWhen: string;
  /** Why there is no way around it, and what still holds. */
  readonly reason: string;
}

export const POD_SECURITY_EXCEPTIONS: readonly PodSecurityException[] = [
  {
    id: 'kuma-cni',
    namespace: 'kube-system',
    kind: 'DaemonSet',
    name: 'kuma-cni-node',
    checks: ['hostPathVolumes', 'volumeTypes', 'runAsNonRoot', 'runAsUser'],
    hostPaths: ['/opt/cni/bin', '/etc/cni/net.d'],
    appliesWhen: 'mesh.enabled with mesh.cni.enabled (the default)',
    reason:
      "The Kuma CNI installer writes its plugin binary and chained config into the node's CNI folders, which are root's: " +
      'it must run as user 0 with those two hostPath mounts. It is what keeps every application pod free of the privileged ' +
      'NET_ADMIN init container, so the application namespaces stay restricted. Everything else is still taken away: ' +
      'not privileged, no host namespaces or ports, all capabilities dropped, no privilege escalation, seccomp RuntimeDefault, ' +
      'read-only root filesystem. Fails baseline and restricted; runs in kube-system (privileged, as on every EKS/AKS cluster).',
  },
];

/** The exception covering a rendered workload, if any. */
export function podSecurityExceptionFor(object: Obj, namespace: string | undefined): PodSecurityException | undefined {
  return POD_SECURITY_EXCEPTIONS.find((e) => e.kind === object.kind && e.name === object.metadata?.name && e.namespace === namespace);
}

/**
 * The `restricted` violations of a workload that its exception does not cover: checks outside
 * the exception, and hostPath mounts outside its paths. Without an exception, every violation.
 */
export function unexceptedPodSecurityViolations(object: Obj, namespace: string | undefined): PodSecurityViolation[] {
  const violations = workloadPodSecurityViolations(object, 'restricted');
  const exception = podSecurityExceptionFor(object, namespace);
  if (!exception) return violations;
  const out = violations.filter((v) => !exception.checks.includes(v.check));
  for (const template of podTemplatesOf(object)) {
    ((template.spec.volumes ?? []) as Obj[]).forEach((volume, i) => {
      if (volume.hostPath && !exception.hostPaths.includes(volume.hostPath.path)) {
        out.push({
          level: 'baseline',
          check: 'hostPathVolumes',
          path: `${template.path ? `${template.path}.` : ''}spec.volumes[${i}].hostPath`,
          message: `volume "${volume.name}" mounts ${volume.hostPath.path}, outside the paths of exception ${exception.id} (${exception.hostPaths.join(', ')})`,
        });
      }
    });
  }
  return out;
}

/** The exceptions as a Markdown section (the policy report and docs/policy.md). */
export function podSecurityExceptionsMarkdown(exceptions: readonly PodSecurityException[] = POD_SECURITY_EXCEPTIONS): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const out = ['## Pod Security exceptions', ''];
  out.push('Every pod the platform installs meets the `restricted` Pod Security level except these (checked on the rendered charts by the render test):', '');
  out.push('| Exception | Workload | Applies when | May fail | Host paths | Reason |', '|---|---|---|---|---|---|');
  for (const e of exceptions) {
    out.push(`| ${e.id} | ${e.kind} ${e.namespace}/${e.name} | ${cell(e.appliesWhen)} | ${e.checks.join(', ')} | ${e.hostPaths.join(', ')} | ${cell(e.reason)} |`);
  }
  return out.join('\n') + '\n';
}

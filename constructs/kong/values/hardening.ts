import { HelmValues } from '../../core/platform-add-on';
import { ResourceRequirements } from '../profiles';

/** Kong images run as this user (the official images' `kong` user). */
export const KONG_UID = 1000;

/**
 * Pod and container security settings shared by the gateway and the controller releases:
 * non-root, read-only root filesystem, no privilege escalation, every capability dropped,
 * seccomp RuntimeDefault. Together they satisfy the `restricted` Pod Security Standard.
 */
export function hardeningValues(initContainerResources: ResourceRequirements): HelmValues {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: KONG_UID,
      runAsGroup: KONG_UID,
      fsGroup: KONG_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containerSecurityContext: {
      enabled: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      runAsUser: KONG_UID,
      runAsGroup: KONG_UID,
      seccompProfile: { type: 'RuntimeDefault' },
      capabilities: { drop: ['ALL'] },
    },
    initContainerResources: resourceValues(initContainerResources),
  };
}

/** Requests and limits as chart values. */
export function resourceValues(resources: ResourceRequirements): HelmValues {
  return {
    requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
    limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
  };
}

/** The chart's `image.pullSecrets` (used by the pods of both releases), when a secret is named. */
export function pullSecretValues(pullSecretName: string | undefined): { pullSecrets?: string[] } {
  return pullSecretName ? { pullSecrets: [pullSecretName] } : {};
}

/**
 * Spread replicas over zones (and, softly, over nodes). `whenUnsatisfiable: DoNotSchedule`
 * on zones keeps a zone outage from taking more than its share of pods.
 */
export function topologySpreadValues(releaseName: string, zoneSpread: 'DoNotSchedule' | 'ScheduleAnyway'): HelmValues {
  const labelSelector = { matchLabels: { 'app.kubernetes.io/instance': releaseName, 'app.kubernetes.io/component': 'app' } };
  return {
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: zoneSpread, labelSelector },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    ],
  };
}

/** Availability of a release's pods during voluntary disruptions and rollouts. */
export function availabilityValues(enabled: boolean): HelmValues {
  return {
    podDisruptionBudget: enabled ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
    // Surge first, never take a serving pod away before its replacement is ready.
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
  };
}

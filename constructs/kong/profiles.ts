/** Sizing and availability profile of the Kong releases. */
export enum DeploymentProfile {
  /** Small and cheap: one pod, short drain; for development environments. */
  DEV = 'dev',
  /** Highly available: several pods over zones, PDB, zero-downtime rollouts. */
  HA = 'ha',
}

/** Container requests and limits. */
export interface ResourceRequirements {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** What a profile decides; every value can be overridden by the construct props. */
export interface ProfileDefaults {
  readonly gatewayReplicas: number;
  readonly controllerReplicas: number;
  readonly drainTimeoutSeconds: number;
  readonly podDisruptionBudget: boolean;
  /** `DoNotSchedule` keeps replicas in distinct zones; `ScheduleAnyway` only prefers it. */
  readonly zoneSpread: 'DoNotSchedule' | 'ScheduleAnyway';
  readonly gatewayResources: ResourceRequirements;
  readonly controllerResources: ResourceRequirements;
  /** Resources of the chart's init containers (clear-stale-pid). */
  readonly initContainerResources: ResourceRequirements;
  /** KIC admission webhook: `Fail` rejects invalid Kong config when the controller is up for sure. */
  readonly admissionWebhookFailurePolicy: 'Fail' | 'Ignore';
}

const INIT_RESOURCES: ResourceRequirements = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };

/** The defaults of each profile, merged once under the props (docs/helm-values.md). */
export const PROFILE_DEFAULTS: Record<DeploymentProfile, ProfileDefaults> = {
  [DeploymentProfile.DEV]: {
    gatewayReplicas: 1,
    controllerReplicas: 1,
    drainTimeoutSeconds: 5,
    podDisruptionBudget: false,
    zoneSpread: 'ScheduleAnyway',
    gatewayResources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    controllerResources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    initContainerResources: INIT_RESOURCES,
    admissionWebhookFailurePolicy: 'Ignore',
  },
  [DeploymentProfile.HA]: {
    gatewayReplicas: 3,
    controllerReplicas: 2,
    drainTimeoutSeconds: 30,
    podDisruptionBudget: true,
    zoneSpread: 'DoNotSchedule',
    gatewayResources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    controllerResources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    initContainerResources: INIT_RESOURCES,
    admissionWebhookFailurePolicy: 'Fail',
  },
};

import { HelmValues } from '../../core/platform-add-on';
import { ContainerImage } from '../container-image';
import { ResourceRequirements } from '../profiles';
import { availabilityValues, hardeningValues, pullSecretValues, resourceValues, topologySpreadValues } from './hardening';

/** Everything the gateway values depend on, already resolved against the profile. */
export interface GatewayValuesInput {
  readonly releaseName: string;
  readonly image: ContainerImage;
  readonly pullSecretName?: string;
  readonly replicas: number;
  readonly autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuUtilization: number };
  readonly resources: ResourceRequirements;
  readonly initContainerResources: ResourceRequirements;
  readonly podDisruptionBudget: boolean;
  readonly zoneSpread: 'DoNotSchedule' | 'ScheduleAnyway';
  readonly drainTimeoutSeconds: number;
  readonly headers: 'off' | string[];
  readonly trustedIps: string[];
  readonly realIpHeader: string;
  /** Secret with the Admin API server certificate; absent: the Admin API stays on loopback. */
  readonly adminServerSecretName?: string;
  /** Annotations that roll the pods onto a renewed Admin API certificate. @default none */
  readonly adminPodAnnotations?: Record<string, string>;
  readonly proxyService: { type: string; annotations: Record<string, string>; loadBalancerSourceRanges: string[] };
}

/**
 * Values the constructs compute for the gateway release (layer 3 of docs/helm-values.md),
 * on top of helm-values/kong-gateway.yaml.
 */
export function gatewayValues(input: GatewayValuesInput): HelmValues {
  const env: HelmValues = {
    headers: input.headers === 'off' ? 'off' : input.headers.join(','),
    real_ip_header: input.realIpHeader,
  };
  if (input.trustedIps.length > 0) env.trusted_ips = input.trustedIps.join(',');
  if (input.adminServerSecretName) {
    const adminCert = `/etc/secrets/${input.adminServerSecretName}`;
    env.admin_ssl_cert = `${adminCert}/tls.crt`;
    env.admin_ssl_cert_key = `${adminCert}/tls.key`;
    // Only clients with a certificate of the Admin API's own CA (the server Secret's ca.crt).
    env.nginx_admin_ssl_verify_client = 'on';
    env.nginx_admin_ssl_client_certificate = `${adminCert}/ca.crt`;
  }

  return {
    image: { ...input.image.toValues(), ...pullSecretValues(input.pullSecretName) },
    env,
    ...(input.adminServerSecretName
      ? { secretVolumes: [input.adminServerSecretName], ...(input.adminPodAnnotations ? { podAnnotations: input.adminPodAnnotations } : {}) }
      : // No controller: `admin.enabled: false` binds the Admin API to 127.0.0.1 in the pod.
        { admin: { enabled: false } }),
    resources: resourceValues(input.resources),
    ...hardeningValues(input.initContainerResources),
    ...(input.autoscaling
      ? {
          autoscaling: {
            enabled: true,
            minReplicas: input.autoscaling.minReplicas,
            maxReplicas: input.autoscaling.maxReplicas,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: input.autoscaling.targetCpuUtilization } } }],
          },
        }
      : { replicaCount: input.replicas, autoscaling: { enabled: false } }),
    ...availabilityValues(input.podDisruptionBudget),
    ...topologySpreadValues(input.releaseName, input.zoneSpread),
    // Graceful shutdown: stop accepting, drain in-flight requests, then exit; the grace
    // period leaves the drain room plus time for the endpoints to be removed first.
    lifecycle: { preStop: { exec: { command: ['kong', 'quit', `--wait=${input.drainTimeoutSeconds}`] } } },
    terminationGracePeriodSeconds: input.drainTimeoutSeconds + 15,
    proxy: {
      type: input.proxyService.type,
      annotations: input.proxyService.annotations,
      ...(input.proxyService.loadBalancerSourceRanges.length > 0 ? { loadBalancerSourceRanges: input.proxyService.loadBalancerSourceRanges } : {}),
    },
  };
}

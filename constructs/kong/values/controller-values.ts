import { HelmValues } from '../../core/platform-add-on';
import { ContainerImage } from '../container-image';
import { ResourceRequirements } from '../profiles';
import { availabilityValues, hardeningValues, pullSecretValues, resourceValues, topologySpreadValues } from './hardening';

/** Everything the controller values depend on, already resolved against the profile. */
export interface ControllerValuesInput {
  readonly releaseName: string;
  readonly namespace: string;
  readonly gatewayReleaseName: string;
  readonly image: ContainerImage;
  /** The chart still renders a (disabled) Kong image reference; pin it to the gateway's. */
  readonly gatewayImage: ContainerImage;
  readonly pullSecretName?: string;
  readonly replicas: number;
  readonly resources: ResourceRequirements;
  readonly initContainerResources: ResourceRequirements;
  readonly podDisruptionBudget: boolean;
  readonly zoneSpread: 'DoNotSchedule' | 'ScheduleAnyway';
  readonly ingressClass: string;
  readonly watchNamespaces: string[];
  readonly admissionWebhookFailurePolicy: 'Fail' | 'Ignore';
  readonly adminClientSecretName: string;
  readonly adminServerName: string;
  /** Annotations that roll the pods onto renewed certificates. */
  readonly podAnnotations: Record<string, string>;
}

/**
 * Values the constructs compute for the controller release (layer 3 of docs/helm-values.md),
 * on top of helm-values/kong-controller.yaml: gateway discovery of the gateway release's
 * headless Admin API Service, mutual TLS with the client certificate Secret (see AdminApiMtls),
 * and server certificate verification against that Secret's `ca.crt`.
 */
/** Where the kong chart mounts the controller's Admin API client Secret (templates/_helpers.tpl, controller.adminApiCertVolumeMount). */
export const ADMIN_API_CLIENT_CERT_DIR = '/etc/secrets/admin-api-cert';

export function controllerValues(input: ControllerValuesInput): HelmValues {
  return {
    image: { ...input.gatewayImage.toValues(), ...pullSecretValues(input.pullSecretName) },
    // Must match the gateway release's proxy Service so Ingress status shows its address.
    proxy: { nameOverride: `${input.gatewayReleaseName}-kong-proxy` },
    replicaCount: input.replicas,
    ...(Object.keys(input.podAnnotations).length > 0 ? { podAnnotations: input.podAnnotations } : {}),
    ingressController: {
      image: input.image.toValues(),
      ingressClass: input.ingressClass,
      gatewayDiscovery: {
        enabled: true,
        adminApiService: { name: `${input.gatewayReleaseName}-kong-admin`, namespace: input.namespace },
      },
      adminApi: { tls: { client: { enabled: true, certProvided: true, secretName: input.adminClientSecretName } } },
      admissionWebhook: { failurePolicy: input.admissionWebhookFailurePolicy },
      watchNamespaces: input.watchNamespaces,
      resources: resourceValues(input.resources),
      env: {
        kong_admin_svc_port_names: 'kong-admin-tls',
        kong_admin_tls_skip_verify: false,
        kong_admin_tls_server_name: input.adminServerName,
        // The chart mounts the client Secret here (adminApi.tls.client); its ca.crt is the Admin API's CA.
        kong_admin_ca_cert_file: `${ADMIN_API_CLIENT_CERT_DIR}/ca.crt`,
      },
    },
    ...hardeningValues(input.initContainerResources),
    ...availabilityValues(input.podDisruptionBudget),
    ...topologySpreadValues(input.releaseName, input.zoneSpread),
  };
}

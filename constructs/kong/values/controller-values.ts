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
}

/**
 * Values the constructs compute for the controller release (layer 3 of docs/helm-values.md),
 * on top of helm-values/kong-controller.yaml: gateway discovery of the gateway release's
 * headless Admin API Service, mutual TLS with a certificate from Terraform, and server
 * certificate verification (the CA PEM is set at apply time, see KongIngressController).
 */
export function controllerValues(input: ControllerValuesInput): HelmValues {
  return {
    image: { ...input.gatewayImage.toValues(), ...pullSecretValues(input.pullSecretName) },
    // Must match the gateway release's proxy Service so Ingress status shows its address.
    proxy: { nameOverride: `${input.gatewayReleaseName}-kong-proxy` },
    replicaCount: input.replicas,
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
      },
    },
    ...hardeningValues(input.initContainerResources),
    ...availabilityValues(input.podDisruptionBudget),
    ...topologySpreadValues(input.releaseName, input.zoneSpread),
  };
}

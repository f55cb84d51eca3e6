import { z } from 'zod';
import { labelProblem } from '../constructs/core';
import { s3BucketNameProblem } from '../constructs/aws/rules';
import { blobContainerNameProblem, resourceGroupNameProblem, storageAccountNameProblem } from '../constructs/azure/rules';

/**
 * The environment file schema: one YAML file per environment in `environments/<name>.yaml`.
 * Every field is documented here (`.describe()`); docs/environment-file.md is the reader's guide.
 * Cross-field rules (production strictness, cloud sections) live in `config/rules.ts`.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IMAGE_REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const SEMVER = /^\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.-]+)?$/;
const REGISTRY = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/;
const CPU = /^(\d+m|\d+(\.\d+)?)$/;
const MEMORY = /^\d+(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

/** Kong `headers` values (kong.conf); `off` disables them all. */
export const KONG_HEADER_NAMES = [
  'server_tokens',
  'latency_tokens',
  'Server',
  'Via',
  'X-Kong-Proxy-Latency',
  'X-Kong-Response-Latency',
  'X-Kong-Admin-Latency',
  'X-Kong-Upstream-Latency',
  'X-Kong-Upstream-Status',
  'X-Kong-Request-Id',
] as const;

/** A map of Kubernetes labels, each key and value in Kubernetes label syntax (the API server refuses others at apply). */
export const kubernetesLabels = () =>
  z.record(z.string()).superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      const problem = labelProblem(key, value);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${problem} (Kubernetes label syntax)` });
    }
  });

export const dnsLabel = (what: string) => z.string().regex(DNS_LABEL, `must be a DNS label (lowercase letters, digits and '-', at most 63 characters) naming ${what}`);

export const cidrSchema = z.string().regex(CIDR, 'must be an IPv4 CIDR such as 10.0.0.0/16');

const resourceListSchema = z
  .object({
    cpu: z.string().regex(CPU, 'must be a CPU quantity such as 500m or 1').describe('CPU quantity'),
    memory: z.string().regex(MEMORY, 'must be a memory quantity such as 512Mi or 1Gi').describe('Memory quantity'),
  })
  .strict();

export const resourcesSchema = z
  .object({
    requests: resourceListSchema.describe('Scheduler reservation for each container.'),
    limits: resourceListSchema.describe('Hard cap for each container.'),
  })
  .strict()
  .describe('Container requests and limits. @default per profile (see constructs/kong/profiles.ts)');

export const imageSchema = z
  .object({
    repository: z
      .string()
      .regex(IMAGE_REPOSITORY, 'must be a repository path such as kong/kong-gateway (lowercase, no registry, no tag)')
      .describe('Repository path inside the registry.'),
    tag: z
      .string()
      .regex(IMAGE_TAG, 'must be an image tag such as 3.9.1')
      .refine((tag) => tag !== 'latest', 'must not be "latest": pin a version tag and a digest')
      .describe('Version tag; shown to humans, the digest is what runs.'),
    digest: z
      .string()
      .regex(DIGEST, 'must be "sha256:" followed by 64 lowercase hex digits')
      .optional()
      .describe('Content digest the image is pinned to. Required in production. Written by the image pipeline.'),
    effectiveSemver: z
      .string()
      .regex(SEMVER, 'must be a semantic version such as 3.9.1')
      .optional()
      .describe('Version the chart uses for feature gates. @default the tag when the tag is a version'),
  })
  .strict();

/** Images of the mesh control plane chart; all from `images.registry`. */
export const meshImagesSchema = z
  .object({
    controlPlane: imageSchema.describe('Control plane image (kuma-cp).'),
    dataPlane: imageSchema.describe('Sidecar image (kuma-dp) injected into every mesh pod.'),
    dataPlaneInit: imageSchema.describe('Traffic redirection init image (kuma-init), used when the CNI is off.'),
    cni: imageSchema.optional().describe('CNI plugin image (kuma-cni). Required when mesh.cni.enabled is true.'),
    kumactl: imageSchema.describe('kumactl image of the chart install/upgrade hooks.'),
    kubectl: imageSchema.describe('kubectl image of the chart install/upgrade hooks.'),
  })
  .strict();

const applicationNamespaceSchema = z
  .object({
    name: dnsLabel('the namespace').describe('Namespace of a team whose Services Kong routes to.'),
    labels: kubernetesLabels().default({}).describe('Extra labels for the namespace.'),
  })
  .strict();

/** A name checked by the cloud's own naming rule (constructs/aws/bucket-name.ts, constructs/azure/resource-names.ts). */
export const cloudName = (problemOf: (name: string) => string | undefined) =>
  z.string().superRefine((name, ctx) => {
    const problem = problemOf(name);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

const backendSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('local').describe('State on this machine.'),
      path: z.string().optional().describe('State file directory. @default terraform-state (outside cdktf.out)'),
    })
    .strict(),
  z
    .object({
      type: z.literal('s3').describe('State in S3 with native locking (use_lockfile).'),
      bucket: cloudName(s3BucketNameProblem).describe('Versioned, encrypted S3 bucket holding the state (S3 bucket naming rules).'),
      region: z.string().min(1).describe('Region of the bucket.'),
      keyPrefix: z.string().default('kong-platform').describe('Key prefix; the key is <prefix>/<stack>.tfstate.'),
      kmsKeyId: z.string().optional().describe('KMS key for server-side encryption. @default the bucket default'),
    })
    .strict(),
  z
    .object({
      type: z.literal('azurerm').describe('State in Azure Blob Storage.'),
      resourceGroupName: cloudName(resourceGroupNameProblem).describe('Resource group of the state storage account.'),
      storageAccountName: cloudName(storageAccountNameProblem).describe('Storage account (blob versioning on; locking by blob lease).'),
      containerName: cloudName(blobContainerNameProblem).describe('Blob container holding the state (Azure blob container naming rules).'),
      keyPrefix: z.string().default('kong-platform').describe('Key prefix; the key is <prefix>/<stack>.tfstate.'),
    })
    .strict(),
]);

const autoscalingSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Turn the HPA on.'),
    minReplicas: z.number().int().min(1).default(2).describe('Lower bound of the HorizontalPodAutoscaler.'),
    maxReplicas: z.number().int().min(1).default(6).describe('Upper bound of the HorizontalPodAutoscaler.'),
    targetCpuUtilization: z.number().int().min(10).max(95).default(70).describe('Average CPU utilisation target, percent.'),
  })
  .strict();

const valuesMapSchema = z.record(z.unknown());

export const gatewaySchema = z
  .object({
    replicas: z.number().int().min(1).max(100).optional().describe('Fixed replica count. @default 1 (dev), 3 (ha)'),
    autoscaling: autoscalingSchema.optional().describe('HPA instead of a fixed replica count.'),
    resources: resourcesSchema.optional(),
    headers: z
      .union([z.literal('off'), z.array(z.enum(KONG_HEADER_NAMES)).min(1)], {
        errorMap: () => ({ message: `must be "off" or a list of header names (${KONG_HEADER_NAMES.join(', ')})` }),
      })
      .default('off')
      .describe('Kong response headers (kong.conf `headers`). @default off'),
    trustedIps: z.array(cidrSchema).default([]).describe('CIDRs of the load balancer in front of Kong, trusted for the real client IP header. Cloud stacks set it.'),
    realIpHeader: z.string().default('X-Forwarded-For').describe('Header carrying the client IP from the load balancer.'),
    drainTimeoutSeconds: z.number().int().min(0).max(600).optional().describe('Seconds `kong quit` waits for in-flight requests on shutdown. @default 5 (dev), 30 (ha)'),
    proxyService: z
      .object({
        type: z.enum(['ClusterIP', 'LoadBalancer', 'NodePort']).default('ClusterIP').describe('Service type.'),
        annotations: z.record(z.string()).default({}).describe('Service annotations (e.g. internal load balancer).'),
        loadBalancerSourceRanges: z.array(cidrSchema).default([]).describe('Client CIDRs allowed by a LoadBalancer Service.'),
      })
      .strict()
      .default({})
      .describe('Kubernetes Service in front of the proxy pods. @default ClusterIP (the edge reaches it)'),
    extraValues: valuesMapSchema.default({}).describe('Helm values merged last onto the gateway release; keys must exist in the kong chart.'),
  })
  .strict();

export const controllerSchema = z
  .object({
    replicas: z.number().int().min(1).max(10).optional().describe('Controller replicas (leader election). @default 1 (dev), 2 (ha)'),
    resources: resourcesSchema.optional(),
    ingressClass: dnsLabel('the ingress class').default('kong').describe('IngressClass the controller owns.'),
    watchNamespaces: z.array(dnsLabel('a namespace')).optional().describe('Namespaces KIC watches. @default the application namespaces (all namespaces when none are declared)'),
    adminApiCertificates: z
      .discriminatedUnion('issuer', [
        z.object({ issuer: z.literal('terraform').describe('Keys from the tls provider, kept in Terraform state (refused in production by KP-SEC-002 unless waived).') }).strict(),
        z
          .object({
            issuer: z
              .literal('cert-manager')
              .describe('Keys generated in the cluster by cert-manager (installed there first; cert-manager.io/v1, v1.21.x tested): none in plans or state.'),
            reissueEveryDays: z
              .number()
              .optional()
              .describe('Days between re-issues; each platform apply after that re-issues the certificates and rolls the pods. Valid three periods. @default 30'),
          })
          .strict(),
      ])
      .default({ issuer: 'terraform' })
      .describe('Who generates the keys of the Admin API mutual TLS between controller and gateway. @default terraform'),
    extraValues: valuesMapSchema.default({}).describe('Helm values merged last onto the controller release.'),
  })
  .strict();

export const environmentCoreShape = {
  name: dnsLabel('the environment').describe('Environment name; must equal the file name without .yaml.'),
  description: z.string().optional().describe('Free text for humans.'),
  cloud: z.enum(['hybrid', 'aws', 'azure']).describe('Where the cluster comes from.'),
  production: z.boolean().default(false).describe('Production: strict checks, HA profile, digests required.'),
  profile: z.enum(['dev', 'ha']).optional().describe('Sizing profile. @default ha when production, else dev'),
  kubernetes: z
    .object({
      kubeconfigPath: z
        .string()
        .min(1)
        .optional()
        .describe('Kubeconfig file: relative to the repository root, absolute, or ~/... where Terraform runs. @default KUBE_CONFIG_PATH of the Terraform run'),
      context: z.string().min(1).describe('Context in the kubeconfig.'),
    })
    .strict()
    .optional()
    .describe('How to reach an existing cluster. Required when cloud is hybrid.'),
  backend: backendSchema.default({ type: 'local' }).describe('Terraform state backend. @default local'),
  namespaces: z
    .object({
      system: dnsLabel('the Kong namespace').default('kong').describe('Namespace of the Kong gateway and controller.'),
      applications: z.array(applicationNamespaceSchema).default([]).describe('Team namespaces Kong routes to (PSA restricted, default-deny ingress).'),
    })
    .strict()
    .default({})
    .describe('Namespaces the platform creates.'),
  images: z
    .object({
      registry: z
        .string()
        .regex(REGISTRY, 'must be a registry host such as registry.example.com or 123456789012.dkr.ecr.eu-west-1.amazonaws.com')
        .describe('Private registry host of both images.'),
      pullSecret: dnsLabel('an existing image pull secret').optional().describe('Existing dockerconfigjson secret in the Kong namespace.'),
      gateway: imageSchema.describe('Kong Gateway image.'),
      controller: imageSchema.describe('Kong Ingress Controller image.'),
      mesh: meshImagesSchema.optional().describe('Kong Mesh / Kuma images mirrored into the private registry. Required when mesh.enabled is true.'),
      awsLoadBalancerController: imageSchema.optional().describe('AWS Load Balancer Controller image mirrored into the private registry. Required when cloud is "aws".'),
    })
    .strict()
    .describe(
      'Every image the platform runs, from the private registry. The single source of truth for image names: ' +
        'on AWS the ECR repositories are created from these repository paths.',
    ),
  gateway: gatewaySchema.default({}).describe('Kong Gateway (data plane) settings.'),
  controller: controllerSchema.default({}).describe('Kong Ingress Controller settings.'),
  plugins: z
    .object({
      custom: z.array(dnsLabel('a plugin folder under plugins/')).default([]).describe('Custom Lua plugins from plugins/<name>/.'),
    })
    .strict()
    .default({})
    .describe('Custom plugins.'),
  helm: z
    .object({
      kongChartVersion: z.string().regex(SEMVER, 'must be a chart version such as 3.4.1').default('3.4.1').describe('Pinned kong chart version.'),
      kongChartRepository: z.string().url().default('https://charts.konghq.com').describe('Chart repository (a mirror in air-gapped sites).'),
      timeoutSeconds: z.number().int().min(60).max(3600).default(600).describe('Seconds Helm waits for a release to be ready.'),
      maxHistory: z.number().int().min(1).max(100).default(10).describe('Release revisions kept for rollback.'),
    })
    .strict()
    .default({})
    .describe('Helm release settings.'),
};

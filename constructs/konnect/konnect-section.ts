import { z } from 'zod';
import { certificateProblem } from '../apis/apis-section';

/**
 * `konnect:` section of the environment file: where the environment's Kong data planes get
 * their configuration from.
 *   - `mode: konnect`: a Kong Konnect control plane (SaaS), created here or an existing one;
 *   - `mode: self-managed`: a Kong control plane release we run ourselves (hybrid mode, PKI).
 * Leaving the section out (or `enabled: false`) keeps the classic KIC + DB-less gateway.
 * The reader's guide is docs/konnect.md.
 */

/** Konnect regions with a regional API (`https://<region>.api.konghq.com`). */
export const KONNECT_SECTION_REGIONS = ['us', 'eu', 'au', 'me', 'in'] as const;

/** Konnect rejects label keys with these prefixes (provider docs, `labels`). */
const RESERVED_LABEL_PREFIXES = ['kong', 'konnect', 'mesh', 'kic', '_'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

const labelKeySchema = z
  .string()
  .min(1)
  .max(63, 'must be at most 63 characters')
  .refine((key) => !RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)), {
    message: `must not start with ${RESERVED_LABEL_PREFIXES.map((p) => `"${p}"`).join(', ')} (reserved by Konnect)`,
  });

const controlPlaneSchema = z
  .object({
    name: z.string().min(1).max(100).optional().describe('Name of the control plane in Konnect. @default kong-<environment>'),
    description: z.string().max(250).optional().describe('Description shown in Konnect. @default none'),
    clusterType: z
      .enum(['CLUSTER_TYPE_CONTROL_PLANE', 'CLUSTER_TYPE_K8S_INGRESS_CONTROLLER'])
      .default('CLUSTER_TYPE_CONTROL_PLANE')
      .describe(
        'CLUSTER_TYPE_CONTROL_PLANE: Konnect holds the configuration and the gateways are pure data planes (no ' +
          'Kong Ingress Controller). CLUSTER_TYPE_K8S_INGRESS_CONTROLLER: the Kong Ingress Controller configures the ' +
          'gateways from Kubernetes resources and mirrors it to Konnect (read-only there). Changing it replaces the ' +
          'control plane. @default CLUSTER_TYPE_CONTROL_PLANE',
      ),
    authType: z
      .enum(['pinned_client_certs', 'pki_client_certs'])
      .default('pinned_client_certs')
      .describe(
        'How data planes authenticate. pinned_client_certs: each data plane certificate is registered with the ' +
          'control plane (self-signed, simplest). pki_client_certs: a CA we create is registered and data plane ' +
          'certificates it signs are accepted. @default pinned_client_certs',
      ),
    labels: z
      .record(labelKeySchema, z.string().max(63))
      .default({})
      .describe('Labels on the control plane, for search and filtering in Konnect. The environment name is added as label `env`.'),
    existingId: z
      .string()
      .regex(UUID, 'must be a control plane UUID such as 9524ec7d-36d9-465d-a8c5-83a3c9390458')
      .optional()
      .describe(
        'Join an existing control plane (read with the konnect_gateway_control_plane data source) instead of creating ' +
          'one; name, clusterType, authType and labels are then ignored except clusterType, which must match. @default create one',
      ),
  })
  .strict();

const certificateIssuerSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('terraform').describe('Key and certificate from the tls provider, kept in Terraform state (KP-SEC-002 refuses that in production unless waived).') })
    .strict(),
  z
    .object({
      type: z
        .literal('cert-manager')
        .describe(
          'cert-manager (installed in the cluster first) generates the key and gets the certificate signed by your issuer; ' +
            "Konnect trusts that issuer's CA (controlPlane.authType: pki_client_certs). No key in plans or state.",
        ),
      issuerName: z
        .string()
        .regex(DNS_LABEL, 'must be a DNS label')
        .describe('cert-manager Issuer (in the Kong namespace) or ClusterIssuer that signs the data plane certificate.'),
      issuerKind: z.enum(['Issuer', 'ClusterIssuer']).default('ClusterIssuer').describe('Kind of the issuer. @default ClusterIssuer'),
      caCertificatePem: z
        .string()
        .superRefine((pem, ctx) => {
          const problem = certificateProblem(pem);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        })
        .describe("PEM of the issuer's CA certificate (public data), registered with the Konnect control plane."),
    })
    .strict(),
]);

const certificateSchema = z
  .object({
    validityDays: z.number().int().min(30).max(3650).default(365).describe('Lifetime of the data plane client certificate, days. @default 365'),
    earlyRenewalDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .describe('A plan within this many days of expiry replaces the certificate (new one registered, pods rolled). @default 30'),
    rotation: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Bump by one to rotate now: a new key and certificate are created and registered, the Secret is updated, the ' +
          'data planes roll onto it, then the old certificate is unregistered. @default 0',
      ),
    algorithm: z.enum(['ECDSA', 'RSA']).default('ECDSA').describe('Key algorithm: ECDSA P-384 or RSA 4096. Changing it rotates the certificate. @default ECDSA'),
    secretName: z
      .string()
      .regex(DNS_LABEL, 'must be a DNS label (lowercase letters, digits and "-")')
      .max(63)
      .default('kong-cluster-cert')
      .describe('Name of the kubernetes.io/tls Secret holding the data plane key and certificate (mounted at /etc/secrets/<name>/). @default kong-cluster-cert'),
    issuer: certificateIssuerSchema
      .default({ type: 'terraform' })
      .describe('Who generates the data plane key: the tls provider (kept in Terraform state) or cert-manager in the cluster. @default terraform'),
  })
  .strict();

const externalPostgresSchema = z
  .object({
    host: z.string().regex(DNS_NAME, 'must be a DNS name').describe('PostgreSQL host name.'),
    port: z.number().int().min(1).max(65535).default(5432).describe('PostgreSQL port. @default 5432'),
    database: z.string().min(1).default('kong').describe('Database name. @default kong'),
    user: z.string().min(1).default('kong').describe('Database user. @default kong'),
    passwordSecretName: z.string().regex(DNS_LABEL, 'must be a DNS label').describe('Existing Secret in the control plane namespace holding the password (never in this file).'),
    passwordSecretKey: z.string().min(1).default('password').describe('Key of the password in that Secret. @default password'),
  })
  .strict();

const selfManagedSchema = z
  .object({
    cluster: z.string().min(1).optional().describe('Name of the cluster (stack) that runs the control plane; data planes run in the others. @default this environment’s cluster'),
    namespace: z.string().regex(DNS_LABEL, 'must be a DNS label').default('kong-cp').describe('Namespace of the control plane release. @default kong-cp'),
    releaseName: z.string().regex(DNS_LABEL, 'must be a DNS label').default('kong-cp').describe('Helm release name of the control plane. @default kong-cp'),
    endpoint: z
      .string()
      .regex(DNS_NAME, 'must be a DNS name')
      .optional()
      .describe(
        'Host name data planes dial (port 8005), e.g. a load balancer name when data planes run in other clusters. ' +
          '@default the in-cluster Service name <releaseName>-kong-cluster.<namespace>.svc',
      ),
    clusterServiceType: z
      .enum(['ClusterIP', 'LoadBalancer'])
      .default('ClusterIP')
      .describe('Service type of the control plane cluster port 8005. LoadBalancer when data planes are in other clusters. @default ClusterIP'),
    postgres: externalPostgresSchema.describe(
      'PostgreSQL the control plane stores its configuration in (an existing server: the chart’s bundled subchart has no usable default image).',
    ),
    chartVersion: z.string().default('3.4.1').describe('Version of the kong chart for the control plane release. @default 3.4.1'),
    caValidityDays: z.number().int().min(365).max(7300).default(1825).describe('Lifetime of the cluster CA, days. @default 1825'),
  })
  .strict();

export const konnectSectionSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Run the data planes against a Konnect or self-managed control plane. @default false'),
    mode: z
      .enum(['konnect', 'self-managed'])
      .default('konnect')
      .describe('konnect: Kong Konnect (SaaS) control plane. self-managed: a Kong control plane release we run. @default konnect'),
    region: z.enum(KONNECT_SECTION_REGIONS).default('us').describe('Konnect region of the organization (API https://<region>.api.konghq.com). @default us'),
    tokenSource: z
      .enum(['variable', 'environment'])
      .default('variable')
      .describe(
        'variable: the sensitive Terraform variable konnect_token (set TF_VAR_konnect_token). environment: the provider ' +
          'reads KONNECT_TOKEN (personal) or KONNECT_SPAT (system account) itself. The token is never in this file. @default variable',
      ),
    controlPlane: controlPlaneSchema.default({}).describe('The Konnect control plane (mode: konnect).'),
    certificate: certificateSchema.default({}).describe('Data plane client certificate and its rotation.'),
    selfManaged: selfManagedSchema.optional().describe('The self-managed control plane (mode: self-managed).'),
    customPluginSchemas: z.boolean().default(true).describe('Upload the schema.lua of every custom plugin in plugins/ to the Konnect control plane. @default true'),
  })
  .strict()
  .superRefine((section, ctx) => {
    if (section.enabled && section.mode === 'self-managed' && !section.selfManaged) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['selfManaged'], message: 'is required when mode is "self-managed" (at least selfManaged.postgres)' });
    }
    if (section.certificate.issuer.type === 'cert-manager') {
      if (section.mode === 'self-managed') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['certificate', 'issuer', 'type'],
          message: 'cert-manager is for Konnect control planes (mode: konnect); a self-managed control plane signs data plane certificates with its own CA',
        });
      } else if (section.controlPlane.authType !== 'pki_client_certs') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['certificate', 'issuer', 'type'],
          message:
            "needs controlPlane.authType: pki_client_certs: cert-manager creates the certificate in the cluster, so Terraform cannot register it itself (pinned); Konnect trusts the issuer's CA instead",
        });
      }
    }
  })
  .describe('Konnect or self-managed control plane for the data planes (docs/konnect.md).');

/** The parsed `konnect:` section, defaults applied. */
export type KonnectSection = z.infer<typeof konnectSectionSchema>;
/** The `konnect:` section as written in the environment file. */
export type KonnectSectionInput = z.input<typeof konnectSectionSchema>;

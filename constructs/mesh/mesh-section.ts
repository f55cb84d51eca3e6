import { z } from 'zod';

/**
 * `mesh:` section of the environment file: Kong Mesh (or open-source Kuma) 2.x around Kong and
 * the application Services, so east-west traffic is mutual-TLS encrypted and denied unless the
 * traffic matrix below allows it. The reader's guide is docs/mesh.md.
 *
 * Cross-field rules (unknown services in an edge, production strictness, licence) are in
 * {@link checkMeshRules}; the loader runs them next to the schema and reports every problem.
 */

/** The source name that stands for the Kong gateway in `traffic[].from`. */
export const GATEWAY_SOURCE = 'gateway';

/** Kuma 2.x only: Kuma 3.0 removes `Mesh.spec.mtls` and the `from[]` form of MeshTrafficPermission. */
export const MESH_CHART_VERSION_PATTERN = /^2\.\d+\.\d+$/;
/** The Kuma / Kong Mesh version whose chart values and CRDs the tests check against. */
export const DEFAULT_MESH_CHART_VERSION = '2.14.3';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** `<namespace>/<service>`, both DNS labels. */
const SERVICE_REF = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Durations Kuma's builtin CA accepts: a whole number and one unit (s, m, h, d, y). */
const KUMA_DURATION = /^[1-9][0-9]*(s|m|h|d|y)$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const dnsLabel = (what: string) => z.string().regex(DNS_LABEL, `must be ${what}: a DNS label (lowercase letters, digits, '-', at most 63)`);
const duration = (example: string) => z.string().regex(KUMA_DURATION, `must be a whole number and one unit of s, m, h, d, y, such as ${example}`);

const mtlsSchema = z
  .object({
    mode: z
      .enum(['PERMISSIVE', 'STRICT'])
      .optional()
      .describe(
        'PERMISSIVE: sidecars accept mTLS and plaintext, for the rollout while workloads join the mesh. STRICT: mTLS ' +
          'only, plaintext is refused. Production must be STRICT. @default STRICT in production, PERMISSIVE elsewhere',
      ),
    caRsaBits: z
      .union([z.literal(2048), z.literal(3072), z.literal(4096)])
      .default(4096)
      .describe('RSA key size of the builtin mesh CA (2048, 3072 or 4096). @default 4096'),
    caExpiration: duration('5y').default('5y').describe('Lifetime of the builtin mesh CA certificate. @default 5y'),
    dpCertRotation: duration('24h')
      .default('24h')
      .describe('Lifetime of each data plane proxy certificate; sidecars renew before it ends. Shorter limits a leaked key. @default 24h'),
  })
  .strict();

const serviceSchema = z
  .object({
    name: dnsLabel('the Kubernetes Service name').describe('Name of the Kubernetes Service.'),
    namespace: dnsLabel('an application namespace').describe('Namespace of the Service; must be one of namespaces.applications.'),
    port: z.number().int().min(1).max(65535).optional().describe('Port the pods listen on (the target port). Narrows the NetworkPolicy to it. @default every port'),
    selector: z
      .record(z.string().regex(LABEL_KEY, 'must be a Kubernetes label key'), z.string().regex(LABEL_VALUE, 'must be a Kubernetes label value (at most 63 characters)'))
      .optional()
      .describe('Labels of the pods behind the Service (its selector), used to select them in policies. @default { app: <name> }'),
  })
  .strict();

const edgeSchema = z
  .object({
    from: z
      .string()
      .refine((value) => value === GATEWAY_SOURCE || SERVICE_REF.test(value), {
        message: `must be "${GATEWAY_SOURCE}" or "<namespace>/<service>" of a declared service`,
      })
      .describe(`Caller: "${GATEWAY_SOURCE}" (the Kong gateway) or "<namespace>/<service>".`),
    to: z.string().regex(SERVICE_REF, 'must be "<namespace>/<service>" of a declared service').describe('Callee: "<namespace>/<service>" of a declared service.'),
  })
  .strict();

export const meshSectionSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Install the mesh and enforce the traffic matrix. @default false'),
    product: z
      .enum(['kong-mesh', 'kuma'])
      .default('kong-mesh')
      .describe('kong-mesh: Kong Mesh enterprise (chart kong-mesh, needs licenseSecretName). kuma: open-source Kuma (chart kuma). ' + '@default kong-mesh'),
    chartVersion: z
      .string()
      .regex(MESH_CHART_VERSION_PATTERN, 'must be a 2.x chart version such as 2.14.3 (Kuma 3.0 removes Mesh.spec.mtls)')
      .default(DEFAULT_MESH_CHART_VERSION)
      .describe(`Version of the kong-mesh / kuma chart, pinned to the 2.x line. @default ${DEFAULT_MESH_CHART_VERSION}`),
    namespace: dnsLabel('the mesh control plane namespace').optional().describe('Namespace of the mesh control plane. @default kong-mesh-system (kong-mesh) or kuma-system (kuma)'),
    mtls: mtlsSchema.default({}).describe('Builtin CA mutual TLS of the mesh.'),
    cni: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'Redirect traffic with the Kuma CNI plugin instead of a privileged NET_ADMIN init container in every pod, so ' +
              'application pods keep the restricted Pod Security level. @default true',
          ),
        confName: z
          .string()
          .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, 'must be a file name such as 10-calico.conflist')
          .optional()
          .describe(
            'CNI config file of the cluster (in /etc/cni/net.d) the Kuma CNI chains onto. Required on hybrid clusters. ' +
              '@default 10-aws.conflist (aws), 10-azure.conflist (azure)',
          ),
      })
      .strict()
      .default({})
      .describe('Kuma CNI plugin.'),
    licenseSecretName: z
      .string()
      .regex(DNS_SUBDOMAIN, 'must be a Kubernetes Secret name')
      .optional()
      .describe(
        'Existing Secret in the control plane namespace holding the Kong Mesh licence under the key license.json. ' +
          'Required when product is kong-mesh; the licence itself never appears in this file. @default none',
      ),
    controlPlaneReplicas: z
      .number()
      .int()
      .min(1)
      .max(7)
      .optional()
      .describe(
        'Control plane replicas (a PodDisruptionBudget is added from 2). At least 2 (the control plane serves the admission webhooks, failurePolicy Fail). @default 3 in production, 2 elsewhere',
      ),
    services: z.array(serviceSchema).default([]).describe('Every Service that takes part in the traffic matrix, by namespace and name.'),
    traffic: z
      .array(edgeSchema)
      .default([])
      .describe('The allowed calls, one edge per caller -> callee. Everything not listed is denied, including gateway calls ' + 'to services with no edge.'),
  })
  .strict()
  .describe('Kong Mesh / Kuma 2.x: mTLS between workloads and a deny-by-default traffic matrix (docs/mesh.md).');

/** The parsed `mesh:` section, defaults applied. */
export type MeshSection = z.infer<typeof meshSectionSchema>;
/** The `mesh:` section as written in the environment file. */
export type MeshSectionInput = z.input<typeof meshSectionSchema>;
/** One declared service. */
export type MeshServiceConfig = MeshSection['services'][number];
/** One traffic edge. */
export type MeshTrafficEdge = MeshSection['traffic'][number];

/** A problem in the `mesh:` section; `path` is the dotted path from the file root (`mesh.traffic.2.to`). */
export interface MeshRuleViolation {
  readonly path: string;
  readonly message: string;
}

/** `<namespace>/<service>` of a declared service. */
export function serviceRef(service: { namespace: string; name: string }): string {
  return `${service.namespace}/${service.name}`;
}

/** mTLS mode in effect: the explicit one, else STRICT in production and PERMISSIVE elsewhere. */
export function effectiveMtlsMode(section: Pick<MeshSection, 'mtls'>, production: boolean): 'PERMISSIVE' | 'STRICT' {
  return section.mtls.mode ?? (production ? 'STRICT' : 'PERMISSIVE');
}

/** Control plane replicas in effect: the explicit number, else 3 in production and 1 elsewhere. */
export function effectiveControlPlaneReplicas(section: Pick<MeshSection, 'controlPlaneReplicas'>, production: boolean): number {
  return section.controlPlaneReplicas ?? (production ? 3 : 2);
}

/** Control plane namespace in effect. */
export function effectiveMeshNamespace(section: Pick<MeshSection, 'namespace' | 'product'>): string {
  return section.namespace ?? (section.product === 'kuma' ? 'kuma-system' : 'kong-mesh-system');
}

type Raw = Record<string, any>;
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const DURATION_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, y: 365 * 86400 };
function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = KUMA_DURATION.exec(value);
  return match ? Number(value.slice(0, -1)) * DURATION_SECONDS[match[1]] : undefined;
}

/**
 * Cross-field rules of the `mesh:` section, on the raw parsed environment file (the whole
 * document, for `production` and `namespaces`). Returns every violation; types are checked
 * defensively and a field the schema already rejects is left to the schema.
 */
export function checkMeshRules(environment: unknown): MeshRuleViolation[] {
  if (!isObject(environment) || !isObject(environment.mesh)) return [];
  const mesh = environment.mesh;
  const production = environment.production === true;
  const enabled = mesh.enabled === true;
  const out: MeshRuleViolation[] = [];

  if (enabled && (mesh.product ?? 'kong-mesh') === 'kong-mesh' && mesh.licenseSecretName === undefined) {
    out.push({
      path: 'mesh.licenseSecretName',
      message: 'is required when mesh.product is "kong-mesh" (Secret with license.json in the control plane namespace); or set mesh.product: kuma',
    });
  }
  const cni = isObject(mesh.cni) ? mesh.cni : {};
  if (enabled && environment.cloud === 'hybrid' && cni.enabled !== false && cni.confName === undefined) {
    out.push({
      path: 'mesh.cni.confName',
      message:
        'is required on a hybrid cluster: name the CNI config file in /etc/cni/net.d to chain onto (e.g. 10-calico.conflist), ' +
        'or set mesh.cni.enabled: false (pods then need a NET_ADMIN init container, which the restricted Pod Security level refuses)',
    });
  }
  if (production && enabled) {
    const mtls = isObject(mesh.mtls) ? mesh.mtls : {};
    if (mtls.mode === 'PERMISSIVE') {
      out.push({ path: 'mesh.mtls.mode', message: 'must be "STRICT" in a production environment: PERMISSIVE still accepts plaintext' });
    }
    if (typeof mesh.controlPlaneReplicas === 'number' && mesh.controlPlaneReplicas < 2) {
      out.push({
        path: 'mesh.controlPlaneReplicas',
        message: `must be at least 2 in a production environment (one control plane is a single point of failure for certificate issuance), got ${mesh.controlPlaneReplicas}`,
      });
    }
  }
  if (!production && enabled && typeof mesh.controlPlaneReplicas === 'number' && mesh.controlPlaneReplicas < 2) {
    out.push({
      path: 'mesh.controlPlaneReplicas',
      message:
        `must be at least 2 (got ${mesh.controlPlaneReplicas}): the control plane serves the admission webhooks (failurePolicy Fail), ` +
        'so with one replica a control plane restart blocks every pod start in the mesh-labelled namespaces',
    });
  }
  if (isObject(mesh.mtls)) {
    const ca = durationSeconds(mesh.mtls.caExpiration ?? '5y');
    const dp = durationSeconds(mesh.mtls.dpCertRotation ?? '24h');
    if (ca !== undefined && dp !== undefined && dp >= ca) {
      out.push({
        path: 'mesh.mtls.dpCertRotation',
        message: `must be shorter than mesh.mtls.caExpiration (${mesh.mtls.caExpiration ?? '5y'}): a proxy certificate cannot outlive its CA`,
      });
    }
  }

  const systemNamespace = isObject(environment.namespaces) && typeof environment.namespaces.system === 'string' ? environment.namespaces.system : 'kong';
  const applicationNamespaces =
    isObject(environment.namespaces) && Array.isArray(environment.namespaces.applications)
      ? new Set(environment.namespaces.applications.filter(isObject).map((entry: Raw) => entry.name))
      : undefined;

  const known = new Map<string, number>();
  const services = Array.isArray(mesh.services) ? mesh.services : [];
  services.forEach((service: unknown, index: number) => {
    if (!isObject(service) || typeof service.name !== 'string' || typeof service.namespace !== 'string') return;
    const ref = `${service.namespace}/${service.name}`;
    if (known.has(ref)) {
      out.push({ path: `mesh.services.${index}`, message: `declares "${ref}" again (first at mesh.services.${known.get(ref)})` });
      return;
    }
    known.set(ref, index);
    if (service.namespace === systemNamespace) {
      out.push({
        path: `mesh.services.${index}.namespace`,
        message: `must be an application namespace, not the Kong system namespace "${systemNamespace}" (it is kept out of sidecar injection)`,
      });
    } else if (applicationNamespaces && !applicationNamespaces.has(service.namespace)) {
      out.push({
        path: `mesh.services.${index}.namespace`,
        message: `"${service.namespace}" is not one of namespaces.applications (${[...applicationNamespaces].join(', ') || 'none declared'}); only those namespaces join the mesh`,
      });
    }
  });

  const knownList = [...known.keys()].join(', ') || 'none declared';
  const seenEdges = new Map<string, number>();
  const traffic = Array.isArray(mesh.traffic) ? mesh.traffic : [];
  traffic.forEach((edge: unknown, index: number) => {
    if (!isObject(edge)) return;
    for (const end of ['from', 'to'] as const) {
      const value = edge[end];
      if (typeof value !== 'string' || !SERVICE_REF.test(value)) continue; // schema reports the shape
      if (!known.has(value)) {
        out.push({ path: `mesh.traffic.${index}.${end}`, message: `unknown service "${value}": declare it under mesh.services (known: ${knownList})` });
      }
    }
    if (typeof edge.from === 'string' && typeof edge.to === 'string') {
      const key = `${edge.from} -> ${edge.to}`;
      if (seenEdges.has(key)) {
        out.push({ path: `mesh.traffic.${index}`, message: `repeats the edge ${key} (first at mesh.traffic.${seenEdges.get(key)})` });
      } else {
        seenEdges.set(key, index);
      }
    }
  });
  return out;
}

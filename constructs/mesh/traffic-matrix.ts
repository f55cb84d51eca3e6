import type { KubernetesObject } from '../manifest-chart/render';

/** The caller name that stands for the Kong gateway. */
export const GATEWAY = 'gateway';

/** A Service that takes part in the traffic matrix. */
export interface MeshServiceDeclaration {
  /** Kubernetes Service name. */
  readonly name: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Port the pods listen on; narrows the NetworkPolicy. @default every port */
  readonly port?: number;
  /** Labels of the pods behind the Service (its selector). @default { app: <name> } */
  readonly selector?: Record<string, string>;
}

/** One allowed call: `from` is `gateway` or `<namespace>/<service>`, `to` is `<namespace>/<service>`. */
export interface TrafficEdgeDeclaration {
  readonly from: string;
  readonly to: string;
}

/** How the Kong gateway pods are recognised (the kong chart labels them with the release name). */
export interface GatewayIdentity {
  /** Namespace of the gateway pods. */
  readonly namespace: string;
  /** Helm release name of the gateway; pods carry `app.kubernetes.io/instance: <releaseName>`. */
  readonly releaseName: string;
}

/** A declared service with its defaults applied. */
export interface MatrixService {
  /** `<namespace>/<name>`. */
  readonly ref: string;
  readonly name: string;
  readonly namespace: string;
  readonly port?: number;
  readonly selector: Record<string, string>;
}

/** A caller: the gateway or a declared service. */
export type MatrixCaller = typeof GATEWAY | MatrixService;

/** One resolved edge. */
export interface MatrixEdge {
  readonly from: MatrixCaller;
  readonly to: MatrixService;
}

const SERVICE_REF = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/;

/** Pod label the kong chart puts on every pod of a release. */
export const RELEASE_INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Dataplane tags Kuma sets on Kubernetes from the Service selecting the pod (and its namespace). */
export const KUMA_NAMESPACE_TAG = 'k8s.kuma.io/namespace';
export const KUMA_SERVICE_NAME_TAG = 'k8s.kuma.io/service-name';

/**
 * The declared services and the allowed calls between them, resolved and checked. Everything
 * the mesh enforces (MeshTrafficPermissions, NetworkPolicies, the diagram) derives from this one
 * value, so the layers cannot disagree.
 */
export class TrafficMatrix {
  /**
   * Resolves declarations; throws one Error listing every problem (unknown service in an edge,
   * bad reference, duplicate service or edge).
   */
  public static resolve(services: readonly MeshServiceDeclaration[], edges: readonly TrafficEdgeDeclaration[]): TrafficMatrix {
    const problems = TrafficMatrix.problems(services, edges);
    if (problems.length > 0) throw new Error(`invalid traffic matrix: ${problems.join('; ')}`);
    return new TrafficMatrix(services, edges);
  }

  /** Every problem with the declarations, each naming the entry (`services[2]`, `traffic[0].to`). */
  public static problems(services: readonly MeshServiceDeclaration[], edges: readonly TrafficEdgeDeclaration[]): string[] {
    const problems: string[] = [];
    const known = new Set<string>();
    services.forEach((service, index) => {
      const ref = `${service.namespace}/${service.name}`;
      if (!SERVICE_REF.test(ref)) problems.push(`services[${index}]: "${ref}" is not <namespace>/<service> of DNS labels`);
      else if (known.has(ref)) problems.push(`services[${index}]: "${ref}" is declared twice`);
      known.add(ref);
      if (service.port !== undefined && (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535)) {
        problems.push(`services[${index}].port: must be 1-65535, got ${service.port}`);
      }
      if (service.selector !== undefined && Object.keys(service.selector).length === 0) {
        problems.push(`services[${index}].selector: must not be empty (an empty selector matches every pod in the namespace)`);
      }
    });
    const knownList = [...known].join(', ') || 'none';
    const seen = new Set<string>();
    edges.forEach((edge, index) => {
      if (edge.from !== GATEWAY && !known.has(edge.from)) {
        problems.push(`traffic[${index}].from: unknown service "${edge.from}" (declared: ${knownList}; or "${GATEWAY}")`);
      }
      if (!known.has(edge.to)) problems.push(`traffic[${index}].to: unknown service "${edge.to}" (declared: ${knownList})`);
      const key = `${edge.from} -> ${edge.to}`;
      if (seen.has(key)) problems.push(`traffic[${index}]: repeats ${key}`);
      seen.add(key);
    });
    return problems;
  }

  /** Declared services, in declaration order. */
  public readonly services: readonly MatrixService[];
  /** Allowed calls, in declaration order. */
  public readonly edges: readonly MatrixEdge[];

  private constructor(services: readonly MeshServiceDeclaration[], edges: readonly TrafficEdgeDeclaration[]) {
    this.services = services.map((service) => ({
      ref: `${service.namespace}/${service.name}`,
      name: service.name,
      namespace: service.namespace,
      port: service.port,
      selector: { ...(service.selector ?? { app: service.name }) },
    }));
    const byRef = new Map(this.services.map((service) => [service.ref, service]));
    this.edges = edges.map((edge) => ({
      from: edge.from === GATEWAY ? GATEWAY : byRef.get(edge.from)!,
      to: byRef.get(edge.to)!,
    }));
  }

  /** Callers allowed to reach `service`, in edge order. */
  public callersOf(service: MatrixService): MatrixCaller[] {
    return this.edges.filter((edge) => edge.to.ref === service.ref).map((edge) => edge.from);
  }

  /** Services the gateway may call. */
  public get gatewayTargets(): MatrixService[] {
    return this.edges.filter((edge) => edge.from === GATEWAY).map((edge) => edge.to);
  }

  /** Namespaces of the declared services, sorted. */
  public get namespaces(): string[] {
    return [...new Set(this.services.map((service) => service.namespace))].sort();
  }
}

/** `gateway` or `<namespace>/<name>`. */
export function callerRef(caller: MatrixCaller): string {
  return caller === GATEWAY ? GATEWAY : caller.ref;
}

/** Name of the MeshTrafficPermission / NetworkPolicy that guards one service. */
export function inboundPolicyName(service: MatrixService): string {
  return `allow-to-${service.name}`;
}

/** Options of {@link meshTrafficPermissions}. */
export interface MeshTrafficPermissionOptions {
  /** Mesh the policies belong to (`kuma.io/mesh` label). */
  readonly meshName: string;
  /** How the gateway's data plane is recognised. */
  readonly gateway: GatewayIdentity;
}

/**
 * One MeshTrafficPermission per service that has callers, in the service's namespace:
 * - top-level `targetRef: Dataplane` selects the service's pods by their labels (a policy in an
 *   application namespace applies to that namespace's proxies only);
 * - one `from` entry per allowed caller, matching the caller's certificate tags: a service by
 *   `k8s.kuma.io/namespace` + `k8s.kuma.io/service-name`, the gateway by its namespace and release
 *   label; action `Allow`.
 * With mTLS on, Kuma denies whatever no permission allows, so a service without callers gets no
 * policy at all and stays unreachable. Kuma 2.x form (`from[]`): pinned with the chart.
 */
export function meshTrafficPermissions(matrix: TrafficMatrix, options: MeshTrafficPermissionOptions): KubernetesObject[] {
  return matrix.services
    .map((service) => ({ service, callers: matrix.callersOf(service) }))
    .filter(({ callers }) => callers.length > 0)
    .map(({ service, callers }) => ({
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'MeshTrafficPermission',
      metadata: {
        name: inboundPolicyName(service),
        namespace: service.namespace,
        labels: { 'kuma.io/mesh': options.meshName, 'kong-platform.io/traffic-matrix': 'true' },
      },
      spec: {
        targetRef: { kind: 'Dataplane', labels: { ...service.selector } },
        from: callers.map((caller) => ({
          targetRef: { kind: 'MeshSubset', tags: callerTags(caller, options.gateway) },
          default: { action: 'Allow' },
        })),
      },
    }));
}

/** Certificate tags that identify a caller in a MeshTrafficPermission `from` entry. */
export function callerTags(caller: MatrixCaller, gateway: GatewayIdentity): Record<string, string> {
  if (caller === GATEWAY) {
    return { [KUMA_NAMESPACE_TAG]: gateway.namespace, [RELEASE_INSTANCE_LABEL]: gateway.releaseName };
  }
  return { [KUMA_NAMESPACE_TAG]: caller.namespace, [KUMA_SERVICE_NAME_TAG]: caller.name };
}

/** A NetworkPolicy as the kubernetes provider's `kubernetes_network_policy_v1` takes it. */
export interface NetworkPolicyDefinition {
  readonly name: string;
  readonly namespace: string;
  readonly spec: {
    readonly podSelector: { matchLabels: Record<string, string> };
    readonly policyTypes: string[];
    readonly ingress?: Array<{
      from: Array<{ namespaceSelector: { matchLabels: Record<string, string> }; podSelector: { matchLabels: Record<string, string> } }>;
      ports?: Array<{ port: string; protocol: string }>;
    }>;
    readonly egress?: Array<{
      to: Array<{ namespaceSelector: { matchLabels: Record<string, string> } }>;
      ports: Array<{ port: string; protocol: string }>;
    }>;
  };
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The same matrix as NetworkPolicies, the second layer (it holds even for a pod that escaped
 * sidecar injection): for every service with callers, ingress to its pods only from the
 * callers' pods (by namespace + pod labels), on its port when declared. They add to the
 * platform's default-deny-ingress in application namespaces.
 */
export function trafficNetworkPolicies(matrix: TrafficMatrix, gateway: GatewayIdentity): NetworkPolicyDefinition[] {
  return matrix.services
    .map((service) => ({ service, callers: matrix.callersOf(service) }))
    .filter(({ callers }) => callers.length > 0)
    .map(({ service, callers }) => ({
      name: inboundPolicyName(service),
      namespace: service.namespace,
      spec: {
        podSelector: { matchLabels: { ...service.selector } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: callers.map((caller) =>
              caller === GATEWAY
                ? {
                    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: gateway.namespace } },
                    podSelector: { matchLabels: { [RELEASE_INSTANCE_LABEL]: gateway.releaseName } },
                  }
                : {
                    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: caller.namespace } },
                    podSelector: { matchLabels: { ...caller.selector } },
                  },
            ),
            ...(service.port !== undefined ? { ports: [{ port: String(service.port), protocol: 'TCP' }] } : {}),
          },
        ],
      },
    }));
}

import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Construct } from '../core/cdktf';

/** Pod Security Admission level (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** A namespace of a team whose Services Kong routes to. */
export interface ApplicationNamespace {
  /** Namespace name. */
  readonly name: string;
  /** Extra labels. @default none */
  readonly labels?: Record<string, string>;
}

export interface PlatformNamespacesProps {
  /** Namespace of the Kong gateway and controller. @default "kong" */
  readonly systemNamespace?: string;
  /** Team namespaces; Kong may route to Services in them. @default none */
  readonly applicationNamespaces?: ApplicationNamespace[];
  /**
   * Pod Security Admission level enforced everywhere. Kong, KIC and well-behaved
   * workloads run under `restricted`.
   * @default "restricted"
   */
  readonly podSecurityLevel?: PodSecurityLevel;
  /** Extra labels on the Kong namespace (e.g. mesh sidecar injection off). @default none */
  readonly systemLabels?: Record<string, string>;
  /** Extra labels on every application namespace (e.g. mesh sidecar injection on). @default none */
  readonly applicationLabels?: Record<string, string>;
}

/** The label marking a namespace whose Services the Kong gateway may call (NetworkPolicy selector). */
export const ROUTABLE_NAMESPACE_LABEL = 'kong-platform.io/routable';
/** The label naming the role of a platform namespace. */
export const NAMESPACE_ROLE_LABEL = 'kong-platform.io/role';

/** The Pod Security Admission labels of a namespace: the level enforced, audited and warned about. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/warn': level,
  };
}

/**
 * The Kong namespace and the application namespaces, all with Pod Security Admission
 * labels (enforce + audit + warn at the same level, pinned to `latest`).
 */
export class PlatformNamespaces extends Construct {
  /** Name of the Kong namespace. */
  public readonly systemNamespace: string;
  /** The Kong namespace resource, for `dependsOn`. */
  public readonly system: NamespaceV1;
  /** Application namespace resources by name. */
  public readonly applications: Record<string, NamespaceV1> = {};

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps = {}) {
    super(scope, id);
    this.systemNamespace = props.systemNamespace ?? 'kong';
    const psa = podSecurityLabels(props.podSecurityLevel ?? 'restricted');
    const apps = props.applicationNamespaces ?? [];
    const seen = new Set<string>([this.systemNamespace]);
    for (const app of apps) {
      if (seen.has(app.name)) {
        throw new Error(`${this.node.path}: applicationNamespaces contains "${app.name}" twice or reuses the Kong namespace; each name must be unique`);
      }
      seen.add(app.name);
    }

    this.system = new NamespaceV1(this, 'system', {
      metadata: {
        name: this.systemNamespace,
        labels: { ...psa, [NAMESPACE_ROLE_LABEL]: 'kong-system', ...props.systemLabels },
      },
    });
    for (const app of apps) {
      this.applications[app.name] = new NamespaceV1(this, `app-${app.name}`, {
        metadata: {
          name: app.name,
          labels: { ...psa, [NAMESPACE_ROLE_LABEL]: 'application', [ROUTABLE_NAMESPACE_LABEL]: 'true', ...props.applicationLabels, ...app.labels },
        },
      });
    }
  }

  /** All namespace resources, for `dependsOn`. */
  public get all(): NamespaceV1[] {
    return [this.system, ...Object.values(this.applications)];
  }
}

import { NetworkPolicyV1, NetworkPolicyV1Config } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { MONITORING_NAMESPACE_LABEL, dnsEgressPolicySpec } from '../kubernetes/kong-network-policies';
import { SIDECAR_INJECTION_LABEL } from './mesh-labels';
import { Construct } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { GatewayIdentity, RELEASE_INSTANCE_LABEL, TrafficMatrix, trafficNetworkPolicies } from './traffic-matrix';

/** Port of the control plane's data plane server (xDS, certificates) that every sidecar dials. */
export const MESH_DP_SERVER_PORT = 5678;
/** Port of the control plane's admission webhook (sidecar injection, validation), called by the API server. */
export const MESH_ADMISSION_PORT = 5443;
/** Port of the control plane's metrics and diagnostics. */
export const MESH_METRICS_PORT = 5680;

/** Properties of {@link MeshNetworkPolicies}. */
export interface MeshNetworkPoliciesProps {
  /** Who may call whom. */
  readonly matrix: TrafficMatrix;
  /** How the Kong gateway pods are recognised. */
  readonly gateway: GatewayIdentity;
  /** Mesh control plane namespace: the gateway's sidecar must reach it. */
  readonly controlPlaneNamespace: string;
  /** Resources to create first (the namespaces). */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Where the Kubernetes API server is, for the control plane's egress.
   * @default any address on TCP 443 and 6443 (not known at synth)
   */
  readonly apiServerCidrs?: string[];
}

/**
 * The traffic matrix as Kubernetes NetworkPolicies (`kubernetes_network_policy_v1`, like the
 * platform's other policies: built-in kind, so no CRD or cluster access is needed at plan time, and
 * each policy is its own resource in the plan). They are the second layer under the mesh's
 * MeshTrafficPermissions and add to the default-deny-ingress of the application namespaces.
 *
 * Also opens the one flow the mesh adds to the locked-down Kong namespace: the gateway's sidecar
 * to the control plane's data plane server.
 */
export class MeshNetworkPolicies extends Construct {
  /** Every policy, by `<namespace>/<name>`. */
  public readonly policies: Record<string, NetworkPolicyV1> = {};

  constructor(scope: Construct, id: string, props: MeshNetworkPoliciesProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/managed-by': 'kong-platform', 'kong-platform.io/traffic-matrix': 'true' };
    for (const policy of trafficNetworkPolicies(props.matrix, props.gateway)) {
      const key = `${policy.namespace}/${policy.name}`;
      this.policies[key] = new NetworkPolicyV1(this, `${policy.namespace}-${policy.name}`, {
        metadata: { name: policy.name, namespace: policy.namespace, labels },
        spec: policy.spec,
        dependsOn: props.dependsOn,
      });
    }
    this.lockDownControlPlaneNamespace(props, labels);
    const egressName = 'mesh-gateway-egress-control-plane';
    this.policies[`${props.gateway.namespace}/${egressName}`] = new NetworkPolicyV1(this, egressName, {
      metadata: { name: egressName, namespace: props.gateway.namespace, labels },
      spec: {
        podSelector: { matchLabels: { [RELEASE_INSTANCE_LABEL]: props.gateway.releaseName } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.controlPlaneNamespace } } }],
            ports: [{ port: String(MESH_DP_SERVER_PORT), protocol: 'TCP' }],
          },
        ],
      },
      dependsOn: props.dependsOn,
    });
  }

  /**
   * The control plane namespace, default-deny like Kong's: sidecars (of every namespace that takes
   * part in the mesh, i.e. carries the injection label) reach the data plane server, the API server
   * reaches the admission webhook, monitoring scrapes the metrics port; the control plane and its
   * hook jobs reach DNS and the API server, nothing else.
   */
  private lockDownControlPlaneNamespace(props: MeshNetworkPoliciesProps, labels: Record<string, string>): void {
    const ns = props.controlPlaneNamespace;
    const tcp = (ports: number[]) => ports.map((port) => ({ port: String(port), protocol: 'TCP' }));
    const apiServer = props.apiServerCidrs && props.apiServerCidrs.length > 0 ? props.apiServerCidrs : ['0.0.0.0/0'];
    const policies: Array<[string, NetworkPolicyV1Config['spec']]> = [
      ['default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }],
      ['allow-dns-egress', dnsEgressPolicySpec()],
      ['allow-api-server-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: apiServer.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp([443, 6443]) }] }],
      [
        'allow-sidecars-to-dp-server',
        {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: SIDECAR_INJECTION_LABEL, operator: 'Exists' }] } }], ports: tcp([MESH_DP_SERVER_PORT]) }],
        },
      ],
      // Called by the API server, whose address is not known at synth.
      ['allow-admission-webhook', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: tcp([MESH_ADMISSION_PORT]) }] }],
      [
        'allow-metrics-scrape',
        {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { [MONITORING_NAMESPACE_LABEL]: 'true' } } }], ports: tcp([MESH_METRICS_PORT]) }],
        },
      ],
    ];
    for (const [name, spec] of policies) {
      this.policies[`${ns}/${name}`] = new NetworkPolicyV1(this, `control-plane-${name}`, { metadata: { name, namespace: ns, labels }, spec, dependsOn: props.dependsOn });
    }
  }
}

import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { GatewayIdentity, RELEASE_INSTANCE_LABEL, TrafficMatrix, trafficNetworkPolicies } from './traffic-matrix';

/** Port of the control plane's data plane server (xDS, certificates) that every sidecar dials. */
export const MESH_DP_SERVER_PORT = 5678;

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
}

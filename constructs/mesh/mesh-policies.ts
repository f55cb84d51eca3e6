import { Construct } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { ManifestChart, ManifestChartReleaseOptions } from '../manifest-chart/manifest-chart';
import { BuiltinMtlsOptions, meshResource } from './mesh-resource';
import { GatewayIdentity, TrafficMatrix, meshTrafficPermissions } from './traffic-matrix';

/** Properties of {@link MeshPolicies}. */
export interface MeshPoliciesProps extends ManifestChartReleaseOptions {
  /** Mesh name; workloads without a `kuma.io/mesh` annotation join `default`. @default default */
  readonly meshName?: string;
  /** Builtin CA mTLS of the mesh. */
  readonly mtls: BuiltinMtlsOptions;
  /** Who may call whom. */
  readonly matrix: TrafficMatrix;
  /** How the Kong gateway's proxies are recognised. */
  readonly gateway: GatewayIdentity;
  /** Namespace that stores the two Helm releases (the control plane namespace). */
  readonly releaseNamespace: string;
  /** What the Mesh needs first: the control plane release (CRDs, validating webhook). */
  readonly meshDependsOn: ITerraformDependable[];
  /**
   * What the permissions need first: the Mesh and the namespaces they live in (the Kong releases,
   * which depend on the namespaces).
   */
  readonly permissionsDependsOn: ITerraformDependable[];
}

/**
 * The mesh's custom resources, as two generated charts (no cluster access needed at plan time):
 * - `mesh`: the Mesh with builtin CA mTLS. Installed right after the control plane and before
 *   the gateway, because the sidecar injector refuses pods of a mesh that does not exist yet.
 * - `mesh-traffic-permissions`: one MeshTrafficPermission per called service, from the matrix.
 */
export class MeshPolicies extends Construct {
  /** Chart with the Mesh object. */
  public readonly meshChart: ManifestChart;
  /** Chart with the MeshTrafficPermissions. */
  public readonly permissionsChart: ManifestChart;
  /** Mesh name. */
  public readonly meshName: string;

  constructor(scope: Construct, id: string, props: MeshPoliciesProps) {
    super(scope, id);
    this.meshName = props.meshName ?? 'default';
    const release: ManifestChartReleaseOptions = {
      atomic: props.atomic,
      cleanupOnFail: props.cleanupOnFail,
      wait: props.wait,
      timeout: props.timeout,
      maxHistory: props.maxHistory,
    };
    this.meshChart = new ManifestChart(this, 'mesh', {
      ...release,
      chartName: 'mesh',
      releaseName: `mesh-${this.meshName}`,
      namespace: props.releaseNamespace,
      description: `Kuma Mesh "${this.meshName}" with builtin CA mTLS (${props.mtls.mode})`,
      manifests: [meshResource(this.meshName, props.mtls)],
      dependsOn: props.meshDependsOn,
    });
    this.permissionsChart = new ManifestChart(this, 'traffic-permissions', {
      ...release,
      chartName: 'mesh-traffic-permissions',
      releaseName: `mesh-${this.meshName}-traffic-permissions`,
      namespace: props.releaseNamespace,
      description: 'MeshTrafficPermissions generated from the environment traffic matrix',
      manifests: meshTrafficPermissions(props.matrix, { meshName: this.meshName, gateway: props.gateway }),
      dependsOn: [this.meshChart.release, ...props.permissionsDependsOn],
    });
  }
}

import { blocks, dig, isTrue, isUnknown, show, templateTrue } from '../attributes';
import { PolicyManifest, PolicyRule, PolicySubject, policyRule } from '../rule';
import { releaseValues } from '../workloads';

const isKuma = (m: PolicyManifest) => typeof m.apiVersion === 'string' && m.apiVersion.startsWith('kuma.io/');
const meshes = (s: PolicySubject) => s.manifests.filter((m) => isKuma(m) && m.kind === 'Mesh');
const permissions = (s: PolicySubject) => s.manifests.filter((m) => isKuma(m) && m.kind === 'MeshTrafficPermission');
const nameOf = (m: PolicyManifest) => String(m.metadata?.name ?? '(unnamed)');

type Obj = Record<string, unknown>;
const asObject = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
/** The `from` entries of a MeshTrafficPermission, as objects. */
const fromEntries = (p: PolicyManifest): Obj[] => blocks(dig(p, 'spec.from'));
const allows = (f: Obj) => ['Allow', 'AllowWithShadowDeny'].includes(String(asObject(f.default)?.action));

/** Control plane releases of Kuma or Kong Mesh (the kong-mesh chart nests the kuma values under `kuma:`). */
function controlPlaneValues(s: PolicySubject): Obj | undefined {
  if (s.type !== 'helm_release' || !['kuma', 'kong-mesh'].includes(String(s.attributes.chart).split('/').pop()!)) return undefined;
  const values = releaseValues(s);
  if (!values) return undefined;
  return String(s.attributes.chart).endsWith('kong-mesh') ? (asObject(values.kuma) ?? {}) : (values as Obj);
}
const isControlPlane = (s: PolicySubject) => s.type === 'helm_release' && ['kuma', 'kong-mesh'].includes(String(s.attributes.chart).split('/').pop()!);

/** The enabled mTLS backend of a Mesh object, if any. */
function enabledBackend(mesh: PolicyManifest): Obj | undefined {
  const mtls = asObject(dig(mesh, 'spec.mtls'));
  if (!mtls || !mtls.enabledBackend) return undefined;
  return blocks(mtls.backends).find((b) => b.name === mtls.enabledBackend);
}

export const meshRules: PolicyRule[] = [
  policyRule({
    id: 'KP-MESH-001',
    area: 'mesh',
    title: 'Mesh mTLS enabled',
    rationale: 'Without mTLS, service identity is unverified and every MeshTrafficPermission is unenforceable.',
    reads: 'kuma.io Mesh objects: spec.mtls.enabledBackend, spec.mtls.backends; kuma / kong-mesh helm_release: effective controlPlane.defaults.skipMeshCreation',
    appliesTo: (s) => meshes(s).length > 0 || isControlPlane(s),
    check(s) {
      if (isControlPlane(s)) {
        const values = controlPlaneValues(s);
        if (!values) return [];
        const skip = dig(values, 'controlPlane.defaults.skipMeshCreation');
        return isTrue(skip) || isUnknown(skip) ? [] : ['controlPlane.defaults.skipMeshCreation is not true: the control plane creates a "default" Mesh without mTLS'];
      }
      return meshes(s).flatMap((m) => {
        const mtls = asObject(dig(m, 'spec.mtls'));
        if (!mtls?.enabledBackend) return [`Mesh ${nameOf(m)}: spec.mtls.enabledBackend is not set (mTLS off)`];
        return enabledBackend(m) ? [] : [`Mesh ${nameOf(m)}: enabledBackend ${show(mtls.enabledBackend)} is not one of spec.mtls.backends`];
      });
    },
  }),
  policyRule({
    id: 'KP-MESH-002',
    area: 'mesh',
    title: 'Mesh mTLS strict',
    rationale: 'PERMISSIVE mode still accepts plaintext, so a workload outside the mesh can reach services unauthenticated.',
    reads: 'kuma.io Mesh objects: mode of the enabled mTLS backend',
    appliesTo: (s) => meshes(s).length > 0,
    check: (s) =>
      meshes(s).flatMap((m) => {
        const mode = enabledBackend(m)?.mode;
        // Kuma's builtin backends default to STRICT.
        return mode === 'PERMISSIVE' ? [`Mesh ${nameOf(m)}: mTLS backend mode is PERMISSIVE, must be STRICT`] : [];
      }),
  }),
  policyRule({
    id: 'KP-MESH-003',
    area: 'mesh',
    title: 'No allow-all traffic permission',
    rationale: 'An allow-all MeshTrafficPermission (Kuma creates one per new Mesh by default) turns zero trust into allow everything.',
    reads: 'kuma.io Mesh objects: spec.skipCreatingInitialPolicies; MeshTrafficPermission: spec.targetRef.kind, spec.from[] (Mesh, Allow)',
    appliesTo: (s) => meshes(s).length > 0 || permissions(s).length > 0,
    check(s) {
      const problems = meshes(s).flatMap((m) => {
        const skipped = dig(m, 'spec.skipCreatingInitialPolicies');
        return Array.isArray(skipped) && (skipped.includes('MeshTrafficPermission') || skipped.includes('*'))
          ? []
          : [`Mesh ${nameOf(m)}: spec.skipCreatingInitialPolicies lacks MeshTrafficPermission (Kuma then creates allow-all)`];
      });
      for (const p of permissions(s)) {
        const targetKind = dig(p, 'spec.targetRef.kind');
        const allowAll = fromEntries(p).some((f) => asObject(f.targetRef)?.kind === 'Mesh' && allows(f));
        if (allowAll && (targetKind === undefined || targetKind === 'Mesh')) problems.push(`MeshTrafficPermission ${nameOf(p)} allows every service to call every service`);
      }
      return problems;
    },
  }),
  policyRule({
    id: 'KP-MESH-004',
    area: 'mesh',
    title: 'Mesh CNI on in production',
    rationale: 'Without the CNI every pod in the mesh needs a NET_ADMIN init container, which the restricted Pod Security level refuses.',
    productionOnly: true,
    reads: 'kuma / kong-mesh helm_release: effective values cni.enabled (kong-mesh: under kuma)',
    appliesTo: isControlPlane,
    check(s) {
      const values = controlPlaneValues(s);
      if (!values) return [];
      const enabled = dig(values, 'cni.enabled');
      return templateTrue(enabled) || isUnknown(enabled)
        ? []
        : [`cni.enabled is ${show(enabled)}: a production mesh runs the CNI (no NET_ADMIN init container in application pods)`];
    },
  }),
  policyRule({
    id: 'KP-MESH-005',
    area: 'mesh',
    title: 'No traffic permission from every service',
    rationale: 'Allowing "from" the whole mesh (or a subset without tags) lets any workload, compromised or not, call the target: zero trust names its callers.',
    reads: 'MeshTrafficPermission objects: spec.from[] allowing targetRef Mesh, or MeshSubset without tags',
    appliesTo: (s) => permissions(s).length > 0,
    check: (s) =>
      permissions(s).flatMap((p) =>
        fromEntries(p)
          .filter((f) => allows(f) && selectsEveryone(f.targetRef))
          .map((f) => {
            const kind = String(asObject(f.targetRef)?.kind);
            return `MeshTrafficPermission ${nameOf(p)} allows ${kind}${kind === 'MeshSubset' ? ' without tags' : ''} (every service); name the callers (MeshSubset with tags, MeshService)`;
          }),
      ),
  }),
  policyRule({
    id: 'KP-MESH-006',
    area: 'mesh',
    title: 'Mesh control plane not exposed outside the cluster',
    rationale: 'The control plane API issues identities and configures every proxy; a NodePort, load balancer or Ingress puts it on the network, past the WAF.',
    reads: 'kuma / kong-mesh helm_release: effective values controlPlane.service.type, controlPlane.ingress.enabled, ingress and egress enabled and service.type',
    appliesTo: isControlPlane,
    check(s) {
      const values = controlPlaneValues(s);
      if (!values) return [];
      return controlPlaneExposure(values);
    },
  }),
];

/** A targetRef that stands for every service: the Mesh itself, or a MeshSubset without tags. */
function selectsEveryone(value: unknown): boolean {
  const targetRef = asObject(value);
  if (!targetRef) return false;
  if (targetRef.kind === 'Mesh') return true;
  const tags = asObject(targetRef.tags);
  return targetRef.kind === 'MeshSubset' && (!tags || Object.keys(tags).length === 0);
}

/**
 * Services the kuma chart (2.14) creates from these values with a type that reaches outside the
 * cluster: the control plane Service (ClusterIP by default), the zone ingress and egress
 * (ingress: LoadBalancer by default, when enabled) and the GUI/API Ingress.
 */
function controlPlaneExposure(values: Obj): string[] {
  const problems: string[] = [];
  const exposed = (type: unknown) => typeof type === 'string' && ['nodeport', 'loadbalancer'].includes(type.toLowerCase());
  const cpType = dig(values, 'controlPlane.service.type');
  if (exposed(cpType)) problems.push(`controlPlane.service.type is ${show(cpType)}: the control plane Service must stay ClusterIP`);
  if (templateTrue(dig(values, 'controlPlane.ingress.enabled'))) problems.push('controlPlane.ingress.enabled is true: the control plane API and GUI must not be on an Ingress');
  for (const [component, chartDefault] of [
    ['ingress', 'LoadBalancer'],
    ['egress', 'ClusterIP'],
  ] as const) {
    if (!templateTrue(dig(values, `${component}.enabled`))) continue;
    const type = dig(values, `${component}.service.type`) ?? chartDefault;
    if (exposed(type))
      problems.push(
        `${component}.enabled is true with ${component}.service.type ${show(type)}${dig(values, `${component}.service.type`) === undefined ? ' (the chart default)' : ''}: the zone ${component} would be reachable from outside the cluster`,
      );
  }
  return problems;
}

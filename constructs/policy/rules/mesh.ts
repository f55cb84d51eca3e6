import { dig, isTrue, isUnknown, show } from '../attributes';
import { PolicyManifest, PolicyRule, PolicySubject, policyRule } from '../rule';
import { releaseValues } from '../workloads';

const isKuma = (m: PolicyManifest) => typeof m.apiVersion === 'string' && m.apiVersion.startsWith('kuma.io/');
const meshes = (s: PolicySubject) => s.manifests.filter((m) => isKuma(m) && m.kind === 'Mesh');
const permissions = (s: PolicySubject) => s.manifests.filter((m) => isKuma(m) && m.kind === 'MeshTrafficPermission');
const nameOf = (m: PolicyManifest) => String(m.metadata?.name ?? '(unnamed)');

/** Control plane releases of Kuma or Kong Mesh (the kong-mesh chart nests the kuma values under `kuma:`). */
function controlPlaneValues(s: PolicySubject): Record<string, any> | undefined {
  if (s.type !== 'helm_release' || !['kuma', 'kong-mesh'].includes(String(s.attributes.chart).split('/').pop()!)) return undefined;
  const values = releaseValues(s);
  if (!values) return undefined;
  return String(s.attributes.chart).endsWith('kong-mesh') ? (values.kuma ?? {}) : values;
}
const isControlPlane = (s: PolicySubject) => s.type === 'helm_release' && ['kuma', 'kong-mesh'].includes(String(s.attributes.chart).split('/').pop()!);

/** The enabled mTLS backend of a Mesh object, if any. */
function enabledBackend(mesh: PolicyManifest): Record<string, any> | undefined {
  const mtls = dig(mesh, 'spec.mtls') as Record<string, any> | undefined;
  if (!mtls || !mtls.enabledBackend) return undefined;
  return (Array.isArray(mtls.backends) ? mtls.backends : []).find((b: any) => b?.name === mtls.enabledBackend);
}

export const meshRules: PolicyRule[] = [
  policyRule({
    id: 'KP-MESH-001',
    area: 'mesh',
    title: 'Mesh mTLS enabled',
    rationale: 'Without mTLS, service identity is unverified and every MeshTrafficPermission is unenforceable.',
    appliesTo: (s) => meshes(s).length > 0 || isControlPlane(s),
    check(s) {
      if (isControlPlane(s)) {
        const values = controlPlaneValues(s);
        if (!values) return [];
        const skip = dig(values, 'controlPlane.defaults.skipMeshCreation');
        return isTrue(skip) || isUnknown(skip) ? [] : ['controlPlane.defaults.skipMeshCreation is not true: the control plane creates a "default" Mesh without mTLS'];
      }
      return meshes(s).flatMap((m) => {
        const mtls = dig(m, 'spec.mtls') as Record<string, any> | undefined;
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
        const from = dig(p, 'spec.from');
        const allowAll = (Array.isArray(from) ? from : []).some((f: any) => f?.targetRef?.kind === 'Mesh' && ['Allow', 'AllowWithShadowDeny'].includes(f?.default?.action));
        if (allowAll && (targetKind === undefined || targetKind === 'Mesh')) problems.push(`MeshTrafficPermission ${nameOf(p)} allows every service to call every service`);
      }
      return problems;
    },
  }),
];

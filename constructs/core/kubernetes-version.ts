/**
 * The one source of truth for the Kubernetes version: the minor the EKS and AKS stacks create
 * by default (config sections and the cluster constructs read it), the minor a hybrid cluster is
 * assumed to run, and what the chart hook images (kubectl) are pinned to. kubectl supports one
 * minor of skew against the API server; the environment rules require the same minor.
 */
export const DEFAULT_KUBERNETES_VERSION = '1.33';

/** A Kubernetes minor version (`1.33`). */
export const KUBERNETES_MINOR = /^1\.\d{2}$/;

/** The minor (`1.33`) of a kubectl image tag (`v1.33.4`, `1.33.4@sha256:...`), or undefined. */
export function kubectlTagMinor(tag: string): string | undefined {
  return /^v?(1\.\d{1,2})\.\d+/.exec(tag)?.[1];
}

/** The Kubernetes minor an environment's cluster runs: aws/azure `kubernetesVersion`, else the default. */
export function clusterKubernetesVersion(env: { cloud?: unknown; aws?: unknown; azure?: unknown }): string {
  const section = env.cloud === 'aws' ? env.aws : env.cloud === 'azure' ? env.azure : undefined;
  const version = typeof section === 'object' && section !== null ? (section as { kubernetesVersion?: unknown }).kubernetesVersion : undefined;
  return typeof version === 'string' ? version : DEFAULT_KUBERNETES_VERSION;
}

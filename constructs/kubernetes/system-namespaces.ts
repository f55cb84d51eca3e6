/** Namespaces Kubernetes and the managed clusters own (AKS, EKS and GKE system add-ons): the platform never installs into them. */
export const RESERVED_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'gatekeeper-system',
  'calico-system',
  'tigera-operator',
  'amazon-cloudwatch',
  'aws-observability',
  'gke-managed-system',
];

/** A system namespace, by name (kube-* and the cloud add-ons' namespaces). */
export const isReservedNamespace = (name: string): boolean => RESERVED_NAMESPACES.includes(name) || name.startsWith('kube-');

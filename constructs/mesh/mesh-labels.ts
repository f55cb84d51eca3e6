/**
 * Labels and annotations that put Kubernetes objects into (or keep them out of) the mesh.
 * Pure functions: the namespaces construct and application charts call them directly.
 */

/** Namespace / pod label the Kuma injector reads (required on every mesh namespace since Kuma 2.11). */
export const SIDECAR_INJECTION_LABEL = 'kuma.io/sidecar-injection';
/** Pod annotation that runs the sidecar in delegated-gateway mode (outbound only, no inbound interception). */
export const GATEWAY_ANNOTATION = 'kuma.io/gateway';
/** Service annotation that makes Kong send traffic to the Service, not to pod IPs. */
export const SERVICE_UPSTREAM_ANNOTATION = 'ingress.kubernetes.io/service-upstream';

/**
 * Labels for an application namespace: sidecars injected when the mesh is enabled. With the mesh
 * disabled the label is left out altogether (not `disabled`), so turning the mesh off leaves no
 * trace on the namespace.
 */
export function meshNamespaceLabels(enabled: boolean): Record<string, string> {
  return enabled ? { [SIDECAR_INJECTION_LABEL]: 'enabled' } : {};
}

/**
 * Labels for the Kong system namespace: injection explicitly disabled, so the ingress controller
 * and any helper pod stay out of the mesh; only the gateway pods opt in (see {@link meshGatewayPodLabels}).
 */
export function meshSystemNamespaceLabels(enabled: boolean): Record<string, string> {
  return enabled ? { [SIDECAR_INJECTION_LABEL]: 'disabled' } : {};
}

/** Pod labels for the Kong gateway: opt in to injection inside the (disabled) system namespace. */
export function meshGatewayPodLabels(): Record<string, string> {
  return { [SIDECAR_INJECTION_LABEL]: 'enabled' };
}

/** Pod annotations for the Kong gateway: the sidecar runs as a delegated gateway. */
export function meshGatewayPodAnnotations(): Record<string, string> {
  return { [GATEWAY_ANNOTATION]: 'enabled' };
}

/**
 * Annotations for every backend Service Kong routes to. Kong then targets the Service's cluster IP
 * instead of individual pod IPs, so the gateway's sidecar resolves and encrypts the call. Without it
 * Kong connects to pod IPs directly, which bypasses the mesh and fails with 502 once mTLS is STRICT.
 * (Kuma also adds it to Services in injection-enabled namespaces; setting it ourselves keeps the
 * behaviour explicit and independent of that.)
 */
export function meshServiceAnnotations(): Record<string, string> {
  return { [SERVICE_UPSTREAM_ANNOTATION]: 'true' };
}

import type { KubernetesObject } from '../manifest-chart/render';

/** mTLS settings of the Mesh's builtin CA. */
export interface BuiltinMtlsOptions {
  /** PERMISSIVE accepts mTLS and plaintext (rollout); STRICT accepts mTLS only. */
  readonly mode: 'PERMISSIVE' | 'STRICT';
  /** RSA key size of the CA. */
  readonly caRsaBits: 2048 | 3072 | 4096;
  /** CA certificate lifetime, Kuma duration (`5y`). */
  readonly caExpiration: string;
  /** Data plane certificate lifetime, Kuma duration (`24h`); proxies renew before it ends. */
  readonly dpCertRotation: string;
}

/** Name of the single CA backend. */
export const CA_BACKEND_NAME = 'ca-1';

/**
 * The Mesh object: builtin CA mTLS (Kuma 2.x `spec.mtls`, removed in 3.0).
 *
 * `skipCreatingInitialPolicies: [MeshTrafficPermission]` keeps the zero-trust promise independent
 * of a control plane version's defaults: no permission exists unless the traffic matrix made it.
 * (The default timeouts, retries and circuit breakers are still created.)
 */
export function meshResource(meshName: string, mtls: BuiltinMtlsOptions): KubernetesObject {
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Mesh',
    metadata: { name: meshName },
    spec: {
      mtls: {
        enabledBackend: CA_BACKEND_NAME,
        backends: [
          {
            name: CA_BACKEND_NAME,
            type: 'builtin',
            mode: mtls.mode,
            dpCert: { rotation: { expiration: mtls.dpCertRotation } },
            conf: { caCert: { RSAbits: mtls.caRsaBits, expiration: mtls.caExpiration } },
          },
        ],
      },
      skipCreatingInitialPolicies: ['MeshTrafficPermission'],
    },
  };
}

import { Fn, Token } from '../core/cdktf';

/**
 * Konnect regions with a regional API (`https://<region>.api.konghq.com`). Control planes,
 * data plane certificates and plugin schemas are regional entities.
 */
export const KONNECT_REGIONS = ['us', 'eu', 'au', 'me', 'in'] as const;
export type KonnectRegion = (typeof KONNECT_REGIONS)[number];

/** Regional Konnect API the provider must use, e.g. `https://eu.api.konghq.com`. */
export function konnectServerUrl(region: KonnectRegion): string {
  return `https://${region}.api.konghq.com`;
}

/** Host the Kong Ingress Controller pushes configuration to in Konnect mode, e.g. `eu.kic.api.konghq.com`. */
export function konnectKicApiHostname(region: KonnectRegion): string {
  return `${region}.kic.api.konghq.com`;
}

/** Port of every Konnect control plane and telemetry endpoint. */
export const KONNECT_ENDPOINT_PORT = 443;

/**
 * `https://1a2b3c4d5e.eu.cp0.konghq.com` -> `1a2b3c4d5e.eu.cp0.konghq.com`.
 * The pure form of {@link endpointHostToken}; kong.conf wants host names, Konnect reports URLs.
 */
export function endpointHost(endpointUrl: string): string {
  return endpointUrl.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

/** `https://1a2b3c4d5e.eu.cp0.konghq.com` -> `1a2b3c4d5e.eu.cp0.konghq.com:443` (kong.conf `host:port`). */
export function endpointHostPort(endpointUrl: string): string {
  return `${endpointHost(endpointUrl)}:${KONNECT_ENDPOINT_PORT}`;
}

/**
 * {@link endpointHost} for a value only known after apply (a Terraform token at synth):
 * the same transformation as a Terraform expression. Plain strings take the pure path, so a
 * caller that already knows the endpoint gets a plain string back.
 */
export function endpointHostToken(endpointUrl: string): string {
  if (!Token.isUnresolved(endpointUrl)) return endpointHost(endpointUrl);
  return Fn.trimsuffix(Fn.trimprefix(endpointUrl, 'https://'), '/');
}

/** {@link endpointHostPort} for a Terraform token. */
export function endpointHostPortToken(endpointUrl: string): string {
  if (!Token.isUnresolved(endpointUrl)) return endpointHostPort(endpointUrl);
  return `${endpointHostToken(endpointUrl)}:${KONNECT_ENDPOINT_PORT}`;
}

/**
 * Certificates cert-manager issues for the platform (Admin API, Konnect data planes, Azure backend hop)
 * are re-issued on a `time_rotating` epoch, and each re-issue rolls the pods that use them.
 */

/** Allowed days between re-issues: a week at least (each one rolls pods), four months at most. */
export const CERTIFICATE_REISSUE_DAYS = { min: 7, max: 120 } as const;

/** The problem with a re-issue period, or undefined. */
export function certificateReissueDaysProblem(days: unknown): string | undefined {
  return typeof days === 'number' && Number.isInteger(days) && days >= CERTIFICATE_REISSUE_DAYS.min && days <= CERTIFICATE_REISSUE_DAYS.max
    ? undefined
    : `must be a whole number of days from ${CERTIFICATE_REISSUE_DAYS.min} to ${CERTIFICATE_REISSUE_DAYS.max} (each re-issue rolls the pods that use the certificate)`;
}

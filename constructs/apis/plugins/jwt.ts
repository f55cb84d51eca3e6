import { z } from 'zod';
import { KongPluginSpec, compact, headerName, parseOptions } from './plugin-spec';

/**
 * Options of the open-source `jwt` plugin: validates bearer JWTs signed by an identity provider.
 * The provider's public key and issuer live on each consumer's jwt credential (`key` = `iss`).
 */
export const jwtOptionsSchema = z
  .object({
    headerNames: z.array(headerName).min(1).default(['authorization']).describe('Headers the token is read from. @default ["authorization"]'),
    uriParamNames: z
      .array(z.string().min(1))
      .default([])
      .describe('Query parameters the token may be read from. Empty by default: tokens in URLs leak into logs. @default []'),
    cookieNames: z.array(z.string().min(1)).default([]).describe('Cookies the token may be read from. @default []'),
    claimsToVerify: z
      .array(z.enum(['exp', 'nbf']))
      .min(1, 'must verify at least "exp": a token without expiry check is valid forever')
      .default(['exp'])
      .describe('Registered claims Kong verifies (exp, nbf). @default ["exp"]'),
    keyClaimName: z.string().min(1).default('iss').describe('Claim that selects the consumer credential. @default iss'),
    maximumExpiration: z
      .number()
      .int()
      .min(0)
      .max(31536000)
      .default(3600)
      .describe('Longest token lifetime accepted, in seconds (needs exp in claimsToVerify); 0 disables the limit. @default 3600'),
    runOnPreflight: z.boolean().default(true).describe('Validate CORS preflight requests too. @default true'),
    anonymous: z.string().min(1).optional().describe('Consumer used when no token is sent. @default none (no token: 401)'),
  })
  .strict()
  .superRefine((o, ctx) => {
    // Checked here, not only in the builder, so the environment file reports it at its field.
    if (o.maximumExpiration > 0 && !o.claimsToVerify.includes('exp')) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['claimsToVerify'],
        message: `must include "exp" while maximumExpiration is ${o.maximumExpiration} (default 3600): Kong can only bound the lifetime of tokens whose exp it verifies`,
      });
    }
  });

export type JwtOptions = z.input<typeof jwtOptionsSchema>;

/** `jwt` (OSS): JWT validation against the identity provider keys on the consumers' credentials. */
export function jwtPlugin(options: JwtOptions = {}): KongPluginSpec {
  const o = parseOptions('jwt', jwtOptionsSchema, options);
  return {
    plugin: 'jwt',
    authenticates: true,
    config: compact({
      header_names: o.headerNames,
      uri_param_names: o.uriParamNames,
      cookie_names: o.cookieNames,
      claims_to_verify: o.claimsToVerify,
      key_claim_name: o.keyClaimName,
      maximum_expiration: o.maximumExpiration,
      run_on_preflight: o.runOnPreflight,
      anonymous: o.anonymous,
    }),
  };
}

import { z } from 'zod';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

/**
 * Options of the Enterprise `openid-connect` plugin, used here as a resource server: it validates
 * bearer JWTs against the issuer's discovery document and JWKS (no client secret involved).
 */
export const openidConnectOptionsSchema = z
  .object({
    issuer: z
      .string()
      .url('must be the issuer URL')
      .refine((url) => url.startsWith('https://'), 'must be an https:// URL: discovery and keys over plaintext can be forged')
      .describe('Issuer (discovery) URL of the identity provider, https only.'),
    audienceRequired: z.array(z.string().min(1)).default([]).describe('The token `aud` must contain one of these. @default [] (not checked)'),
    scopesRequired: z.array(z.string().min(1)).default([]).describe('Scopes the token must carry (space-separated within one entry = all of them). @default []'),
    consumerClaim: z
      .array(z.string().min(1))
      .optional()
      .describe('Claims mapped to a Kong consumer (e.g. ["sub"]); needed for ACL and per-consumer plugins. @default none (no consumer mapping)'),
    consumerBy: z
      .array(z.enum(['id', 'username', 'custom_id']))
      .min(1)
      .default(['username', 'custom_id'])
      .describe('Consumer fields the claim is matched against. @default ["username", "custom_id"]'),
    hideCredentials: z.boolean().default(true).describe('Remove the token from the upstream request. @default true'),
  })
  .strict();

export type OpenidConnectOptions = z.input<typeof openidConnectOptionsSchema>;

/** `openid-connect` (Enterprise): bearer-token validation against an identity provider. */
export function openidConnectPlugin(options: OpenidConnectOptions): KongPluginSpec {
  const o = parseOptions('openid-connect', openidConnectOptionsSchema, options);
  return {
    plugin: 'openid-connect',
    authenticates: true,
    config: compact({
      issuer: o.issuer,
      auth_methods: ['bearer'],
      bearer_token_param_type: ['header'],
      audience_required: o.audienceRequired.length > 0 ? o.audienceRequired : undefined,
      scopes_required: o.scopesRequired.length > 0 ? o.scopesRequired : undefined,
      consumer_claim: o.consumerClaim,
      consumer_by: o.consumerClaim ? o.consumerBy : undefined,
      hide_credentials: o.hideCredentials,
    }),
  };
}

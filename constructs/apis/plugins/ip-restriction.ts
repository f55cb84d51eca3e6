import { z } from 'zod';
import { coversEverything } from '../../policy/address-ranges';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-fA-F:]+(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;
const address = z.string().refine((v) => IPV4.test(v) || (v.includes(':') && IPV6.test(v)), 'must be an IP address or CIDR such as 10.0.0.0/8');

/** Options of the `ip-restriction` plugin. */
export const ipRestrictionOptionsSchema = z
  .object({
    allow: z.array(address).min(1).optional().describe('Client addresses/CIDRs allowed (everyone else refused). Set allow, deny or both.'),
    deny: z.array(address).min(1).optional().describe('Client addresses/CIDRs refused.'),
    status: z.number().int().min(400).max(599).default(403).describe('Status returned to a refused client. @default 403'),
    message: z.string().min(1).default('Forbidden').describe('Message returned to a refused client. @default Forbidden'),
  })
  .strict()
  .refine((o) => o.allow !== undefined || o.deny !== undefined, { message: 'set allow, deny or both' })
  // Judged by what the list covers, not how it is written: 0.0.0.0/1 + 128.0.0.0/1 or 256 /8s allow everyone too.
  .refine((o) => o.allow === undefined || !coversEverything(o.allow), {
    message: 'allow must not cover every address (0.0.0.0/0, its halves, every /8, ::/0): it allows everyone',
    path: ['allow'],
  });

export type IpRestrictionOptions = z.input<typeof ipRestrictionOptionsSchema>;

/** `ip-restriction`. The client IP is the real one: the gateway trusts only the load balancer CIDRs. */
export function ipRestrictionPlugin(options: IpRestrictionOptions): KongPluginSpec {
  const o = parseOptions('ip-restriction', ipRestrictionOptionsSchema, options);
  return { plugin: 'ip-restriction', authenticates: false, config: compact({ allow: o.allow, deny: o.deny, status: o.status, message: o.message }) };
}

import { z } from 'zod';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

/** Options of the `acl` plugin: which consumer ACL groups may call. */
export const aclOptionsSchema = z
  .object({
    allow: z.array(z.string().min(1)).min(1).optional().describe('ACL groups allowed to call (everyone else: 403). Set allow or deny.'),
    deny: z.array(z.string().min(1)).min(1).optional().describe('ACL groups refused (everyone else allowed). Set allow or deny.'),
    hideGroupsHeader: z.boolean().default(true).describe('Do not send X-Consumer-Groups upstream. @default true'),
    includeConsumerGroups: z.boolean().default(false).describe('Also match consumer group names. @default false'),
  })
  .strict()
  .refine((o) => (o.allow === undefined) !== (o.deny === undefined), { message: 'set exactly one of allow or deny' });

export type AclOptions = z.input<typeof aclOptionsSchema>;

/** `acl`: group-based authorisation after authentication. */
export function aclPlugin(options: AclOptions): KongPluginSpec {
  const o = parseOptions('acl', aclOptionsSchema, options);
  return {
    plugin: 'acl',
    authenticates: false,
    config: compact({
      allow: o.allow,
      deny: o.deny,
      hide_groups_header: o.hideGroupsHeader,
      include_consumer_groups: o.includeConsumerGroups,
    }),
  };
}

import { z } from 'zod';
import { KongPluginSpec, headerName, parseOptions } from './plugin-spec';

/** Options of the custom `tenant-header` plugin (plugins/tenant-header). */
export const tenantHeaderOptionsSchema = z
  .object({
    headerName: headerName.default('X-Tenant-Id').describe('Header the tenant id is sent upstream in (a client value is always removed). @default X-Tenant-Id'),
    tagPrefix: z.string().min(1).default('tenant:').describe('Consumer tag prefix the tenant is read from. @default tenant:'),
    rejectUnknown: z.boolean().default(true).describe('Answer 403 when the consumer has no tenant. @default true'),
  })
  .strict();

export type TenantHeaderOptions = z.input<typeof tenantHeaderOptionsSchema>;

/** `tenant-header`: stamps the authenticated consumer's tenant on the upstream request. */
export function tenantHeaderPlugin(options: TenantHeaderOptions = {}): KongPluginSpec {
  const o = parseOptions('tenant-header', tenantHeaderOptionsSchema, options);
  return { plugin: 'tenant-header', authenticates: false, config: { header_name: o.headerName, tag_prefix: o.tagPrefix, reject_unknown: o.rejectUnknown } };
}

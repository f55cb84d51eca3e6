import { z } from 'zod';
import { KongPluginSpec, compact, parseOptions } from './plugin-spec';

/** Options of the `datadog` plugin (DogStatsD metrics to the node's agent). */
export const datadogOptionsSchema = z
  .object({
    host: z.string().min(1).default('localhost').describe('DogStatsD host (e.g. the node IP via the agent Service). @default localhost'),
    port: z.number().int().min(1).max(65535).default(8125).describe('DogStatsD UDP port. @default 8125'),
    prefix: z.string().min(1).default('kong').describe('Metric name prefix. @default kong'),
    serviceNameTag: z.string().min(1).default('name').describe('Tag carrying the service name. @default name'),
    statusTag: z.string().min(1).default('status').describe('Tag carrying the status code. @default status'),
    consumerTag: z.string().min(1).default('consumer').describe('Tag carrying the consumer. @default consumer'),
  })
  .strict();

export type DatadogOptions = z.input<typeof datadogOptionsSchema>;

/** `datadog`. */
export function datadogPlugin(options: DatadogOptions = {}): KongPluginSpec {
  const o = parseOptions('datadog', datadogOptionsSchema, options);
  return {
    plugin: 'datadog',
    authenticates: false,
    config: compact({
      host: o.host,
      port: o.port,
      prefix: o.prefix,
      service_name_tag: o.serviceNameTag,
      status_tag: o.statusTag,
      consumer_tag: o.consumerTag,
    }),
  };
}

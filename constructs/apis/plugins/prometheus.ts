import { z } from 'zod';
import { KongPluginSpec, parseOptions } from './plugin-spec';

/** Options of the `prometheus` plugin (metrics on the gateway status port). */
export const prometheusOptionsSchema = z
  .object({
    perConsumer: z.boolean().default(false).describe('Label metrics by consumer (cardinality grows with consumers). @default false'),
    statusCodeMetrics: z.boolean().default(true).describe('HTTP status code counters. @default true'),
    latencyMetrics: z.boolean().default(true).describe('Latency histograms. @default true'),
    bandwidthMetrics: z.boolean().default(true).describe('Bytes in/out counters. @default true'),
    upstreamHealthMetrics: z.boolean().default(false).describe('Upstream target health gauges. @default false'),
  })
  .strict();

export type PrometheusOptions = z.input<typeof prometheusOptionsSchema>;

/** `prometheus`: usually global (a KongClusterPlugin). */
export function prometheusPlugin(options: PrometheusOptions = {}): KongPluginSpec {
  const o = parseOptions('prometheus', prometheusOptionsSchema, options);
  return {
    plugin: 'prometheus',
    authenticates: false,
    config: {
      per_consumer: o.perConsumer,
      status_code_metrics: o.statusCodeMetrics,
      latency_metrics: o.latencyMetrics,
      bandwidth_metrics: o.bandwidthMetrics,
      upstream_health_metrics: o.upstreamHealthMetrics,
    },
  };
}

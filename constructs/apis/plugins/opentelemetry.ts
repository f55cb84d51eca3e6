import { z } from 'zod';
import { KongPluginSpec, compact, httpUrl, parseOptions } from './plugin-spec';

/** Options of the `opentelemetry` plugin (OTLP/HTTP traces and logs). */
export const opentelemetryOptionsSchema = z
  .object({
    tracesEndpoint: httpUrl.describe('OTLP/HTTP traces endpoint, e.g. http://otel-collector.observability:4318/v1/traces.'),
    logsEndpoint: httpUrl.optional().describe('OTLP/HTTP logs endpoint. @default none (no logs)'),
    resourceAttributes: z.record(z.string()).default({}).describe('Resource attributes, e.g. service.name. @default {}'),
    samplingRate: z.number().min(0).max(1).optional().describe('Trace sampling rate 0..1 for this plugin. @default the gateway tracing_sampling_rate'),
    propagation: z
      .enum(['w3c', 'b3', 'b3-single', 'jaeger', 'ot', 'aws', 'gcp', 'datadog'])
      .default('w3c')
      .describe('Trace context format injected upstream. @default w3c'),
  })
  .strict();

export type OpentelemetryOptions = z.input<typeof opentelemetryOptionsSchema>;

/** `opentelemetry`. Needs `tracing_instrumentations` on the gateway, which the API add-on sets. */
export function opentelemetryPlugin(options: OpentelemetryOptions): KongPluginSpec {
  const o = parseOptions('opentelemetry', opentelemetryOptionsSchema, options);
  return {
    plugin: 'opentelemetry',
    authenticates: false,
    config: compact({
      traces_endpoint: o.tracesEndpoint,
      logs_endpoint: o.logsEndpoint,
      resource_attributes: Object.keys(o.resourceAttributes).length > 0 ? o.resourceAttributes : undefined,
      sampling_rate: o.samplingRate,
      propagation: { default_format: o.propagation },
    }),
  };
}

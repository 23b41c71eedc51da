import type { RequestOptions } from 'node:http';
import { NodeSDK, logs, metrics, resources } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import type { SampleAppConfig } from './config.js';
import { probePaths } from './routes.js';

export interface Telemetry {
  /** Serves `/metrics` in the Prometheus text format from the same meter provider that exports over OTLP. */
  prometheus: PrometheusExporter;
  /** Flushes every pending span, metric and log record, then stops the SDK. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** Outgoing requests that must not become spans (the error reporter's own uploads). */
  isUntracedOutgoingRequest: (request: RequestOptions) => boolean;
}

/**
 * Starts OpenTelemetry: traces, metrics and logs over OTLP/HTTP (JSON) to the collector, Node runtime
 * metrics, HTTP server and client spans with W3C trace context propagation, and pino records
 * correlated with (and sent as) OTLP log records.
 */
export function startTelemetry(config: SampleAppConfig, options: TelemetryOptions): Telemetry {
  const signalUrl = (signal: 'traces' | 'metrics' | 'logs') => `${config.otlpEndpoint.href.replace(/\/$/, '')}/v1/${signal}`;
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({
      'service.name': config.service.name,
      'service.version': config.service.version,
      'deployment.environment.name': config.service.environment,
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: signalUrl('traces') }), scheduledDelayMillis: config.batchDelayMs })],
    metricReaders: [
      new metrics.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: signalUrl('metrics') }),
        exportIntervalMillis: config.metricExportIntervalMs,
        exportTimeoutMillis: Math.min(config.metricExportIntervalMs, 10_000),
      }),
      prometheus,
    ],
    logRecordProcessors: [
      new logs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: signalUrl('logs') }), scheduledDelayMillis: config.batchDelayMs }),
    ],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => probePaths.has(new URL(request.url ?? '/', 'http://sample-app').pathname),
        ignoreOutgoingRequestHook: options.isUntracedOutgoingRequest,
      }),
      new RuntimeNodeInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
  return { prometheus, shutdown: () => sdk.shutdown() };
}

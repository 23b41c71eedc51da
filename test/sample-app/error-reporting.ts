import type { RequestOptions } from 'node:http';
import * as Sentry from '@sentry/node';
import { trace } from '@opentelemetry/api';
import type { SampleAppConfig } from './config.js';

export interface ErrorReporter {
  /** Reports an error tagged with the trace ID of the active span; returns the event ID, if reported. */
  capture(error: unknown): string | undefined;
  /** True for the reporter's own uploads, which must not be traced. */
  isOwnRequest(request: RequestOptions): boolean;
  /** Sends what is queued, then stops reporting. */
  close(timeoutMs: number): Promise<void>;
}

const disabled: ErrorReporter = { capture: () => undefined, isOwnRequest: () => false, close: async () => {} };

/** Reports errors to GlitchTip through the Sentry SDK; does nothing without a DSN. */
export function startErrorReporting(config: SampleAppConfig): ErrorReporter {
  const dsn = config.sentryDsn;
  if (!dsn) return disabled;
  Sentry.init({
    dsn: dsn.href,
    release: `${config.service.name}@${config.service.version}`,
    environment: config.service.environment,
    serverName: config.service.name,
    initialScope: { tags: { service: config.service.name, role: config.role.name } },
    // Traces belong to OpenTelemetry's NodeSDK; Sentry only reports errors. So: no traces sample rate,
    // no Sentry tracer provider or spans, no sentry-trace/baggage headers beside our traceparent, and
    // no second module loader rewriting frameworks this app does not use.
    enableOpenTelemetrySetup: false,
    integrations: [Sentry.httpIntegration({ spans: false }), Sentry.nativeNodeFetchIntegration({ spans: false })],
    tracePropagationTargets: [],
    enableRuntimeChannelInjection: false,
  });
  return {
    capture(error) {
      const span = trace.getActiveSpan()?.spanContext();
      if (!span) return Sentry.captureException(error);
      // Sentry keeps a trace ID of its own; the event carries OpenTelemetry's instead (tag, trace
      // context and envelope header), which links it to the trace in Jaeger and the logs in Loki.
      return Sentry.withScope((scope) => {
        scope.setPropagationContext({ traceId: span.traceId, parentSpanId: span.spanId, sampleRand: Math.random() });
        scope.setTag('trace_id', span.traceId);
        scope.setContext('trace', { trace_id: span.traceId, span_id: span.spanId });
        return Sentry.captureException(error);
      });
    },
    isOwnRequest: (request) => isRequestTo(request, dsn) && (request.path ?? '').includes('/envelope/'),
    close: async (timeoutMs) => {
      await Sentry.close(timeoutMs);
    },
  };
}

function isRequestTo(request: RequestOptions, url: URL): boolean {
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return (request.hostname ?? request.host) === url.hostname && String(request.port ?? defaultPort) === (url.port || defaultPort);
}

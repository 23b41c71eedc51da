import { pino, type Logger } from 'pino';
import type { SampleAppConfig } from './config.js';

/**
 * JSON lines on stdout. Inside a span, OpenTelemetry's pino instrumentation adds `trace_id`, `span_id`
 * and `trace_flags` to each record and sends the same record as an OTLP log record; it patches pino,
 * so the logger must be created after telemetry has started.
 */
export function createLogger(config: SampleAppConfig): Logger {
  return pino({
    level: config.logLevel,
    base: { service: config.service.name, version: config.service.version, role: config.role.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

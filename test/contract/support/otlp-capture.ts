import type { CapturedRequest } from './capture-server.js';
import {
  exportLogsRequestSchema,
  exportMetricsRequestSchema,
  exportTraceRequestSchema,
  stringAttributes,
  type LogRecord,
  type Span,
} from '../protocols/otlp-json.js';

/** A record of any signal, with the string attributes of the resource that sent it. */
export type FromResource<T> = T & { resource: Record<string, string> };

export interface MetricSeen {
  name: string;
  scope: string;
  resource: Record<string, string>;
}

const bodiesAt = (requests: CapturedRequest[], path: string) =>
  requests.filter((request) => request.method === 'POST' && request.path === path).map((request) => JSON.parse(request.body.toString('utf8')) as unknown);

/** Every span posted to /v1/traces; throws if any request breaks the OTLP JSON schema. */
export function spansIn(requests: CapturedRequest[]): FromResource<Span>[] {
  return bodiesAt(requests, '/v1/traces').flatMap((body) =>
    exportTraceRequestSchema
      .parse(body)
      .resourceSpans.flatMap(({ resource, scopeSpans }) =>
        scopeSpans.flatMap(({ spans }) => spans.map((span) => ({ ...span, resource: stringAttributes(resource.attributes) }))),
      ),
  );
}

/** Every log record posted to /v1/logs; throws if any request breaks the OTLP JSON schema. */
export function logRecordsIn(requests: CapturedRequest[]): FromResource<LogRecord>[] {
  return bodiesAt(requests, '/v1/logs').flatMap((body) =>
    exportLogsRequestSchema
      .parse(body)
      .resourceLogs.flatMap(({ resource, scopeLogs }) =>
        scopeLogs.flatMap(({ logRecords }) => logRecords.map((record) => ({ ...record, resource: stringAttributes(resource.attributes) }))),
      ),
  );
}

/** Every metric posted to /v1/metrics (name, scope, resource); throws if any request breaks the OTLP JSON schema. */
export function metricsIn(requests: CapturedRequest[]): MetricSeen[] {
  return bodiesAt(requests, '/v1/metrics').flatMap((body) =>
    exportMetricsRequestSchema
      .parse(body)
      .resourceMetrics.flatMap(({ resource, scopeMetrics }) =>
        scopeMetrics.flatMap(({ scope, metrics }) => metrics.map(({ name }) => ({ name, scope: scope.name, resource: stringAttributes(resource.attributes) }))),
      ),
  );
}

export function logBody(record: LogRecord): string | undefined {
  return record.body && 'stringValue' in record.body ? record.body.stringValue : undefined;
}

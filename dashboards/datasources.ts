import type { StackSpec } from '../model/spec.js';
import { TRACE_ID_IN_LINE_PATTERN } from './trace-id-in-line.js';

/** Fixed datasource UIDs: dashboards, links and alert rules refer to these. */
export const DATASOURCE_UID = {
  metrics: 'victoriametrics',
  logs: 'loki',
  traces: 'jaeger',
  alerts: 'alertmanager',
} as const;

export interface Backends {
  readonly metricsUrl?: string;
  readonly logsUrl?: string;
  readonly tracesUrl?: string;
  readonly alertsUrl?: string;
}

/**
 * Grafana datasource provisioning (`apiVersion: 1`). A literal `$` is written `$$` because Grafana
 * expands environment variables in provisioning files.
 */
export function datasourceProvisioning(backends: Backends): Record<string, unknown> {
  const datasources: Record<string, unknown>[] = [];
  if (backends.metricsUrl) {
    datasources.push({
      name: 'VictoriaMetrics',
      type: 'prometheus',
      uid: DATASOURCE_UID.metrics,
      access: 'proxy',
      url: backends.metricsUrl,
      isDefault: true,
      editable: false,
      jsonData: { httpMethod: 'POST', timeInterval: '15s', prometheusType: 'Prometheus' },
    });
  }
  if (backends.logsUrl) {
    datasources.push({
      name: 'Loki',
      type: 'loki',
      uid: DATASOURCE_UID.logs,
      access: 'proxy',
      url: backends.logsUrl,
      editable: false,
      jsonData: {
        maxLines: 1000,
        ...(backends.tracesUrl
          ? {
              derivedFields: [
                // OTLP logs carry the trace ID as structured metadata `trace_id`, not in the line: Explore and
                // every query of Grafana 10.1 and later link it by label.
                { name: 'TraceID', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: DATASOURCE_UID.traces, url: '$${__value.raw}', urlDisplayLabel: 'View trace' },
                // Grafana 10.0 matches derived fields in the line only (no matcherType): the shipped dashboards'
                // log panels write the trace ID into the line (TRACE_ID_IN_LINE in dashboards/queries.ts).
                { name: 'Trace', matcherType: 'regex', matcherRegex: TRACE_ID_IN_LINE_PATTERN, datasourceUid: DATASOURCE_UID.traces, url: '$${__value.raw}', urlDisplayLabel: 'View trace' },
              ],
            }
          : {}),
      },
    });
  }
  if (backends.tracesUrl) {
    datasources.push({
      name: 'Jaeger',
      type: 'jaeger',
      uid: DATASOURCE_UID.traces,
      access: 'proxy',
      url: backends.tracesUrl,
      editable: false,
      jsonData: {
        nodeGraph: { enabled: true },
        ...(backends.logsUrl
          ? {
              tracesToLogsV2: {
                datasourceUid: DATASOURCE_UID.logs,
                spanStartTimeShift: '-5m',
                spanEndTimeShift: '5m',
                customQuery: true,
                // Every stream, filtered by the span's trace: Jaeger moves service.name out of the span's process
                // tags (into serviceName, which Grafana does not offer the query), so a selector on it is never
                // filled and Grafana disables "Logs for this span" (seen in npm run screenshots).
                query: '{service_name=~".+"} | trace_id="$${__span.traceId}"',
              },
            }
          : {}),
        ...(backends.metricsUrl
          ? {
              tracesToMetrics: {
                datasourceUid: DATASOURCE_UID.metrics,
                spanStartTimeShift: '-5m',
                spanEndTimeShift: '5m',
                tags: [{ key: 'service.name', value: 'service_name' }],
                queries: [
                  { name: 'Request rate', query: 'sum(rate(traces_span_metrics_calls_total{$$__tags}[5m]))' },
                  { name: 'Error rate', query: 'sum(rate(traces_span_metrics_calls_total{$$__tags, status_code="STATUS_CODE_ERROR"}[5m]))' },
                ],
              },
            }
          : {}),
      },
    });
  }
  if (backends.alertsUrl) {
    datasources.push({
      name: 'Alertmanager',
      type: 'alertmanager',
      uid: DATASOURCE_UID.alerts,
      access: 'proxy',
      url: backends.alertsUrl,
      editable: false,
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    });
  }
  return { apiVersion: 1, datasources };
}

export function enabledBackends(spec: StackSpec, urls: Required<Backends>): Backends {
  const c = spec.components;
  return {
    ...(c.victoriametrics.enabled ? { metricsUrl: urls.metricsUrl } : {}),
    ...(c.loki.enabled ? { logsUrl: urls.logsUrl } : {}),
    ...(c.jaeger.enabled ? { tracesUrl: urls.tracesUrl } : {}),
    ...(c.alertmanager.enabled ? { alertsUrl: urls.alertsUrl } : {}),
  };
}

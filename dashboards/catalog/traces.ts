import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { observatoryDashboard, type DashboardRow } from '../dashboard.js';
import { tablePanel, timeSeriesPanel, tracesPanel } from '../panels.js';
import { metricsQuery, topSeries, tracesSearch } from '../queries.js';
import { SPAN_METRICS } from '../red.js';
import { DASHBOARD_UID } from '../uids.js';
import { serviceVariable, textVariable, environmentVariable } from '../variables.js';
import type { DashboardContext } from './context.js';

const SPANS = '{service_name=~"$service", deployment_environment_name=~"$environment"}';
const ERROR_SPANS = '{service_name=~"$service", deployment_environment_name=~"$environment", status_code="STATUS_CODE_ERROR"}';

function searchRow(): DashboardRow {
  return {
    title: 'Trace search (Jaeger)',
    panels: [
      tracesPanel({
        title: 'Error traces',
        description: 'The latest traces of the service with an error span (Jaeger tag error=true). Tail sampling keeps every one of them. Click a trace ID to open it; from a span, "Logs for this span" opens its logs.',
        width: 12,
        height: 10,
        search: tracesSearch({ service: '$service', tags: 'error=true', limit: 20 }),
      }),
      tracesPanel({
        title: 'Slow traces',
        description: 'The latest traces of the service lasting at least the "Slower than" duration. Click a trace ID to open it.',
        width: 12,
        height: 10,
        search: tracesSearch({ service: '$service', minDuration: '$min_duration', limit: 20 }),
      }),
      tracesPanel({
        title: 'Recent traces',
        description: 'The latest sampled traces of the service. Click a trace ID to open it.',
        width: 24,
        height: 10,
        search: tracesSearch({ service: '$service', limit: 50 }),
      }),
    ],
  };
}

function operationsRow(): DashboardRow {
  const byOperation = 'service_name, span_name';
  return {
    title: 'Operations (span metrics)',
    panels: [
      tablePanel({
        title: 'Slowest operations',
        description: 'The 10 operations with the highest p99 duration over the time range, from span metrics (every span, before sampling), with their rate.',
        unit: 'ms',
        thresholds: [{ value: 500, color: 'yellow' }, { value: 1000, color: 'red' }],
        queries: [
          metricsQuery(topSeries(10, `histogram_quantile(0.99, sum by (${byOperation}, le) (rate(${SPAN_METRICS.durationBucket}${SPANS}[$__range])))`, 'max'), { evaluation: 'instant' }),
        ],
        columns: { service_name: 'Service', span_name: 'Operation', Value: 'p99 (ms)' },
        sortBy: 'Value',
      }),
      tablePanel({
        title: 'Operations with the most errors',
        description: 'The 10 operations with the most error spans per second over the time range.',
        unit: 'reqps',
        queries: [metricsQuery(topSeries(10, `sum by (${byOperation}) (rate(${SPAN_METRICS.calls}${ERROR_SPANS}[$__range]))`, 'max'), { evaluation: 'instant' })],
        columns: { service_name: 'Service', span_name: 'Operation', Value: 'errors/s' },
        sortBy: 'Value',
      }),
      timeSeriesPanel({
        title: 'Spans by kind and status',
        description: 'Spans per second of the service by span kind and status code: where errors come from (server, client, internal).',
        unit: 'ops',
        width: 24,
        legend: 'right',
        queries: [metricsQuery(`sum by (span_kind, status_code) (rate(${SPAN_METRICS.calls}${SPANS}[$__rate_interval]))`, { legend: '{{span_kind}} {{status_code}}' })],
      }),
    ],
  };
}

/** Traces: Jaeger searches (errors, slow, recent) for one service, and its operations from span metrics. */
export function tracesDashboard(context: DashboardContext): Dashboard {
  return observatoryDashboard({
    uid: DASHBOARD_UID.traces,
    title: 'Traces',
    description: 'Trace search for one service (error, slow and recent traces in Jaeger) and its slowest and most failing operations.',
    tags: ['traces'],
    variables: [
      environmentVariable(),
      // Jaeger searches one service at a time.
      serviceVariable(SPAN_METRICS.calls, false),
      textVariable({ name: 'min_duration', label: 'Slower than', description: 'Minimum trace duration for "Slow traces", e.g. 500ms or 2s', defaultValue: '500ms' }),
    ],
    rows: [...(context.datasources.has('traces') ? [searchRow()] : []), operationsRow()],
  });
}

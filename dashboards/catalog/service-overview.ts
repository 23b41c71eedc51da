import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { observatoryDashboard, type DashboardRow } from '../dashboard.js';
import { logsOfServiceLink, tracesOfServiceLink } from '../links.js';
import { logsPanel, timeSeriesPanel, type PanelLink } from '../panels.js';
import { logsQuery, metricsQuery, zeroUntilFailure } from '../queries.js';
import { redRow } from '../red.js';
import { DASHBOARD_UID } from '../uids.js';
import { TRACE_ID_IN_LINE } from '../trace-id-in-line.js';
import { environmentVariable, serviceVariable } from '../variables.js';
import type { DashboardContext } from './context.js';

/** OpenTelemetry HTTP server metrics (`http.server.request.duration`, seconds). */
const HTTP = 'http_server_request_duration_seconds';
const HTTP_SELECTOR = '{service_name=~"$service", deployment_environment_name=~"$environment"}';
const HTTP_5XX_SELECTOR = '{service_name=~"$service", deployment_environment_name=~"$environment", http_response_status_code=~"5.."}';

function routesRow(links: readonly PanelLink[]): DashboardRow {
  const byRoute = 'service_name, http_request_method, http_route';
  const legend = '{{service_name}} {{http_request_method}} {{http_route}}';
  const rate = (s: string) => `sum by (${byRoute}) (rate(${HTTP}_count${s}[$__rate_interval]))`;
  return {
    title: 'Routes (HTTP server metrics)',
    panels: [
      timeSeriesPanel({
        title: 'Requests by route',
        description: 'HTTP requests per second per route, from the SDK\'s http.server.request.duration histogram (not sampled).',
        unit: 'reqps',
        width: 12,
        legend: 'right',
        queries: [metricsQuery(rate(HTTP_SELECTOR), { legend })],
        links,
      }),
      timeSeriesPanel({
        title: '5xx % by route',
        description: 'Share of responses with a 5xx status per route; only routes that answered a 5xx are listed. Yellow from 1 %, red from 5 %.',
        unit: 'percentunit',
        min: 0,
        width: 12,
        legend: 'right',
        hideAllZeroSeries: true,
        thresholds: [{ value: 0.01, color: 'yellow' }, { value: 0.05, color: 'red' }],
        queries: [metricsQuery(`(${rate(HTTP_5XX_SELECTOR)} or ${rate(HTTP_SELECTOR)} * 0) / ${rate(HTTP_SELECTOR)}`, { legend })],
        links,
      }),
      timeSeriesPanel({
        title: 'p95 latency by route',
        description: '95th percentile of the HTTP server duration per route. Red from 1 s.',
        unit: 's',
        min: 0,
        width: 24,
        legend: 'right',
        thresholds: [{ value: 1, color: 'red' }],
        queries: [metricsQuery(`histogram_quantile(0.95, sum by (${byRoute}, le) (rate(${HTTP}_bucket${HTTP_SELECTOR}[$__rate_interval])))`, { legend })],
        links,
      }),
    ],
  };
}

function errorLogsRow(): DashboardRow {
  return {
    title: 'Error logs',
    panels: [
      timeSeriesPanel({
        title: 'Error log lines',
        description: 'Log lines at level error or above per service, per interval (Loki detected_level); only services that logged an error are listed.',
        unit: 'short',
        bars: true,
        width: 24,
        height: 6,
        legend: 'right',
        hideAllZeroSeries: true,
        queries: [
          logsQuery(
            zeroUntilFailure(
              'sum by (service_name) (count_over_time({service_name=~"$service", deployment_environment_name=~"$environment"} | detected_level=~"error|fatal|critical" [$__interval]))',
              'sum by (service_name) (count_over_time({service_name=~"$service", deployment_environment_name=~"$environment"} [$__interval]))',
            ),
            { legend: '{{service_name}}' },
          ),
        ],
      }),
      logsPanel({
        title: 'Recent errors',
        description: 'The latest error log lines of the selected services. Open a line: its trace_id links to the trace in Jaeger.',
        query: logsQuery(`{service_name=~"$service", deployment_environment_name=~"$environment"} | detected_level=~"error|fatal|critical" ${TRACE_ID_IN_LINE}`, { maxLines: 200 }),
      }),
    ],
  };
}

/** Service overview: RED per service from span metrics, per route from HTTP server metrics, recent errors. */
export function serviceOverviewDashboard(context: DashboardContext): Dashboard {
  const links = [
    ...(context.datasources.has('traces') ? [tracesOfServiceLink()] : []),
    ...(context.datasources.has('logs') ? [logsOfServiceLink()] : []),
  ];
  return observatoryDashboard({
    uid: DASHBOARD_UID.serviceOverview,
    title: 'Service overview',
    description: 'Rate, errors and duration of every service that sends telemetry, with links to its traces and logs.',
    tags: ['services'],
    variables: [environmentVariable(), serviceVariable()],
    rows: [
      redRow({ service: '$service', environment: '$environment', title: 'Requests (span metrics)', links }),
      routesRow(links),
      ...(context.datasources.has('logs') ? [errorLogsRow()] : []),
    ],
  });
}

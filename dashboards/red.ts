import type { DashboardRow } from './dashboard.js';
import { timeSeriesPanel, type PanelLink } from './panels.js';
import { metricsQuery } from './queries.js';
import { regexValue, selector } from './selectors.js';

/** Span metrics of the collector's spanmetrics connector, as VictoriaMetrics names them. */
export const SPAN_METRICS = {
  calls: 'traces_span_metrics_calls_total',
  /** Histogram, `le` in milliseconds. */
  durationBucket: 'traces_span_metrics_duration_milliseconds_bucket',
} as const;

export interface RedRowOptions {
  /** A service name, or a variable reference such as `$service` (then one series per selected service). */
  readonly service: string;
  /** Default `RED: <service>`. */
  readonly title?: string;
  /** An environment name or variable reference; default: every environment. */
  readonly environment?: string;
  /** Which spans count as requests. Default `SPAN_KIND_SERVER` (incoming requests). */
  readonly spanKind?: 'SPAN_KIND_SERVER' | 'SPAN_KIND_CONSUMER';
  /** Error % above which the error panel turns red. Default 5 (yellow from a fifth of it). */
  readonly errorPercentRed?: number;
  /** p99 latency in ms above which the latency panel turns red. Default 1000. */
  readonly latencyRedMs?: number;
  /** Links on every series (e.g. to the service's traces and logs). */
  readonly links?: readonly PanelLink[];
}

/**
 * Rate, errors and duration of a service's requests, from span metrics: requests per second, the share
 * of spans with error status, and p50/p95/p99 latency. Works for any service that sends traces.
 */
export function redRow(serviceOrOptions: string | RedRowOptions): DashboardRow {
  const options = typeof serviceOrOptions === 'string' ? { service: serviceOrOptions } : serviceOrOptions;
  const spans = selector(
    `service_name=~"${regexValue(options.service)}"`,
    options.environment ? `deployment_environment_name=~"${regexValue(options.environment)}"` : undefined,
    `span_kind="${options.spanKind ?? 'SPAN_KIND_SERVER'}"`,
  );
  const errors = spans.replace(/}$/, ', status_code="STATUS_CODE_ERROR"}');
  const red = options.errorPercentRed ?? 5;
  const links = options.links ?? [];
  const rate = (s: string) => `sum by (service_name) (rate(${SPAN_METRICS.calls}${s}[$__rate_interval]))`;
  const quantile = (q: number) => `histogram_quantile(${q}, sum by (service_name, le) (rate(${SPAN_METRICS.durationBucket}${spans}[$__rate_interval])))`;
  return {
    title: options.title ?? `RED: ${options.service}`,
    panels: [
      timeSeriesPanel({
        title: 'Request rate',
        description: 'Requests per second (server spans) per service, from span metrics (all traces, before tail sampling).',
        unit: 'reqps',
        width: 6,
        queries: [metricsQuery(rate(spans), { legend: '{{service_name}}' })],
        links,
      }),
      timeSeriesPanel({
        title: 'Error %',
        description: `Share of requests whose span has error status, per service. Yellow from ${red / 5} %, red from ${red} %.`,
        unit: 'percentunit',
        min: 0,
        width: 6,
        thresholds: [{ value: red / 500, color: 'yellow' }, { value: red / 100, color: 'red' }],
        // A service with no errors has no error series: `or ... * 0` shows it at 0 % instead of nothing.
        queries: [metricsQuery(`(${rate(errors)} or ${rate(spans)} * 0) / ${rate(spans)}`, { legend: '{{service_name}}' })],
        links,
      }),
      timeSeriesPanel({
        title: 'Latency p50 / p95 / p99',
        description: 'Request duration percentiles per service, from the span duration histogram (bucket bounds limit precision).',
        unit: 'ms',
        min: 0,
        // Three series per service: the legend on the right has room for them (legend.ts).
        width: 12,
        legend: 'right',
        thresholds: [{ value: options.latencyRedMs ?? 1000, color: 'red' }],
        queries: [
          metricsQuery(quantile(0.5), { legend: 'p50 {{service_name}}' }),
          metricsQuery(quantile(0.95), { legend: 'p95 {{service_name}}' }),
          metricsQuery(quantile(0.99), { legend: 'p99 {{service_name}}' }),
        ],
        links,
      }),
    ],
  };
}

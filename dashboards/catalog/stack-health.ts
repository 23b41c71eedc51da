import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { observatoryDashboard, type DashboardRow } from '../dashboard.js';
import { statPanel, timeSeriesPanel } from '../panels.js';
import { metricsQuery, zeroUntilFailure } from '../queries.js';
import { COLLECTOR_SELF_SERVICE, SAMPLER_SELF_SERVICE } from '../../collector/pipelines.js';
import { DASHBOARD_UID } from '../uids.js';

/*
 * The stack's own metrics, scraped by the collector: each component's series carry
 * `service_name="<component>"` (the scrape job), no `job` label. Collector self-metrics are otelcol_*
 * (counters get `_total` in VictoriaMetrics), labelled `receiver`, `exporter` and `data_type`, with the
 * collector's self-scrape job as `service_name`.
 */
/** Both collector tiers: the gateway (intake) and the sampler (tail sampling, span metrics, the stack's scrape). */
const COLLECTOR = `service_name=~"${COLLECTOR_SELF_SERVICE}|${SAMPLER_SELF_SERVICE}"`;
const SIGNALS = [
  { name: 'spans', title: 'Spans' },
  { name: 'metric_points', title: 'Metric points' },
  { name: 'log_records', title: 'Log records' },
] as const;

/** One up/down stat per scraped component. */
export function componentsUpPanel() {
  return statPanel({
    title: 'Components up',
    description: 'Whether the collector could scrape each component\'s metrics endpoint just now (up). DOWN: the component is not running or not answering.',
    unit: 'none',
    width: 24,
    height: 4,
    thresholds: [{ value: 0, color: 'red' }, { value: 1, color: 'green' }],
    valueTexts: { 0: 'DOWN', 1: 'UP' },
    queries: [metricsQuery('max by (service_name) (up)', { legend: '{{service_name}}' })],
  });
}

function collectorRow(): DashboardRow {
  const rateBy = (by: string, metric: string) => `sum by (${by}) (rate(${metric}{${COLLECTOR}}[$__rate_interval]))`;
  const perSignal = (metric: (signal: string) => string, by: string) =>
    SIGNALS.map((s) => metricsQuery(rateBy(by, metric(s.name)), { legend: `${s.title} {{${by}}}` }));
  /** Failures per signal, at 0 for every receiver or exporter that `traffic` knows until the first one. */
  const failuresPerSignal = (metric: (signal: string) => string, traffic: (signal: string) => string, by: string) =>
    SIGNALS.map((s) => metricsQuery(zeroUntilFailure(rateBy(by, metric(s.name)), rateBy(by, traffic(s.name))), { legend: `${s.title} {{${by}}}` }));
  return {
    title: 'OpenTelemetry Collector',
    panels: [
      timeSeriesPanel({
        title: 'Accepted by receiver',
        description: 'Items per second the collector\'s receivers accepted, by receiver and signal.',
        unit: 'cps',
        width: 12,
        legend: 'right',
        queries: perSignal((s) => `otelcol_receiver_accepted_${s}_total`, 'receiver'),
      }),
      timeSeriesPanel({
        title: 'Sent by exporter',
        description: 'Items per second exporters delivered to the backends, by exporter and signal.',
        unit: 'cps',
        width: 12,
        legend: 'right',
        queries: perSignal((s) => `otelcol_exporter_sent_${s}_total`, 'exporter'),
      }),
      timeSeriesPanel({
        title: 'Refused by receiver',
        description: 'Items per second refused at the door, mostly by memory_limiter under memory pressure: senders must retry or lose them. Should be 0; red from any. Only receivers that refused something are listed.',
        unit: 'cps',
        min: 0,
        width: 6,
        hideAllZeroSeries: true,
        thresholds: [{ value: 0.001, color: 'red' }],
        queries: failuresPerSignal((s) => `otelcol_receiver_refused_${s}_total`, (s) => `otelcol_receiver_accepted_${s}_total`, 'receiver'),
      }),
      timeSeriesPanel({
        title: 'Dropped by exporter',
        description: 'Items per second exporters could not queue (queue full: enqueue_failed) or gave up sending (send_failed). Data lost; should be 0, red from any. Only exporters that dropped something are listed.',
        unit: 'cps',
        min: 0,
        width: 6,
        hideAllZeroSeries: true,
        thresholds: [{ value: 0.001, color: 'red' }],
        queries: [
          ...failuresPerSignal((s) => `otelcol_exporter_enqueue_failed_${s}_total`, (s) => `otelcol_exporter_sent_${s}_total`, 'exporter'),
          ...failuresPerSignal((s) => `otelcol_exporter_send_failed_${s}_total`, (s) => `otelcol_exporter_sent_${s}_total`, 'exporter'),
        ].map((q, i) => q.legendFormat(`${i < SIGNALS.length ? 'queue full' : 'send failed'} ${SIGNALS[i % SIGNALS.length]!.title} {{exporter}}`)),
      }),
      timeSeriesPanel({
        title: 'Exporter queue fill',
        description: 'Queue size over capacity per exporter. A backend outage fills it; when full, new data is refused. Yellow from 50 %, red from 80 %.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        width: 12,
        legend: 'right',
        thresholds: [{ value: 0.5, color: 'yellow' }, { value: 0.8, color: 'red' }],
        queries: [
          metricsQuery(`max by (exporter) (otelcol_exporter_queue_size{${COLLECTOR}}) / max by (exporter) (otelcol_exporter_queue_capacity{${COLLECTOR}})`, { legend: '{{exporter}}' }),
        ],
      }),
    ],
  };
}

function backendsRow(): DashboardRow {
  return {
    title: 'Backends',
    panels: [
      timeSeriesPanel({
        title: 'VictoriaMetrics: samples ingested',
        description: 'Rows (samples) inserted per second, by ingestion path (only the paths in use: VictoriaMetrics counts a dozen, most at 0).',
        unit: 'cps',
        width: 8,
        queries: [metricsQuery('sum by (type) (rate(vm_rows_inserted_total{service_name=~"victoriametrics|vminsert"}[$__rate_interval])) > 0', { legend: '{{type}}' })],
      }),
      timeSeriesPanel({
        title: 'VictoriaMetrics: active series',
        description: 'Series that received samples in the current hour: the main driver of memory use.',
        unit: 'short',
        width: 8,
        queries: [metricsQuery('sum(vm_cache_entries{service_name=~"victoriametrics|vmstorage", type="storage/hour_metric_ids"})', { legend: 'active series' })],
      }),
      timeSeriesPanel({
        title: 'VictoriaMetrics: disk',
        description: 'Data size on disk and free space left on its volume. Free space near zero stops ingestion.',
        unit: 'bytes',
        min: 0,
        width: 8,
        queries: [
          metricsQuery('sum(vm_data_size_bytes{service_name=~"victoriametrics|vmstorage"})', { legend: 'data' }),
          metricsQuery('min(vm_free_disk_space_bytes{service_name=~"victoriametrics|vmstorage"})', { legend: 'free' }),
        ],
      }),
      timeSeriesPanel({
        title: 'Loki: lines received',
        description: 'Log lines per second received by Loki\'s distributor.',
        unit: 'cps',
        width: 8,
        queries: [metricsQuery('sum(rate(loki_distributor_lines_received_total{service_name=~"loki|loki-write|loki-read|loki-backend"}[$__rate_interval]))', { legend: 'lines' })],
      }),
      timeSeriesPanel({
        title: 'Loki: request errors',
        description: 'Loki requests per second answered with a 5xx status, by route; only routes that failed are listed. Red from any.',
        unit: 'reqps',
        min: 0,
        width: 8,
        hideAllZeroSeries: true,
        thresholds: [{ value: 0.001, color: 'red' }],
        queries: [
          metricsQuery(
            zeroUntilFailure(
              'sum by (route) (rate(loki_request_duration_seconds_count{service_name=~"loki|loki-write|loki-read|loki-backend", status_code=~"5.."}[$__rate_interval]))',
              'sum by (route) (rate(loki_request_duration_seconds_count{service_name=~"loki|loki-write|loki-read|loki-backend"}[$__rate_interval]))',
            ),
            { legend: '{{route}}' },
          ),
        ],
      }),
      timeSeriesPanel({
        title: 'Jaeger: spans received',
        description: 'Spans per second Jaeger v2 (an OpenTelemetry Collector inside) accepted, and refused (listed once it refused any).',
        unit: 'cps',
        width: 8,
        hideAllZeroSeries: true,
        queries: [
          metricsQuery('sum(rate(otelcol_receiver_accepted_spans_total{service_name="jaeger"}[$__rate_interval]))', { legend: 'accepted' }),
          metricsQuery(zeroUntilFailure('sum(rate(otelcol_receiver_refused_spans_total{service_name="jaeger"}[$__rate_interval]))', 'vector(0)'), { legend: 'refused' }),
        ],
      }),
      timeSeriesPanel({
        title: 'Alertmanager: notifications',
        description: 'Notifications sent and failed per second, by integration (webhook, slack, email, ...); only integrations that sent or failed something are listed. Failed: red from any.',
        unit: 'cps',
        min: 0,
        width: 24,
        hideAllZeroSeries: true,
        queries: [
          metricsQuery('sum by (integration) (rate(alertmanager_notifications_total{service_name="alertmanager"}[$__rate_interval]))', { legend: 'sent {{integration}}' }),
          metricsQuery(
            zeroUntilFailure(
              'sum by (integration) (rate(alertmanager_notifications_failed_total{service_name="alertmanager"}[$__rate_interval]))',
              'sum by (integration) (rate(alertmanager_notifications_total{service_name="alertmanager"}[$__rate_interval]))',
            ),
            { legend: 'failed {{integration}}' },
          ),
        ],
      }),
    ],
  };
}

/** Stack health: the observability stack watching itself. */
export function stackHealthDashboard(): Dashboard {
  return observatoryDashboard({
    uid: DASHBOARD_UID.stackHealth,
    title: 'Stack health',
    description: 'The observability stack itself: components up, collector throughput, refusals, drops and queues, backend ingestion, disk and errors.',
    tags: ['self-monitoring'],
    rows: [{ title: 'Components', panels: [componentsUpPanel()] }, collectorRow(), backendsRow()],
  });
}

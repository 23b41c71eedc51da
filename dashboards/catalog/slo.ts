import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Slo } from '../../model/spec.js';
import { observatoryDashboard, type DashboardRow } from '../dashboard.js';
import { statPanel, timeSeriesPanel } from '../panels.js';
import { metricsQuery } from '../queries.js';
import { SPAN_METRICS } from '../red.js';
import { quoteEscape, selector } from '../selectors.js';
import { DASHBOARD_UID } from '../uids.js';

/** The span duration histogram's count series (every server span, like `calls`). */
const DURATION_COUNT = 'traces_span_metrics_duration_milliseconds_count';

/**
 * The SLI's bad-event ratio over a lookback, from raw span metrics (the same definition as the SLO's
 * recording rules in alerts/: server spans of the service; bad = error status, or slower than the
 * threshold, i.e. outside the bucket `le="<thresholdMs>"`). Absent bad series count as 0.
 */
export function sloErrorRatio(slo: Slo, lookback: string): string {
  const server = [`service_name="${quoteEscape(slo.service)}"`, 'span_kind="SPAN_KIND_SERVER"'];
  const increase = (metric: string, ...extra: string[]) => `sum(increase(${metric}${selector(...server, ...extra)}[${lookback}]))`;
  if (slo.sli.kind === 'availability') {
    return `(${increase(SPAN_METRICS.calls, 'status_code="STATUS_CODE_ERROR"')} or vector(0)) / ${increase(SPAN_METRICS.calls)}`;
  }
  if (slo.sli.kind === 'ratio') {
    return `1 - (sum(increase(${slo.sli.good}[${lookback}])) or vector(0)) / sum(increase(${slo.sli.total}[${lookback}]))`;
  }
  return `(${increase(DURATION_COUNT)} - ${increase(SPAN_METRICS.durationBucket, `le="${slo.sli.thresholdMs}"`)}) / ${increase(DURATION_COUNT)}`;
}

function describeSli(slo: Slo): string {
  switch (slo.sli.kind) {
    case 'availability':
      return `requests of ${slo.service} without error status`;
    case 'latency':
      return `requests of ${slo.service} faster than ${slo.sli.thresholdMs} ms`;
    case 'ratio':
      return `events of ${slo.service} counted by ${slo.sli.good} out of ${slo.sli.total}`;
  }
}

/** Burn rates at which the multi-window alerts fire: 14.4 (2 % of a 30d budget in 1h), 6 (5 % in 6h), 1 (on pace). */
const BURN_THRESHOLDS = [{ value: 1, color: 'yellow' }, { value: 6, color: 'orange' }, { value: 14.4, color: 'red' }] as const;

function sloRow(slo: Slo): DashboardRow {
  const objective = slo.objective / 100;
  const budget = 1 - objective;
  const what = describeSli(slo);
  return {
    title: `${slo.name}: ${slo.objective} % of ${what} over ${slo.window}`,
    panels: [
      statPanel({
        title: `SLI over ${slo.window}`,
        description: `Share of ${what} over the SLO window (${slo.window}). Red below the objective of ${slo.objective} %.`,
        unit: 'percentunit',
        decimals: 3,
        width: 6,
        baseColor: 'red',
        thresholds: [{ value: objective, color: 'green' }],
        queries: [metricsQuery(`1 - (${sloErrorRatio(slo, slo.window)})`, { evaluation: 'instant' })],
      }),
      statPanel({
        title: 'Error budget remaining',
        description: `Share of the window's error budget (${+(budget * 100).toFixed(6)} % of requests) not yet spent. Below 0 the objective is missed; yellow under 50 %, red under 25 %.`,
        unit: 'percentunit',
        decimals: 1,
        width: 6,
        baseColor: 'red',
        thresholds: [{ value: 0.25, color: 'yellow' }, { value: 0.5, color: 'green' }],
        queries: [metricsQuery(`1 - (${sloErrorRatio(slo, slo.window)}) / ${budget}`, { evaluation: 'instant' })],
      }),
      timeSeriesPanel({
        title: 'Burn rate',
        description: 'How fast the error budget burns (1 = exactly spent by the end of the window), over the last 1h and 6h. Yellow from 1, orange from 6, red from 14.4 (the usual slow- and fast-burn alert levels).',
        unit: 'suffix:×',
        min: 0,
        width: 6,
        thresholds: BURN_THRESHOLDS,
        queries: [
          metricsQuery(`(${sloErrorRatio(slo, '1h')}) / ${budget}`, { legend: '1h' }),
          metricsQuery(`(${sloErrorRatio(slo, '6h')}) / ${budget}`, { legend: '6h' }),
        ],
      }),
      timeSeriesPanel({
        title: 'SLI (1h)',
        description: `Share of ${what} over the last hour, against the objective (${slo.objective} %, dashed line).`,
        unit: 'percentunit',
        decimals: 3,
        max: 1,
        width: 6,
        baseColor: 'red',
        thresholds: [{ value: objective, color: 'green' }],
        queries: [metricsQuery(`1 - (${sloErrorRatio(slo, '1h')})`, { legend: slo.name })],
      }),
    ],
  };
}

/** SLO & error budget: one row per SLO of the spec. */
export function sloDashboard(slos: readonly Slo[]): Dashboard {
  return observatoryDashboard({
    uid: DASHBOARD_UID.slo,
    title: 'SLOs & error budgets',
    description: 'Each service level objective of the stack spec: its SLI over the window, the error budget left, and how fast it burns.',
    tags: ['slo'],
    from: 'now-24h',
    rows: slos.map(sloRow),
  });
}

import type { Slo, StackSpec } from '../model/spec.js';
import { ERROR_STATUS, quoted, SERVER_SPANS, SPAN_CALLS, SPAN_DURATION_BUCKET, SPAN_DURATION_COUNT, selector } from './metric-names.js';
import type { AlertDefinition, AlertVariant, RecordingRule, RuleGroup, RunbookQuery } from './rule-model.js';
import type { Severity } from './severity.js';

export const SLO_BURN_ALERT = 'SloErrorBudgetBurn';

/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5): an alert fires when both a long and a short
 * window burn the error budget faster than `factor` times the sustainable rate. The long window makes it
 * significant, the short one makes it reset soon after the burn stops.
 * Over a 30-day budget: 14.4× for 1 h spends 2 %, 6× for 6 h 5 %, 3× for 1 d 10 %, 1× for 3 d 10 %.
 */
export const burnRateWindows = [
  { severity: 'P1', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'P1', long: '6h', short: '30m', factor: 6 },
  { severity: 'P3', long: '1d', short: '2h', factor: 3 },
  { severity: 'P3', long: '3d', short: '6h', factor: 1 },
] as const satisfies readonly { severity: Severity; long: string; short: string; factor: number }[];

/** Every window an SLI error ratio is recorded over. */
export const sliWindows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof sliWindows)[number];

/** Recorded series: `slo:sli_error:ratio_rate<window>{slo, service}`, the share of bad requests over the window. */
export const sliErrorRatio = (window: SliWindow) => `slo:sli_error:ratio_rate${window}`;
export const SLO_OBJECTIVE = 'slo:objective:ratio';
export const SLO_BUDGET_REMAINING = 'slo:error_budget_remaining:ratio';

/** A decimal without binary noise (99.9 % → 0.001, not 0.0009999999999999432). */
const decimal = (value: number) => String(Number(value.toPrecision(12)));
/** The error budget: the share of requests allowed to be bad. */
export const errorBudget = (slo: Slo) => decimal((100 - slo.objective) / 100);

const serviceSpans = (slo: Slo, ...matchers: string[]) => selector(`service_name=${quoted(slo.service)}`, SERVER_SPANS, ...matchers);

/** Bad requests / all requests of the SLO's service over `window`. 0 (not empty) when nothing failed. */
export function sliErrorRatioExpr(slo: Slo, window: string): string {
  if (slo.sli.kind === 'availability') {
    return `(sum(rate(${SPAN_CALLS}${serviceSpans(slo, ERROR_STATUS)}[${window}])) or vector(0))\n  /\nsum(rate(${SPAN_CALLS}${serviceSpans(slo)}[${window}]))`;
  }
  if (slo.sli.kind === 'ratio') {
    return `1 - (\n  (sum(rate(${slo.sli.good}[${window}])) or vector(0))\n  /\n  sum(rate(${slo.sli.total}[${window}]))\n)`;
  }
  const fast = `sum(rate(${SPAN_DURATION_BUCKET}${serviceSpans(slo, `le="${slo.sli.thresholdMs}"`)}[${window}]))`;
  return `1 - (\n  ${fast}\n  /\n  sum(rate(${SPAN_DURATION_COUNT}${serviceSpans(slo)}[${window}]))\n)`;
}

function recordings(slo: Slo): RecordingRule[] {
  const labels = { slo: slo.name, service: slo.service };
  return [
    ...sliWindows.map((window) => ({ record: sliErrorRatio(window), expr: sliErrorRatioExpr(slo, window), labels })),
    { record: SLO_OBJECTIVE, expr: `vector(${decimal(slo.objective / 100)})`, labels },
    {
      // The hourly ratio averaged over the SLO window: an approximation that weighs hours, not requests.
      record: SLO_BUDGET_REMAINING,
      expr: `1 - avg_over_time(${sliErrorRatio('1h')}{slo="${slo.name}"}[${slo.window}]) / ${errorBudget(slo)}`,
      labels,
    },
  ];
}

function sliDescription(slo: Slo): string {
  switch (slo.sli.kind) {
    case 'availability':
      return 'server requests without error';
    case 'latency':
      return `server requests faster than ${slo.sli.thresholdMs} ms`;
    case 'ratio':
      return `events counted by ${slo.sli.good} out of ${slo.sli.total}`;
  }
}

/** Bad events per second by route (span-based SLIs), or in total (a ratio of the service's own counters). */
function badEventsQuery(slo: Slo): string {
  switch (slo.sli.kind) {
    case 'availability':
      return `sum by (span_name) (rate(${SPAN_CALLS}${serviceSpans(slo, ERROR_STATUS)}[1h]))`;
    case 'latency':
      return `sum by (span_name) (rate(${SPAN_DURATION_COUNT}${serviceSpans(slo)}[1h])) - sum by (span_name) (rate(${SPAN_DURATION_BUCKET}${serviceSpans(slo, `le="${slo.sli.thresholdMs}"`)}[1h]))`;
    case 'ratio':
      return `sum(rate(${slo.sli.total}[1h])) - (sum(rate(${slo.sli.good}[1h])) or vector(0))`;
  }
}

function burnVariants(slo: Slo): AlertVariant[] {
  const budget = errorBudget(slo);
  const bySeverity = new Map<Severity, (typeof burnRateWindows)[number][]>();
  for (const w of burnRateWindows) bySeverity.set(w.severity, [...(bySeverity.get(w.severity) ?? []), w]);
  return [...bySeverity].map(([severity, windows]) => ({
    expr: windows
      .map((w) => {
        const over = (window: SliWindow) => `${sliErrorRatio(window)}{slo="${slo.name}"} > (${w.factor} * ${budget})`;
        return `(\n  ${over(w.long)}\nand\n  ${over(w.short)}\n)`;
      })
      .join('\nor\n'),
    for: severity === 'P1' ? '2m' : '15m',
    severity,
    labels: { service: slo.service, slo: slo.name },
    summary: `${slo.service} burns the error budget of SLO ${slo.name} ${severity === 'P1' ? 'fast' : 'steadily'}`,
    description:
      `${slo.name}: ${slo.objective} % of ${sliDescription(slo)} over ${slo.window}. ` +
      `{{ $value | humanizePercentage }} of requests are bad where the budget allows ${decimal(Number(errorBudget(slo)) * 100)} %: ` +
      `above ${windows.map((w) => `${w.factor}× the budget over ${w.long} and ${w.short}`).join(', or ')}.`,
  }));
}

function sloQueries(slo: Slo): RunbookQuery[] {
  return [
    { language: 'MetricsQL', purpose: `SLO ${slo.name}: the burn rate over the last hour, in multiples of the budget ${errorBudget(slo)} (14.4 and above pages)`, query: `${sliErrorRatio('1h')}{slo="${slo.name}"} / ${errorBudget(slo)}` },
    { language: 'MetricsQL', purpose: `SLO ${slo.name}: share of the ${slo.window} error budget left (below 0: the objective is missed)`, query: `${SLO_BUDGET_REMAINING}{slo="${slo.name}"}` },
    {
      language: 'MetricsQL',
      purpose: `SLO ${slo.name}: ${slo.sli.kind === 'ratio' ? 'bad events per second' : `which routes of ${slo.service} produce the bad requests`}`,
      query: badEventsQuery(slo),
    },
    {
      language: 'Jaeger',
      purpose: `SLO ${slo.name}: example bad requests`,
      query: slo.sli.kind === 'latency' ? `Service: ${slo.service}, Min Duration: ${slo.sli.thresholdMs}ms, Lookback: last hour` : `Service: ${slo.service}, Tags: error=true, Lookback: last hour`,
    },
    { language: 'LogQL', purpose: `SLO ${slo.name}: ${slo.service}'s error logs`, query: `{service_name=${quoted(slo.service)}} | severity_text=~"(?i)error|fatal"` },
  ];
}

function burnAlert(slos: readonly Slo[]): AlertDefinition {
  return {
    name: SLO_BURN_ALERT,
    variants: slos.flatMap(burnVariants),
    runbook: {
      meaning:
        'A service spends the error budget of one of its SLOs faster than it can afford. P1 (pages): at this pace a large part of the budget ' +
        'is gone within hours (14.4× over 1 h and 5 m, or 6× over 6 h and 30 m). P3 (ticket): a slow, steady burn that would miss the objective ' +
        'by the end of the window (3× over 1 d and 2 h, or 1× over 3 d and 6 h). The alert\'s `slo` label names the SLO.',
      investigate: slos.flatMap(sloQueries),
      causes: ['The same as the service\'s error-rate or latency alerts: a bad deploy, a failing dependency, saturation.', 'For a slow burn: a small, constant error share (one broken route, a retrying client) that no threshold alert catches.'],
      mitigation: ['Fast burn: treat as an incident, roll back or shed load.', 'Slow burn: find the route that fails (third query) and fix it in working hours; freeze risky changes while the budget is low.'],
    },
  };
}

/** Per SLO: a group of SLI recording rules; and one group with the burn-rate alerts of every SLO. */
export function sloRuleGroups(spec: StackSpec): RuleGroup[] {
  if (spec.slos.length === 0 || !spec.components.jaeger.enabled || !spec.components.collector.enabled) return [];
  return [
    ...spec.slos.map((slo) => ({ name: `slo-${slo.name}-sli`, recordings: recordings(slo), alerts: [] })),
    { name: 'slo-burn-rate', recordings: [], alerts: [burnAlert(spec.slos)] },
  ];
}

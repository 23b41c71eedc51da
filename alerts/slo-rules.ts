import { burnFactor, burnRateWindows, errorBudgetRatio, type BurnRateWindow } from '../model/burn-rate-windows.js';
import type { Slo, StackSpec } from '../model/spec.js';
import { ERROR_STATUS, quoted, SERVER_SPANS, SPAN_CALLS, SPAN_DURATION_BUCKET, SPAN_DURATION_COUNT, selector } from './metric-names.js';
import type { AlertDefinition, AlertVariant, RecordingRule, RuleGroup, RunbookQuery } from './rule-model.js';
import type { Severity } from './severity.js';
import { COLLECTOR_DOWN } from './stack-alerts.js';

export const SLO_BURN_ALERT = 'SloErrorBudgetBurn';
export const SLO_SERVICE_SILENT = 'SloServiceSilent';

/** The severity of each burn-rate route: a fast burn pages (P1), a slow one opens a ticket (P3). */
const burnSeverity = { page: 'P1', ticket: 'P3' } as const satisfies Record<BurnRateWindow['route'], Severity>;
/** How long a burn must last before it fires, per route. */
const burnFor = { page: '2m', ticket: '15m' } as const;

/** Every window an SLI error ratio is recorded over. */
export const sliWindows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof sliWindows)[number];

/** Recorded series: `slo:sli_error:ratio_rate<window>{slo, service}`, the share of bad requests over the window. */
export const sliErrorRatio = (window: SliWindow) => `slo:sli_error:ratio_rate${window}`;
export const SLO_OBJECTIVE = 'slo:objective:ratio';
export const SLO_BUDGET_REMAINING = 'slo:error_budget_remaining:ratio';

/** Recorded series: `slo:sli_bad_events:increase<window>{slo, service}`, the bad events over a burn-rate alert's long window. */
export const sliBadEvents = (window: BurnRateWindow['long']) => `slo:sli_bad_events:increase${window}`;

/** A decimal without binary noise (99.9 % → 0.001, not 0.0009999999999999432). */
const decimal = (value: number) => String(Number(value.toPrecision(12)));
/** The error budget: the share of requests allowed to be bad. */
export const errorBudget = (slo: Slo) => String(errorBudgetRatio(slo.objective));

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

/**
 * Bad events of the SLO over `window`: what the minimum-events guard counts. An absent error series counts 0
 * (a service that never failed has none).
 */
export function sliBadEventsExpr(slo: Slo, window: string): string {
  const increase = (series: string) => `sum(increase(${series}[${window}]))`;
  switch (slo.sli.kind) {
    case 'availability':
      return `${increase(`${SPAN_CALLS}${serviceSpans(slo, ERROR_STATUS)}`)} or vector(0)`;
    case 'latency':
      return `${increase(`${SPAN_DURATION_COUNT}${serviceSpans(slo)}`)}\n  -\n${increase(`${SPAN_DURATION_BUCKET}${serviceSpans(slo, `le="${slo.sli.thresholdMs}"`)}`)}`;
    case 'ratio':
      return `${increase(slo.sli.total)}\n  -\n(${increase(slo.sli.good)} or vector(0))`;
  }
}

function recordings(slo: Slo): RecordingRule[] {
  const labels = { slo: slo.name, service: slo.service };
  return [
    ...sliWindows.map((window) => ({ record: sliErrorRatio(window), expr: sliErrorRatioExpr(slo, window), labels })),
    ...burnRateWindows.map((w) => ({ record: sliBadEvents(w.long), expr: sliBadEventsExpr(slo, w.long), labels })),
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

/** The error ratio above which `w` fires for this SLO: its burn factor times the error budget. */
export const burnThreshold = (slo: Slo, w: BurnRateWindow): number => Number((burnFactor(w, slo.window) * errorBudgetRatio(slo.objective)).toPrecision(12));

/**
 * One window of the burn-rate alert: the long window burns faster than the threshold, with at least `minBadEvents`
 * bad events in it; the short window burns too, or saw no request at all (at low traffic an empty short window is
 * no sign of recovery, and would make the alert flap between requests).
 */
function burnCondition(slo: Slo, w: BurnRateWindow, minBadEvents: number): string {
  const of = (series: string) => `${series}{slo="${slo.name}"}`;
  const threshold = `(${burnFactor(w, slo.window)} * ${errorBudget(slo)})`;
  const long = of(sliErrorRatio(w.long));
  const short = of(sliErrorRatio(w.short));
  return `(\n  ${long} > ${threshold}\nand\n  (${short} > ${threshold} or (${long} unless ${short} >= 0))\nand\n  ${of(sliBadEvents(w.long))} >= ${minBadEvents}\n)`;
}

function burnVariants(slo: Slo, minBadEvents: number): AlertVariant[] {
  const routes = [...new Set(burnRateWindows.map((w) => w.route))];
  return routes.map((route) => {
    const windows = burnRateWindows.filter((w) => w.route === route);
    const severity = burnSeverity[route];
    return {
      expr: windows.map((w) => burnCondition(slo, w, minBadEvents)).join('\nor\n'),
      for: burnFor[route],
      severity,
      labels: { service: slo.service, slo: slo.name },
      summary: `${slo.service} burns the error budget of SLO ${slo.name} ${route === 'page' ? 'fast' : 'steadily'}`,
      description:
        `${slo.name}: ${slo.objective} % of ${sliDescription(slo)} over ${slo.window}. ` +
        `{{ $value | humanizePercentage }} of requests are bad where the budget allows ${decimal(errorBudgetRatio(slo.objective) * 100)} %: ` +
        `above ${windows.map((w) => `${burnFactor(w, slo.window)}× the budget over ${w.long} and ${w.short}`).join(', or ')}, with at least ${minBadEvents} bad events.`,
    };
  });
}

function sloQueries(slo: Slo): RunbookQuery[] {
  return [
    { language: 'MetricsQL', purpose: `SLO ${slo.name}: the burn rate over the last hour, in multiples of the budget ${errorBudget(slo)} (${burnFactor(burnRateWindows[0], slo.window)} and above pages)`, query: `${sliErrorRatio('1h')}{slo="${slo.name}"} / ${errorBudget(slo)}` },
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

function burnAlert(slos: readonly Slo[], minBadEvents: number): AlertDefinition {
  return {
    name: SLO_BURN_ALERT,
    variants: slos.flatMap((slo) => burnVariants(slo, minBadEvents)),
    runbook: {
      meaning:
        'A service spends the error budget of one of its SLOs faster than it can afford. P1 (pages): at this pace 2 % of the budget is gone ' +
        'in an hour or 5 % in 6 hours (over 30 days: 14.4× the budget over 1 h and 5 m, or 6× over 6 h and 30 m). P3 (ticket): a slow, steady burn, ' +
        '10 % of the budget in a day or in 3 days (3× over 1 d and 2 h, or 1× over 3 d and 6 h). The factors scale with the SLO window (see the ' +
        `description). Every window also needs at least ${minBadEvents} bad events (\`alerting.minBadEvents\`): a single failure at low traffic never fires. ` +
        'The alert\'s `slo` label names the SLO.',
      investigate: slos.flatMap(sloQueries),
      causes: ['A bad deploy, a failing dependency, saturation: the error-rate threshold alerts do not watch a service with an availability SLO, this alert does.', 'For a slow burn: a small, constant error share (one broken route, a retrying client) that no threshold alert catches.'],
      mitigation: ['Fast burn: treat as an incident, roll back or shed load.', 'Slow burn: find the route that fails (third query) and fix it in working hours; freeze risky changes while the budget is low.'],
    },
  };
}

/** The services of span-based SLOs: their server spans are what the SLI counts, so their silence is an outage. */
const spanSloServices = (slos: readonly Slo[]) => [...new Set(slos.filter((s) => s.sli.kind !== 'ratio').map((s) => s.service))];

/** Evaluations of this window without a single server span page: the short window of the fastest burn-rate alert. */
const SILENCE_WINDOW = burnRateWindows[0].short;
/** The silence must last this much longer; with the window, a service that stops answering pages within 10 minutes. */
const SILENCE_FOR = '3m';

/**
 * A service with an SLO that stops answering: no server span in the short window, where the hour before brought on
 * average at least `minBadEvents` per short window (so a silent short window is no accident of low traffic).
 * Without spans the error ratio is 0/0 and no burn-rate alert can fire.
 */
function silentService(service: string, minBadEvents: number): AlertVariant {
  const spans = `${SPAN_CALLS}${selector(`service_name=${quoted(service)}`, SERVER_SPANS)}`;
  const perHour = (3600 / 300) * minBadEvents;
  return {
    expr: `sum by (service_name) (increase(${spans}[1h] offset ${SILENCE_WINDOW})) >= ${perHour}\nunless on (service_name)\nsum by (service_name) (increase(${spans}[${SILENCE_WINDOW}])) > 0`,
    for: SILENCE_FOR,
    severity: 'P1',
    labels: { service },
    summary: `${service} answers no requests`,
    description: `${service} has an SLO and has sent no server span for ${SILENCE_WINDOW}, then ${SILENCE_FOR} more, after at least ${perHour} in the hour before: it is down or unreachable.`,
  };
}

function silenceAlert(slos: readonly Slo[], minBadEvents: number): AlertDefinition[] {
  const services = spanSloServices(slos);
  if (services.length === 0) return [];
  return [
    {
      name: SLO_SERVICE_SILENT,
      variants: services.map((service) => silentService(service, minBadEvents)),
      runbook: {
        meaning:
          'A service with an SLO stopped sending server spans while it had steady traffic: it is down, cannot be reached, or cannot reach the collector. ' +
          'Users are likely failing. Alertmanager holds it back while CollectorDown fires (the stack, not the service, is then the cause). ' +
          'For a planned stop, silence it first: `amtool silence add alertname=SloServiceSilent service=<service> --duration=2h --comment=maintenance`. ' +
          'It resolves an hour after the last span even if the service stays down (ServiceTelemetryStopped, P2, says so too).',
        investigate: [
          { language: 'MetricsQL', purpose: 'server requests per second by service: when did it stop', query: `sum by (service_name) (rate(${SPAN_CALLS}${selector(SERVER_SPANS)}[5m]))` },
          { language: 'MetricsQL', purpose: 'whether the collector still receives spans at all', query: 'sum by (receiver) (rate(otelcol_receiver_accepted_spans_total[5m]))' },
          { language: 'LogQL', purpose: 'the service\'s last logs (replace SERVICE)', query: '{service_name="SERVICE"}' },
          { language: 'Shell', purpose: 'the service\'s pods and their restarts (Kubernetes)', query: 'kubectl get pods -A -l app.kubernetes.io/name=SERVICE' },
        ],
        causes: ['The service crashed or was scaled to zero.', 'A network change between the service and the collector (NetworkPolicy, OTLP endpoint).', 'Traffic no longer reaches the service (ingress, DNS, a load balancer).'],
        mitigation: ['Restart or roll back the service.', 'For a deliberate stop, silence the alert in Alertmanager for the planned time.'],
      },
      symptomOf: [{ alert: COLLECTOR_DOWN, equal: [] }],
    },
  ];
}

/** Per SLO: a group of SLI recording rules; and one group with the burn-rate and silence alerts of every SLO. */
export function sloRuleGroups(spec: StackSpec): RuleGroup[] {
  if (spec.slos.length === 0 || !spec.components.jaeger.enabled || !spec.components.collector.enabled) return [];
  const minBadEvents = spec.alerting.minBadEvents;
  return [
    ...spec.slos.map((slo) => ({ name: `slo-${slo.name}-sli`, recordings: recordings(slo), alerts: [] })),
    { name: 'slo-burn-rate', recordings: [], alerts: [burnAlert(spec.slos, minBadEvents), ...silenceAlert(spec.slos, minBadEvents)] },
  ];
}

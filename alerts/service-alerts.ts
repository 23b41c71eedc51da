import type { Slo, StackSpec } from '../model/spec.js';
import { AGENT_SELF_SERVICE } from '../collector/agent.js';
import { KUBELET_METRICS_JOB } from '../collector/kubernetes.js';
import { SCRAPER_SELF_SERVICE } from '../collector/pipelines.js';
import { COLLECTOR_SERVICE_NAME, SAMPLER_SERVICE_NAME, ERROR_STATUS, SERVER_SPANS, SPAN_CALLS, SPAN_DURATION_BUCKET, anyOf, quoted, selector } from './metric-names.js';
import { errorBudget, sliErrorRatio } from './slo-rules.js';
import type { AlertDefinition, AlertVariant } from './rule-model.js';
import { COLLECTOR_DOWN } from './stack-alerts.js';
import { scrapedStackComponents } from './stack-components.js';

export const SERVICE_ERROR_RATE = 'ServiceErrorRateHigh';

/** p99 latency that counts as too slow for a service without a latency SLO of its own. */
export const DEFAULT_LATENCY_THRESHOLD_MS = 1000;

const service = '{{ $labels.service_name }}';
const serverCalls = (...matchers: string[]) => `${SPAN_CALLS}${selector(SERVER_SPANS, ...matchers)}`;
const byService = (fn: 'rate' | 'increase', window: string, ...matchers: string[]) => `sum by (service_name) (${fn}(${serverCalls(...matchers)}[${window}]))`;

/** Share of a service's server spans with error status over `window`. */
export const errorRatio = (window: string, ...matchers: string[]) =>
  `${byService('rate', window, ERROR_STATUS, ...matchers)}\n  /\n${byService('rate', window, ...matchers)}`;

/**
 * The error-rate twins: P1 above 10 % over 1 minute for 1 minute (fast, pages), P2 above 1 % over 5 minutes for 5 minutes
 * (slow, notifies; held back while its P1 twin fires). Each needs `alerting.minBadEvents` bad requests in its window;
 * a service with fewer requests than that in the window is judged over `sparseWindow` instead, so a total failure
 * alerts at any traffic of a request every 5 minutes (P1) or every 15 minutes (P2): the sparse window holds one
 * more failure than the guard needs, so that the alert does not flap between two requests.
 */
export const errorRateTiers = [
  { severity: 'P1', threshold: 0.1, window: '1m', sparseWindow: '20m', for: '1m' },
  { severity: 'P2', threshold: 0.01, window: '5m', sparseWindow: '1h', for: '5m' },
] as const;
export type ErrorRateTier = (typeof errorRateTiers)[number];

/** The ratio over `window` above the threshold, with at least `minBadEvents` bad requests in it. */
function failingOver(window: string, threshold: number, minBadEvents: number, matchers: string[]): string {
  return `(\n${errorRatio(window, ...matchers)}\n) > ${threshold}\nand on (service_name)\n${byService('increase', window, ERROR_STATUS, ...matchers)} >= ${minBadEvents}`;
}

function errorRateExpr(tier: ErrorRateTier, minBadEvents: number, matchers: string[]): string {
  const sparse = `${failingOver(tier.sparseWindow, tier.threshold, minBadEvents, matchers)}\nunless on (service_name)\n${byService('increase', tier.window, ...matchers)} >= ${minBadEvents}`;
  return `(\n${failingOver(tier.window, tier.threshold, minBadEvents, matchers)}\n)\nor\n(\n${sparse}\n)`;
}

/** Services whose error rate their availability SLO watches (SloErrorBudgetBurn), as a matcher excluding them. */
function withoutAvailabilitySlo(spec: StackSpec): string[] {
  const watched = [...new Set(spec.slos.filter((s) => s.sli.kind === 'availability').map((s) => s.service))];
  return watched.length > 0 ? [`service_name!~"${anyOf(watched)}"`] : [];
}

/**
 * Fixed error-rate thresholds for the services without an availability SLO. A service with one is paged by its
 * burn rate alone: the two would page twice for one incident, and the SLO says what the service's owner can afford.
 */
function errorRate(spec: StackSpec): AlertDefinition {
  const matchers = withoutAvailabilitySlo(spec);
  return {
    name: SERVICE_ERROR_RATE,
    variants: errorRateTiers.map(
      (tier): AlertVariant => ({
        expr: errorRateExpr(tier, spec.alerting.minBadEvents, matchers),
        for: tier.for,
        severity: tier.severity,
        labels: { service },
        summary: `${service} fails {{ $value | humanizePercentage }} of its requests`,
        description: `More than ${tier.threshold * 100} % of ${service}'s server requests ended in error over the last ${tier.window} (${tier.sparseWindow} at low traffic), at least ${spec.alerting.minBadEvents} of them (spanmetrics, status ERROR).`,
      }),
    ),
    runbook: {
      meaning:
        'A service without an availability SLO answers a large share of its requests with errors (server spans with status ERROR). Users see failures now. ' +
        '(A service with an availability SLO is watched by SloErrorBudgetBurn instead.)',
      investigate: [
        { language: 'MetricsQL', purpose: 'error ratio by service and route', query: `sum by (service_name, span_name) (rate(${serverCalls(ERROR_STATUS)}[5m])) / sum by (service_name, span_name) (rate(${serverCalls()}[5m]))` },
        { language: 'MetricsQL', purpose: 'errors by HTTP status code: 5xx is the service, 4xx its callers', query: `sum by (service_name, http_response_status_code) (rate(${serverCalls(ERROR_STATUS)}[5m]))` },
        { language: 'MetricsQL', purpose: 'did a new version start at the same time (service_version)', query: `sum by (service_name, service_version) (rate(${serverCalls()}[5m]))` },
        { language: 'LogQL', purpose: 'the service\'s error logs (replace SERVICE with the alert\'s service label)', query: '{service_name="SERVICE"} | severity_text=~"(?i)error|fatal"' },
        { language: 'Jaeger', purpose: 'failing traces: open one and look at the first span with an error', query: 'Service: SERVICE, Tags: error=true, Lookback: last 15 minutes' },
      ],
      causes: ['A deploy introduced a bug (the error ratio jumps with a new service_version).', 'A dependency fails (the error spans\' children show which call).', 'Resource exhaustion: connection pools, memory, disk.'],
      mitigation: ['Roll back the last deploy if the errors started with it.', 'Shed or reroute traffic from a failing dependency; GlitchTip groups the exceptions.'],
    },
  };
}

/**
 * p99 above the threshold with at least `minEvents` requests in the window. `burning`: a latency SLO's series
 * that is present only while its budget burns, so that the alert stays silent while the SLO is kept.
 * `serviceLabel`: the service's name for a service's own variant, else templated from the series.
 */
function latencyVariant(matchers: string[], thresholdMs: number, scope: string, minEvents: number, burning?: string, serviceLabel = service): AlertVariant {
  const buckets = `${SPAN_DURATION_BUCKET}${selector(SERVER_SPANS, ...matchers)}`;
  const slow = `histogram_quantile(0.99, sum by (service_name, le) (rate(${buckets}[5m]))) > ${thresholdMs}\nand on (service_name)\n${byService('increase', '5m', ...matchers)} >= ${minEvents}`;
  return {
    expr: burning ? `${slow}\nand on ()\n${burning}` : slow,
    for: '10m',
    severity: 'P2',
    labels: { service: serviceLabel, threshold: `${thresholdMs}ms` },
    summary: `${service}'s p99 latency is {{ $value | humanize }} ms`,
    description: `The slowest 1 % of ${service}'s server requests took longer than ${thresholdMs} ms (${scope}) for 10 minutes.`,
  };
}

/** Requests the p99 needs in its 5-minute window: with fewer, p99 is the single slowest request. */
const LATENCY_MIN_REQUESTS = 10;

/**
 * p99 latency: each service with a latency SLO against its own threshold, and only while that SLO burns its
 * budget over the last hour (a slow p99 inside the budget is what the SLO allows); every other service against the default.
 */
function latency(spec: StackSpec): AlertDefinition {
  const strictest = new Map<string, Slo>();
  for (const slo of spec.slos) {
    if (slo.sli.kind !== 'latency') continue;
    const current = strictest.get(slo.service);
    if (!current || (current.sli.kind === 'latency' && slo.sli.thresholdMs < current.sli.thresholdMs)) strictest.set(slo.service, slo);
  }
  const own = [...strictest].map(([name, slo]) => {
    const burning = `${sliErrorRatio('1h')}{slo=${quoted(slo.name)}} > ${errorBudget(slo)}`;
    const ms = slo.sli.kind === 'latency' ? slo.sli.thresholdMs : DEFAULT_LATENCY_THRESHOLD_MS;
    return latencyVariant([`service_name=${quoted(name)}`], ms, `its latency SLO threshold, while SLO ${slo.name} burns its budget`, LATENCY_MIN_REQUESTS, burning, name);
  });
  const others = strictest.size > 0 ? [`service_name!~"${anyOf([...strictest.keys()])}"`] : [];
  return {
    name: 'ServiceLatencyHigh',
    variants: [...own, latencyVariant(others, DEFAULT_LATENCY_THRESHOLD_MS, 'the default threshold', LATENCY_MIN_REQUESTS)],
    runbook: {
      meaning: 'A service\'s slowest requests are slower than its threshold: some users wait too long. For a service with a latency SLO, only while that SLO burns its budget faster than it can afford over the last hour.',
      investigate: [
        { language: 'MetricsQL', purpose: 'p99 by service and route (ms)', query: `histogram_quantile(0.99, sum by (service_name, span_name, le) (rate(${SPAN_DURATION_BUCKET}${selector(SERVER_SPANS)}[5m])))` },
        { language: 'MetricsQL', purpose: 'request rate by service: did the load change', query: `sum by (service_name) (rate(${serverCalls()}[5m]))` },
        { language: 'Jaeger', purpose: 'the slow traces and the span that takes the time', query: `Service: SERVICE, Min Duration: ${DEFAULT_LATENCY_THRESHOLD_MS}ms, Lookback: last 30 minutes` },
        { language: 'LogQL', purpose: 'timeouts in the service\'s logs', query: '{service_name="SERVICE"} |~ "(?i)timeout|timed out"' },
      ],
      causes: ['A slow dependency (database, downstream service): the trace shows the long child span.', 'Saturation: CPU throttling or a full connection pool under more load.'],
      mitigation: ['Scale the service or the saturated dependency.', 'Roll back a deploy that made a hot path slower.'],
    },
  };
}

const telemetryStopped: AlertDefinition = {
  name: 'ServiceTelemetryStopped',
  variants: [
    {
      expr: `count by (service_name) (max_over_time(${SPAN_CALLS}[1h] offset 10m))\nunless on (service_name)\ncount by (service_name) (max_over_time(${SPAN_CALLS}[10m]))`,
      for: '5m',
      severity: 'P2',
      labels: { service },
      summary: `${service} stopped sending traces`,
      description: `${service} sent spans in the hour before the last 10 minutes, and none since (15 minutes and more without telemetry).`,
    },
  ],
  runbook: {
    meaning: 'A service that used to send telemetry went quiet: it is down, or it can no longer reach the collector. Either way, it is unobserved.',
    investigate: [
      { language: 'MetricsQL', purpose: 'span rate by service over the last hours: when did it stop', query: `sum by (service_name) (rate(${SPAN_CALLS}[5m]))` },
      { language: 'MetricsQL', purpose: 'whether the collector still receives anything', query: 'sum by (receiver) (rate({__name__=~"otelcol_receiver_accepted_(spans|metric_points|log_records)_total"}[5m]))' },
      { language: 'LogQL', purpose: 'the service\'s last logs (replace SERVICE)', query: '{service_name="SERVICE"}' },
    ],
    causes: ['The service is down or was scaled to zero on purpose.', 'Its OTLP endpoint setting changed, or a network policy blocks the collector.', 'The collector is down (then CollectorDown fires and holds this one back).'],
    mitigation: ['Bring the service back, or, if it was retired, ignore: the alert resolves an hour after its last span.'],
  },
  symptomOf: [{ alert: COLLECTOR_DOWN, equal: [] }],
};

/** A scraped endpoint of a service (on Kubernetes, pods annotated `prometheus.io/scrape`) that stopped answering. */
function scrapeTargetDown(spec: StackSpec): AlertDefinition {
  // The stack's own scrapes, the agents' of themselves and of their kubelets' volume stats are not services.
  const notServices = anyOf([...scrapedStackComponents(spec), COLLECTOR_SERVICE_NAME, SAMPLER_SERVICE_NAME, SCRAPER_SELF_SERVICE, AGENT_SELF_SERVICE, KUBELET_METRICS_JOB]);
  return {
    name: 'ServiceEndpointDown',
    variants: [
      {
        expr: `up{service_name!~"${notServices}"} == 0`,
        for: '2m',
        severity: 'P1',
        labels: { service },
        summary: `${service}'s endpoint {{ $labels.service_instance_id }} is down`,
        description: `The collector could not scrape ${service} at {{ $labels.service_instance_id }} for 2 minutes: the instance is down or does not answer on its metrics/health endpoint.`,
      },
    ],
    runbook: {
      meaning: 'An instance of a service that the collector scrapes (on Kubernetes: a pod annotated `prometheus.io/scrape: "true"`) does not answer. The service runs with fewer instances, or not at all.',
      investigate: [
        { language: 'MetricsQL', purpose: 'which scrape targets answer (1) and which do not (0)', query: `up{service_name!~"${notServices}"}` },
        { language: 'MetricsQL', purpose: 'how many instances answer, per service', query: `sum by (service_name) (up{service_name!~"${notServices}"})` },
        { language: 'Shell', purpose: 'the pod\'s state and restarts (Kubernetes; use the alert\'s namespace and pod labels)', query: 'kubectl -n NAMESPACE describe pod POD' },
      ],
      causes: ['The instance crashed or is restarting (CrashLoopBackOff).', 'It is overloaded and its endpoint times out.', 'Its port or path annotation is wrong after a change.'],
      mitigation: ['Restart or roll back the instance; check its resource limits.'],
    },
  };
}

/** Alerts on every service: RED metrics from the collector's spanmetrics, and the endpoints the collector scrapes. */
export function serviceAlerts(spec: StackSpec): AlertDefinition[] {
  const c = spec.components;
  if (!c.collector.enabled || !c.victoriametrics.enabled) return [];
  const fromSpans = c.jaeger.enabled ? [errorRate(spec), latency(spec), telemetryStopped] : [];
  return [...fromSpans, scrapeTargetDown(spec)];
}

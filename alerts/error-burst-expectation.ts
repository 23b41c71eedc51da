import { parseDuration } from '../model/duration.js';
import { burnRateWindows } from '../model/burn-rate-windows.js';
import { VMALERT_EVAL_DELAY_SECONDS } from '../constructs/vmalert.js';
import type { StackSpec } from '../model/spec.js';
import { DEFAULT_RECEIVER, routesOf } from './alertmanager-config.js';
import { SPAN_CALLS } from './metric-names.js';
import { SERVICE_ERROR_RATE, errorRateTiers } from './service-alerts.js';
import { routeOf, type Severity } from './severity.js';
import { SLO_BURN_ALERT, burnThreshold, sliErrorRatio } from './slo-rules.js';

/** The spanmetrics connector's flush interval (collector/pipelines.ts `metrics_flush_interval`). */
const SPANMETRICS_FLUSH_SECONDS = 15;

/** What a sustained burst of failing requests on one service should produce, end to end. */
export interface ErrorBurstExpectation {
  readonly alertname: string;
  /** Labels the alert arrives with at the receiver (besides alertname). */
  readonly labels: { readonly severity: Severity; readonly service: string };
  /** The Alertmanager severity route it takes (`page` for P0/P1: `matchers: severity=~"P0|P1"`). */
  readonly route: string;
  readonly routeMatchers: readonly string[];
  /** The receivers that get it: the spec's receivers that take the route, else `default` (sends nothing). */
  readonly receivers: readonly string[];
  /** The windows the rule judges the error ratio over (all must exceed the threshold), its `for`, and vmalert's evaluation interval. */
  readonly windows: readonly string[];
  readonly for: string;
  readonly evaluationInterval: string;
  /** Bad requests the rule needs in its window (`alerting.minBadEvents`). */
  readonly minBadEvents: number;
  /** A series the alert's expression reads (the notification's source link shows the expression). */
  readonly reads: string;
  /** Upper bound, from the burst's start, for the alert to be firing in vmalert (`/api/v1/alerts`). */
  readonly firingWithinSeconds: number;
  /** Upper bound, from the burst's start, for the receivers to get the notification (adds the route's group_wait). */
  readonly deliveredWithinSeconds: number;
}

interface PagingRule {
  readonly alertname: string;
  readonly severity: Severity;
  readonly windows: readonly { readonly window: string; readonly threshold: number }[];
  readonly for: string;
  readonly reads: string;
  /** Evaluation intervals between the spans and the rule's input (recording rules in between: one). */
  readonly recordingSteps: number;
}

/**
 * The rule that pages for a service's error burst: its availability SLO's fastest burn-rate window when it has one
 * (the thresholds leave such services to their SLO), else the most severe error-rate tier the share exceeds.
 */
function pagingRule(spec: StackSpec, service: string, errorShare: number): PagingRule {
  const slo = spec.slos.find((s) => s.service === service && s.sli.kind === 'availability');
  if (slo) {
    const fastest = burnRateWindows[0];
    const threshold = burnThreshold(slo, fastest);
    if (errorShare <= threshold) throw new Error(`an error share of ${errorShare} does not exceed the ${threshold} page threshold of SLO ${slo.name}`);
    return {
      alertname: SLO_BURN_ALERT,
      severity: 'P1',
      windows: [fastest.long, fastest.short].map((window) => ({ window, threshold })),
      for: '2m',
      reads: sliErrorRatio(fastest.long),
      recordingSteps: 1,
    };
  }
  const tier = errorRateTiers.find((t) => errorShare > t.threshold);
  if (!tier) throw new Error(`an error share of ${errorShare} fires no ${SERVICE_ERROR_RATE} tier`);
  return { alertname: SERVICE_ERROR_RATE, severity: tier.severity, windows: [{ window: tier.window, threshold: tier.threshold }], for: tier.for, reads: SPAN_CALLS, recordingSteps: 0 };
}

/**
 * The alert a sustained burst of `errorShare` failing requests (0.33 by default) on `service` fires. Its timing
 * bound adds up the worst case of each step: two spanmetrics flushes (a route's error series may be new, and rate()
 * needs two samples), vmalert's evaluation delay, the slowest window filling past the threshold, one evaluation
 * interval per recording step and one to notice, `for`, one more interval to fire, then the route's group_wait.
 * The burst is assumed to bring at least `alerting.minBadEvents` failures within its first seconds.
 */
export function errorBurstExpectation(spec: StackSpec, service = 'sample-front', errorShare = 0.33): ErrorBurstExpectation {
  const rule = pagingRule(spec, service, errorShare);
  const route = routeOf(rule.severity);
  const interval = parseDuration(spec.components.vmalert.evaluationInterval);
  // With steady traffic, a windowed ratio crosses the threshold once this share of the window is burst.
  const fillSeconds = Math.max(...rule.windows.map((w) => Math.ceil((parseDuration(w.window) * w.threshold) / errorShare)));
  const firing = 2 * SPANMETRICS_FLUSH_SECONDS + VMALERT_EVAL_DELAY_SECONDS + fillSeconds + (rule.recordingSteps + 1) * interval + parseDuration(rule.for) + interval;
  const receivers = spec.alerting.receivers.filter((r) => routesOf(r).includes(route.route)).map((r) => r.name);
  return {
    alertname: rule.alertname,
    labels: { severity: rule.severity, service },
    route: route.route,
    routeMatchers: [`severity=~"${route.severities.join('|')}"`],
    receivers: receivers.length > 0 ? receivers : [DEFAULT_RECEIVER],
    windows: rule.windows.map((w) => w.window),
    for: rule.for,
    evaluationInterval: spec.components.vmalert.evaluationInterval,
    minBadEvents: spec.alerting.minBadEvents,
    reads: rule.reads,
    firingWithinSeconds: firing,
    deliveredWithinSeconds: firing + parseDuration(route.groupWait),
  };
}

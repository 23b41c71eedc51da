import { parseDuration } from '../model/duration.js';
import { VMALERT_EVAL_DELAY_SECONDS } from '../constructs/vmalert.js';
import type { StackSpec } from '../model/spec.js';
import { DEFAULT_RECEIVER, routesOf } from './alertmanager-config.js';
import { MIN_REQUESTS_IN_WINDOW, SERVICE_ERROR_RATE, errorRateTiers } from './service-alerts.js';
import { routeOf, type Severity } from './severity.js';

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
  /** The rule's error-ratio window and `for`, and vmalert's evaluation interval (components.vmalert.evaluationInterval). */
  readonly window: string;
  readonly for: string;
  readonly evaluationInterval: string;
  /** Requests the service must answer within the window for the alert to consider it. */
  readonly minRequestsInWindow: number;
  /** Upper bound, from the burst's start, for the alert to be firing in vmalert (`/api/v1/alerts`). */
  readonly firingWithinSeconds: number;
  /** Upper bound, from the burst's start, for the receivers to get the notification (adds the route's group_wait). */
  readonly deliveredWithinSeconds: number;
}

/**
 * The error-rate alert a sustained burst of `errorShare` failing requests (0.33 by default) on `service` fires:
 * the most severe tier whose threshold the share exceeds. Its timing bound adds up the worst case of each step:
 * two spanmetrics flushes (a route's error series may be new, and rate() needs two samples), vmalert's evaluation
 * delay, the window filling past the threshold, one evaluation interval to notice, `for`, one more interval to
 * fire, then the route's group_wait.
 */
export function errorBurstExpectation(spec: StackSpec, service = 'sample-front', errorShare = 0.33): ErrorBurstExpectation {
  const tier = errorRateTiers.find((t) => errorShare > t.threshold);
  if (!tier) throw new Error(`an error share of ${errorShare} fires no ${SERVICE_ERROR_RATE} tier`);
  const route = routeOf(tier.severity);
  const interval = parseDuration(spec.components.vmalert.evaluationInterval);
  const windowSeconds = parseDuration(tier.window);
  // With steady traffic, the windowed ratio crosses the threshold once this share of the window is burst.
  const fillSeconds = Math.ceil((windowSeconds * tier.threshold) / errorShare);
  const firing = 2 * SPANMETRICS_FLUSH_SECONDS + VMALERT_EVAL_DELAY_SECONDS + fillSeconds + interval + parseDuration(tier.for) + interval;
  const receivers = spec.alerting.receivers.filter((r) => routesOf(r).includes(route.route)).map((r) => r.name);
  return {
    alertname: SERVICE_ERROR_RATE,
    labels: { severity: tier.severity, service },
    route: route.route,
    routeMatchers: [`severity=~"${route.severities.join('|')}"`],
    receivers: receivers.length > 0 ? receivers : [DEFAULT_RECEIVER],
    window: tier.window,
    for: tier.for,
    evaluationInterval: spec.components.vmalert.evaluationInterval,
    minRequestsInWindow: MIN_REQUESTS_IN_WINDOW,
    firingWithinSeconds: firing,
    deliveredWithinSeconds: firing + parseDuration(route.groupWait),
  };
}

/**
 * Which panels must show data in the screenshots, derived from what the local stack holds while the sample app
 * runs (test/e2e/support/sample-traffic.ts: a front and a back, good, failing and slow requests, then a steady
 * error burst):
 * - traces of both services (Jaeger: error traces kept by tail sampling, slow ones over 500 ms, a share of the rest)
 *   and span metrics of every span (calls, duration histogram, by kind and status);
 * - the SDK's HTTP server metrics, the Node.js runtime metrics and the app's work counter (the ratio SLO);
 * - the app's logs, errors among them, with trace IDs;
 * - the stack's own metrics, scraped by the collector (every component up, collector, VictoriaMetrics, Loki,
 *   Jaeger and Alertmanager self-metrics);
 * - vmalert's ALERTS series: the Watchdog fires by design, the error burst's alerts follow.
 * So every panel of the rendered dashboards must show data. Failure counters (refused, dropped, 5xx, failed
 * notifications) are built to show 0 rather than "No data" (zeroUntilFailure in dashboards/queries.ts), so they are
 * no exception. A panel that may stay empty is listed below with the reason.
 */
export const PANELS_THAT_MAY_BE_EMPTY: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

/** The reason a panel may show "No data", or undefined when it must show data. */
export function mayBeEmpty(dashboardUid: string, panelTitle: string): string | undefined {
  return PANELS_THAT_MAY_BE_EMPTY[dashboardUid]?.[panelTitle];
}

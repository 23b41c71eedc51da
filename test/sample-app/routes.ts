/** Every route the sample app serves (GET only). Tests and the e2e harness import these. */
export const sampleAppRoutes = {
  /** Liveness: 200 while the process serves. */
  health: '/health',
  /** Readiness: 200 when the collector's OTLP endpoint accepts connections, 503 otherwise or while shutting down. */
  ready: '/ready',
  /** Prometheus text exposition of the app's metrics. */
  metrics: '/metrics',
  /** Always succeeds; a front calls its back and sends an analytics event. */
  ok: '/work/ok',
  /** Always fails with 500, reported as an error by every instance it passes through. */
  fail: '/work/fail',
  /** Succeeds after `?ms=` milliseconds (at most {@link maxSlowMs}), spent in the back. */
  slow: '/work/slow',
} as const;

export type WorkRoute = typeof sampleAppRoutes.ok | typeof sampleAppRoutes.fail | typeof sampleAppRoutes.slow;

export const workRoutes: ReadonlySet<string> = new Set<WorkRoute>([sampleAppRoutes.ok, sampleAppRoutes.fail, sampleAppRoutes.slow]);

/** Routes probed by orchestrators and scrapers: served, but not traced. */
export const probePaths: ReadonlySet<string> = new Set([sampleAppRoutes.health, sampleAppRoutes.ready, sampleAppRoutes.metrics]);

export const maxSlowMs = 60_000;

export function slowRoute(ms: number): string {
  return `${sampleAppRoutes.slow}?ms=${ms}`;
}

/** The JSON body of every work route's answer. */
export interface WorkResponse {
  service: string;
  outcome: 'ok' | 'failed';
  /** The W3C trace ID of the request, shared by every instance it passed through. */
  traceId: string | undefined;
  /** What the back answered, on a front. */
  upstream?: unknown;
  error?: string;
}

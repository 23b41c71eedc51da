/**
 * What a fault stream (fault-stream.ts) left in the backends, counted against what was sent: error traces whole in
 * Jaeger, the app's log lines in Loki, the app's metric exports in VictoriaMetrics. Each count polls until nothing is
 * missing or its time is up, then reports what is still missing.
 */
import { lokiQuery, jaegerTrace, vmExport } from './backends.js';
import type { SentRequest } from './fault-stream.js';

export interface TraceCount {
  readonly expected: number;
  readonly complete: number;
  /** Error traces in Jaeger without the spans of both services (at least 3 spans). */
  readonly partial: readonly SentRequest[];
  /** Error traces not in Jaeger at all. */
  readonly missing: readonly SentRequest[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SERVICES = ['sample-back', 'sample-front'];

type TraceState = 'complete' | 'partial' | 'missing';

async function traceState(traceId: string): Promise<TraceState> {
  const trace = await jaegerTrace(traceId).catch(() => undefined);
  if (!trace) return 'missing';
  const services = new Set(Object.values(trace.processes).map((p) => p.serviceName));
  return trace.spans.length >= 3 && SERVICES.every((s) => services.has(s)) ? 'complete' : 'partial';
}

/** The stream's error traces: whole in Jaeger (both services' spans), partial, or missing. */
export async function countErrorTraces(requests: readonly SentRequest[], timeoutMs: number): Promise<TraceCount> {
  const failed = requests.filter((r) => r.outcome === 'failed');
  const state = new Map<string, TraceState>(failed.map((r) => [r.traceId, 'missing']));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const r of failed) if (state.get(r.traceId) !== 'complete') state.set(r.traceId, await traceState(r.traceId));
    if ([...state.values()].every((s) => s === 'complete') || Date.now() > deadline) break;
    await sleep(3_000);
  }
  return {
    expected: failed.length,
    complete: failed.filter((r) => state.get(r.traceId) === 'complete').length,
    partial: failed.filter((r) => state.get(r.traceId) === 'partial'),
    missing: failed.filter((r) => state.get(r.traceId) === 'missing'),
  };
}

export interface LogCount {
  /** One `request completed` line per request and service (front and back). */
  readonly expected: number;
  readonly found: number;
  /** The requests with a line missing, and of which services. */
  readonly missing: readonly (SentRequest & { readonly services: readonly string[] })[];
}

/** The stream's `request completed` log lines in Loki, by trace ID and service. */
export async function countLogs(requests: readonly SentRequest[], timeoutMs: number): Promise<LogCount> {
  const deadline = Date.now() + timeoutMs;
  let seen = new Set<string>();
  for (;;) {
    const entries = await lokiQuery('{service_name=~"sample-front|sample-back"} |= "request completed"', 15).catch(() => []);
    seen = new Set(entries.map((e) => `${e.labels['service_name']}/${e.labels['trace_id']}`));
    const complete = requests.every((r) => SERVICES.every((s) => seen.has(`${s}/${r.traceId}`)));
    if (complete || Date.now() > deadline) break;
    await sleep(3_000);
  }
  const missing = requests
    .map((r) => ({ ...r, services: SERVICES.filter((s) => !seen.has(`${s}/${r.traceId}`)) }))
    .filter((r) => r.services.length > 0);
  const expected = requests.length * SERVICES.length;
  return { expected, found: expected - missing.reduce((n, r) => n + r.services.length, 0), missing };
}

export interface MetricCount {
  /** The app's exports of its work counter in the window (one each export interval). */
  readonly expectedPoints: number;
  readonly foundPoints: number;
  /** Exports absent from VictoriaMetrics: gaps between stored samples longer than one interval. */
  readonly missingPoints: number;
}

/**
 * The front's work counter (`sample_app.work.requests`, route `/work/ok`) as VictoriaMetrics stored it between `from`
 * and `to`: the app exports it every `intervalMs`, so each longer gap between stored samples is exports lost.
 */
export async function countMetricExports(from: number, to: number, intervalMs: number): Promise<MetricCount> {
  const series = await vmExport('{__name__=~"sample_app_work_requests(_total)?",service_name="sample-front",route="/work/ok"}');
  const stamps = [...new Set(series.flatMap((s) => s.timestamps))].filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let missing = 0;
  for (let i = 1; i < stamps.length; i++) missing += Math.max(0, Math.round((stamps[i]! - stamps[i - 1]!) / intervalMs) - 1);
  return { expectedPoints: stamps.length + missing, foundPoints: stamps.length, missingPoints: missing };
}

/** The latest stored value of each series of the front's work counter, summed: the requests it counted. */
export async function storedWorkCount(): Promise<number> {
  const series = await vmExport('{__name__=~"sample_app_work_requests(_total)?",service_name="sample-front"}');
  return series.reduce((sum, s) => sum + (s.values[s.values.length - 1] ?? 0), 0);
}

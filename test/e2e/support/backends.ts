/** Each backend's own query API, through the ports the compose bundle publishes on 127.0.0.1. */

import { backendUrls } from './backend-urls.js';

async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export interface JaegerTrace {
  traceID: string;
  spans: { spanID: string; operationName: string; processID: string; tags: { key: string; value: unknown }[] }[];
  /** Each process's service and its resource attributes (as Jaeger's process tags). */
  processes: Record<string, { serviceName: string; tags?: { key: string; value: unknown }[] }>;
}

/** Jaeger's query API (the one its UI and Grafana's Jaeger datasource use): a trace by ID, or undefined. */
export async function jaegerTrace(traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${backendUrls.jaeger}/api/traces/${traceId}`, { signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) return undefined;
  const body = (await response.json()) as { data?: JaegerTrace[] };
  return body.data?.[0];
}

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** VictoriaMetrics' Prometheus query API (instant query), now or at `time` (seconds since the epoch). */
export async function vmQuery(query: string, time?: number): Promise<PromSeries[]> {
  const params = new URLSearchParams({ query, ...(time === undefined ? {} : { time: String(time) }) });
  const body = await getJson<{ status: string; data: { result: PromSeries[] } }>(`${backendUrls.victoriametrics}/api/v1/query?${params}`);
  return body.data.result;
}

export interface LokiEntry {
  labels: Record<string, string>;
  timestampNs: string;
  line: string;
}

/** Loki's LogQL range query over the last `minutes` minutes; structured metadata comes back among the labels. */
export async function lokiQuery(query: string, minutes = 15): Promise<LokiEntry[]> {
  const end = BigInt(Date.now()) * 1_000_000n;
  const start = end - BigInt(minutes) * 60n * 1_000_000_000n;
  const params = new URLSearchParams({ query, start: String(start), end: String(end), limit: '5000', direction: 'forward' });
  const body = await getJson<{ data: { result: { stream: Record<string, string>; values: [string, string][] }[] } }>(
    `${backendUrls.loki}/loki/api/v1/query_range?${params}`,
  );
  return body.data.result.flatMap((r) => r.values.map(([timestampNs, line]) => ({ labels: r.stream, timestampNs, line })));
}

/** Polls `probe` until it returns a value `accept` likes; throws with the last value when time runs out. */
export async function eventually<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const detail = lastError instanceof Error ? lastError.message : JSON.stringify(last)?.slice(0, 500);
  throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${detail})`);
}

/** Jaeger's trace search: the IDs of the traces of a service in the last `lookback` (e.g. `1h`). */
export async function jaegerTraceIds(service: string, lookback = '1h', limit = 5000): Promise<string[]> {
  const params = new URLSearchParams({ service, lookback, limit: String(limit) });
  const response = await fetch(`${backendUrls.jaeger}/api/traces?${params}`, { signal: AbortSignal.timeout(20_000) });
  if (response.status === 404) return [];
  const body = (await response.json()) as { data?: { traceID: string }[] | null };
  return (body.data ?? []).map((t) => t.traceID);
}

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/**
 * VictoriaMetrics' export API: the raw samples of the series matching `selector` in the last hour. Unlike instant
 * queries it is not held back by -search.latencyOffset, so it shows when a sample became stored and searchable.
 */
export async function vmExport(selector: string): Promise<ExportedSeries[]> {
  const response = await fetch(`${backendUrls.victoriametrics}/api/v1/export?${new URLSearchParams({ 'match[]': selector, start: '-1h' })}`, {
    signal: AbortSignal.timeout(20_000),
  });
  if (!response.ok) throw new Error(`VictoriaMetrics export: HTTP ${response.status}`);
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExportedSeries);
}

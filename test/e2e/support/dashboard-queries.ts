import { backendUrls } from './backend-urls.js';
import type { DashboardQuery } from '../../../dashboards/dashboard-queries.js';

/** What running a dashboard query against its backend gave: an error, or how many series/streams/traces came back. */
export interface QueryOutcome {
  readonly query: DashboardQuery;
  readonly error?: string;
  readonly results: number;
}

async function fetchJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** logfmt tags (`error=true http.status_code=500`) as the JSON object Jaeger's search API takes. */
function logfmtToJson(tags: string): string {
  const pairs = [...tags.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S+)/g)].map(([, k, v]) => [k!, v!.startsWith('"') ? (JSON.parse(v!) as string) : v!]);
  return JSON.stringify(Object.fromEntries(pairs));
}

/** Runs one dashboard query the way Grafana's datasource would, against the backend's published port. */
export async function runDashboardQuery(query: DashboardQuery): Promise<QueryOutcome> {
  const now = Math.floor(Date.now() / 1000);
  let url: string;
  if (query.kind !== 'traces') {
    url =
      query.kind === 'metrics'
        ? `${backendUrls.victoriametrics}/api/v1/query_range?${new URLSearchParams({ query: query.resolvedExpr, start: String(now - 900), end: String(now), step: '30' })}`
        : `${backendUrls.loki}/loki/api/v1/query_range?${new URLSearchParams({ query: query.resolvedExpr, start: `${now - 900}000000000`, end: `${now}000000000`, limit: '100' })}`;
  } else {
    const s = query.resolvedSearch;
    const params = new URLSearchParams({ service: s.service ?? '', lookback: '1h', limit: String(s.limit ?? 20) });
    if (s.operation) params.set('operation', s.operation);
    if (s.tags) params.set('tags', logfmtToJson(s.tags));
    if (s.minDuration) params.set('minDuration', s.minDuration);
    if (s.maxDuration) params.set('maxDuration', s.maxDuration);
    url = `${backendUrls.jaeger}/api/traces?${params}`;
  }
  const { status, body } = await fetchJson(url);
  if (status !== 200 || (query.kind !== 'traces' && body?.status !== 'success')) {
    return { query, error: `HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`, results: 0 };
  }
  const results = query.kind === 'traces' ? (body.data ?? []).length : (body.data?.result ?? []).length;
  return { query, results };
}

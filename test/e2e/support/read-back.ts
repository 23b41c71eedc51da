/**
 * The sample app's read-back checks, shared by every end-to-end stack (the local one, the distributed one): what
 * the app sent must be found through each backend's own query API (backends.ts, at `backendUrls`).
 */
import { expect } from 'vitest';
import type { SampleAppProcess } from '../../contract/support/sample-app-process.js';
import { eventually, jaegerTrace, lokiQuery, vmQuery, type PromSeries } from './backends.js';
import type { SampleTraffic } from './sample-traffic.js';

type Sent = SampleTraffic['sent'];

/** Jaeger holds every error trace and every slow trace, with the spans of both services. Returns how many. */
export async function expectErrorAndSlowTraces(sent: Sent): Promise<number> {
  const ids = [...sent.failed, ...sent.slow];
  for (const traceId of ids) {
    const trace = await eventually(`trace ${traceId} in Jaeger`, () => jaegerTrace(traceId), (t) => t !== undefined && t.spans.length >= 3);
    const services = new Set(Object.values(trace!.processes).map((p) => p.serviceName));
    expect([...services].sort()).toEqual(['sample-back', 'sample-front']);
  }
  return ids.length;
}

/** VictoriaMetrics holds the app's own metrics and the span metrics (RED) of both services. */
export async function expectAppAndSpanMetrics(): Promise<void> {
  const ofService = (service: string) => (series: { metric: Record<string, string> }[]) => series.some((s) => Object.values(s.metric).includes(service));
  for (const service of ['sample-front', 'sample-back']) {
    await eventually(`${service} work counter`, () => vmQuery('{__name__=~"sample_app.*work.*"}'), ofService(service));
    await eventually(`${service} spanmetrics calls`, () => vmQuery('{__name__=~"traces_span_metrics_calls.*"}'), ofService(service));
  }
}

/** `process.pid` is on the spans in Jaeger and off every series of the app in VictoriaMetrics (its metrics and span metrics). */
export async function expectPidOnSpansOnly(back: SampleAppProcess, front: SampleAppProcess, sent: Sent): Promise<void> {
  const trace = await eventually('a failed trace in Jaeger', () => jaegerTrace(sent.failed[0]!), (t) => t !== undefined && t.spans.length >= 3);
  const pidsOf = (service: string) =>
    Object.values(trace!.processes)
      .filter((p) => p.serviceName === service)
      .map((p) => Number(p.tags?.find((tag) => tag.key === 'process.pid')?.value));
  expect(pidsOf('sample-front')).toEqual([front.pid]);
  expect(pidsOf('sample-back')).toEqual([back.pid]);

  const names = (series: PromSeries[]) => new Set(series.map((s) => s.metric['__name__'] ?? ''));
  const series = await eventually(
    "the app's own metrics and its span metrics in VictoriaMetrics",
    () => vmQuery('{service_name=~"sample-front|sample-back"}'),
    (found) => [...names(found)].some((n) => n.startsWith('sample_app')) && [...names(found)].some((n) => n.startsWith('traces_span_metrics')),
    120_000,
  );
  const withPid = series.filter((s) => Object.keys(s.metric).some((label) => /^process[._]pid$/.test(label)));
  expect([...names(withPid)]).toEqual([]);
}

/** Loki holds the app's logs with their trace IDs, and the trace of a failed request is found from its log. */
export async function expectLogsWithTraceIds(sent: Sent): Promise<void> {
  const entries = await eventually(
    'sample-front logs in Loki',
    () => lokiQuery('{service_name="sample-front"}'),
    (found) => found.filter((e) => e.labels['trace_id']).length >= 10,
  );
  const failedTrace = sent.failed[0]!;
  const logOfFailure = entries.find((e) => e.labels['trace_id'] === failedTrace);
  expect(logOfFailure, `a log line of trace ${failedTrace}`).toBeDefined();
  const trace = await jaegerTrace(logOfFailure!.labels['trace_id']!);
  expect(trace?.traceID).toBe(failedTrace);
}

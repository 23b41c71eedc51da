/**
 * One fault run, whatever runs the stack (compose, the test cluster): a stream of requests to the sample app's front
 * with the fault in its middle (fault-stream.ts), then what reached the backends counted against what was sent
 * (fault-loss.ts), and every loss judged against the window the component's documented guarantee gives.
 */
import { scrape, sumMetric } from '../../harness/prometheus-text.js';
import { sampleAppRoutes } from '../../sample-app/routes.js';
import { eventually } from './backends.js';
import { countErrorTraces, countLogs, countMetricExports, storedWorkCount } from './fault-loss.js';
import { streamWithFault, type Fault, type SentRequest, type StreamOptions, type StreamResult } from './fault-stream.js';

/** What a fault's upstream guarantee lets it cost: `signal` lost for requests sent inside `window`. */
export interface LossGuarantee {
  readonly signal: 'traces' | 'logs';
  /** The upstream behaviour that explains a loss, printed with it. */
  readonly guarantee: string;
  /** The send times (ms since the epoch) of the requests whose `signal` that behaviour may cost. */
  readonly window: (r: StreamResult) => readonly [number, number];
}

/** The printed figures of one fault (console.table). */
export interface FaultFigures {
  readonly fault: string;
  readonly requests: number;
  readonly errorTraces: string;
  readonly logLines: string;
  readonly metricExports: string;
  readonly workCounter: string;
  readonly downSeconds: string;
}

export interface FaultOutcome {
  readonly stream: StreamResult;
  readonly figures: FaultFigures;
  /** Error traces lost or partial, and log lines lost, outside what the guarantee explains (`<trace> sent <s> from the kill`). */
  readonly unexplained: { readonly traces: readonly string[]; readonly logs: readonly string[] };
  /** How many of each were lost in all (inside the window too). */
  readonly lost: { readonly traces: number; readonly logs: number };
  readonly missingMetricExports: number;
  /** The front's work counter as VictoriaMetrics stored it, and as the app counted it. */
  readonly workCounter: { readonly stored: number; readonly own: number };
}

export interface FaultRunOptions extends StreamOptions {
  /** The app's metric export interval: a longer gap between stored samples is an export lost. */
  readonly metricExportIntervalMs: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Streams to the front at `frontUrl` with `fault` in the middle, counts what arrived, judges each loss. */
export async function runFault(frontUrl: string, fault: Fault, options: FaultRunOptions, guarantee?: LossGuarantee): Promise<FaultOutcome> {
  const stream = await streamWithFault(frontUrl, fault, options);
  // A sampled trace is in Jaeger decision_wait (5 s) and two exports after its spans: a minute is ample.
  const traces = await countErrorTraces(stream.requests, 60_000);
  const logs = await countLogs(stream.requests, 90_000);
  const own = sumMetric(await scrape(`${frontUrl}${sampleAppRoutes.metrics}`), 'sample_app_work_requests');
  const stored = await eventually("the front's work counter in VictoriaMetrics", storedWorkCount, (n) => n >= own, 60_000).catch(() => Number.NaN);
  const exports = await countMetricExports(stream.startedAt, stream.endedAt, options.metricExportIntervalMs);

  const figures: FaultFigures = {
    fault: fault.name,
    requests: stream.requests.length,
    errorTraces: `${traces.complete}/${traces.expected} whole (${traces.missing.length} missing, ${traces.partial.length} partial)`,
    logLines: `${logs.found}/${logs.expected} (${logs.expected - logs.found} lost)`,
    metricExports: `${exports.foundPoints}/${exports.expectedPoints} (${exports.missingPoints} lost)`,
    workCounter: `${stored}/${own}`,
    downSeconds: `${seconds(stream.restartedAt - stream.killedAt)} (+${seconds(stream.readyAt - stream.restartedAt)} to healthy)`,
  };
  console.log(`fault ${fault.name}: ${JSON.stringify(figures)}`);

  const outside = (lost: readonly SentRequest[], signal: 'traces' | 'logs') => {
    if (guarantee?.signal !== signal) return lost;
    const [from, to] = guarantee.window(stream);
    const inside = lost.filter((r) => r.at >= from && r.at <= to);
    if (inside.length > 0) {
      console.log(
        `fault ${fault.name}: ${inside.length} ${signal} lost, sent ${inside.map((r) => `${seconds(r.at - stream.killedAt)} s`).join(', ')} from the kill ` +
          `(the window ${seconds(from - stream.killedAt)} … ${seconds(to - stream.killedAt)} s): ${guarantee.guarantee}`,
      );
    }
    return lost.filter((r) => r.at < from || r.at > to);
  };
  const at = (lost: readonly SentRequest[]) => lost.map((r) => `${r.traceId} sent ${seconds(r.at - stream.killedAt)} s from the kill`);
  const lostTraces = [...traces.missing, ...traces.partial];
  return {
    stream,
    figures,
    unexplained: { traces: at(outside(lostTraces, 'traces')), logs: at(outside(logs.missing, 'logs')) },
    lost: { traces: lostTraces.length, logs: logs.expected - logs.found },
    missingMetricExports: exports.missingPoints,
    workCounter: { stored, own },
  };
}

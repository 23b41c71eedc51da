/**
 * What the sink saw of each sampler's output, checked for the promise trace-ID routing makes: every trace whole in
 * one sampler. A trace is whole when one sampler delivered all its spans; split when more than one sampler
 * delivered some of it; short when its one sampler delivered fewer spans than the generator makes per trace.
 */

/** Per sampler: trace ID → spans of that trace the sink received from it. */
export type SpansByTrace = ReadonlyMap<string, number>;

export interface SplitReport {
  /** Distinct trace IDs the sink received. */
  readonly traces: number;
  /** Per sampler, the traces it delivered (split ones counted in each). */
  readonly perSampler: readonly number[];
  /** Trace IDs seen from more than one sampler. */
  readonly split: readonly string[];
  /** Trace IDs from one sampler with fewer spans than a whole trace. */
  readonly short: readonly string[];
  /** Trace IDs with more spans than a whole trace (duplicates delivered). */
  readonly long: readonly string[];
}

export function checkSplit(samplers: readonly SpansByTrace[], spansPerTrace: number): SplitReport {
  const seenBy = new Map<string, number[]>();
  samplers.forEach((traces, index) => {
    for (const [traceId, spans] of traces) {
      const counts = seenBy.get(traceId) ?? new Array<number>(samplers.length).fill(0);
      counts[index] = spans;
      seenBy.set(traceId, counts);
    }
  });
  const split: string[] = [];
  const short: string[] = [];
  const long: string[] = [];
  for (const [traceId, counts] of seenBy) {
    const from = counts.filter((n) => n > 0);
    const spans = from.reduce((a, b) => a + b, 0);
    if (from.length > 1) split.push(traceId);
    else if (spans < spansPerTrace) short.push(traceId);
    else if (spans > spansPerTrace) long.push(traceId);
  }
  return { traces: seenBy.size, perSampler: samplers.map((s) => s.size), split, short, long };
}

/** Each count's share of their sum (0 for all when the sum is 0). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * The samplers' new-trace counts against the spans the gateway accepted. Each sampler counts a trace ID new when its
 * first span arrives there, so a split trace is counted in both; with whole traces of `spansPerTrace` spans and no
 * split, `counted × spansPerTrace` equals the spans. `missing` > 0 means fewer spans than the counted traces hold:
 * a split (one extra count per split trace) or spans that never reached the gateway (a generator dropping spans),
 * which this count cannot tell apart; the sink's trace IDs can (checkSplit).
 */
export function traceCount(newTraces: readonly number[], spans: number, spansPerTrace: number): { counted: number; missing: number } {
  const counted = newTraces.reduce((a, b) => a + b, 0);
  return { counted, missing: counted * spansPerTrace - spans };
}

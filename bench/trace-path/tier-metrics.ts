import { sumMetric } from '../../test/harness/prometheus-text.js';

/**
 * The collector's own counters the trace-path bench reads (names as collector 0.152 exposes them on its Prometheus
 * telemetry endpoint, with the `_total` suffix sumMetric accepts). The Go SDK exposes a counter only once it has
 * counted something, so an absent loss counter is a zero.
 */
export const SPAN_LOSS_METRICS = [
  // The receiver could not push into the pipeline (memory_limiter refusing, a full queue downstream).
  'otelcol_receiver_refused_spans',
  // The receiver failed on an internal error.
  'otelcol_receiver_failed_spans',
  // An export attempt failed (counted per attempt, even when a retry then succeeds).
  'otelcol_exporter_send_failed_spans',
  // The sending queue was full.
  'otelcol_exporter_enqueue_failed_spans',
  // Deprecated since 0.110 (memory_limiter's own), read in case the build still counts it.
  'otelcol_processor_refused_spans',
] as const;

/** Traces tail sampling evicted before their decision (more traces waiting than `num_traces`). */
export const TRACE_LOSS_METRICS = ['otelcol_processor_tail_sampling_sampling_trace_dropped_too_early'] as const;

export interface TierCounters {
  readonly acceptedSpans: number;
  /** Traces the sampler's tail sampling saw first (0 on the gateway). */
  readonly newTraces: number;
  /** Traces tail sampling has decided on (kept or not). */
  readonly decidedTraces: number;
  /** Spans its exporters delivered (the sampler's: to the trace store). */
  readonly sentSpans: number;
  /** Batches in the sending queues now. */
  readonly queued: number;
  readonly losses: Readonly<Record<string, number>>;
}

export function tierCounters(text: string): TierCounters {
  return {
    acceptedSpans: sumMetric(text, 'otelcol_receiver_accepted_spans'),
    newTraces: sumMetric(text, 'otelcol_processor_tail_sampling_new_trace_id_received'),
    decidedTraces: sumMetric(text, 'otelcol_processor_tail_sampling_global_count_traces_sampled'),
    sentSpans: sumMetric(text, 'otelcol_exporter_sent_spans'),
    queued: sumMetric(text, 'otelcol_exporter_queue_size'),
    losses: Object.fromEntries([...SPAN_LOSS_METRICS, ...TRACE_LOSS_METRICS].map((name) => [name, sumMetric(text, name)])),
  };
}

/** Loss counters that grew between two readings, with how much. */
export function lossesBetween(before: TierCounters, after: TierCounters): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after.losses)
      .map(([name, value]) => [name, value - (before.losses[name] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );
}

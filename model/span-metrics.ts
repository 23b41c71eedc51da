/**
 * Upper bounds (`le`, in milliseconds) of the span duration histogram the collector's spanmetrics
 * connector writes as `traces_span_metrics_duration_milliseconds_bucket`. A latency SLO's threshold
 * must be one of them: its SLI counts the requests in the bucket `le="<threshold>"`.
 * test/unit/alerts-slo.test.ts checks this list against the rendered collector config.
 */
export const SPAN_DURATION_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

import { COLLECTOR_SELF_SERVICE, SAMPLER_SELF_SERVICE } from '../collector/pipelines.js';

/**
 * Series the rules read, as VictoriaMetrics stores them (OTLP with `-opentelemetry.usePrometheusNaming`).
 * Measured in a running stack: spanmetrics from the collector's connector, the stack's own components
 * scraped by the collector (`service_name` is the scrape job, i.e. the component, the collector's own included).
 */
export const SPAN_CALLS = 'traces_span_metrics_calls_total';
export const SPAN_DURATION_BUCKET = 'traces_span_metrics_duration_milliseconds_bucket';
export const SPAN_DURATION_COUNT = 'traces_span_metrics_duration_milliseconds_count';

/** Server spans: the requests a service answers (client spans are its calls to others). */
export const SERVER_SPANS = 'span_kind="SPAN_KIND_SERVER"';
export const ERROR_STATUS = 'status_code="STATUS_CODE_ERROR"';

/** The `service_name` the collector's own telemetry carries (its self-scrape job). */
export const COLLECTOR_SERVICE_NAME = COLLECTOR_SELF_SERVICE;
/** The `service_name` of the sampler tier's own telemetry. */
export const SAMPLER_SERVICE_NAME = SAMPLER_SELF_SERVICE;

/** `{a, b}` from matchers, skipping empty ones. */
export const selector = (...matchers: readonly string[]): string => `{${matchers.filter((m) => m.length > 0).join(', ')}}`;

/** A label value as a double-quoted PromQL / LogQL string: JSON's escapes are Go's, which both languages read. */
export const quoted = (value: string): string => JSON.stringify(value);

/** A regex alternative that matches exactly these values. */
export const anyOf = (values: readonly string[]): string => values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');

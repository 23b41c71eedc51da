import { z } from 'zod';

// OTLP/HTTP with the JSON encoding, as the collector's otlp receiver accepts it on :4318
// (POST /v1/traces, /v1/metrics, /v1/logs). Sources: the OTLP specification, "OTLP/HTTP" and
// "JSON Protobuf Encoding" (field names in lowerCamelCase, trace and span IDs as hex strings rather
// than base64, enums as integers, 64-bit integers as decimal strings or numbers), and the messages
// of opentelemetry-proto: collector/{trace,metrics,logs}/v1/*_service.proto and their data protos.

const hexId = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), { error: `expected ${bytes * 2} lowercase hex digits` });
export const traceIdSchema = hexId(16);
export const spanIdSchema = hexId(8);
const uint64 = z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]);

export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string | number }
  | { doubleValue: number }
  | { arrayValue: { values?: AnyValue[] } }
  | { kvlistValue: { values?: KeyValue[] } }
  | { bytesValue: string };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

const anyValueSchema: z.ZodType<AnyValue> = z.lazy(() =>
  z.union([
    z.object({ stringValue: z.string() }),
    z.object({ boolValue: z.boolean() }),
    z.object({ intValue: z.union([z.string().regex(/^-?\d+$/), z.int()]) }),
    z.object({ doubleValue: z.number() }),
    z.object({ arrayValue: z.object({ values: z.array(anyValueSchema).optional() }) }),
    z.object({ kvlistValue: z.object({ values: z.array(keyValueSchema).optional() }) }),
    z.object({ bytesValue: z.string() }),
  ]),
);
const keyValueSchema: z.ZodType<KeyValue> = z.object({ key: z.string().min(1), value: anyValueSchema });
const attributes = z.array(keyValueSchema);

const resourceSchema = z.looseObject({ attributes });
const scopeSchema = z.looseObject({ name: z.string(), version: z.string().optional() });

/** Span kinds (trace.proto, `SpanKind`). */
export const SpanKind = { internal: 1, server: 2, client: 3 } as const;

export const spanSchema = z.looseObject({
  traceId: traceIdSchema,
  spanId: spanIdSchema,
  parentSpanId: z.union([spanIdSchema, z.literal('')]).optional(),
  name: z.string().min(1),
  kind: z.int().min(0).max(5),
  startTimeUnixNano: uint64,
  endTimeUnixNano: uint64,
  attributes: attributes.optional(),
  status: z.looseObject({ code: z.int().min(0).max(2).optional(), message: z.string().optional() }).optional(),
});

export const exportTraceRequestSchema = z.object({
  resourceSpans: z.array(
    z.looseObject({ resource: resourceSchema, scopeSpans: z.array(z.looseObject({ scope: scopeSchema, spans: z.array(spanSchema) })) }),
  ),
});

export const logRecordSchema = z.looseObject({
  timeUnixNano: uint64.optional(),
  observedTimeUnixNano: uint64,
  severityNumber: z.int().min(0).max(24).optional(),
  severityText: z.string().optional(),
  body: anyValueSchema.optional(),
  attributes: attributes.optional(),
  traceId: z.union([traceIdSchema, z.literal('')]).optional(),
  spanId: z.union([spanIdSchema, z.literal('')]).optional(),
});

export const exportLogsRequestSchema = z.object({
  resourceLogs: z.array(
    z.looseObject({ resource: resourceSchema, scopeLogs: z.array(z.looseObject({ scope: scopeSchema, logRecords: z.array(logRecordSchema) })) }),
  ),
});

/** A metric carries exactly one of the data kinds (metrics.proto, `Metric.data`). */
export const metricSchema = z
  .looseObject({ name: z.string().min(1), unit: z.string().optional(), description: z.string().optional() })
  .refine((metric) => ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'].filter((kind) => kind in metric).length === 1, {
    error: 'a metric has exactly one of gauge, sum, histogram, exponentialHistogram, summary',
  });

export const exportMetricsRequestSchema = z.object({
  resourceMetrics: z.array(
    z.looseObject({ resource: resourceSchema, scopeMetrics: z.array(z.looseObject({ scope: scopeSchema, metrics: z.array(metricSchema) })) }),
  ),
});

export type Span = z.infer<typeof spanSchema>;
export type LogRecord = z.infer<typeof logRecordSchema>;

/** The resource attributes that every signal of a service must carry, as plain strings. */
export function stringAttributes(list: KeyValue[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).flatMap(({ key, value }) => ('stringValue' in value ? [[key, value.stringValue]] : [])));
}

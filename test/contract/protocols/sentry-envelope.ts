import { z } from 'zod';

// The Sentry envelope format that GlitchTip ingests at POST /api/<project_id>/envelope/.
// Source: develop.sentry.dev/sdk/foundations/transport/envelopes/ ("Envelopes"), whose grammar is
//   Envelope = Headers { "\n" Item } [ "\n" ] ;   Item = Headers "\n" Payload ;
// Headers are one line of JSON; an item header's `length` (bytes) delimits its payload, otherwise the
// payload runs to the next newline.

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), { error: `expected ${length} lowercase hex digits` });

/** Event IDs: a UUID v4 as 32 lowercase hex digits, no dashes (develop.sentry.dev/sdk/data-model/event-payloads/). */
export const eventId = hex(32);
/** W3C / OpenTelemetry IDs, as Sentry's trace context carries them (develop.sentry.dev/sdk/data-model/event-payloads/contexts/#trace-context). */
export const traceId = hex(32);
export const spanId = hex(16);

/** Envelope headers ("Envelope Headers"): all optional; `sent_at` is RFC 3339; `trace` is the dynamic sampling context. */
export const envelopeHeaderSchema = z.looseObject({
  event_id: eventId.optional(),
  dsn: z.url().optional(),
  sent_at: z.iso.datetime({ offset: true }).optional(),
  sdk: z.looseObject({ name: z.string().min(1), version: z.string().min(1) }).optional(),
  // Dynamic sampling context (develop.sentry.dev/sdk/telemetry/traces/dynamic-sampling-context/): trace_id and public_key are required.
  trace: z.looseObject({ trace_id: traceId, public_key: z.string().min(1), release: z.string().optional(), environment: z.string().optional() }).optional(),
});

/** Item headers ("Envelope Item Headers"): `type` is required, `length` optional (payload size in bytes). */
export const itemHeaderSchema = z.looseObject({
  type: z.string().min(1),
  length: z.int().nonnegative().optional(),
});

const stackFrameSchema = z.looseObject({
  filename: z.string().optional(),
  function: z.string().optional(),
  lineno: z.int().optional(),
  colno: z.int().optional(),
  in_app: z.boolean().optional(),
});

/** Exception interface (develop.sentry.dev/sdk/data-model/event-payloads/exception/): each value needs a type or a value. */
const exceptionValueSchema = z
  .looseObject({
    type: z.string().optional(),
    value: z.string().optional(),
    stacktrace: z.looseObject({ frames: z.array(stackFrameSchema).min(1) }).optional(),
    mechanism: z.looseObject({ type: z.string(), handled: z.boolean().optional() }).optional(),
  })
  .refine((value) => value.type !== undefined || value.value !== undefined, { error: 'an exception needs a type or a value' });

/**
 * An error event (develop.sentry.dev/sdk/data-model/event-payloads/): `event_id`, `timestamp` and
 * `platform` are required. Tags follow Sentry's limits (docs.sentry.io, "Tags"): keys of at most 32
 * letters, digits and `_.:-`; values of at most 200 characters without a newline.
 */
export const errorEventSchema = z.looseObject({
  event_id: eventId,
  timestamp: z.union([z.number().positive(), z.iso.datetime({ offset: true })]),
  platform: z.literal('node'),
  level: z.enum(['fatal', 'error', 'warning', 'info', 'debug']),
  release: z.string().min(1),
  environment: z.string().min(1),
  server_name: z.string().optional(),
  tags: z.record(z.string().regex(/^[a-zA-Z0-9_.:-]{1,32}$/), z.string().max(200).regex(/^[^\n]*$/)),
  exception: z.looseObject({ values: z.array(exceptionValueSchema).min(1) }),
  contexts: z.looseObject({ trace: z.looseObject({ trace_id: traceId, span_id: spanId }) }),
});

export type EnvelopeHeader = z.infer<typeof envelopeHeaderSchema>;
export type ErrorEvent = z.infer<typeof errorEventSchema>;

export interface EnvelopeItem {
  header: z.infer<typeof itemHeaderSchema>;
  payload: Buffer;
}

export interface Envelope {
  header: EnvelopeHeader;
  items: EnvelopeItem[];
}

/** Parses an envelope by the grammar above; throws on anything that does not follow it. */
export function parseEnvelope(body: Buffer): Envelope {
  let offset = 0;
  const readLine = (): Buffer => {
    const end = body.indexOf(0x0a, offset);
    const line = body.subarray(offset, end === -1 ? body.length : end);
    offset = end === -1 ? body.length : end + 1;
    return line;
  };
  const header = envelopeHeaderSchema.parse(JSON.parse(readLine().toString('utf8')));
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const headerLine = readLine();
    if (headerLine.length === 0 && offset >= body.length) break; // the optional trailing newline
    const itemHeader = itemHeaderSchema.parse(JSON.parse(headerLine.toString('utf8')));
    let payload: Buffer;
    if (itemHeader.length === undefined) {
      payload = readLine();
    } else {
      payload = body.subarray(offset, offset + itemHeader.length);
      if (payload.length !== itemHeader.length) throw new Error(`item "${itemHeader.type}" declares ${itemHeader.length} bytes, envelope has ${payload.length}`);
      offset += itemHeader.length;
      if (offset < body.length && body[offset] !== 0x0a) throw new Error(`item "${itemHeader.type}" is not followed by a newline after its ${itemHeader.length} bytes`);
      offset += 1;
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

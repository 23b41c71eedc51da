/**
 * The trace IDs of the spans in an OTLP ExportTraceServiceRequest (protobuf), read straight off the wire format
 * without a protobuf library: the sink only needs field 1 (trace_id) of each Span, found through
 * ExportTraceServiceRequest.resource_spans (1) → ResourceSpans.scope_spans (2) → ScopeSpans.spans (2).
 */

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

/** One field of a message: its number and, for length-delimited fields, the bytes. */
interface Field {
  readonly number: number;
  readonly bytes?: Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buf.length; i++) {
    const byte = buf[i]!;
    // Lengths and tags fit in 2^53; larger varints (int64 fields) are skipped, their value unused.
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new Error('protobuf: truncated varint');
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  while (at < buf.length) {
    const [tag, afterTag] = readVarint(buf, at);
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    at = afterTag;
    switch (wireType) {
      case VARINT:
        at = readVarint(buf, at)[1];
        yield { number };
        break;
      case FIXED64:
        at += 8;
        yield { number };
        break;
      case FIXED32:
        at += 4;
        yield { number };
        break;
      case LEN: {
        const [length, start] = readVarint(buf, at);
        if (start + length > buf.length) throw new Error('protobuf: field runs past the message');
        at = start + length;
        yield { number, bytes: buf.subarray(start, at) };
        break;
      }
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
    if (at > buf.length) throw new Error('protobuf: truncated field');
  }
}

const sub = (buf: Uint8Array, number: number): Uint8Array[] =>
  [...fields(buf)].filter((f) => f.number === number && f.bytes).map((f) => f.bytes!);

/** The trace ID (32 hex digits) of every span in the request, one entry per span. */
export function traceIdsOfRequest(request: Uint8Array): string[] {
  const ids: string[] = [];
  for (const resourceSpans of sub(request, 1)) {
    for (const scopeSpans of sub(resourceSpans, 2)) {
      for (const span of sub(scopeSpans, 2)) {
        const traceId = sub(span, 1)[0];
        if (!traceId) throw new Error('protobuf: a span without trace_id');
        ids.push(Buffer.from(traceId).toString('hex'));
      }
    }
  }
  return ids;
}

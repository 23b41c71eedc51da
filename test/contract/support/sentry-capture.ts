import type { CapturedRequest } from './capture-server.js';
import { errorEventSchema, parseEnvelope, type Envelope, type ErrorEvent } from '../protocols/sentry-envelope.js';

export interface CapturedErrorEvent {
  request: CapturedRequest;
  envelope: Envelope;
  event: ErrorEvent;
}

/**
 * Every error event the GlitchTip stand-in received. Each envelope must follow the envelope
 * grammar and each `event` item the event schema; anything else throws, failing the test.
 */
export function errorEventsIn(requests: CapturedRequest[]): CapturedErrorEvent[] {
  return requests
    .filter((request) => request.method === 'POST' && /^\/api\/[^/]+\/envelope\/$/.test(request.path))
    .flatMap((request) => {
      const envelope = parseEnvelope(request.body);
      return envelope.items
        .filter((item) => item.header.type === 'event')
        .map((item) => ({ request, envelope, event: errorEventSchema.parse(JSON.parse(item.payload.toString('utf8'))) }));
    });
}

import { isbot } from 'isbot';
import { z } from 'zod';

// Umami's collection endpoint, POST /api/send.
// Sources: umami.is/docs/api/sending-stats ("Sending stats": the payload fields, `type: "event"`, and
// "you need to send a proper User-Agent HTTP header or your request won't be registered"), and
// Umami's own request validation, src/app/api/send/request-schema.ts, mirrored here for events.

/** Umami rejects strings that start like a spreadsheet formula (request-schema.ts, `safeStringParam`). */
const safeString = z.string().refine((value) => !/^[=+\-@\t\r]/.test(value), { error: 'must not start with =, +, -, @, tab or carriage return' });

/** Umami accepts an absolute URL or a path, resolved against https://localhost (src/lib/schema.ts, `urlOrPathParam`). */
const urlOrPath = z.string().refine((value) => URL.canParse(value, 'https://localhost'), { error: 'expected a URL or a path' });

/**
 * Umami declares every payload field optional but needs exactly one of website/link/pixel, and records
 * an event without `name` as a page view: a custom event from our services carries all four below.
 */
export const umamiEventPayloadSchema = z.looseObject({
  website: z.uuid(),
  hostname: z.string().min(1),
  url: urlOrPath,
  name: safeString.min(1),
  title: z.string().optional(),
  language: z.string().optional(),
  screen: z.string().regex(/^\d+x\d+$/).optional(),
  referrer: urlOrPath.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const umamiSendBodySchema = z.object({
  type: z.literal('event'),
  payload: umamiEventPayloadSchema,
});

export const umamiSendHeadersSchema = z.looseObject({
  'content-type': z.string().startsWith('application/json'),
  // Umami answers bots with 200 and records nothing: `if (isbot(userAgent)) return json({ beep: 'boop' })`.
  'user-agent': z.string().min(1).refine((userAgent) => !isbot(userAgent), { error: 'Umami drops requests whose User-Agent isbot() flags' }),
});

export type UmamiSendBody = z.infer<typeof umamiSendBodySchema>;

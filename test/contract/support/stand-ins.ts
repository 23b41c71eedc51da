import { randomUUID } from 'node:crypto';
import { startCaptureServer, type CaptureServer } from './capture-server.js';

/** Capture servers standing in for the three places the sample app sends to. */
export interface StandIns {
  /** The collector's OTLP/HTTP receiver: answers an empty ExportServiceResponse (full success). */
  collector: CaptureServer;
  /** GlitchTip's Sentry-compatible ingest: answers `{ id }` like Sentry's envelope endpoint. */
  glitchtip: CaptureServer;
  /** Umami's /api/send: answers the session token body Umami returns. */
  umami: CaptureServer;
  close(): Promise<void>;
}

export async function startStandIns(): Promise<StandIns> {
  const [collector, glitchtip, umami] = await Promise.all([
    startCaptureServer(() => ({ status: 200, body: {} })),
    startCaptureServer((request) => ({ status: 200, body: { id: envelopeEventId(request.body) } })),
    startCaptureServer(() => ({ status: 200, body: { cache: 'token', sessionId: randomUUID(), visitId: randomUUID() } })),
  ]);
  return {
    collector,
    glitchtip,
    umami,
    close: async () => {
      await Promise.all([collector.close(), glitchtip.close(), umami.close()]);
    },
  };
}

function envelopeEventId(body: Buffer): string | undefined {
  try {
    return (JSON.parse(body.subarray(0, body.indexOf(0x0a)).toString('utf8')) as { event_id?: string }).event_id;
  } catch {
    return undefined;
  }
}

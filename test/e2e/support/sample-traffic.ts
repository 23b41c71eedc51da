import { sampleAppRoutes, slowRoute, type WorkResponse } from '../../sample-app/routes.js';

/** What the end-to-end suites send the sample app's front, and then keep sending. */
export interface SampleTraffic {
  /** Trace IDs of the requests sent, by outcome. */
  readonly sent: { readonly ok: string[]; readonly failed: string[]; readonly slow: string[] };
  /** When the steady error burst started (ms since the epoch). */
  readonly burstStartedAt: number;
  stopBurst(): void;
}

/**
 * 20 good, 10 failing and 3 slow (700 ms) requests to the front at `frontUrl`, then every 2 s two good and one
 * failing request (a third of them fail) until `stopBurst()`: the error burst the error-rate alerts fire on.
 */
export async function sendSampleTraffic(frontUrl: string): Promise<SampleTraffic> {
  const call = async (route: string): Promise<string> => {
    const response = await fetch(`${frontUrl}${route}`, { signal: AbortSignal.timeout(20_000) });
    const body = (await response.json()) as WorkResponse;
    if (!body.traceId) throw new Error(`${route}: no trace ID in the answer`);
    return body.traceId;
  };
  const sent = { ok: [] as string[], failed: [] as string[], slow: [] as string[] };
  for (let i = 0; i < 20; i++) sent.ok.push(await call(sampleAppRoutes.ok));
  for (let i = 0; i < 10; i++) sent.failed.push(await call(sampleAppRoutes.fail));
  for (let i = 0; i < 3; i++) sent.slow.push(await call(slowRoute(700)));
  const burstStartedAt = Date.now();
  const burst = setInterval(() => {
    for (const route of [sampleAppRoutes.ok, sampleAppRoutes.ok, sampleAppRoutes.fail]) void fetch(`${frontUrl}${route}`).then((r) => r.arrayBuffer(), () => undefined);
  }, 2_000);
  return { sent, burstStartedAt, stopBurst: () => clearInterval(burst) };
}

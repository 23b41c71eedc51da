/**
 * A steady stream of requests to the sample app's front with a fault in the middle of it: a container killed
 * (SIGKILL, as a crash) and started again. Every request's trace ID and send time is kept, so that what reached the
 * backends can be counted against what was sent, and a loss placed in time against the fault.
 */
import { spawnSync } from 'node:child_process';
import { sampleAppRoutes, type WorkResponse } from '../../sample-app/routes.js';
import type { ComposeProject } from '../../harness/compose-cli.js';

export interface StreamOptions {
  /** Length of the stream. */
  readonly seconds: number;
  /** Requests per second (two in three succeed, one fails). */
  readonly perSecond: number;
  /** The service killed, when (seconds into the stream) and for how long. */
  readonly fault: { readonly service: string; readonly atSecond: number; readonly downSeconds: number };
}

export interface SentRequest {
  readonly traceId: string;
  readonly outcome: 'ok' | 'failed';
  /** When it was sent (ms since the epoch). */
  readonly at: number;
}

export interface StreamResult {
  readonly requests: readonly SentRequest[];
  /** Requests the front did not answer with a trace ID (the app itself, not the stack: expected none). */
  readonly unanswered: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** When the service was killed, when `docker compose start` returned for it, and when it was healthy again. */
  readonly killedAt: number;
  readonly restartedAt: number;
  /** Its compose health check passing again (equal to `restartedAt` for a service without one, e.g. a collector). */
  readonly readyAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(frontUrl: string, route: string, at: number): Promise<SentRequest | undefined> {
  try {
    const response = await fetch(`${frontUrl}${route}`, { signal: AbortSignal.timeout(20_000) });
    const body = (await response.json()) as WorkResponse;
    if (!body.traceId) return undefined;
    return { traceId: body.traceId, outcome: body.outcome, at };
  } catch {
    return undefined;
  }
}

/** Sends the stream and kills `fault.service` (then starts it again) in the middle of it. */
export async function streamWithFault(frontUrl: string, compose: ComposeProject, options: StreamOptions): Promise<StreamResult> {
  const pattern = [sampleAppRoutes.ok, sampleAppRoutes.ok, sampleAppRoutes.fail];
  const total = options.seconds * options.perSecond;
  const gapMs = 1000 / options.perSecond;
  const startedAt = Date.now();
  let killedAt = 0;
  let restartedAt = 0;
  let readyAt = 0;
  const fault = (async () => {
    await sleep(options.fault.atSecond * 1000);
    killedAt = Date.now();
    await compose.runAsync('kill', '-s', 'SIGKILL', options.fault.service);
    await sleep(options.fault.downSeconds * 1000);
    await compose.runAsync('start', options.fault.service);
    restartedAt = Date.now();
    await waitHealthy(`${compose.project}-${options.fault.service}-1`, 180_000);
    readyAt = Date.now();
  })();
  // Awaited after the stream; marked handled now so that a failure is not reported as unhandled meanwhile.
  fault.catch(() => undefined);
  const pending: Promise<SentRequest | undefined>[] = [];
  for (let i = 0; i < total; i++) {
    const due = startedAt + i * gapMs;
    if (due > Date.now()) await sleep(due - Date.now());
    pending.push(call(frontUrl, pattern[i % pattern.length]!, Date.now()));
  }
  const answered = await Promise.all(pending);
  await fault;
  const requests = answered.filter((r): r is SentRequest => r !== undefined);
  return { requests, unanswered: total - requests.length, startedAt, endedAt: Date.now(), killedAt, restartedAt, readyAt };
}

/** Waits for a container's health check to pass; returns at once for a container without one. */
async function waitHealthy(container: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = spawnSync('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', container], { encoding: 'utf8' });
    const status = res.stdout.trim();
    if (status === 'healthy' || status === 'none') return;
    if (Date.now() > deadline) throw new Error(`${container}: not healthy again within ${timeoutMs / 1000} s (${status || res.stderr.trim()})`);
    await sleep(500);
  }
}

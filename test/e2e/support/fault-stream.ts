/**
 * A steady stream of requests to the sample app's front with a fault in the middle of it: a process killed and
 * started again (a compose container, SIGKILL as a crash; a Kubernetes pod deleted, which its StatefulSet
 * recreates). Every request's trace ID and send time is kept, so that what reached the backends can be counted
 * against what was sent, and a loss placed in time against the fault.
 */
import { spawnSync } from 'node:child_process';
import { sampleAppRoutes, type WorkResponse } from '../../sample-app/routes.js';
import type { ComposeProject } from '../../harness/compose-cli.js';

/** What the fault does, on whatever runs the stack. */
export interface Fault {
  /** What is killed, for the printed figures (`loki-write-1`). */
  readonly name: string;
  kill(): Promise<void>;
  /** Starts it again (returns when it is started, not yet healthy). */
  start(): Promise<void>;
  /** Returns when it is healthy again. */
  ready(): Promise<void>;
}

export interface StreamOptions {
  /** Length of the stream. */
  readonly seconds: number;
  /** Requests per second (two in three succeed, one fails). */
  readonly perSecond: number;
  /** When the fault is killed (seconds into the stream), and how long it stays down before it is started again. */
  readonly fault: { readonly atSecond: number; readonly downSeconds: number };
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
  /** When it was killed, when it was started again, and when it was healthy again. */
  readonly killedAt: number;
  readonly restartedAt: number;
  /** Its health check passing again (equal to `restartedAt` for a compose service without one, e.g. a collector). */
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

/** Sends the stream and kills `fault` (then starts it again) in the middle of it. */
export async function streamWithFault(frontUrl: string, fault: Fault, options: StreamOptions): Promise<StreamResult> {
  const pattern = [sampleAppRoutes.ok, sampleAppRoutes.ok, sampleAppRoutes.fail];
  const total = options.seconds * options.perSecond;
  const gapMs = 1000 / options.perSecond;
  const startedAt = Date.now();
  let killedAt = 0;
  let restartedAt = 0;
  let readyAt = 0;
  const faulted = (async () => {
    await sleep(options.fault.atSecond * 1000);
    killedAt = Date.now();
    await fault.kill();
    await sleep(options.fault.downSeconds * 1000);
    await fault.start();
    restartedAt = Date.now();
    await fault.ready();
    readyAt = Date.now();
  })();
  // Awaited after the stream; marked handled now so that a failure is not reported as unhandled meanwhile.
  faulted.catch(() => undefined);
  const pending: Promise<SentRequest | undefined>[] = [];
  for (let i = 0; i < total; i++) {
    const due = startedAt + i * gapMs;
    if (due > Date.now()) await sleep(due - Date.now());
    pending.push(call(frontUrl, pattern[i % pattern.length]!, Date.now()));
  }
  const answered = await Promise.all(pending);
  await faulted;
  const requests = answered.filter((r): r is SentRequest => r !== undefined);
  return { requests, unanswered: total - requests.length, startedAt, endedAt: Date.now(), killedAt, restartedAt, readyAt };
}

/** A compose service killed with SIGKILL (a crash), started with `docker compose start`, healthy by its health check. */
export function composeServiceFault(compose: ComposeProject, service: string): Fault {
  return {
    name: service,
    kill: async () => void (await compose.runAsync('kill', '-s', 'SIGKILL', service)),
    start: async () => void (await compose.runAsync('start', service)),
    ready: () => waitHealthy(`${compose.project}-${service}-1`, 180_000),
  };
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

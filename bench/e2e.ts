/**
 * npm run bench:e2e — the local stack as `observatory synth` renders it, run by Docker Compose from the locally
 * built images (test/prepare.sh builds them), measured:
 *   - arrival lag, emit → queryable through each backend's own API, p50 and p95 over BENCH_EVENTS events per signal
 *     (logs: Loki query_range; metrics: VictoriaMetrics export API; traces: Jaeger search), all signals at once.
 *     Events go straight to the collector, so no SDK batching or export interval is in the figure: an app's metrics
 *     arrive one export interval (its SDK setting) later at most;
 *   - telemetry lost when Loki, Jaeger and VictoriaMetrics are each stopped for 30 s mid-stream and started again,
 *     and when the collector's gateway or its sampler is restarted mid-stream (events the collector accepted vs events found);
 *   - the time `docker compose up -d --wait` takes to all healthy (images present, fresh volumes);
 *   - the idle memory of the whole stack (sum of container RSS, docker stats) after it settled.
 * Events are single OTLP/HTTP JSON requests with unique IDs (traces with ERROR status, which tail sampling keeps);
 * the sender retries while the collector is unreachable, as the SDKs do.
 *
 * Env: BENCH_EVENTS (default 200), BENCH_RATE events/s per signal (default 10), BENCH_OUTAGE_SECONDS (default 30).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { parseDuration } from '../model/duration.js';
import { defineStack } from '../model/define.js';
import { ComposeProject } from '../test/harness/compose-cli.js';
import { newEvent, sendEvent, type Signal, type TestEvent } from '../test/harness/otlp-json.js';
import { jaegerTraceIds, lokiQuery, vmExport } from '../test/e2e/support/backends.js';
import { localImages, synth } from '../test/e2e/support/local-stack.js';
import { imageTag } from '../test/images/build.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200);
const RATE = Number(process.env['BENCH_RATE'] ?? 10);
const OUTAGE_MS = Number(process.env['BENCH_OUTAGE_SECONDS'] ?? 30) * 1000;
const OTLP = 'http://127.0.0.1:4318';
const images = ['collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager', 'grafana'] as const;
const run = randomBytes(2).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The IDs of the events of `service` that a backend can answer for now. */
async function foundIds(signal: Signal, service: string, events: ReadonlyMap<string, TestEvent>): Promise<Set<string>> {
  switch (signal) {
    case 'logs':
      return new Set((await lokiQuery(`{service_name="${service}"}`, 60)).map((e) => /bench event (\S+)/.exec(e.line)?.[1] ?? ''));
    case 'metrics': {
      const bySeq = new Map([...events.values()].map((e) => [e.seq, e.id]));
      const values = (await vmExport(`bench_event{service_name="${service}"}`)).flatMap((series) => series.values);
      return new Set(values.map((v) => bySeq.get(v) ?? ''));
    }
    case 'traces': {
      const byTrace = new Map([...events.values()].map((e) => [e.traceId, e.id]));
      return new Set((await jaegerTraceIds(service)).map((t) => byTrace.get(t) ?? ''));
    }
  }
}

interface Stream {
  readonly service: string;
  readonly events: Map<string, TestEvent>;
  readonly accepted: Set<string>;
  done: Promise<void>;
}

/** Sends `count` events of a signal at `rate` per second; `accepted` holds those the collector took. */
function stream(signal: Signal, service: string, count: number, rate: number): Stream {
  const s: Stream = { service, events: new Map(), accepted: new Set(), done: Promise.resolve() };
  s.done = (async () => {
    const pending: Promise<void>[] = [];
    const start = Date.now();
    for (let i = 0; i < count; i++) {
      await sleep(Math.max(0, start + (i * 1000) / rate - Date.now()));
      const event = newEvent(signal, i);
      s.events.set(event.id, event);
      pending.push(sendEvent(OTLP, signal, service, event).then((ok) => void (ok && s.accepted.add(event.id))));
    }
    await Promise.all(pending);
  })();
  return s;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function measureLag(signal: Signal): Promise<{ signal: Signal; p50: number; p95: number; found: number; sent: number }> {
  const s = stream(signal, `bench-lag-${signal}-${run}`, EVENTS, RATE);
  const seenAt = new Map<string, number>();
  let sendingDone = false;
  void s.done.then(() => (sendingDone = true));
  let lastNew = Date.now();
  while (!(sendingDone && (seenAt.size >= s.accepted.size || Date.now() - lastNew > 60_000))) {
    const polledAt = Date.now();
    try {
      for (const id of await foundIds(signal, s.service, s.events)) {
        if (s.events.has(id) && !seenAt.has(id)) {
          seenAt.set(id, polledAt);
          lastNew = polledAt;
        }
      }
    } catch {
      /* the backend is busy or starting: poll again */
    }
    await sleep(250);
  }
  const lags = [...seenAt].map(([id, at]) => (at - s.events.get(id)!.emittedAt) / 1000).sort((a, b) => a - b);
  return { signal, p50: percentile(lags, 50), p95: percentile(lags, 95), found: seenAt.size, sent: s.accepted.size };
}

interface FaultResult {
  fault: string;
  signal: Signal;
  sent: number;
  found: number;
}

/** Streams `signals` for `seconds`, runs `fault` after 10 s, then counts what arrived (waiting up to 3 min). */
async function faultCase(name: string, signals: readonly Signal[], seconds: number, fault: () => Promise<void>): Promise<FaultResult[]> {
  const streams = signals.map((signal) => ({ signal, s: stream(signal, `bench-fault-${name.replace(/\W+/g, '-')}-${signal}-${run}`, seconds * RATE, RATE) }));
  await sleep(10_000);
  await fault();
  await Promise.all(streams.map(({ s }) => s.done));
  const results: FaultResult[] = [];
  for (const { signal, s } of streams) {
    let found = new Set<string>();
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      try {
        found = await foundIds(signal, s.service, s.events);
      } catch {
        /* backend still recovering */
      }
      if ([...s.accepted].every((id) => found.has(id))) break;
      await sleep(2_000);
    }
    results.push({ fault: name, signal, sent: s.accepted.size, found: [...s.accepted].filter((id) => found.has(id)).length });
  }
  return results;
}

async function main(): Promise<void> {
  const missing = images.filter((c) => spawnSync('docker', ['image', 'inspect', imageTag(c)], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) throw new Error(`missing images: ${missing.map(imageTag).join(', ')}; build them with: bash test/prepare.sh`);
  const spec = { environment: 'local', components: { glitchtip: { enabled: false }, umami: { enabled: false } }, images: { overrides: localImages(images) } } as const;
  const decisionWait = parseDuration(defineStack(spec).sampling.decisionWait);
  const composeDir = synth(spec);
  const compose = new ComposeProject(composeDir, `observatory-bench-${run}`);
  console.log(`bringing the local stack up (${composeDir}) ...`);
  const started = Date.now();
  compose.up();
  const startupSeconds = (Date.now() - started) / 1000;
  console.log(`up and healthy in ${startupSeconds.toFixed(1)} s; settling 30 s for the idle memory figure`);
  try {
    await sleep(30_000);
    const memory = compose.memoryMiB();
    const idle = Object.values(memory).reduce((a, b) => a + b, 0);

    console.log(`measuring arrival lag: ${EVENTS} events per signal at ${RATE}/s each, all signals at once ...`);
    const lags = await Promise.all((['logs', 'metrics', 'traces'] as const).map(measureLag));

    const faults: FaultResult[] = [];
    const outage = (service: string, signal: Signal) =>
      faultCase(`${service} down ${OUTAGE_MS / 1000} s`, [signal], 60, async () => {
        console.log(`  stopping ${service} for ${OUTAGE_MS / 1000} s`);
        await compose.stop(service);
        await sleep(OUTAGE_MS);
        await compose.start(service);
      });
    console.log('fault cases (each streams 60 s, fault at 10 s) ...');
    faults.push(...(await outage('loki', 'logs')));
    faults.push(...(await outage('victoriametrics', 'metrics')));
    faults.push(...(await outage('jaeger', 'traces')));
    faults.push(
      ...(await faultCase('gateway restart', ['logs', 'metrics', 'traces'], 40, async () => {
        console.log('  restarting otel-collector (the gateway)');
        await compose.restart('otel-collector');
      })),
    );
    // The sampler holds each trace in memory until its decision: what a restart costs is measured, not assumed.
    faults.push(
      ...(await faultCase('sampler restart', ['traces'], 40, async () => {
        console.log('  restarting otel-sampler');
        await compose.restart('otel-sampler');
      })),
    );

    console.log('');
    console.log('arrival lag, emit → queryable (seconds)');
    console.log('signal   events  found   p50    p95    target (p95)');
    const target: Record<Signal, string> = { logs: '< 2 s', metrics: '< 2 s (+ the SDK export interval)', traces: `< ${decisionWait + 2} s (decision wait + 2 s)` };
    for (const l of lags) {
      console.log(`${l.signal.padEnd(8)} ${String(l.sent).padStart(6)}  ${String(l.found).padStart(5)}  ${l.p50.toFixed(2).padStart(5)}  ${l.p95.toFixed(2).padStart(5)}  ${target[l.signal]}`);
    }
    console.log('');
    console.log('telemetry lost (events the collector accepted vs found in the backend)');
    console.log('fault                       signal   sent   found  lost');
    for (const f of faults) console.log(`${f.fault.padEnd(27)} ${f.signal.padEnd(8)} ${String(f.sent).padStart(5)}  ${String(f.found).padStart(5)}  ${f.sent - f.found}`);
    console.log('');
    console.log(`start-up to all healthy (docker compose up -d --wait, images present): ${startupSeconds.toFixed(1)} s (target ≤ 20 s)`);
    console.log(`idle memory of the local stack: ${idle.toFixed(0)} MiB (target < 1536 MiB)`);
    console.log(`  ${Object.entries(memory).map(([n, m]) => `${n} ${m.toFixed(0)}`).join(', ')}`);
  } finally {
    compose.down();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});

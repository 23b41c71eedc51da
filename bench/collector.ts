/**
 * npm run bench:collector — throughput of the generated collector config (local preset) on this machine.
 *
 * Runs our collector distribution with the generated config against a local OTLP sink (the Jaeger v2 binary
 * with a `nop` exporter), drives it with telemetrygen at rising offered rates, and prints per step the spans
 * (or log records) per second the collector accepted, what it refused or dropped anywhere, and its peak RSS
 * against the memory_limiter limit. The sustained figure is the highest rate accepted over a step in which the
 * collector refused and dropped nothing and its RSS stayed under the memory_limiter limit. The generator shares the machine's cores with the collector, so where
 * the accepted rate falls short of the offered one, the difference was never sent (or was dropped by the
 * generator's own SDK queue), not refused by the collector.
 *
 * telemetrygen paces each worker with a timer, which cannot tick much faster than every millisecond or so: each
 * worker is given at most BENCH_WORKER_RATE items/s (default 500) and the step uses as many workers as it needs.
 *
 * Env: BENCH_STEP_SECONDS (default 20), BENCH_SPAN_RATES (default 10000,20000,25000,30000,40000),
 *      BENCH_LOG_RATES (default 10000,20000,40000), BENCH_WORKER_RATE (default 500).
 */
import { defineStack } from '../model/define.js';
import { memorySettings } from '../collector/pipelines.js';
import { ensureBinary } from '../test/images/binaries.js';
import { LocalCollector } from '../test/harness/local-collector.js';
import { OtlpSink } from '../test/harness/otlp-sink.js';
import { sumMetric } from '../test/harness/prometheus-text.js';
import { telemetrygen } from '../test/harness/telemetrygen.js';

const stepSeconds = Number(process.env['BENCH_STEP_SECONDS'] ?? 20);
const perWorker = Number(process.env['BENCH_WORKER_RATE'] ?? 500);
const rates = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map(Number);

interface Step {
  signal: 'traces' | 'logs';
  offered: number;
  accepted: number;
  lost: number;
  rssMiB: number;
}

async function main(): Promise<void> {
  console.log('preparing binaries (built from the Go module proxy on first use, then cached)...');
  const [otelcol, jaeger, tg] = [await ensureBinary('otelcol'), await ensureBinary('jaeger'), await ensureBinary('telemetrygen')];
  const spec = defineStack({}, { environment: 'local' });
  const sink = await OtlpSink.create(jaeger);
  await sink.start();
  const collector = await LocalCollector.create(otelcol, spec, { sampler: sink.grpcEndpoint, metrics: `${sink.httpUrl}/v1/metrics`, logs: sink.httpUrl });
  await collector.start();
  const limit = memorySettings(spec.components.collector.resources.limits.memory);
  console.log(
    `collector: generated local config, memory limit ${spec.components.collector.resources.limits.memory} ` +
      `(memory_limiter ${limit.limitMiB} MiB, GOMEMLIMIT ${collector.goMemLimit}); telemetrygen at most ${perWorker}/s per worker, ${stepSeconds} s per step`,
  );
  const steps: Step[] = [];
  let peakRss = Number.NaN;
  try {
    for (const [signal, metric, offeredRates] of [
      ['traces', 'otelcol_receiver_accepted_spans', rates('BENCH_SPAN_RATES', '10000,20000,25000,30000,40000')],
      ['logs', 'otelcol_receiver_accepted_log_records', rates('BENCH_LOG_RATES', '10000,20000,40000')],
    ] as const) {
      for (const offered of offeredRates) {
        const lossesBefore = await collector.losses();
        const workers = Math.ceil(offered / perWorker);
        // Sample the accepted counter and RSS each second; the rate is taken over the steady part of the run,
        // leaving out telemetrygen's start (process, connections) and its final flush.
        const samples: { at: number; accepted: number; rssMiB: number }[] = [];
        const sampler = setInterval(() => {
          const at = Date.now();
          void collector.metrics().then((text) => samples.push({ at, accepted: sumMetric(text, metric), rssMiB: collector.rssMiB() }), () => undefined);
        }, 1_000);
        await telemetrygen(tg, signal, { endpoint: collector.grpcEndpoint, workers, rate: offered / workers, duration: `${stepSeconds}s` });
        clearInterval(sampler);
        const steady = samples.slice(3, -2);
        if (steady.length < 2) throw new Error(`too few samples (${samples.length}) for a rate: make BENCH_STEP_SECONDS larger`);
        const first = steady[0]!;
        const last = steady.at(-1)!;
        const lossesAfter = await collector.losses();
        const lost = Object.keys(lossesAfter).reduce((sum, k) => sum + (lossesAfter[k]! - (lossesBefore[k] ?? 0)), 0);
        const step = {
          signal,
          offered,
          accepted: ((last.accepted - first.accepted) * 1000) / (last.at - first.at),
          lost,
          rssMiB: Math.max(...samples.map((x) => x.rssMiB)),
        };
        steps.push(step);
        console.log(
          `${signal.padEnd(6)} offered ${String(offered).padStart(6)}/s  accepted ${step.accepted.toFixed(0).padStart(6)}/s  ` +
            `refused+dropped ${lost}  max RSS ${step.rssMiB.toFixed(0)} MiB`,
        );
      }
    }
    peakRss = collector.peakRssMiB();
  } finally {
    await collector.stop();
    await sink.stop();
  }
  const best = (signal: Step['signal'], underLimit: boolean) =>
    Math.max(0, ...steps.filter((s) => s.signal === signal && s.lost === 0 && (!underLimit || s.rssMiB <= limit.limitMiB)).map((s) => s.accepted));
  const peak = peakRss;
  console.log('');
  console.log(`sustained spans/s, 0 refused/dropped, RSS under the memory_limiter limit: ${best('traces', true).toFixed(0)} (target >= 20000)`);
  console.log(`  (highest with 0 refused/dropped at any RSS: ${best('traces', false).toFixed(0)})`);
  console.log(`sustained log records/s, 0 refused/dropped, RSS under the limit:        ${best('logs', true).toFixed(0)}`);
  const within = steps.filter((s) => s.rssMiB <= limit.limitMiB).map((s) => `${s.signal} ${s.offered}/s`);
  console.log(`collector peak RSS: ${peak.toFixed(0)} MiB over the whole run (memory_limiter limit ${limit.limitMiB} MiB, container limit ${spec.components.collector.resources.limits.memory})`);
  console.log(`steps whose RSS stayed under the memory_limiter limit: ${within.join(', ') || 'none'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});

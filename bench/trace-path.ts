/**
 * npm run bench:trace-path — the whole trace path (gateway → sampler(s) → trace store) on this machine.
 *
 * Runs our collector distribution (the image factory's cached build) as processes on 127.0.0.1 with the configs the
 * model renders for the distributed stack (prod preset: the gateway's `loadbalancing` exporter routing by trace ID,
 * the samplers' tail sampling and span metrics), only their addresses moved (printed), and a sink of ours that
 * counts spans per trace ID per sampler. telemetrygen offers traces of several spans, a share of them errors.
 *
 * 1. Idle: each tier's RSS after BENCH_IDLE_SECONDS with no load.
 * 2. One sampler: rising offered rates; per step the gateway's accepted spans/s, what any tier refused or dropped
 *    (their own counters) or the samplers never received, CPU and RSS per tier. The sustained figure is the highest
 *    accepted rate of a step that lost nothing and drained.
 * 3. Two samplers at one rate: each sampler's share of traces, and every trace the sink received whole from one
 *    sampler; CPU seconds per 10k spans per tier, from which the ceiling for N samplers on M cores is computed.
 *
 * The generator and the sink share the machine's cores with the collectors: figures are for this machine under
 * its load at the time (printed), CPU seconds per 10k spans the robust one.
 *
 * Env: BENCH_STEP_SECONDS (default 20), BENCH_SPAN_RATES (default 10000,20000,30000,40000,50000,60000),
 *      BENCH_SPLIT_RATE (default: 80 % of the one-sampler sustained rate), BENCH_SPANS_PER_TRACE (default 5),
 *      BENCH_ERROR_SHARE (default 0.1), BENCH_WORKER_RATE (default 500), BENCH_IDLE_SECONDS (default 15).
 */
import { cpus, loadavg } from 'node:os';
import { parseDuration } from '../model/duration.js';
import { defineStack } from '../model/define.js';
import { imageCatalog } from '../model/catalog.js';
import { ensureBinary } from '../test/images/binaries.js';
import { cpuPer10k } from './trace-path/ceiling.js';
import { HttpDrain } from './trace-path/http-drain.js';
import { renderedTracePath } from './trace-path/rendered-tiers.js';
import { f0, pct, printCeiling, printSplit, printStep } from './trace-path/report.js';
import { runStep, type StepResult } from './trace-path/step.js';
import { TracePath } from './trace-path/trace-path.js';
import { TraceSink } from './trace-path/trace-sink.js';
import { checkSplit, shares, traceCount } from './trace-path/trace-split.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const stepSeconds = Number(env('BENCH_STEP_SECONDS', '20'));
const rates = env('BENCH_SPAN_RATES', '10000,20000,30000,40000,50000,60000').split(',').map(Number);
const spansPerTrace = Number(env('BENCH_SPANS_PER_TRACE', '5'));
const errorShare = Number(env('BENCH_ERROR_SHARE', '0.1'));
const perWorker = Number(env('BENCH_WORKER_RATE', '500'));
const idleSeconds = Number(env('BENCH_IDLE_SECONDS', '15'));

const load1 = () => loadavg()[0]!.toFixed(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  console.log('preparing binaries (built from the Go module proxy on first use, then cached)...');
  const otelcol = await ensureBinary('otelcol');
  const tg = await ensureBinary('telemetrygen');
  const spec = defineStack({}, { environment: 'prod' });
  const rendered = renderedTracePath(spec);
  const tail = (rendered.sampler.config['processors'] as Record<string, Record<string, unknown>>)['tail_sampling'];
  if (!tail) throw new Error('the rendered sampler has no tail_sampling processor');
  const decisionWaitSeconds = parseDuration(String(tail['decision_wait']));
  const numTraces = Number(tail['num_traces']);
  const drainTimeoutMs = (decisionWaitSeconds + 60) * 1000;

  const sink = new TraceSink();
  const drain = new HttpDrain();
  const drainUrl = await drain.listen();
  const load = (endpoint: string, spansPerSecond: number) => ({ telemetrygen: tg, endpoint, spansPerSecond, seconds: stepSeconds, spansPerTrace, errorShare, perWorker });

  console.log(`collector ${imageCatalog.collector.tag} (${otelcol}); configs rendered for the prod preset (scale: ${spec.scale}, ${rendered.sampler.replicas} samplers)`);
  console.log(
    `load: telemetrygen, ${spansPerTrace} spans per trace, ${pct(errorShare)} of traces ERROR, at most ${perWorker} spans/s per worker, ` +
      `${stepSeconds} s per step; machine: ${cpus().length} cores, load average ${load1()} at start`,
  );

  // One sampler.
  const sinks1 = await sink.listen(1);
  let path = await TracePath.start(otelcol, rendered, sinks1, drainUrl);
  const names1 = path.samplers.map((s) => s.name);
  console.log('\nchanged from the rendered configs (addresses only):');
  for (const p of [path.gateway, path.samplers[0]!]) {
    for (const c of p.changes) console.log(`  ${p.name}: ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
  }
  const idleFrom = [path.gateway.cpuSeconds(), path.samplers[0]!.cpuSeconds()];
  await sleep(idleSeconds * 1000);
  const idleCpu = [path.gateway.cpuSeconds() - idleFrom[0]!, path.samplers[0]!.cpuSeconds() - idleFrom[1]!].map((c) => ((c / idleSeconds) * 1000).toFixed(0));
  console.log(
    `\nidle after ${idleSeconds} s without load: RSS gateway ${f0(path.gateway.rssMiB())} MiB, sampler ${f0(path.samplers[0]!.rssMiB())} MiB; ` +
      `CPU gateway ${idleCpu[0]} ms/s, sampler ${idleCpu[1]} ms/s (load ${load1()})`,
  );

  console.log(`\none sampler (${rendered.sampler.name} limits: ${rendered.sampler.memoryLimit}, ${rendered.sampler.cpuLimitCores} cores; gateway ${rendered.gateway.memoryLimit}):`);
  const steps: StepResult[] = [];
  try {
    for (const rate of rates) {
      const step = await runStep(path, load(path.gateway.grpcEndpoint, rate), drainTimeoutMs);
      steps.push(step);
      printStep(step, names1);
      // Past a loss, or where the machine could no longer offer the rate, higher rates tell nothing more.
      if (step.lost > 0 || !step.drained || step.acceptedPerSecond < 0.8 * step.offered) break;
    }
  } finally {
    await path.stop();
  }
  const clean = steps.filter((s) => s.lost === 0 && s.drained);
  const best = clean.reduce<StepResult | undefined>((b, s) => (!b || s.acceptedPerSecond > b.acceptedPerSecond ? s : b), undefined);
  if (best) {
    console.log(
      `sustained with one sampler, 0 refused/dropped: ${f0(best.acceptedPerSecond)} spans/s (offered ${best.offered}/s); ` +
        `peak RSS gateway ${f0(best.peakRssMiB.gateway)} MiB, sampler ${f0(best.peakRssMiB.samplers[0]!)} MiB; load ${best.loadAverage.toFixed(2)}`,
    );
  } else console.log('sustained with one sampler: no step lost nothing');

  // Two samplers.
  await sink.close();
  const sink2 = new TraceSink();
  const splitRate = Number(env('BENCH_SPLIT_RATE', String(Math.max(1000, Math.round(((best?.acceptedPerSecond ?? 5000) * 0.8) / 1000) * 1000))));
  path = await TracePath.start(otelcol, rendered, await sink2.listen(2), drainUrl);
  const names2 = path.samplers.map((s) => s.name);
  let split: StepResult;
  try {
    await sleep(idleSeconds * 1000);
    console.log(
      `\ntwo samplers, idle RSS after ${idleSeconds} s: gateway ${f0(path.gateway.rssMiB())} MiB, ` +
        `${path.samplers.map((s) => `${s.name} ${f0(s.rssMiB())} MiB`).join(', ')} (load ${load1()})`,
    );
    split = await runStep(path, load(path.gateway.grpcEndpoint, splitRate), drainTimeoutMs);
    printStep(split, names2);
    await sleep(1_000);
  } finally {
    await path.stop();
    await sink2.close();
    await drain.close();
  }
  const traceShares = shares(split.newTraces);
  const received = sink2.spans().reduce((a, b) => a + b, 0);
  printSplit(split, names2, checkSplit(sink2.spansByTrace(), spansPerTrace), traceCount(split.newTraces, split.spans.gateway, spansPerTrace), spansPerTrace, received, sink2.errors);

  // CPU per 10k spans and the ceiling.
  const samplerCpu = split.cpu.samplers.reduce((a, b) => a + b, 0);
  const samplerSpans = split.spans.samplers.reduce((a, b) => a + b, 0);
  const costs = {
    gatewayCpuPerSpan: split.cpu.gateway / split.spans.gateway,
    samplerCpuPerSpan: samplerCpu / samplerSpans,
    imbalance: Math.max(...traceShares) * traceShares.length,
    samplerCores: rendered.sampler.cpuLimitCores,
    numTraces,
    decisionWaitSeconds,
    spansPerTrace,
  };
  console.log(
    `\nCPU seconds per 10k spans (two samplers, ${splitRate}/s offered, whole step with drain): gateway ${cpuPer10k(split.cpu.gateway, split.spans.gateway).toFixed(2)}, ` +
      `sampler ${cpuPer10k(samplerCpu, samplerSpans).toFixed(2)} (${split.cpu.samplers.map((c, i) => `${names2[i]} ${cpuPer10k(c, split.spans.samplers[i]!).toFixed(2)}`).join(', ')}); load ${split.loadAverage.toFixed(2)}`,
  );
  if (best) {
    console.log(
      `  one sampler at ${best.offered}/s: gateway ${cpuPer10k(best.cpu.gateway, best.spans.gateway).toFixed(2)}, sampler ${cpuPer10k(best.cpu.samplers[0]!, best.spans.samplers[0]!).toFixed(2)}`,
    );
  }
  printCeiling(costs);
  if (best) {
    console.log(
      `  measured here: ${f0(best.acceptedPerSecond)} spans/s with one sampler, the generator and the sink sharing the ${cpus().length} cores ` +
        `(computed for the collectors alone on ${cpus().length} cores: ${f0(cpus().length / (costs.gatewayCpuPerSpan + costs.samplerCpuPerSpan))})`,
    );
  }
  console.log(`  on this ${cpus().length}-core machine more sampler processes add no throughput: the figures above are computed, not measured speed-ups.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

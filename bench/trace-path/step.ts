import { loadavg } from 'node:os';
import { offerTraces, type TraceLoad } from './load.js';
import { exitedChildrenCpuSeconds } from './proc-stat.js';
import { lossesBetween } from './tier-metrics.js';
import type { PathReading, TracePath } from './trace-path.js';

export interface StepResult {
  readonly offered: number;
  /** Spans/s the gateway accepted over the steady part of the step (its start and final flush left out). */
  readonly acceptedPerSecond: number;
  /** Spans accepted over the whole step by the gateway and by each sampler. */
  readonly spans: { readonly gateway: number; readonly samplers: readonly number[] };
  /** Spans each sampler's exporter delivered to the trace store. */
  readonly sentSpans: readonly number[];
  /** Traces each sampler's tail sampling saw first. */
  readonly newTraces: readonly number[];
  /** Accepted by the gateway but by no sampler once drained. */
  readonly unaccounted: number;
  /** Per process, the loss counters that grew. */
  readonly losses: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Everything lost: loss counters and unaccounted spans. */
  readonly lost: number;
  /** The path emptied (every trace decided, every queue empty) before the timeout. */
  readonly drained: boolean;
  /** CPU seconds (user + system) over the whole step, drain included. */
  readonly cpu: {
    readonly gateway: number;
    readonly samplers: readonly number[];
    /** telemetrygen's runs. */
    readonly generator: number;
    /** This Node process: the trace sink, the HTTP drain and the bench's own polling. */
    readonly bench: number;
  };
  readonly peakRssMiB: { readonly gateway: number; readonly samplers: readonly number[] };
  /** The 1-minute load average as sending ended. */
  readonly loadAverage: number;
}

/** Offers one load to the path, waits for it to drain, and compares the readings before and after. */
export async function runStep(path: TracePath, load: TraceLoad, drainTimeoutMs: number): Promise<StepResult> {
  const before = await path.read();
  const generatorFrom = exitedChildrenCpuSeconds();
  const benchFrom = process.cpuUsage();
  const readings: PathReading[] = [];
  const timer = setInterval(() => void path.read().then((r) => readings.push(r), () => undefined), 1_000);
  try {
    await offerTraces(load);
  } finally {
    clearInterval(timer);
  }
  const loadAverage = loadavg()[0]!;
  const generator = exitedChildrenCpuSeconds() - generatorFrom;
  const drained = await path.drained(before, drainTimeoutMs);
  const after = await path.read();
  const benchCpu = process.cpuUsage(benchFrom);

  const steady = readings.slice(3, -2);
  if (steady.length < 2) throw new Error(`too few readings (${readings.length}) for a rate: make the step longer`);
  const first = steady[0]!.gateway;
  const last = steady.at(-1)!.gateway;
  const acceptedPerSecond = ((last.counters.acceptedSpans - first.counters.acceptedSpans) * 1000) / (last.at - first.at);

  const samplerSpans = after.samplers.map((s, i) => s.counters.acceptedSpans - before.samplers[i]!.counters.acceptedSpans);
  const gatewaySpans = after.gateway.counters.acceptedSpans - before.gateway.counters.acceptedSpans;
  const unaccounted = Math.max(0, gatewaySpans - samplerSpans.reduce((a, b) => a + b, 0));
  const losses: Record<string, Record<string, number>> = { [path.gateway.name]: lossesBetween(before.gateway.counters, after.gateway.counters) };
  path.samplers.forEach((s, i) => (losses[s.name] = lossesBetween(before.samplers[i]!.counters, after.samplers[i]!.counters)));
  const lost = unaccounted + Object.values(losses).reduce((sum, l) => sum + Object.values(l).reduce((a, b) => a + b, 0), 0);
  const all = [before, ...readings, after];
  return {
    offered: load.spansPerSecond,
    acceptedPerSecond,
    spans: { gateway: gatewaySpans, samplers: samplerSpans },
    sentSpans: after.samplers.map((s, i) => s.counters.sentSpans - before.samplers[i]!.counters.sentSpans),
    newTraces: after.samplers.map((s, i) => s.counters.newTraces - before.samplers[i]!.counters.newTraces),
    unaccounted,
    losses,
    lost,
    drained,
    cpu: {
      gateway: after.gateway.cpuSeconds - before.gateway.cpuSeconds,
      samplers: after.samplers.map((s, i) => s.cpuSeconds - before.samplers[i]!.cpuSeconds),
      generator,
      bench: (benchCpu.user + benchCpu.system) / 1e6,
    },
    peakRssMiB: {
      gateway: Math.max(...all.map((r) => r.gateway.rssMiB)),
      samplers: after.samplers.map((_, i) => Math.max(...all.map((r) => r.samplers[i]!.rssMiB))),
    },
    loadAverage,
  };
}

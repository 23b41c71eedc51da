import { ceiling, cpuPer10k, type TraceCosts } from './ceiling.js';
import type { StepResult } from './step.js';
import { shares, type SplitReport } from './trace-split.js';

/** How the trace-path bench prints its figures. */

export const f0 = (n: number): string => n.toFixed(0);
export const pct = (n: number): string => `${(n * 100).toFixed(1)} %`;
const per10k = (cpu: number, spans: number): string => cpuPer10k(cpu, spans).toFixed(2);

/** One step: rates, losses, RSS and CPU per tier, and who else used the cores. */
export function printStep(s: StepResult, samplerNames: readonly string[]): void {
  const rss = [`gateway ${f0(s.peakRssMiB.gateway)}`, ...s.peakRssMiB.samplers.map((m, i) => `${samplerNames[i]} ${f0(m)}`)].join(', ');
  const cpu = [`gateway ${per10k(s.cpu.gateway, s.spans.gateway)}`, ...s.cpu.samplers.map((c, i) => `${samplerNames[i]} ${per10k(c, s.spans.samplers[i]!)}`)].join(', ');
  console.log(
    `  offered ${String(s.offered).padStart(6)}/s  accepted ${f0(s.acceptedPerSecond).padStart(6)}/s  lost ${s.lost}` +
      `${s.drained ? '' : ' (NOT drained)'}  peak RSS MiB: ${rss}  CPU s/10k spans: ${cpu}  load ${s.loadAverage.toFixed(2)}`,
  );
  for (const [process, losses] of Object.entries(s.losses)) {
    for (const [metric, delta] of Object.entries(losses)) console.log(`      ${process}: ${metric} +${delta}`);
  }
  const tiers = s.cpu.gateway + s.cpu.samplers.reduce((a, b) => a + b, 0);
  console.log(`      CPU s over the step: collectors ${tiers.toFixed(1)}, telemetrygen ${s.cpu.generator.toFixed(1)}, sink and bench ${s.cpu.bench.toFixed(1)}`);
  if (s.unaccounted > 0) console.log(`      ${s.unaccounted} spans accepted by the gateway reached no sampler`);
}

/**
 * The two-sampler step's split: shares, and whether every trace stayed whole in one sampler. The decisive check is
 * the sink's: tail sampling keeps or drops both parts of a split trace alike (every span of a generated trace
 * carries the trace's status, and the probabilistic policy hashes the trace ID), so a split trace that was kept
 * arrives from both samplers. It holds when no kept trace came from both, the path lost nothing, and the sink
 * received every span the samplers sent.
 */
export function printSplit(s: StepResult, names: readonly string[], sink: SplitReport, count: { counted: number; missing: number }, spansPerTrace: number, sinkReceived: number, sinkErrors: number): boolean {
  const traceShares = shares(s.newTraces);
  const spanShares = shares(s.spans.samplers);
  const sent = s.sentSpans.reduce((a, b) => a + b, 0);
  console.log(`  traces received (tail sampling's new trace IDs): ${s.newTraces.map((n, i) => `${names[i]} ${n} (${pct(traceShares[i]!)})`).join(', ')}`);
  console.log(`  spans received: ${s.spans.samplers.map((n, i) => `${names[i]} ${n} (${pct(spanShares[i]!)})`).join(', ')}`);
  console.log(
    `  kept traces at the sink: ${sink.traces} (${sink.perSampler.map((n, i) => `${names[i]} ${n}`).join(', ')}); seen from both samplers: ${sink.split.length}; ` +
      `incomplete: ${sink.short.length}; with extra spans: ${sink.long.length}; spans the samplers sent ${sent}, the sink received ${sinkReceived} (${sinkErrors} unreadable requests)`,
  );
  console.log(
    `  all traces: the samplers counted ${count.counted} new trace IDs, ${count.counted * spansPerTrace} spans of whole traces; the gateway accepted ${s.spans.gateway}` +
      (count.missing === 0
        ? ': no trace counted in both samplers'
        : ` (${count.missing} fewer)${s.lost === 0 ? ': spans that never reached the gateway (telemetrygen\'s SDK drops spans when its queue is full), or splits; the sink\'s check above tells' : ''}`),
  );
  const whole = sink.traces > 0 && sink.split.length === 0 && sink.long.length === 0 && s.lost === 0 && sinkReceived >= sent && sinkErrors === 0;
  const why = sink.short.length > 0 && whole ? ` (the ${sink.short.length} incomplete kept traces lost their spans before the gateway: the path lost none)` : '';
  console.log(`  every trace whole in one sampler: ${whole ? 'yes' : 'NO'}${why}${sink.split.length > 0 ? ` (split: ${sink.split.slice(0, 3).join(', ')}...)` : ''}`);
  return whole;
}

const BOUND_LABEL = { cores: 'cores', 'sampler CPU limit': 'smp CPU', 'tail-sampling memory': 'tail mem' } as const;

/** The computed ceiling for 1, 2, 4, 8 samplers on 2 to 16 cores. */
export function printCeiling(costs: TraceCosts): void {
  console.log(
    `computed ceiling, spans/s (CPU-bound and linear: cores / (gateway + sampler CPU per span), the busiest sampler ` +
      `(largest share × samplers = ${costs.imbalance.toFixed(3)}) at its ${costs.samplerCores}-core limit, or tail sampling's ${costs.numTraces} traces × ` +
      `${costs.decisionWaitSeconds} s wait at ${costs.spansPerTrace} spans/trace, whichever is lowest; generator and backends not counted):`,
  );
  const coreCounts = [2, 4, 8, 16];
  console.log(`  ${'samplers'.padEnd(9)}${coreCounts.map((m) => `${m} cores`.padStart(20)).join('')}`);
  for (const n of [1, 2, 4, 8]) {
    const cells = coreCounts.map((m) => {
      const c = ceiling(costs, n, m);
      return `${f0(c.spansPerSecond)} (${BOUND_LABEL[c.bound]})`.padStart(20);
    });
    console.log(`  ${String(n).padEnd(9)}${cells.join('')}`);
  }
}

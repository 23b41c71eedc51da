/**
 * The trace path's ceiling computed from measured costs, for N samplers on M cores. CPU-bound and linear: every
 * span costs the gateway `gatewayCpuPerSpan` and the one sampler its trace maps to `samplerCpuPerSpan` (seconds of
 * CPU, utime + stime), and the busiest of N samplers gets `imbalance / N` of the spans (imbalance = the largest
 * measured share × the samplers measured, 1 for a perfect split; one sampler gets them all). Three bounds, the lowest wins:
 * - cores: all M cores busy with both tiers: M / (gateway + sampler cost per span);
 * - sampler CPU limit: the busiest sampler at its CPU limit (`samplerCores`, or M if that is less);
 * - tail-sampling memory: traces wait `decisionWaitSeconds` in the busiest sampler, at most `numTraces` of them
 *   (more are dropped before their decision).
 * The load generator and the backends are not counted: in a deployment they run elsewhere.
 */

export interface TraceCosts {
  readonly gatewayCpuPerSpan: number;
  readonly samplerCpuPerSpan: number;
  /** Largest measured sampler share × number of samplers measured (≥ 1). */
  readonly imbalance: number;
  /** The sampler's CPU limit in cores. */
  readonly samplerCores: number;
  readonly numTraces: number;
  readonly decisionWaitSeconds: number;
  readonly spansPerTrace: number;
}

export interface Ceiling {
  readonly spansPerSecond: number;
  readonly bound: 'cores' | 'sampler CPU limit' | 'tail-sampling memory';
}

/** CPU seconds per 10,000 spans. */
export function cpuPer10k(cpuSeconds: number, spans: number): number {
  return spans > 0 ? (cpuSeconds / spans) * 10_000 : Number.NaN;
}

export function ceiling(costs: TraceCosts, samplers: number, cores: number): Ceiling {
  if (samplers < 1 || cores <= 0) throw new Error(`need at least one sampler and some cores (got ${samplers}, ${cores})`);
  // One sampler takes every span however uneven a split of several was measured.
  const busiest = Math.min(1, Math.max(1, costs.imbalance) / samplers);
  const bounds: Ceiling[] = [
    { bound: 'cores', spansPerSecond: cores / (costs.gatewayCpuPerSpan + costs.samplerCpuPerSpan) },
    { bound: 'sampler CPU limit', spansPerSecond: Math.min(costs.samplerCores, cores) / (costs.samplerCpuPerSpan * busiest) },
    { bound: 'tail-sampling memory', spansPerSecond: (costs.numTraces * costs.spansPerTrace) / (costs.decisionWaitSeconds * busiest) },
  ];
  return bounds.reduce((low, b) => (b.spansPerSecond < low.spansPerSecond ? b : low));
}

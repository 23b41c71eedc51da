import { CollectorProcess } from './collector-process.js';
import type { RenderedTracePath } from './rendered-tiers.js';
import { tierCounters, type TierCounters } from './tier-metrics.js';

/** One reading of a process: its counters, CPU time and memory. */
export interface ProcessReading {
  readonly at: number;
  readonly cpuSeconds: number;
  readonly rssMiB: number;
  readonly counters: TierCounters;
}

export interface PathReading {
  readonly gateway: ProcessReading;
  readonly samplers: readonly ProcessReading[];
}

/**
 * The trace path as processes on 127.0.0.1: N samplers, each exporting to its own port of the trace sink, and the
 * gateway, whose load-balancing exporter lists the N samplers statically (in place of the samplers' DNS name).
 * Span metrics, the collectors' own metrics and logs go to the HTTP drain.
 */
export class TracePath {
  private constructor(
    readonly gateway: CollectorProcess,
    readonly samplers: readonly CollectorProcess[],
  ) {}

  static async start(binary: string, rendered: RenderedTracePath, samplerSinks: readonly string[], drainUrl: string): Promise<TracePath> {
    const metrics = `${drainUrl}/v1/metrics`;
    const samplers: CollectorProcess[] = [];
    let gateway: CollectorProcess | undefined;
    try {
      for (const [i, sink] of samplerSinks.entries()) {
        const sampler = await CollectorProcess.create(binary, `${rendered.sampler.name}-${i}`, rendered.sampler, rendered.queueDir, {
          [rendered.upstreams.traces]: sink,
          [rendered.upstreams.metrics]: metrics,
          [rendered.upstreams.logs]: drainUrl,
        });
        samplers.push(sampler);
        await sampler.start();
      }
      gateway = await CollectorProcess.create(
        binary,
        rendered.gateway.name,
        rendered.gateway,
        rendered.queueDir,
        { [rendered.upstreams.metrics]: metrics, [rendered.upstreams.logs]: drainUrl },
        samplers.map((s) => s.grpcEndpoint),
      );
      await gateway.start();
      return new TracePath(gateway, samplers);
    } catch (error) {
      await Promise.all([gateway, ...samplers].map((p) => p?.stop()));
      throw error;
    }
  }

  async stop(): Promise<void> {
    // The gateway first, so that it can hand what it holds to the samplers.
    await this.gateway.stop();
    await Promise.all(this.samplers.map((s) => s.stop()));
  }

  async read(): Promise<PathReading> {
    const one = async (p: CollectorProcess): Promise<ProcessReading> => {
      const counters = tierCounters(await p.metrics());
      return { at: Date.now(), cpuSeconds: p.cpuSeconds(), rssMiB: p.rssMiB(), counters };
    };
    const [gateway, ...samplers] = await Promise.all([this.gateway, ...this.samplers].map(one));
    return { gateway: gateway!, samplers };
  }

  /**
   * Waits until everything offered has passed the path: the gateway's queue empty, every span it accepted since
   * `before` accepted by a sampler, every trace decided and the samplers' queues empty. False on timeout.
   */
  async drained(before: PathReading, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const now = await this.read();
      const gatewaySpans = now.gateway.counters.acceptedSpans - before.gateway.counters.acceptedSpans;
      const samplerSpans = now.samplers.reduce((sum, s, i) => sum + s.counters.acceptedSpans - before.samplers[i]!.counters.acceptedSpans, 0);
      const decided = now.samplers.every((s, i) => {
        const was = before.samplers[i]!.counters;
        return s.counters.decidedTraces - was.decidedTraces >= s.counters.newTraces - was.newTraces;
      });
      const idle = decided && now.gateway.counters.queued === 0 && now.samplers.every((s) => s.counters.queued === 0);
      if (idle && samplerSpans >= gatewaySpans) return true;
      await new Promise((r) => setTimeout(r, 500));
    }
    return false;
  }
}

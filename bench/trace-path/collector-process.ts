import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { COLLECTOR_PORTS } from '../../collector/pipelines.js';
import { freePort } from '../../test/harness/ports.js';
import { RunningProcess, waitForHttp } from '../../test/harness/process.js';
import { scrape } from '../../test/harness/prometheus-text.js';
import { adaptConfig, type ConfigChange } from './adapt-config.js';
import { cpuSeconds } from './proc-stat.js';
import type { RenderedTier } from './rendered-tiers.js';

export interface Upstreams {
  /** Rendered next-hop address or URL → local one. */
  readonly [rendered: string]: string;
}

/**
 * One collector process of the trace path: a tier's rendered config moved onto 127.0.0.1 (adaptConfig), written
 * to a folder of its own (with its file queue), run with the rendered environment plus a host name of its own.
 */
export class CollectorProcess {
  private process: RunningProcess | undefined;

  private constructor(
    readonly name: string,
    private readonly binary: string,
    readonly dir: string,
    readonly ports: Readonly<Record<number, number>>,
    readonly changes: readonly ConfigChange[],
    private readonly env: Record<string, string>,
  ) {}

  static async create(
    binary: string,
    name: string,
    tier: RenderedTier,
    queueDir: string,
    upstreams: Upstreams,
    loadBalancingBackends?: readonly string[],
  ): Promise<CollectorProcess> {
    const dir = mkdtempSync(join(tmpdir(), `observatory-trace-path-${name}-`));
    const ports: Record<number, number> = {};
    for (const port of Object.values(COLLECTOR_PORTS)) ports[port] = await freePort();
    const { config, changes } = adaptConfig(tier.config, {
      ports,
      upstreams,
      dirs: { [queueDir]: join(dir, 'queue') },
      ...(loadBalancingBackends ? { loadBalancingBackends } : {}),
    });
    writeFileSync(join(dir, 'config.yaml'), yaml.dump(config, { lineWidth: -1 }));
    return new CollectorProcess(name, binary, dir, ports, changes, { ...tier.env, HOSTNAME: name });
  }

  /** `127.0.0.1:<port>` of its OTLP gRPC receiver. */
  get grpcEndpoint(): string {
    return `127.0.0.1:${this.ports[COLLECTOR_PORTS.otlpGrpc]}`;
  }

  async start(): Promise<void> {
    this.process = RunningProcess.start(this.name, this.binary, [`--config=${join(this.dir, 'config.yaml')}`], join(this.dir, 'collector.log'), this.env);
    await waitForHttp(`http://127.0.0.1:${this.ports[COLLECTOR_PORTS.health]}/`, this.process);
  }

  /** Graceful stop; its file queue is removed (the config and log stay in its folder). */
  async stop(): Promise<void> {
    await this.process?.stop(60_000);
    this.process = undefined;
    rmSync(join(this.dir, 'queue'), { recursive: true, force: true });
  }

  private running(): RunningProcess {
    if (!this.process?.alive) throw new Error(`${this.name} is not running:\n${this.process?.lastLog() ?? ''}`);
    return this.process;
  }

  /** Its own metrics (Prometheus text from its telemetry endpoint). */
  metrics(): Promise<string> {
    return scrape(`http://127.0.0.1:${this.ports[COLLECTOR_PORTS.metrics]}/metrics`);
  }

  /** CPU time so far, user + system, in seconds. */
  cpuSeconds(): number {
    return cpuSeconds(this.running().child.pid!);
  }

  rssMiB(): number {
    return this.running().rssMiB();
  }

  lastLog(lines = 20): string {
    return this.process?.lastLog(lines) ?? '';
  }
}

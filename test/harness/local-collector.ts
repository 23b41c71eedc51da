import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { COLLECTOR_PORTS, gatewayConfig, memorySettings, QUEUE_DIR, type GatewayBackends } from '../../collector/pipelines.js';
import { imageCatalog } from '../../model/catalog.js';
import type { StackSpec } from '../../model/spec.js';
import { freePort } from './ports.js';
import { RunningProcess, waitForHttp } from './process.js';
import { scrape, sumMetric } from './prometheus-text.js';

export interface CollectorPorts {
  readonly grpc: number;
  readonly http: number;
  readonly health: number;
  readonly metrics: number;
}

/**
 * The stack's generated gateway config (the OTLP intake every service sends to) run as a local process: the same
 * pipelines, processors, queues and limits as the spec renders, with its listeners moved to free ports on
 * 127.0.0.1, its next hops (the sampler for spans, the stores for metrics and logs) pointed at local endpoints
 * and its file queue in a folder of its own. Restartable: the queue folder survives.
 */
export class LocalCollector {
  private process: RunningProcess | undefined;
  readonly configPath: string;

  private constructor(
    private readonly binary: string,
    readonly ports: CollectorPorts,
    readonly dir: string,
    readonly memoryLimit: string,
  ) {
    this.configPath = join(dir, 'config.yaml');
  }

  static async create(binary: string, spec: StackSpec, backends: GatewayBackends): Promise<LocalCollector> {
    const ports = { grpc: await freePort(), http: await freePort(), health: await freePort(), metrics: await freePort() };
    const dir = mkdtempSync(join(tmpdir(), 'observatory-collector-'));
    const memoryLimit = spec.components.collector.resources.limits.memory;
    const config = gatewayConfig(spec, { version: imageCatalog.collector.tag, memoryLimit, backends });
    const collector = new LocalCollector(binary, ports, dir, memoryLimit);
    writeFileSync(collector.configPath, localize(yaml.dump(config, { lineWidth: -1 }), ports, join(dir, 'queue')));
    return collector;
  }

  get grpcEndpoint(): string {
    return `127.0.0.1:${this.ports.grpc}`;
  }

  /** GOMEMLIMIT as the rendered workloads set it. */
  get goMemLimit(): string {
    return `${memorySettings(this.memoryLimit).goMemLimitMiB}MiB`;
  }

  async start(): Promise<void> {
    this.process = RunningProcess.start('collector', this.binary, [`--config=${this.configPath}`], join(this.dir, 'collector.log'), {
      GOMEMLIMIT: this.goMemLimit,
    });
    await waitForHttp(`http://127.0.0.1:${this.ports.health}/`, this.process);
  }

  /** Graceful stop (SIGTERM), as a rolling restart does it. */
  async stop(): Promise<void> {
    await this.process?.stop(60_000);
    this.process = undefined;
  }

  peakRssMiB(): number {
    if (!this.process) throw new Error('collector is not running');
    return this.process.peakRssMiB();
  }

  rssMiB(): number {
    if (!this.process) throw new Error('collector is not running');
    return this.process.rssMiB();
  }

  lastLog(lines = 30): string {
    return this.process?.lastLog(lines) ?? '';
  }

  async metrics(): Promise<string> {
    return scrape(`http://127.0.0.1:${this.ports.metrics}/metrics`);
  }

  /** Refused, dropped or failed items anywhere in the collector (receivers, processors, exporters, queues). */
  async losses(): Promise<Record<string, number>> {
    const text = await this.metrics();
    // Counters collector 0.152 exposes (it has no `otelcol_processor_dropped_*`; `processor_refused` is the deprecated
    // memory_limiter's, read in case a build still counts it); an absent counter has counted nothing.
    const signals = ['spans', 'log_records', 'metric_points'];
    const names = [
      ...['receiver_refused', 'receiver_failed', 'exporter_send_failed', 'exporter_enqueue_failed', 'processor_refused']
        .flatMap((counter) => signals.map((signal) => `otelcol_${counter}_${signal}`)),
      'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early',
    ];
    return Object.fromEntries(names.map((n) => [n, sumMetric(text, n)]));
  }
}

/** Listeners on 127.0.0.1 at the given ports, the file queue in `queueDir`. */
function localize(configYaml: string, ports: CollectorPorts, queueDir: string): string {
  return configYaml
    .replaceAll(`0.0.0.0:${COLLECTOR_PORTS.otlpGrpc}`, `127.0.0.1:${ports.grpc}`)
    .replaceAll(`0.0.0.0:${COLLECTOR_PORTS.otlpHttp}`, `127.0.0.1:${ports.http}`)
    .replaceAll(`0.0.0.0:${COLLECTOR_PORTS.health}`, `127.0.0.1:${ports.health}`)
    .replaceAll(`127.0.0.1:${COLLECTOR_PORTS.metrics}`, `127.0.0.1:${ports.metrics}`)
    .replace(/host: 0\.0\.0\.0\n(\s+)port: 8888/, `host: 127.0.0.1\n$1port: ${ports.metrics}`)
    .replaceAll(QUEUE_DIR, queueDir);
}

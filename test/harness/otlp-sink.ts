import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { freePort } from './ports.js';
import { RunningProcess, waitForHttp } from './process.js';
import { scrape, sumMetric } from './prometheus-text.js';

export interface SinkPorts {
  readonly grpc: number;
  readonly http: number;
  readonly metrics: number;
}

/** What a sink has accepted, per signal. */
export interface SinkCounts {
  readonly spans: number;
  readonly metricPoints: number;
  readonly logRecords: number;
}

/**
 * A local OTLP backend that accepts everything and keeps nothing: the Jaeger v2 binary (an OpenTelemetry
 * Collector distribution that ships the `nop` exporter) with OTLP receivers on 127.0.0.1 and its own
 * receiver counters exposed, so a test can count what arrived. Restartable on the same ports.
 */
export class OtlpSink {
  private process: RunningProcess | undefined;
  /** Counted by earlier runs of this sink (counters restart with the process). */
  private before: SinkCounts = { spans: 0, metricPoints: 0, logRecords: 0 };

  private constructor(
    private readonly binary: string,
    readonly ports: SinkPorts,
    private readonly dir: string,
  ) {}

  static async create(jaegerBinary: string): Promise<OtlpSink> {
    const ports = { grpc: await freePort(), http: await freePort(), metrics: await freePort() };
    return new OtlpSink(jaegerBinary, ports, mkdtempSync(join(tmpdir(), 'observatory-sink-')));
  }

  get grpcEndpoint(): string {
    return `127.0.0.1:${this.ports.grpc}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  async start(): Promise<void> {
    const pipeline = { receivers: ['otlp'], exporters: ['nop'] };
    const config = {
      receivers: { otlp: { protocols: { grpc: { endpoint: this.grpcEndpoint }, http: { endpoint: `127.0.0.1:${this.ports.http}` } } } },
      exporters: { nop: {} },
      service: {
        pipelines: { traces: pipeline, metrics: pipeline, logs: pipeline },
        telemetry: {
          metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: this.ports.metrics } } } }] },
          logs: { level: 'warn' },
        },
      },
    };
    const path = join(this.dir, 'sink.yaml');
    writeFileSync(path, yaml.dump(config));
    this.process = RunningProcess.start('otlp sink', this.binary, ['--config', path], join(this.dir, 'sink.log'));
    await waitForHttp(`http://127.0.0.1:${this.ports.metrics}/metrics`, this.process);
  }

  /** Stops the sink (the backend goes away); what it counted so far is kept. */
  async stop(): Promise<void> {
    if (!this.process) return;
    this.before = await this.counts();
    await this.process.stop();
    this.process = undefined;
  }

  /** Everything accepted since the sink was created, across restarts. */
  async counts(): Promise<SinkCounts> {
    if (!this.process?.alive) return this.before;
    const text = await scrape(`http://127.0.0.1:${this.ports.metrics}/metrics`);
    return {
      spans: this.before.spans + sumMetric(text, 'otelcol_receiver_accepted_spans'),
      metricPoints: this.before.metricPoints + sumMetric(text, 'otelcol_receiver_accepted_metric_points'),
      logRecords: this.before.logRecords + sumMetric(text, 'otelcol_receiver_accepted_log_records'),
    };
  }
}

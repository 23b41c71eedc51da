/**
 * The collector loses nothing while a backend is away: its exporters retry without a deadline and queue in
 * file_storage, so data sent during a 30 s outage, and across a collector restart within it, arrives once the
 * backend is back. Runs the generated collector config (local preset) against a local OTLP sink.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../model/duration.js';
import { defineStack } from '../../model/define.js';
import { LocalCollector } from '../harness/local-collector.js';
import { OtlpSink, type SinkCounts } from '../harness/otlp-sink.js';
import { telemetrygen } from '../harness/telemetrygen.js';
import { factoryBinary } from '../helpers/tools.js';

const otelcol = factoryBinary('otelcol', 'collector');
const jaeger = factoryBinary('jaeger', 'jaeger');
const generator = factoryBinary('telemetrygen', 'telemetrygen');
const OUTAGE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(otelcol.skip || jaeger.skip || generator.skip)('the collector file-backed queue', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('delivers every log record and kept span sent during a 30 s backend outage, across a collector restart', async () => {
    const spec = defineStack({});
    const sink = await OtlpSink.create(jaeger.path());
    await sink.start();
    cleanup.push(() => sink.stop());
    // The gateway, whose next hops all stand in the sink: the sampler (spans), VictoriaMetrics and Loki.
    const collector = await LocalCollector.create(otelcol.path(), spec, {
      sampler: sink.grpcEndpoint,
      metrics: `${sink.httpUrl}/v1/metrics`,
      logs: sink.httpUrl,
    });
    await collector.start();
    cleanup.push(() => collector.stop());

    const tg = generator.path();
    const send = async (logs: number, traces: number) => {
      await telemetrygen(tg, 'logs', { endpoint: collector.grpcEndpoint, count: logs, rate: 2_000 });
      // The gateway forwards every span to the sampler: every span sent is expected at the sink.
      await telemetrygen(tg, 'traces', { endpoint: collector.grpcEndpoint, count: traces, rate: 2_000, statusCode: 'Error' });
      return { logRecords: logs, spans: traces * 2 };
    };
    const expected = { logRecords: 0, spans: 0 };
    const add = (sent: { logRecords: number; spans: number }) => {
      expected.logRecords += sent.logRecords;
      expected.spans += sent.spans;
    };

    add(await send(1_000, 250)); // backend up
    await sink.stop();
    const outageStarted = Date.now();
    add(await send(2_000, 500)); // backend down
    // What the exporters hold in flight reaches the file queue within a flush interval.
    await sleep(2_000);
    await collector.stop();
    await collector.start();
    add(await send(1_000, 250)); // backend still down, collector restarted
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    await sink.start();

    let counts: SinkCounts = await sink.counts();
    const deadline = Date.now() + 90_000;
    while ((counts.logRecords < expected.logRecords || counts.spans < expected.spans) && Date.now() < deadline) {
      await sleep(1_000);
      counts = await sink.counts();
    }
    await sleep(3_000); // nothing more may arrive: duplicates would show here
    counts = await sink.counts();
    expect({ logRecords: counts.logRecords, spans: counts.spans }, collector.lastLog()).toEqual(expected);
    const refused = Object.entries(await collector.losses()).filter(([name, v]) => name.includes('refused') && v > 0);
    expect(refused).toEqual([]);
  }, 300_000);
});

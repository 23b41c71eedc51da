/**
 * The distributed stack end to end (issue 17, item 7): `scale: distributed` as `observatory synth` renders it, run
 * by Docker Compose with real engines beside it (gofakes3 for Loki's bucket, OpenSearch for Jaeger), sized small:
 * Loki's simple scalable mode with 2 writers, a read and a backend target; 2 Jaeger replicas; 2 samplers behind the
 * gateway's loadbalancing exporter; metrics on VictoriaMetrics single-node (`distributed.metrics.engine: single`:
 * the cluster cannot be built here). The local stack's read-back checks must pass unchanged; then one Loki writer,
 * one Jaeger replica and one sampler are killed mid-stream, one at a time, and what reached the backends is counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnFrontAndBack, type SampleAppProcess } from '../contract/support/sample-app-process.js';
import { scrape, sumMetric } from '../harness/prometheus-text.js';
import { sampleAppRoutes } from '../sample-app/routes.js';
import { eventually } from './support/backends.js';
import { useBackendUrls } from './support/backend-urls.js';
import { bucketKeys } from './support/bucket.js';
import { distributedUrls, ENGINE_IMAGES, LOKI_BUCKET, STACK_IMAGES, upDistributedStack, type DistributedStack } from './support/distributed-stack.js';
import { countErrorTraces, countLogs, countMetricExports, storedWorkCount } from './support/fault-loss.js';
import { streamWithFault, type SentRequest, type StreamResult } from './support/fault-stream.js';
import { expectAppAndSpanMetrics, expectErrorAndSlowTraces, expectLogsWithTraceIds, expectPidOnSpansOnly } from './support/read-back.js';
import { dockerWithCompose } from './support/requirements.js';
import { sendSampleTraffic, type SampleTraffic } from './support/sample-traffic.js';

const requirements = dockerWithCompose([...STACK_IMAGES, ...ENGINE_IMAGES]);
const METRIC_EXPORT_INTERVAL_MS = 2_000;
const TELEMETRY_BATCH_DELAY_MS = 1_000;

/** A fault: the service killed, and what its upstream guarantee lets it cost (nothing, unless said). */
interface Fault {
  readonly service: string;
  readonly signal?: 'traces' | 'logs';
  /** The upstream behaviour that explains a loss of `signal`, printed with it. */
  readonly guarantee?: string;
  /** The send times (ms since the epoch) of the requests whose `signal` that behaviour may cost. */
  readonly window?: (r: StreamResult) => readonly [number, number];
}

interface FaultFigures {
  readonly fault: string;
  readonly requests: number;
  readonly errorTraces: string;
  readonly logLines: string;
  readonly metricExports: string;
  readonly workCounter: string;
  readonly downSeconds: string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

describe.skipIf(requirements.skip)('the distributed stack (compose, real engines), end to end', () => {
  let stack: DistributedStack | undefined;
  const apps: SampleAppProcess[] = [];
  let traffic: SampleTraffic | undefined;
  const figures: FaultFigures[] = [];

  beforeAll(async () => {
    requirements.check();
    useBackendUrls({ jaeger: distributedUrls.jaeger, victoriametrics: distributedUrls.victoriametrics, loki: distributedUrls.loki });
    stack = await upDistributedStack();
    console.log(`distributed stack: ${stack.services.length} services (with the S3 server and OpenSearch) up and healthy in ${stack.startupSeconds.toFixed(1)} s`);
    // Idle: every health check passed, nothing sent yet; 15 s for start-up work (index templates, ring joins) to settle.
    await new Promise((r) => setTimeout(r, 15_000));
    const memory = Object.entries(stack.compose.memoryMiB()).sort(([, a], [, b]) => b - a);
    const total = memory.reduce((sum, [, mib]) => sum + mib, 0);
    console.log(`distributed stack idle memory (docker stats): ${total.toFixed(0)} MiB in ${memory.length} containers\n  ${memory.map(([n, m]) => `${n} ${m.toFixed(0)}`).join(', ')}`);

    const common = {
      SERVICE_VERSION: '1.0.0-e2e',
      DEPLOYMENT_ENVIRONMENT: 'e2e',
      PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: distributedUrls.otlpHttp,
      METRIC_EXPORT_INTERVAL_MS: String(METRIC_EXPORT_INTERVAL_MS),
      TELEMETRY_BATCH_DELAY_MS: String(TELEMETRY_BATCH_DELAY_MS),
    };
    const { front } = await spawnFrontAndBack(common, apps);
    traffic = await sendSampleTraffic(front.url);
  }, 900_000);

  afterAll(async () => {
    traffic?.stopBurst();
    await Promise.all(apps.map((app) => app.stop()));
    if (figures.length > 0) console.table(figures);
    stack?.compose.attempt('down', '-v', '--timeout', '30');
  }, 180_000);

  it('runs Loki SSD on the bucket, Jaeger replicas on OpenSearch, two samplers and single-node VictoriaMetrics', () => {
    expect([...stack!.services].sort()).toEqual(
      expect.arrayContaining(['jaeger', 'jaeger-1', 'loki-backend', 'loki-read', 'loki-write', 'loki-write-1', 'opensearch', 'otel-sampler', 'otel-sampler-1', 's3', 'victoriametrics']),
    );
    expect(stack!.services.filter((s) => /^vm(insert|select|storage)/.test(s))).toEqual([]);
    const lokiConfig = yaml.load(readFileSync(join(stack!.dir, 'config/loki-write/etc/loki/config.yaml'), 'utf8')) as any;
    expect(lokiConfig.common.storage.s3).toMatchObject({ endpoint: 's3:9000', access_key_id: '${LOKI_S3_ACCESS_KEY_ID}', secret_access_key: '${LOKI_S3_SECRET_ACCESS_KEY}' });
  });

  // The local stack's read-back checks (test/e2e/stack.test.ts), the same code.
  it('Jaeger holds every error trace and every slow trace, with the spans of both services', async () => {
    const traces = await expectErrorAndSlowTraces(traffic!.sent);
    console.log(`read-back: ${traces} error and slow traces whole in Jaeger (on OpenSearch)`);
  }, 240_000);

  it('VictoriaMetrics holds the app metrics and the spanmetrics RED series of both services', async () => {
    await expectAppAndSpanMetrics();
  }, 180_000);

  it('keeps process.pid on the spans in Jaeger and off every series of the app in VictoriaMetrics', async () => {
    const [back, front] = apps;
    await expectPidOnSpansOnly(back!, front!, traffic!.sent);
  }, 240_000);

  it('Loki holds the app logs with trace IDs, and a trace is found from its log', async () => {
    await expectLogsWithTraceIds(traffic!.sent);
    console.log('read-back: logs with trace IDs in Loki (read target, chunks and index on the S3 server); metrics and span metrics in VictoriaMetrics');
  }, 180_000);

  it("keeps Loki's chunks in the bucket: each writer's ingester flushed, the S3 server lists them", async () => {
    for (const writer of distributedUrls.lokiWriters) {
      const flushed = await fetch(`${writer}/flush`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
      expect(flushed.ok, `POST ${writer}/flush: HTTP ${flushed.status}`).toBe(true);
    }
    const credentials = { accessKeyId: stack!.env['LOKI_OBJECT_STORAGE_ACCESS_KEY_ID']!, secretAccessKey: stack!.env['LOKI_OBJECT_STORAGE_SECRET_ACCESS_KEY']! };
    // Loki's tenant is `fake` without auth: chunks are under fake/, the TSDB index under index/.
    const keys = await eventually('Loki chunks in the bucket', () => bucketKeys(distributedUrls.s3, LOKI_BUCKET, credentials), (k) => k.some((key) => key.startsWith('fake/')), 90_000);
    const prefixes = [...new Set(keys.map((k) => k.split('/')[0]))].sort();
    console.log(`bucket ${LOKI_BUCKET}: ${keys.length} objects (${keys.filter((k) => k.startsWith('fake/')).length} chunks), top-level prefixes ${prefixes.join(', ')}`);
  }, 180_000);

  const samplerConfig = () => yaml.load(readFileSync(join(stack!.dir, 'config/otel-sampler/etc/otelcol/config.yaml'), 'utf8')) as any;
  const decisionWaitMs = () => Number(/^(\d+)s$/.exec(samplerConfig().processors.tail_sampling.decision_wait)![1]) * 1000;

  const faults: readonly Fault[] = [
    {
      service: 'loki-write-1',
      signal: 'logs',
      guarantee:
        'Loki writes each stream to replication_factor (2) ingesters and needs a quorum of floor(2/2)+1 = 2: with one of the 2 writers ' +
        'down a push is refused until it is back, and the collector drops what a store refuses with a status it does not retry',
      window: (r) => [r.killedAt - 2 * TELEMETRY_BATCH_DELAY_MS, r.readyAt + 2 * TELEMETRY_BATCH_DELAY_MS],
    },
    { service: 'jaeger-1' },
    {
      service: 'otel-sampler-1',
      signal: 'traces',
      guarantee:
        "tail sampling holds a trace's spans in memory for decision_wait before deciding: a killed sampler loses the traces it held " +
        '(the gateway queues and retries only what the sampler has not accepted)',
      window: (r) => [r.killedAt - decisionWaitMs() - 2 * TELEMETRY_BATCH_DELAY_MS, r.killedAt + TELEMETRY_BATCH_DELAY_MS],
    },
  ];

  for (const fault of faults) {
    it(`kills ${fault.service} mid-stream: every error trace whole, logs and metrics counted, ${fault.signal ? `${fault.signal} lost only as its guarantee allows` : 'nothing lost'}`, async () => {
      traffic!.stopBurst();
      const front = apps[1]!;
      const stream = await streamWithFault(front.url, stack!.compose, { seconds: 30, perSecond: 4, fault: { service: fault.service, atSecond: 8, downSeconds: 10 } });
      expect(stream.unanswered, 'requests the front did not answer').toBe(0);

      // A sampled trace is in Jaeger decision_wait (5 s) and two exports after its spans: a minute is ample.
      const traces = await countErrorTraces(stream.requests, 60_000);
      const logs = await countLogs(stream.requests, 90_000);
      const ownCount = sumMetric(await scrape(`${front.url}${sampleAppRoutes.metrics}`), 'sample_app_work_requests');
      const stored = await eventually('the front\'s work counter in VictoriaMetrics', storedWorkCount, (n) => n >= ownCount, 60_000).catch(() => Number.NaN);
      const exports = await countMetricExports(stream.startedAt, stream.endedAt, METRIC_EXPORT_INTERVAL_MS);

      const lostTraces = [...traces.missing, ...traces.partial];
      const lostLogs = logs.missing;
      figures.push({
        fault: fault.service,
        requests: stream.requests.length,
        errorTraces: `${traces.complete}/${traces.expected} whole (${traces.missing.length} missing, ${traces.partial.length} partial)`,
        logLines: `${logs.found}/${logs.expected} (${logs.expected - logs.found} lost)`,
        metricExports: `${exports.foundPoints}/${exports.expectedPoints} (${exports.missingPoints} lost)`,
        workCounter: `${stored}/${ownCount}`,
        downSeconds: `${seconds(stream.restartedAt - stream.killedAt)} (+${seconds(stream.readyAt - stream.restartedAt)} to healthy)`,
      });
      console.log(`fault ${fault.service}: ${JSON.stringify(figures[figures.length - 1])}`);

      const outside = (lost: readonly SentRequest[], signal: 'traces' | 'logs') => {
        if (fault.signal !== signal || !fault.window) return lost;
        const [from, to] = fault.window(stream);
        const inside = lost.filter((r) => r.at >= from && r.at <= to);
        if (inside.length > 0) {
          console.log(
            `fault ${fault.service}: ${inside.length} ${signal} lost, sent ${inside.map((r) => `${seconds(r.at - stream.killedAt)} s`).join(', ')} from the kill ` +
              `(the window ${seconds(from - stream.killedAt)} … ${seconds(to - stream.killedAt)} s): ${fault.guarantee}`,
          );
        }
        return lost.filter((r) => r.at < from || r.at > to);
      };
      const at = (lost: readonly SentRequest[]) => lost.map((r) => `${r.traceId} sent ${seconds(r.at - stream.killedAt)} s from the kill`);
      expect(at(outside(lostTraces, 'traces')), 'error traces lost or partial outside what the guarantee explains').toEqual([]);
      expect(at(outside(lostLogs, 'logs')), 'log lines lost outside what the guarantee explains').toEqual([]);
      expect(exports.missingPoints, 'metric exports lost').toBe(0);
      expect(stored, "the front's work counter in VictoriaMetrics against the app's own").toBe(ownCount);
    }, 600_000);
  }
});

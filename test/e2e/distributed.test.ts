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
import { eventually } from './support/backends.js';
import { useBackendUrls } from './support/backend-urls.js';
import { bucketKeys } from './support/bucket.js';
import { distributedUrls, ENGINE_IMAGES, LOKI_BUCKET, STACK_IMAGES, upDistributedStack, type DistributedStack } from './support/distributed-stack.js';
import { decisionWaitOf, jaegerGuarantee, lokiWriterGuarantee, samplerGuarantee } from './support/fault-guarantees.js';
import { runFault, type FaultFigures, type LossGuarantee } from './support/fault-run.js';
import { composeServiceFault } from './support/fault-stream.js';
import { expectAppAndSpanMetrics, expectErrorAndSlowTraces, expectLogsWithTraceIds, expectPidOnSpansOnly } from './support/read-back.js';
import { dockerWithCompose } from './support/requirements.js';
import { sendSampleTraffic, type SampleTraffic } from './support/sample-traffic.js';

const requirements = dockerWithCompose([...STACK_IMAGES, ...ENGINE_IMAGES]);
const METRIC_EXPORT_INTERVAL_MS = 2_000;
const TELEMETRY_BATCH_DELAY_MS = 1_000;

/** A fault: the service killed, and what its upstream guarantee lets it cost (nothing, unless said). */
interface ServiceFault {
  readonly service: string;
  readonly guarantee?: LossGuarantee;
}

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
  const decisionWaitMs = () => decisionWaitOf(samplerConfig());

  const faults: readonly ServiceFault[] = [
    { service: 'loki-write-1', guarantee: lokiWriterGuarantee(2, TELEMETRY_BATCH_DELAY_MS) },
    { service: 'jaeger-1', guarantee: jaegerGuarantee(decisionWaitMs, TELEMETRY_BATCH_DELAY_MS) },
    { service: 'otel-sampler-1', guarantee: samplerGuarantee(decisionWaitMs, TELEMETRY_BATCH_DELAY_MS) },
  ];

  for (const fault of faults) {
    it(`kills ${fault.service} mid-stream: every error trace whole, logs and metrics counted, ${fault.guarantee ? `${fault.guarantee.signal} lost only as its guarantee allows` : 'nothing lost'}`, async () => {
      traffic!.stopBurst();
      const front = apps[1]!;
      const outcome = await runFault(
        front.url,
        composeServiceFault(stack!.compose, fault.service),
        { seconds: 30, perSecond: 4, fault: { atSecond: 8, downSeconds: 10 }, metricExportIntervalMs: METRIC_EXPORT_INTERVAL_MS },
        fault.guarantee,
      );
      figures.push(outcome.figures);
      expect(outcome.stream.unanswered, 'requests the front did not answer').toBe(0);
      expect(outcome.unexplained.traces, 'error traces lost or partial outside what the guarantee explains').toEqual([]);
      expect(outcome.unexplained.logs, 'log lines lost outside what the guarantee explains').toEqual([]);
      expect(outcome.missingMetricExports, 'metric exports lost').toBe(0);
      expect(outcome.workCounter.stored, "the front's work counter in VictoriaMetrics against the app's own").toBe(outcome.workCounter.own);
    }, 600_000);
  }
});

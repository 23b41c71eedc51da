/**
 * `scale: distributed` on a real Kubernetes node (issue 17, item 7's Kubernetes half): the stack `observatory synth`
 * renders for Kubernetes (distributed-deployment.ts) beside the stores it is pointed at, Loki's simple scalable mode
 * with 2 writers on the S3 server's bucket, 2 Jaeger replicas on OpenSearch, 2 samplers behind the gateway's
 * loadbalancing exporter (DNS on the samplers' headless Service), an Alertmanager cluster of 2. The sample app's
 * traffic is read back through the distributed read paths with the compose e2e's checks (test/e2e/support/), and one
 * Loki writer pod is deleted mid-stream with the compose e2e's fault counting.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardQueries, type ExpressionQuery } from '../../dashboards/dashboard-queries.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { defineStack } from '../../model/define.js';
import { useBackendUrls } from '../e2e/support/backend-urls.js';
import { eventually, jaegerTrace, vmQuery, type PromSeries } from '../e2e/support/backends.js';
import { bucketKeys } from '../e2e/support/bucket.js';
import { LOKI_BUCKET } from '../e2e/support/distributed-sizing.js';
import { lokiWriterGuarantee } from '../e2e/support/fault-guarantees.js';
import { runFault, type FaultOutcome } from '../e2e/support/fault-run.js';
import type { Fault } from '../e2e/support/fault-stream.js';
import { expectAppAndSpanMetrics, expectErrorAndSlowTraces, expectLogsWithTraceIds } from '../e2e/support/read-back.js';
import { dockerWithImages } from '../e2e/support/requirements.js';
import { sendSampleTraffic, type SampleTraffic } from '../e2e/support/sample-traffic.js';
import { kubectl, kubectlAsync, type Log } from './cluster.js';
import { clusterLayout } from './layout.js';
import { portForward, type PortForward } from './port-forward.js';
import {
  deployDistributedStack,
  DIST_NAMESPACE,
  DIST_SAMPLE_NAMESPACE,
  DISTRIBUTED_EXTRA_IMAGES,
  distributedClusterInput,
  removeDistributedStack,
  STORES_NAMESPACE,
  type DistributedDeployment,
} from './distributed-deployment.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));
// The stores' images and Grafana's Postgres, beyond what the dev stack imported (test/prepare.sh builds them).
const images = dockerWithImages(DISTRIBUTED_EXTRA_IMAGES);
const METRIC_EXPORT_INTERVAL_MS = 2_000;
/** The sample app's default TELEMETRY_BATCH_DELAY_MS (test/sample-app/config.ts). */
const TELEMETRY_BATCH_DELAY_MS = 1_000;
const log: Log = (line) => console.log(`[distributed] ${line}`);
const spec = defineStack(distributedClusterInput);

/** A StatefulSet's pod deleted (gracefully, as a drain or `kubectl delete` does); its StatefulSet recreates it. */
function podDeletion(namespace: string, pod: string): Fault {
  let uid = '';
  const uidOf = async () => (await kubectlAsync(layout, ['-n', namespace, 'get', 'pod', pod, '--ignore-not-found', '-o', 'jsonpath={.metadata.uid}'])).trim();
  return {
    name: pod,
    kill: async () => {
      uid = await uidOf();
      await kubectlAsync(layout, ['-n', namespace, 'delete', 'pod', pod, '--wait=true']);
    },
    start: async () => void (await eventually(`${pod} recreated`, uidOf, (u) => u !== '' && u !== uid, 120_000)),
    ready: async () => void (await kubectlAsync(layout, ['-n', namespace, 'wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=180s'])),
  };
}

const podsOf = (name: string): string[] =>
  kubectl(layout, ['-n', DIST_NAMESPACE, 'get', 'pods', '-l', `app.kubernetes.io/name=${name}`, '-o', 'jsonpath={.items[*].metadata.name}']).split(/\s+/).filter(Boolean).sort();

describe.skipIf(skipReason !== '' || images.skip)('the distributed stack on a real Kubernetes node', () => {
  const fileStarted = Date.now();
  let deployed: DistributedDeployment | undefined;
  const forwards: Record<string, PortForward> = {};
  let traffic: SampleTraffic | undefined;
  let fault: FaultOutcome | undefined;
  const sent = () => traffic!.sent;
  const forward = async (name: string, namespace: string, target: string, port: number) => (forwards[name] = await portForward(layout, namespace, target, port));

  beforeAll(async () => {
    images.check();
    deployed = await deployDistributedStack(layout, log);
    await forward('jaeger', DIST_NAMESPACE, 'svc/jaeger', 16686);
    await forward('loki', DIST_NAMESPACE, 'svc/loki-read', 3100);
    await forward('victoriametrics', DIST_NAMESPACE, 'svc/victoriametrics', 8428);
    await forward('front', DIST_SAMPLE_NAMESPACE, 'svc/sample-front', 8080);
    useBackendUrls({ jaeger: forwards['jaeger']!.url, victoriametrics: forwards['victoriametrics']!.url, loki: forwards['loki']!.url });
    traffic = await sendSampleTraffic(forwards['front']!.url);
    log(`sample traffic sent: ${sent().ok.length} ok, ${sent().failed.length} failing, ${sent().slow.length} slow requests; error burst running`);
  }, 600_000);

  afterAll(() => {
    traffic?.stopBurst();
    for (const f of Object.values(forwards)) f.close();
    if (process.env.OBSERVATORY_KEEP_CLUSTER === '1') log(`kept (OBSERVATORY_KEEP_CLUSTER=1): namespaces ${DIST_NAMESPACE}, ${STORES_NAMESPACE}, ${DIST_SAMPLE_NAMESPACE}`);
    else if (deployed) removeDistributedStack(layout, deployed.clusterScoped, false);
    log(`whole file: ${((Date.now() - fileStarted) / 1000).toFixed(1)} s (stores Ready ${deployed?.storesReadySeconds.toFixed(1)} s, stack Ready ${deployed?.readySeconds.toFixed(1)} s)`);
  });

  it('runs Loki SSD, Jaeger replicas, samplers and an Alertmanager cluster, every workload Ready within the bound of its probes', () => {
    const replicas = Object.fromEntries(
      ['loki-write', 'loki-read', 'loki-backend', 'jaeger', 'otel-sampler', 'otel-scraper', 'alertmanager', 'vmalert', 'victoriametrics', 'grafana', 'grafana-postgres'].map((n) => [n, podsOf(n).length]),
    );
    expect(replicas).toEqual({
      'loki-write': 2,
      'loki-read': 1,
      'loki-backend': 1,
      jaeger: 2,
      'otel-sampler': 2,
      'otel-scraper': 1,
      alertmanager: 2,
      vmalert: 1,
      victoriametrics: 1,
      grafana: 1,
      'grafana-postgres': 1,
    });
    expect(deployed!.workloads.filter((w) => /^StatefulSet\/vm(insert|select|storage)$/.test(w))).toEqual([]);
    log(`${deployed!.workloads.length} workloads Ready in ${deployed!.readySeconds.toFixed(1)} s (bound ${deployed!.boundSeconds} s); stores Ready in ${deployed!.storesReadySeconds.toFixed(1)} s`);
    expect(deployed!.readySeconds).toBeLessThanOrEqual(deployed!.boundSeconds);
  });

  it('Jaeger holds every error and slow trace whole, and each replica reads them from OpenSearch', async () => {
    const traces = await expectErrorAndSlowTraces(sent());
    const replicas = podsOf('jaeger');
    for (const pod of replicas) {
      const direct = await portForward(layout, DIST_NAMESPACE, `pod/${pod}`, 16686);
      try {
        const response = await fetch(`${direct.url}/api/traces/${sent().failed[0]}`, { signal: AbortSignal.timeout(10_000) });
        const body = (await response.json()) as { data?: { traceID: string; spans: unknown[] }[] };
        expect(body.data?.[0]?.traceID, `trace ${sent().failed[0]} through ${pod}`).toBe(sent().failed[0]);
      } finally {
        direct.close();
      }
    }
    log(`read-back: ${traces} error and slow traces whole in Jaeger; the first error trace read through each replica (${replicas.join(', ')})`);
  }, 240_000);

  it("Loki's read path holds the app logs with trace IDs, and a trace is found from its log", async () => {
    await expectLogsWithTraceIds(sent());
  }, 180_000);

  it('VictoriaMetrics holds the app metrics and the span metrics of both services', async () => {
    await expectAppAndSpanMetrics();
  }, 180_000);

  it("tells the samplers' span metrics apart by collector_instance, and the dashboards sum them", async () => {
    const samplers = podsOf('otel-sampler');
    const query = dashboardQueries(spec, { variables: { service: 'sample-front' } }).find(
      (q): q is ExpressionQuery => q.dashboardUid === DASHBOARD_UID.serviceOverview && q.panel === 'Request rate' && q.kind === 'metrics',
    );
    expect(query?.resolvedExpr).toMatch(/^sum by \(service_name\) \(rate\(traces_span_metrics_calls_total\{/);
    const perSampler = query!.resolvedExpr.replace(/^sum by \(service_name\) /, 'sum by (service_name, collector_instance) ');
    // A fixed moment, 35 s back: queries nearer now are held back by -search.latencyOffset (30 s), and by then
    // every sample up to it is stored, so both queries read the same samples.
    const at = () => Math.floor(Date.now() / 1000) - 35;
    const instances = (series: PromSeries[]) => series.map((s) => s.metric['collector_instance'] ?? '').sort();
    let time = at();
    const split = await eventually(
      `sample-front's request rate from each of ${samplers.join(', ')}`,
      async () => vmQuery(perSampler, (time = at())),
      (s) => JSON.stringify(instances(s)) === JSON.stringify(samplers) && s.every((x) => Number(x.value[1]) > 0),
      120_000,
    );
    const dashboard = await vmQuery(query!.resolvedExpr, time);
    const sum = split.reduce((total, s) => total + Number(s.value[1]), 0);
    expect(dashboard.map((s) => s.metric), 'one series for the service, whatever the samplers').toEqual([{ service_name: 'sample-front' }]);
    expect(Number(dashboard[0]!.value[1])).toBeCloseTo(sum, 9);
    log(`span metrics of sample-front (${DASHBOARD_UID.serviceOverview} "Request rate"): ${split.map((s) => `${s.metric['collector_instance']} ${Number(s.value[1]).toFixed(3)}/s`).join(' + ')} = dashboard ${Number(dashboard[0]!.value[1]).toFixed(3)}/s`);
  }, 180_000);

  it('forms one Alertmanager cluster of both members over the headless Service', async () => {
    const alertmanager = await forward('alertmanager', DIST_NAMESPACE, 'svc/alertmanager', 9093);
    const status = await eventually(
      'both Alertmanager members in one gossip cluster',
      async () => (await (await fetch(`${alertmanager.url}/api/v2/status`, { signal: AbortSignal.timeout(10_000) })).json()) as { cluster: { status: string; peers?: { name: string }[] } },
      (s) => s.cluster.status === 'ready' && (s.cluster.peers ?? []).length === spec.distributed.alertmanager.replicas,
      60_000,
    );
    log(`Alertmanager cluster ${status.cluster.status}, ${status.cluster.peers!.length} peers`);
  }, 90_000);

  it("keeps Loki's chunks in the bucket: each writer's ingester flushed, the S3 server lists them", async () => {
    for (const pod of podsOf('loki-write')) {
      const writer = await portForward(layout, DIST_NAMESPACE, `pod/${pod}`, 3100);
      try {
        const flushed = await fetch(`${writer.url}/flush`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
        expect(flushed.ok, `POST ${pod}/flush: HTTP ${flushed.status}`).toBe(true);
      } finally {
        writer.close();
      }
    }
    const s3 = await forward('s3', STORES_NAMESPACE, 'svc/s3', 9000);
    // Loki's tenant is `fake` without auth: chunks are under fake/, the TSDB index under index/.
    const keys = await eventually('Loki chunks in the bucket', () => bucketKeys(s3.url, LOKI_BUCKET, deployed!.s3Credentials), (k) => k.some((key) => key.startsWith('fake/')), 90_000);
    log(`bucket ${LOKI_BUCKET}: ${keys.length} objects (${keys.filter((k) => k.startsWith('fake/')).length} chunks)`);
  }, 180_000);

  it('deletes loki-write-1 mid-stream: logs, error traces and metric exports counted, logs lost only as its guarantee allows', async () => {
    traffic!.stopBurst();
    fault = await runFault(
      forwards['front']!.url,
      podDeletion(DIST_NAMESPACE, 'loki-write-1'),
      { seconds: 30, perSecond: 4, fault: { atSecond: 8, downSeconds: 0 }, metricExportIntervalMs: METRIC_EXPORT_INTERVAL_MS },
      lokiWriterGuarantee(spec.distributed.logs.replicationFactor, TELEMETRY_BATCH_DELAY_MS),
    );
    console.table([fault.figures]);
    expect(fault.stream.unanswered, 'requests the front did not answer').toBe(0);
    expect(fault.unexplained.logs, 'log lines lost outside what the guarantee explains').toEqual([]);
    expect(fault.unexplained.traces, 'error traces lost or partial').toEqual([]);
    expect(fault.missingMetricExports, 'metric exports lost').toBe(0);
    expect(fault.workCounter.stored, "the front's work counter in VictoriaMetrics against the app's own").toBe(fault.workCounter.own);
  }, 400_000);
});

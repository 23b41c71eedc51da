/**
 * The verification ladder's sixth rung: the stack `observatory synth --env dev` renders, applied to a real
 * Kubernetes v1.34 node (test/cluster/), receives the sample app's telemetry from pods of another namespace, and
 * every signal is read back through each backend's own API (kubectl port-forward), including what only
 * Kubernetes adds: pod metadata from k8s_attributes, kubelet stats, cluster metrics and Kubernetes events.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorBurstExpectation } from '../../alerts/error-burst-expectation.js';
import { dashboardQueries } from '../../dashboards/dashboard-queries.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { defineStack } from '../../model/define.js';
import { useBackendUrls } from '../e2e/support/backend-urls.js';
import { eventually, jaegerTrace, lokiQuery, vmQuery } from '../e2e/support/backends.js';
import { runDashboardQuery } from '../e2e/support/dashboard-queries.js';
import { sendSampleTraffic, type SampleTraffic } from '../e2e/support/sample-traffic.js';
import { datasourceProblem, GrafanaApi } from '../e2e/support/grafana.js';
import { kubectl, tryKubectl } from './cluster.js';
import { clusterLayout } from './layout.js';
import { portForward, type PortForward } from './port-forward.js';
import { clusterStackInput, secretValue, STACK_NAMESPACE } from './stack-deployment.js';
import { probePodManifest, SAMPLE_NAMESPACE, TEST_NAMESPACE } from './test-workloads.js';
import { receivedAlerts } from './webhook-notifications.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));

describe.skipIf(skipReason !== '')('the rendered stack on a real Kubernetes node', () => {
  const forwards: Record<string, PortForward> = {};
  let traffic: SampleTraffic | undefined;
  const sent = () => traffic!.sent;

  beforeAll(async () => {
    const targets = {
      jaeger: ['svc/jaeger', 16686],
      victoriametrics: ['svc/victoriametrics', 8428],
      loki: ['svc/loki', 3100],
      grafana: ['svc/grafana', 3000],
    } as const;
    for (const [name, [target, port]] of Object.entries(targets)) forwards[name] = await portForward(layout, STACK_NAMESPACE, target, port);
    forwards['front'] = await portForward(layout, SAMPLE_NAMESPACE, 'svc/sample-front', 8080);
    forwards['sink'] = await portForward(layout, TEST_NAMESPACE, 'svc/webhook-sink', 8080);
    useBackendUrls({ jaeger: forwards['jaeger']!.url, victoriametrics: forwards['victoriametrics']!.url, loki: forwards['loki']!.url });

    traffic = await sendSampleTraffic(forwards['front']!.url);
  }, 300_000);

  afterAll(() => {
    traffic?.stopBurst();
    for (const f of Object.values(forwards)) f.close();
  });

  it('turns every workload Ready within the bound derived from its probes', () => {
    const ready = inject('stackReadySeconds');
    const bound = inject('stackReadyBoundSeconds');
    console.log(`cluster up in ${inject('clusterUpSeconds').toFixed(1)} s; stack all Ready in ${ready.toFixed(1)} s (bound ${bound} s)`);
    expect(ready).toBeLessThanOrEqual(bound);
  });

  it('Jaeger holds every error trace (100 %) and every slow trace, spanning both services', async () => {
    for (const traceId of [...sent().failed, ...sent().slow]) {
      const trace = await eventually(`trace ${traceId} in Jaeger`, () => jaegerTrace(traceId), (t) => t !== undefined && t.spans.length >= 3, 120_000);
      const services = new Set(Object.values(trace!.processes).map((p) => p.serviceName));
      expect([...services].sort()).toEqual(['sample-back', 'sample-front']);
    }
    console.log(`error traces found: ${sent().failed.length}/${sent().failed.length}; slow traces: ${sent().slow.length}/${sent().slow.length}`);
  }, 300_000);

  it('spans carry the sending pod\'s name and namespace, added by the gateway\'s k8s_attributes', async () => {
    const trace = await eventually('an error trace', () => jaegerTrace(sent().failed[0]!), (t) => t !== undefined, 120_000);
    const processTags = (trace as unknown as { processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }> }).processes;
    for (const process of Object.values(processTags)) {
      const tags = Object.fromEntries(process.tags.map((t) => [t.key, t.value]));
      expect(tags['k8s.namespace.name'], `${process.serviceName}'s k8s.namespace.name`).toBe(SAMPLE_NAMESPACE);
      expect(String(tags['k8s.pod.name']), `${process.serviceName}'s k8s.pod.name`).toMatch(new RegExp(`^${process.serviceName}-[a-z0-9]+-[a-z0-9]+$`));
      expect(tags['k8s.deployment.name'], `${process.serviceName}'s k8s.deployment.name`).toBe(process.serviceName);
    }
  }, 180_000);

  it('VictoriaMetrics holds the app metrics and the span metrics of both services', async () => {
    const ofService = (service: string) => (series: { metric: Record<string, string> }[]) => series.some((s) => Object.values(s.metric).includes(service));
    for (const service of ['sample-front', 'sample-back']) {
      await eventually(`${service} work counter`, () => vmQuery('{__name__=~"sample_app.*work.*"}'), ofService(service), 120_000);
      await eventually(`${service} span metrics`, () => vmQuery('{__name__=~"traces_span_metrics_calls.*"}'), ofService(service), 120_000);
    }
  }, 300_000);

  it('VictoriaMetrics holds the agent\'s kubelet stats and the sampler\'s cluster metrics', async () => {
    const kubelet = await eventually('kubelet stats of the sample pods', () => vmQuery(`{__name__=~"k8s_pod_(cpu|memory|network|filesystem)_.*", k8s_namespace_name="${SAMPLE_NAMESPACE}"}`), (s) => s.length > 0, 180_000);
    const cluster = await eventually('k8s_cluster deployment metrics', () => vmQuery(`{__name__=~"k8s_deployment_.*", k8s_namespace_name="${SAMPLE_NAMESPACE}"}`), (s) => s.length > 0, 180_000);
    const names = (s: { metric: Record<string, string> }[]) => [...new Set(s.map((x) => x.metric['__name__']))].sort().join(', ');
    console.log(`kubelet stats series of ${SAMPLE_NAMESPACE}: ${kubelet.length} (${names(kubelet)}); cluster metrics: ${cluster.length} (${names(cluster)})`);
  }, 300_000);

  it('Loki holds the app logs with trace IDs, and the Kubernetes events of the cluster', async () => {
    const entries = await eventually('sample-front logs with trace IDs', () => lokiQuery('{service_name="sample-front"}'), (found) => found.filter((e) => e.labels['trace_id']).length >= 10, 120_000);
    const failedTrace = sent().failed[0]!;
    expect(entries.some((e) => e.labels['trace_id'] === failedTrace), `a log line of trace ${failedTrace}`).toBe(true);
    // The sampler's k8s_objects receiver watches events.k8s.io (new ones only): a pod started now makes some,
    // each arriving as a log record whose body is the event.
    const pod = `event-source-${Date.now()}`;
    kubectl(layout, ['apply', '-f', '-'], JSON.stringify(probePodManifest(pod, SAMPLE_NAMESPACE, { app: 'event-source' }, ['/bin/true'])));
    const events = await eventually(
      `Kubernetes events of pod ${pod} in Loki`,
      // k8s_resource_name is structured metadata, not a stream label: filtered after the stream selector.
      () => lokiQuery(`{k8s_namespace_name="${SAMPLE_NAMESPACE}"} | k8s_resource_name="events" |= "${pod}"`, 30),
      (e) => e.some((x) => /"reason":"(Scheduled|Pulled|Created|Started)"/.test(x.line)),
      180_000,
    );
    tryKubectl(layout, ['-n', SAMPLE_NAMESPACE, 'delete', 'pod', pod, '--wait=false']);
    console.log(`app log lines with trace IDs: ${entries.filter((e) => e.labels['trace_id']).length}; Kubernetes event records: ${events.length}`);
  }, 300_000);

  it('Grafana reports every provisioned datasource healthy', async () => {
    const grafana = new GrafanaApi(secretValue(inject('stackOut'), 'grafana-admin', 'password'), forwards['grafana']!.url);
    const datasources = await grafana.get<{ uid: string; type: string }[]>('/api/datasources');
    expect(datasources.status).toBe(200);
    const unhealthy: string[] = [];
    for (const datasource of datasources.body) {
      const problem = await datasourceProblem(grafana, datasource);
      if (problem) unhealthy.push(`${datasource.uid}: ${problem}`);
    }
    expect(unhealthy).toEqual([]);
  }, 120_000);

  it('every query of the Kubernetes dashboard runs and returns data', async () => {
    const spec = defineStack(clusterStackInput);
    const queries = dashboardQueries(spec, { variables: { namespace: SAMPLE_NAMESPACE, service: 'sample-front' } }).filter((q) => q.dashboardUid === DASHBOARD_UID.kubernetes);
    expect(queries.length).toBeGreaterThan(5);
    // Panels that list only what is wrong (`> 0`): empty on a healthy cluster, but their queries must run.
    const listsOnlyTrouble = new Set(['Restarting containers']);
    // This node's kubelet (on Debian's containerd 1.6, CRI stats) reports no per-pod network counters in
    // /stats/summary, so k8s.pod.network.io never exists here; DOKS's kubelets report them.
    const notOnThisNode = new Set(['Pod network (top 10)']);
    const mayBeEmpty = (panel: string) => listsOnlyTrouble.has(panel) || notOnThisNode.has(panel);
    const missing = (o: Awaited<ReturnType<typeof runDashboardQuery>>[]) => o.filter((x) => x.error || (x.results === 0 && !mayBeEmpty(x.query.panel)));
    const outcomes = await eventually('every Kubernetes dashboard query with data', () => Promise.all(queries.map(runDashboardQuery)), (o) => missing(o).length === 0, 240_000).catch(
      async (err: Error) => {
        const last = missing(await Promise.all(queries.map(runDashboardQuery)));
        throw new Error(`${err.message}\n${last.map((x) => `${x.query.panel} [${x.query.refId}]: ${x.error ?? 'no data'} (${x.query.kind === 'traces' ? '' : x.query.resolvedExpr})`).join('\n')}`);
      },
    );
    // The "(top N)" graphs pick their N series once for the whole range (MetricsQL topk_avg / topk_max): over the
    // 15 minutes asked for, in 30 s steps, never more than N on the real VictoriaMetrics. PromQL's topk, ranking at
    // every step, drew 15 pods in the gallery's 5-minute run, but a minute after the stack is Ready the ranking may not
    // have changed yet: with a bare topk this check passed too (one run). The unit test
    // (test/unit/dashboard-top-and-tables.test.ts) is the one that fails when the ranking goes back to topk.
    const topN = (panel: string) => Number(/\(top (\d+)\)/.exec(panel)?.[1] ?? Infinity);
    expect(outcomes.filter((x) => Number.isFinite(topN(x.query.panel))).length).toBe(3);
    expect(outcomes.filter((x) => x.results > topN(x.query.panel)).map((x) => `${x.query.panel}: ${x.results} series`)).toEqual([]);
    console.log(`Kubernetes dashboard: ${outcomes.length} queries, ${outcomes.filter((x) => x.results > 0).length} with data (${[...listsOnlyTrouble].join(', ')}: lists only trouble; ${[...notOnThisNode].join(', ')}: no data on this node)`);
  }, 300_000);

  it('fires the error-rate alert on the error burst and Alertmanager delivers it to the webhook', async () => {
    const expected = errorBurstExpectation(defineStack(clusterStackInput));
    const deadline = traffic!.burstStartedAt + (expected.deliveredWithinSeconds + 60) * 1000;
    await eventually(
      `${expected.alertname} (service ${expected.labels.service}) at the webhook`,
      () => receivedAlerts(forwards['sink']!.url),
      (alerts) => alerts.some((a) => a.labels['alertname'] === expected.alertname && a.labels['service'] === expected.labels.service && a.status === 'firing'),
      Math.max(10_000, deadline - Date.now()),
    );
    console.log(`${expected.alertname} delivered ${((Date.now() - traffic!.burstStartedAt) / 1000).toFixed(0)} s after the burst started (bound ${expected.deliveredWithinSeconds} s)`);
  }, 900_000);
});

/**
 * Restarts on real volumes: while senders in another namespace stream numbered logs, error spans and metric
 * samples to the collector's Service, the gateway pod and then the Loki and Jaeger pods are deleted (their
 * StatefulSets recreate them on the same PersistentVolumeClaims). Everything the collector accepted is then
 * counted in the backends: the loss must be 0, and what was stored before a backend's restart must still be there
 * after it (its PVC kept it).
 */
import { randomUUID } from 'node:crypto';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useBackendUrls } from '../e2e/support/backend-urls.js';
import { eventually, jaegerTraceIds, lokiQuery, vmExport } from '../e2e/support/backends.js';
import { kubectl, tryKubectl } from './cluster.js';
import { PROBE_IMAGE } from './cluster-images.js';
import { clusterLayout } from './layout.js';
import { portForward, type PortForward } from './port-forward.js';
import { STACK_NAMESPACE, waitWorkloadsReady } from './stack-deployment.js';
import { restrictedContainer } from './manifests.js';
import { OTLP_HTTP_IN_CLUSTER, SAMPLE_NAMESPACE } from './test-workloads.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));
const signals = ['logs', 'traces', 'metrics'] as const;
const COUNT = 900;
const RATE = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function senderJob(signal: string, run: string): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `otlpsend-${signal}`, namespace: SAMPLE_NAMESPACE, labels: { 'observatory.test/sender': 'true' } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { 'observatory.test/sender': 'true' } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'send',
              image: PROBE_IMAGE,
              imagePullPolicy: 'Never',
              command: ['/bin/otlpsend', OTLP_HTTP_IN_CLUSTER, signal, String(COUNT), String(RATE), run],
              securityContext: restrictedContainer(65532),
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** Deletes a StatefulSet's pod and waits until its replacement is Ready; returns the seconds that took. */
async function restart(pod: string, statefulSet: string): Promise<number> {
  const started = Date.now();
  const uid = kubectl(layout, ['-n', STACK_NAMESPACE, 'get', 'pod', pod, '-o', 'jsonpath={.metadata.uid}']);
  kubectl(layout, ['-n', STACK_NAMESPACE, 'delete', 'pod', pod, '--wait=true']);
  await eventually(`${pod} recreated`, async () => tryKubectl(layout, ['-n', STACK_NAMESPACE, 'get', 'pod', pod, '-o', 'jsonpath={.metadata.uid}']).stdout, (u) => u !== '' && u !== uid, 120_000);
  await waitWorkloadsReady(layout, STACK_NAMESPACE, [`StatefulSet/${statefulSet}`], 180_000);
  return (Date.now() - started) / 1000;
}

describe.skipIf(skipReason !== '')('restarts on real volumes lose nothing', () => {
  const run = `r${randomUUID().slice(0, 8)}`;
  const forwards: PortForward[] = [];
  const restarts: Record<string, number> = {};
  const before = { logs: 0, traces: 0 };

  const connect = async (): Promise<void> => {
    for (const f of forwards.splice(0)) f.close();
    const jaeger = await portForward(layout, STACK_NAMESPACE, 'svc/jaeger', 16686);
    const vm = await portForward(layout, STACK_NAMESPACE, 'svc/victoriametrics', 8428);
    const loki = await portForward(layout, STACK_NAMESPACE, 'svc/loki', 3100);
    forwards.push(jaeger, vm, loki);
    useBackendUrls({ jaeger: jaeger.url, victoriametrics: vm.url, loki: loki.url });
  };
  const found = {
    logs: async () => new Set((await lokiQuery(`{service_name="otlpsend"} |= "otlpsend ${run} "`, 30)).map((e) => e.line)).size,
    traces: async () => (await jaegerTraceIds('otlpsend', '1h', 10_000)).length,
    metrics: async () => new Set((await vmExport(`otlpsend_seq{run_id="${run}"}`)).flatMap((s) => s.values)).size,
  };

  beforeAll(async () => {
    tryKubectl(layout, ['-n', SAMPLE_NAMESPACE, 'delete', 'job', '-l', 'observatory.test/sender=true', '--wait=true']);
    kubectl(layout, ['apply', '-f', '-'], signals.map((s) => yaml.dump(senderJob(s, run))).join('---\n'));
    await connect();
    await sleep(15_000);
    restarts['gateway (otel-collector-0)'] = await restart('otel-collector-0', 'otel-collector');
    await sleep(10_000);
    before.logs = await found.logs();
    before.traces = await found.traces();
    restarts['loki-0'] = await restart('loki-0', 'loki');
    restarts['jaeger-0'] = await restart('jaeger-0', 'jaeger');
    await connect();
    for (const s of signals) kubectl(layout, ['-n', SAMPLE_NAMESPACE, 'wait', '--for=condition=Complete', `job/otlpsend-${s}`, `--timeout=${COUNT / RATE + 240}s`]);
  }, 900_000);

  afterAll(() => {
    for (const f of forwards) f.close();
    tryKubectl(layout, ['-n', SAMPLE_NAMESPACE, 'delete', 'job', '-l', 'observatory.test/sender=true', '--wait=false']);
  });

  it('finds every item the collector accepted, across the gateway, Loki and Jaeger restarts', async () => {
    const sent = Object.fromEntries(signals.map((s) => [s, JSON.parse(kubectl(layout, ['-n', SAMPLE_NAMESPACE, 'logs', `job/otlpsend-${s}`]).trim()) as { sent: number; retries: number }]));
    const counts: Record<string, number> = {};
    for (const s of signals) {
      counts[s] = await eventually(`all ${COUNT} ${s} of run ${run}`, found[s], (n) => n >= COUNT, 240_000).catch(async () => found[s]());
    }
    console.log(
      `restarts (delete → Ready): ${Object.entries(restarts).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')}\n` +
        signals.map((s) => `${s}: accepted ${sent[s]!.sent} (sender retries ${sent[s]!.retries}), found ${counts[s]}, lost ${sent[s]!.sent - counts[s]!}`).join('\n'),
    );
    expect(counts).toEqual({ logs: COUNT, traces: COUNT, metrics: COUNT });
  }, 600_000);

  it('keeps what Loki and Jaeger stored before their restart (their PVCs)', async () => {
    expect(before.logs).toBeGreaterThan(0);
    expect(before.traces).toBeGreaterThan(0);
    expect(await found.logs()).toBeGreaterThanOrEqual(before.logs);
    expect(await found.traces()).toBeGreaterThanOrEqual(before.traces);
    console.log(`stored before the backend restarts and found after: logs ${before.logs}, traces ${before.traces}`);
  }, 120_000);
});

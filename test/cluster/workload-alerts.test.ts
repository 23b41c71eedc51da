/**
 * The workload alerts on real series: a pod of the sample app's namespace that exits at once goes into
 * CrashLoopBackOff; vmalert, evaluating the rendered kubernetes.yml against what the sampler's k8s_cluster receiver
 * collected, fires KubeContainerCrashLooping for exactly that container, and Alertmanager delivers it to the webhook.
 * That proves what the promtool and vmalert-tool cases (test/validators) cannot: the metric and label names the rule
 * reads exist on a real cluster. The cluster's stack holds the alert for 1 minute instead of 15 (alerting.overrides
 * in stack-deployment.ts), which is the only change to the shipped rule.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../e2e/support/backends.js';
import { kubectl, tryKubectl } from './cluster.js';
import { clusterLayout } from './layout.js';
import { portForward } from './port-forward.js';
import { clusterStackInput, STACK_NAMESPACE } from './stack-deployment.js';
import { probePodManifest, SAMPLE_NAMESPACE, TEST_NAMESPACE } from './test-workloads.js';
import { receivedAlerts } from './webhook-notifications.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));
const POD = 'crash-looper';

interface VmalertAlert {
  name: string;
  state: string;
  labels: Record<string, string>;
}

describe.skipIf(skipReason !== '')('workload alerts on a real cluster', () => {
  afterAll(() => {
    tryKubectl(layout, ['-n', SAMPLE_NAMESPACE, 'delete', 'pod', POD, '--wait=false']);
  });

  it('fires KubeContainerCrashLooping for a crash-looping container and delivers it to the webhook within 6 minutes', async () => {
    const holdFor = clusterStackInput.alerting.overrides.KubeContainerCrashLooping.for;
    const pod = probePodManifest(POD, SAMPLE_NAMESPACE, { app: POD }, ['/bin/false']) as { spec: Record<string, unknown> };
    pod.spec['restartPolicy'] = 'Always';
    kubectl(layout, ['apply', '-f', '-'], JSON.stringify(pod));
    const started = Date.now();
    const since = (at: number) => `${((at - started) / 1000).toFixed(0)} s`;
    const vmalert = await portForward(layout, STACK_NAMESPACE, 'svc/vmalert', 8880);
    const sink = await portForward(layout, TEST_NAMESPACE, 'svc/webhook-sink', 8080);
    try {
      const crashLooping = (a: { name?: string; labels: Record<string, string> }) =>
        (a.name ?? a.labels['alertname']) === 'KubeContainerCrashLooping' && a.labels['k8s_pod_name'] === POD;
      // k8s_cluster collects every 30 s and vmalert evaluates every 30 s; CrashLoopBackOff starts after the second
      // exit (back-off 10 s); then the rule holds for `holdFor` and Alertmanager waits its group_wait.
      const alerts = await eventually(
        `KubeContainerCrashLooping pending or firing for ${SAMPLE_NAMESPACE}/${POD}`,
        async () => {
          const response = await fetch(`${vmalert.url}/api/v1/alerts`, { signal: AbortSignal.timeout(10_000) });
          return ((await response.json()) as { data: { alerts: VmalertAlert[] } }).data.alerts;
        },
        (all) => all.some(crashLooping),
        240_000,
      );
      const seenAt = Date.now();
      const alert = alerts.find(crashLooping)!;
      expect(alert.labels).toMatchObject({ k8s_namespace_name: SAMPLE_NAMESPACE, k8s_container_name: 'probe', severity: 'P2' });
      // Nothing else of the namespace is crash-looping: the alert names the one container, not a namespace.
      expect(alerts.filter((a) => a.name === 'KubeContainerCrashLooping').map((a) => a.labels['k8s_pod_name'])).toEqual([POD]);
      const delivered = await eventually(
        'KubeContainerCrashLooping firing at the webhook',
        () => receivedAlerts(sink.url),
        (all) => all.some((a) => crashLooping(a) && a.status === 'firing'),
        180_000,
      );
      expect(delivered.find((a) => crashLooping(a) && a.status === 'firing')!.annotations['runbook_url']).toMatch(/KubeContainerCrashLooping\.md$/);
      console.log(`KubeContainerCrashLooping ${alert.state} ${since(seenAt)} after the pod was created, firing at the webhook after ${since(Date.now())} (held for ${holdFor})`);
    } finally {
      vmalert.close();
      sink.close();
    }
  }, 480_000);
});

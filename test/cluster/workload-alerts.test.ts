/**
 * The workload alerts on real series: a pod of the sample app's namespace that exits at once goes into
 * CrashLoopBackOff, and vmalert, evaluating the rendered kubernetes.yml against what the sampler's k8s_cluster
 * receiver collected, has KubeContainerCrashLooping for exactly that container, pending. That proves what the
 * promtool and vmalert-tool cases (test/validators) cannot: the metric and label names the rule reads exist on a
 * real cluster. Firing follows after the rule's own `for` (15 minutes), which those cases check.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../e2e/support/backends.js';
import { kubectl, tryKubectl } from './cluster.js';
import { clusterLayout } from './layout.js';
import { portForward } from './port-forward.js';
import { STACK_NAMESPACE } from './stack-deployment.js';
import { probePodManifest, SAMPLE_NAMESPACE } from './test-workloads.js';

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

  it('has KubeContainerCrashLooping pending for a crash-looping container within 4 minutes', async () => {
    const pod = probePodManifest(POD, SAMPLE_NAMESPACE, { app: POD }, ['/bin/false']) as { spec: Record<string, unknown> };
    pod.spec['restartPolicy'] = 'Always';
    kubectl(layout, ['apply', '-f', '-'], JSON.stringify(pod));
    const started = Date.now();
    const vmalert = await portForward(layout, STACK_NAMESPACE, 'svc/vmalert', 8880);
    try {
      // k8s_cluster collects every 30 s and vmalert evaluates every 30 s; CrashLoopBackOff starts after the
      // second exit (back-off 10 s): 4 minutes leaves room for all of it on a busy node.
      const alerts = await eventually(
        `KubeContainerCrashLooping for ${SAMPLE_NAMESPACE}/${POD}`,
        async () => {
          const response = await fetch(`${vmalert.url}/api/v1/alerts`, { signal: AbortSignal.timeout(10_000) });
          return ((await response.json()) as { data: { alerts: VmalertAlert[] } }).data.alerts;
        },
        (all) => all.some((a) => a.name === 'KubeContainerCrashLooping' && a.labels['k8s_pod_name'] === POD),
        240_000,
      );
      const alert = alerts.find((a) => a.name === 'KubeContainerCrashLooping' && a.labels['k8s_pod_name'] === POD)!;
      expect(alert.labels).toMatchObject({ k8s_namespace_name: SAMPLE_NAMESPACE, k8s_container_name: 'probe', severity: 'P2' });
      expect(['pending', 'firing']).toContain(alert.state);
      // Nothing else of the namespace is crash-looping: the alert names the one container, not a namespace.
      expect(alerts.filter((a) => a.name === 'KubeContainerCrashLooping').map((a) => a.labels['k8s_pod_name'])).toEqual([POD]);
      console.log(`KubeContainerCrashLooping ${alert.state} ${((Date.now() - started) / 1000).toFixed(0)} s after the pod was created`);
    } finally {
      vmalert.close();
    }
  }, 300_000);
});

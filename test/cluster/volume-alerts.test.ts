/**
 * The volume alerts on a real kubelet: the agents scrape their kubelet's `/metrics` (`nodes/metrics`) and keep only
 * the claims' volume stats; StackVolumeAlmostFull and KubePersistentVolumeFillingUp read them. The claims are
 * measured-volumes.ts's (a `local` volume on a tmpfs of 16 MiB each, filled by its pod, deployed by the global setup):
 * the cluster's local-path StorageClass makes `hostPath` volumes, which the kubelet does not measure, so the stack's
 * own claims have no volume stats here. What promtool and vmalert-tool (test/validators) cannot show: the series, their
 * labels after the collector's prometheus receiver, OTLP and VictoriaMetrics, and the kubelet's RBAC, as they are.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useBackendUrls } from '../e2e/support/backend-urls.js';
import { eventually, vmQuery } from '../e2e/support/backends.js';
import { kubectl } from './cluster.js';
import { clusterLayout } from './layout.js';
import { MEASURED_CLAIMS, MEASURED_VOLUME_KIB } from './measured-volumes.js';
import { portForward, type PortForward } from './port-forward.js';
import { STACK_NAMESPACE } from './stack-deployment.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));
const VOLUME_STATS = ['capacity_bytes', 'available_bytes', 'used_bytes', 'inodes', 'inodes_free', 'inodes_used'].map((m) => `kubelet_volume_stats_${m}`);

interface VmalertAlert {
  name: string;
  state: string;
  labels: Record<string, string>;
  value: string;
}

describe.skipIf(skipReason !== '')('volume alerts on a real cluster', () => {
  let vm: PortForward;
  let vmalert: PortForward;
  const alerts = async (): Promise<VmalertAlert[]> => {
    const response = await fetch(`${vmalert.url}/api/v1/alerts`, { signal: AbortSignal.timeout(10_000) });
    return ((await response.json()) as { data: { alerts: VmalertAlert[] } }).data.alerts;
  };
  const value = (series: { value?: [number, string] }[]) => Number(series[0]?.value?.[1] ?? NaN);
  const started = Date.now();
  const since = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

  beforeAll(async () => {
    vm = await portForward(layout, STACK_NAMESPACE, 'svc/victoriametrics', 8428);
    vmalert = await portForward(layout, STACK_NAMESPACE, 'svc/vmalert', 8880);
    useBackendUrls({ victoriametrics: vm.url });
  }, 60_000);

  afterAll(() => {
    vm?.close();
    vmalert?.close();
  });

  it('the agent brings the kubelet\'s volume stats of the claims to VictoriaMetrics, and nothing else of the kubelet\'s /metrics', async () => {
    const { sample, stack } = MEASURED_CLAIMS;
    for (const c of [sample, stack]) {
      const selector = `namespace="${c.namespace}", persistentvolumeclaim="${c.claim}"`;
      const used = await eventually(
        `kubelet_volume_stats_used_bytes of ${c.namespace}/${c.claim} at its fill`,
        () => vmQuery(`kubelet_volume_stats_used_bytes{${selector}}`),
        (s) => value(s) >= c.fillKiB * 1024,
        150_000,
      );
      // The labels the rules read, as they land: the kubelet's own, the job as service_name, the agent's node.
      expect(used[0]!.metric).toMatchObject({ namespace: c.namespace, persistentvolumeclaim: c.claim, service_name: 'kubelet', k8s_node_name: layout.nodeName });
      expect(value(await vmQuery(`kubelet_volume_stats_capacity_bytes{${selector}}`))).toBe(MEASURED_VOLUME_KIB * 1024);
      console.log(`${c.namespace}/${c.claim}: used ${value(used)} of ${MEASURED_VOLUME_KIB * 1024} bytes, in VictoriaMetrics ${since()} into this test`);
    }
    const names = (await vmQuery('count by (__name__) ({service_name="kubelet"})')).map((s) => s.metric['__name__']!);
    // The prometheus receiver's own series of the job (up, scrape_*) are not the kubelet's: no relabelling applies to them.
    expect(names.filter((n) => n !== 'up' && !n.startsWith('scrape_')).sort()).toEqual([...VOLUME_STATS].sort());
    const scraped = value(await vmQuery('max(scrape_samples_scraped{service_name="kubelet"})'));
    const kept = value(await vmQuery('max(scrape_samples_post_metric_relabeling{service_name="kubelet"})'));
    expect(kept).toBeLessThan(scraped);
    // Every volume stat is a claim's: no ConfigMap, Secret or emptyDir volume reaches them.
    expect(await vmQuery('{__name__=~"kubelet_volume_stats_.*", persistentvolumeclaim=""}')).toEqual([]);
    const claims = (await vmQuery('count by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)')).map((s) => `${s.metric['namespace']}/${s.metric['persistentvolumeclaim']}`);
    const stackClaims = kubectl(layout, ['-n', STACK_NAMESPACE, 'get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter((n) => n !== '' && n !== stack.claim);
    console.log(`kubelet /metrics: ${scraped} samples a scrape, ${kept} kept; claims with volume stats: ${claims.sort().join(', ')}; the stack's ${stackClaims.length} claims on local-path (hostPath, not measured) have none`);
  }, 240_000);

  it('KubePersistentVolumeFillingUp pages for the full claim of a workload\'s namespace, and leaves the stack\'s claim to StackVolumeAlmostFull', async () => {
    const { sample, stack } = MEASURED_CLAIMS;
    const filling = (c: { namespace: string; claim: string }) => (a: VmalertAlert) =>
      a.name === 'KubePersistentVolumeFillingUp' && a.labels['namespace'] === c.namespace && a.labels['persistentvolumeclaim'] === c.claim;
    const all = await eventually(`KubePersistentVolumeFillingUp pending or firing for ${sample.namespace}/${sample.claim}`, alerts, (a) => a.some(filling(sample)), 150_000);
    const alert = all.find(filling(sample))!;
    expect(alert.labels).toMatchObject({ severity: 'P1', service: sample.namespace });
    expect(all.filter(filling(stack))).toEqual([]);
    expect(all.filter((a) => a.name === 'KubePersistentVolumeFillingUp' && a.labels['namespace'] === STACK_NAMESPACE)).toEqual([]);
    console.log(`KubePersistentVolumeFillingUp ${alert.state} for ${sample.namespace}/${sample.claim} (free share ${Number(alert.value).toFixed(4)}), ${since()} into this test`);
  }, 180_000);

  it('StackVolumeAlmostFull is pending for the stack\'s full claim, and for no ConfigMap, Secret or emptyDir volume', async () => {
    const { stack } = MEASURED_CLAIMS;
    const almostFull = (a: VmalertAlert) => a.name === 'StackVolumeAlmostFull';
    const all = await eventually(
      `StackVolumeAlmostFull pending for ${stack.namespace}/${stack.claim}`,
      alerts,
      (a) => a.some((x) => almostFull(x) && x.labels['persistentvolumeclaim'] === stack.claim),
      150_000,
    );
    const raised = all.filter(almostFull);
    const claims = kubectl(layout, ['-n', STACK_NAMESPACE, 'get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter(Boolean);
    // One per claim of the namespace, never one per pod volume.
    for (const a of raised) expect(claims, `StackVolumeAlmostFull for ${JSON.stringify(a.labels)}`).toContain(a.labels['persistentvolumeclaim']);
    expect(raised.map((a) => a.labels['persistentvolumeclaim'])).toEqual([stack.claim]);
    expect(raised[0]!.labels).toMatchObject({ severity: 'P2', service: 'observatory', component: 'volume-probe', namespace: STACK_NAMESPACE });
    // What the rule read before (the kubelet stats' every pod volume, ConfigMaps and emptyDirs against the node's disk).
    const before = await vmQuery(`1 - max by (k8s_pod_name, k8s_volume_name) (k8s_volume_available_bytes{k8s_namespace_name="${STACK_NAMESPACE}"} / k8s_volume_capacity_bytes{k8s_namespace_name="${STACK_NAMESPACE}"}) > 0.8`);
    const volumes = await vmQuery(`count(k8s_volume_capacity_bytes{k8s_namespace_name="${STACK_NAMESPACE}"})`);
    console.log(
      `StackVolumeAlmostFull: ${raised.length} (${raised.map((a) => `${a.labels['persistentvolumeclaim']} ${a.state} at ${Number(a.value).toFixed(3)}`).join(', ')}), ${since()} into this test; ` +
        `the former rule's expression over the kubelet stats' ${value(volumes)} pod volumes now: ${before.length} above 80 % (${before.map((s) => `${s.metric['k8s_pod_name']}/${s.metric['k8s_volume_name']}`).join(', ')})`,
    );
  }, 180_000);
});

import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { observatoryDashboard } from '../dashboard.js';
import { statPanel, tablePanel, timeSeriesPanel } from '../panels.js';
import { metricsQuery, topSeries } from '../queries.js';
import { KUBERNETES_ONLY_TAG } from '../files.js';
import { DASHBOARD_UID } from '../uids.js';
import { labelVariable } from '../variables.js';

/*
 * Metrics of the collector's k8s_cluster (gateway) and kubeletstats (agent) receivers at v0.152.0, default
 * metric set, as VictoriaMetrics stores OTLP with -opentelemetry.usePrometheusNaming: dots become
 * underscores, the unit is appended (`By` → `_bytes`; `{cpu}`, `{restart}` and `s` on gauges as
 * documented), monotonic sums get `_total`. Resource attributes become labels (`k8s.pod.name` →
 * `k8s_pod_name`). Assumed from the receivers' documentation.md and the naming seen for the Node.js
 * metrics (v8js.memory.heap.used → v8js_memory_heap_used_bytes); the e2e stack has no Kubernetes to
 * confirm them against.
 */
const NS = 'k8s_namespace_name=~"$namespace"';
const NODE = 'k8s_node_name=~"$node"';

/** k8s.pod.phase values. */
const POD_PHASE = { pending: 1, running: 2, failed: 4 } as const;

/** Kubernetes: cluster, node and pod CPU, memory, restarts and network from the collector's receivers. */
export function kubernetesDashboard(): Dashboard {
  const pods = (phase: number) => metricsQuery(`count(k8s_pod_phase{${NS}} == ${phase}) or vector(0)`);
  return observatoryDashboard({
    uid: DASHBOARD_UID.kubernetes,
    title: 'Kubernetes',
    description: 'Cluster, node and pod CPU, memory, restarts and network, from the collector\'s k8s_cluster and kubeletstats receivers (Kubernetes only; the compose stack has none of these metrics).',
    tags: [KUBERNETES_ONLY_TAG],
    variables: [
      labelVariable({ name: 'namespace', label: 'Namespace', description: 'Kubernetes namespace', source: { metric: 'k8s_pod_phase', label: 'k8s_namespace_name' } }),
      labelVariable({ name: 'node', label: 'Node', description: 'Kubernetes node', source: { metric: 'k8s_node_cpu_usage', label: 'k8s_node_name' } }),
    ],
    rows: [
      {
        title: 'Cluster',
        panels: [
          statPanel({ title: 'Running pods', description: 'Pods in phase Running in the selected namespaces.', unit: 'short', width: 6, queries: [pods(POD_PHASE.running)] }),
          statPanel({
            title: 'Pending pods',
            description: 'Pods waiting to be scheduled or for their images. Yellow from 1, red from 5: look at events and node capacity.',
            unit: 'short',
            width: 6,
            thresholds: [{ value: 1, color: 'yellow' }, { value: 5, color: 'red' }],
            queries: [pods(POD_PHASE.pending)],
          }),
          statPanel({
            title: 'Failed pods',
            description: 'Pods in phase Failed. Red from 1.',
            unit: 'short',
            width: 6,
            thresholds: [{ value: 1, color: 'red' }],
            queries: [pods(POD_PHASE.failed)],
          }),
          statPanel({
            title: 'Container restarts',
            description: 'Container restarts over the time range in the selected namespaces. Yellow from 1, red from 5.',
            unit: 'short',
            width: 6,
            thresholds: [{ value: 1, color: 'yellow' }, { value: 5, color: 'red' }],
            queries: [metricsQuery(`sum(increase(k8s_container_restarts{${NS}}[$__range])) or vector(0)`, { evaluation: 'instant' })],
          }),
        ],
      },
      {
        title: 'Nodes',
        panels: [
          timeSeriesPanel({
            title: 'Node CPU',
            description: 'CPU cores in use per node (kubelet).',
            unit: 'suffix: cores',
            min: 0,
            width: 8,
            queries: [metricsQuery(`sum by (k8s_node_name) (k8s_node_cpu_usage{${NODE}})`, { legend: '{{k8s_node_name}}' })],
          }),
          timeSeriesPanel({
            title: 'Node memory working set',
            description: 'Memory in use per node that cannot be reclaimed without swapping: what the kubelet evicts on.',
            unit: 'bytes',
            min: 0,
            width: 8,
            queries: [metricsQuery(`sum by (k8s_node_name) (k8s_node_memory_working_set_bytes{${NODE}})`, { legend: '{{k8s_node_name}}' })],
          }),
          timeSeriesPanel({
            title: 'Node network',
            description: 'Bytes per second received and transmitted per node, all interfaces.',
            unit: 'Bps',
            width: 8,
            queries: [metricsQuery(`sum by (k8s_node_name, direction) (rate(k8s_node_network_io_bytes_total{${NODE}}[$__rate_interval]))`, { legend: '{{k8s_node_name}} {{direction}}' })],
          }),
        ],
      },
      {
        title: 'Pods',
        panels: [
          timeSeriesPanel({
            title: 'Pod CPU (top 10)',
            description: 'CPU cores used by the 10 busiest pods in the selected namespaces and nodes: the ten with the highest average over the time range.',
            unit: 'suffix: cores',
            min: 0,
            // Up to ten pods with long names (namespace/pod): the full width keeps a graph beside the legend.
            width: 24,
            height: 12,
            legend: 'right',
            queries: [metricsQuery(topSeries(10, `sum by (k8s_namespace_name, k8s_pod_name) (k8s_pod_cpu_usage{${NS}, ${NODE}})`, 'avg'), { legend: '{{k8s_namespace_name}}/{{k8s_pod_name}}' })],
          }),
          timeSeriesPanel({
            title: 'Pod memory working set (top 10)',
            description: 'Working-set memory of the 10 largest pods (the ten with the highest peak over the time range); a pod over its limit is OOM-killed.',
            unit: 'bytes',
            min: 0,
            // Up to ten pods with long names (namespace/pod): the full width keeps a graph beside the legend.
            width: 24,
            height: 12,
            legend: 'right',
            queries: [metricsQuery(topSeries(10, `sum by (k8s_namespace_name, k8s_pod_name) (k8s_pod_memory_working_set_bytes{${NS}, ${NODE}})`, 'max'), { legend: '{{k8s_namespace_name}}/{{k8s_pod_name}}' })],
          }),
          timeSeriesPanel({
            title: 'Pod network (top 10)',
            description: 'Bytes per second received and transmitted by the 10 busiest pods (pod and direction: the ten with the highest average over the time range).',
            unit: 'Bps',
            // Up to ten pods with long names (namespace/pod): the full width keeps a graph beside the legend.
            width: 24,
            height: 12,
            legend: 'right',
            queries: [metricsQuery(topSeries(10, `sum by (k8s_namespace_name, k8s_pod_name, direction) (rate(k8s_pod_network_io_bytes_total{${NS}, ${NODE}}[$__rate_interval]))`, 'avg'), { legend: '{{k8s_pod_name}} {{direction}}' })],
          }),
          tablePanel({
            title: 'Restarting containers',
            description: 'Containers that restarted during the time range, most restarts first. Red from 3.',
            width: 24,
            thresholds: [{ value: 3, color: 'red' }],
            queries: [metricsQuery(`sort_desc(sum by (k8s_namespace_name, k8s_pod_name, k8s_container_name) (increase(k8s_container_restarts{${NS}}[$__range])) > 0)`, { evaluation: 'instant' })],
            columns: { k8s_namespace_name: 'Namespace', k8s_pod_name: 'Pod', k8s_container_name: 'Container', Value: 'Restarts' },
            sortBy: 'Value',
          }),
        ],
      },
    ],
  });
}

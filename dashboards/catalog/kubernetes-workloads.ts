import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { kubernetesAlerts } from '../../alerts/kubernetes-alerts.js';
import type { AlertDefinition } from '../../alerts/rule-model.js';
import type { StackSpec } from '../../model/spec.js';
import { observatoryDashboard } from '../dashboard.js';
import { tablePanel } from '../panels.js';
import { metricsQuery } from '../queries.js';
import { KUBERNETES_ONLY_TAG } from '../files.js';
import { DASHBOARD_UID } from '../uids.js';

/** What each workload alert's table lists. */
const TITLES: Readonly<Record<string, string>> = {
  KubeContainerCrashLooping: 'Containers in CrashLoopBackOff',
  KubeContainerOOMKilled: 'Containers killed for memory in the last 10 minutes',
  KubeWorkloadReplicasMissing: 'Deployments, StatefulSets and DaemonSets short of ready pods',
  KubeJobFailed: 'Failed Jobs',
  KubeHpaMaxedOut: 'Autoscalers at their maximum',
  KubeNodeNotReady: 'Nodes not Ready',
  KubeNodePressure: 'Nodes under memory or disk pressure',
  KubePersistentVolumeFillingUp: 'Claims full, or predicted full within 4 days',
  KubeContainerCpuThrottled: 'Containers above 90 % of their CPU limit',
};

/**
 * What each variant of a workload alert evaluates to, in the order of its variants: the title of that query's value
 * column (Grafana would show `Value`, or `Value #A`, `Value #B`, ... for several queries, also when all are empty).
 */
const VALUES: Readonly<Record<string, readonly string[]>> = {
  KubeContainerCrashLooping: ['In CrashLoopBackOff'],
  KubeContainerOOMKilled: ['Restarts in 10 min'],
  KubeWorkloadReplicasMissing: ['Replicas missing (Deployment)', 'Replicas missing (StatefulSet)', 'Nodes missing (DaemonSet)'],
  KubeJobFailed: ['Failed pods'],
  KubeHpaMaxedOut: ['Replicas'],
  KubeNodeNotReady: ['Ready (0 no, -1 unknown)'],
  KubeNodePressure: ['Memory pressure', 'Disk pressure'],
  KubePersistentVolumeFillingUp: ['Free (under 3 %)', 'Free (under 15 %, full within 4 days)'],
  KubeContainerCpuThrottled: ['CPU used / limit'],
};

/** Column titles of the labels the workload alerts keep (Grafana would show the raw label names). */
const COLUMNS: Readonly<Record<string, string>> = {
  alertname: 'Alert',
  alertgroup: 'Group',
  severity: 'Severity',
  service: 'Service',
  k8s_namespace_name: 'Namespace',
  k8s_pod_name: 'Pod',
  k8s_container_name: 'Container',
  k8s_node_name: 'Node',
  k8s_deployment_name: 'Deployment',
  k8s_statefulset_name: 'StatefulSet',
  k8s_daemonset_name: 'DaemonSet',
  k8s_job_name: 'Job',
  k8s_hpa_name: 'Autoscaler',
  // The kubelet's own labels on the claims' volume stats.
  namespace: 'Namespace',
  persistentvolumeclaim: 'Claim',
};

function valueTitles(alert: AlertDefinition): readonly string[] {
  const titles = VALUES[alert.name];
  if (!titles) throw new Error(`Kubernetes workloads: no value column titles for ${alert.name} (VALUES)`);
  return titles;
}

/** One table per workload alert: its expression evaluated now, before its `for` has passed. */
function unhealthyTable(alert: AlertDefinition) {
  return tablePanel({
    title: TITLES[alert.name] ?? alert.name,
    description: `What ${alert.name} watches, as it is now (the alert fires once it lasts): ${alert.runbook.meaning}`,
    width: 12,
    height: 7,
    queries: alert.variants.map((v) => metricsQuery(v.expr, { evaluation: 'instant' })),
    hide: ['Time', '__name__'],
    columns: COLUMNS,
    values: valueTitles(alert),
  });
}

/** Kubernetes workloads: what is unhealthy in every namespace, by the conditions the workload alerts watch. */
export function kubernetesWorkloadsDashboard(spec: StackSpec): Dashboard {
  const alerts = kubernetesAlerts(spec);
  const names = alerts.map((a) => a.name).join('|');
  return observatoryDashboard({
    uid: DASHBOARD_UID.kubernetesWorkloads,
    title: 'Kubernetes workloads',
    description: 'What is unhealthy in the cluster, every namespace: the workload and node alerts that fire, and each condition they watch as it is now (Kubernetes only).',
    tags: [KUBERNETES_ONLY_TAG],
    rows: [
      {
        title: 'Firing',
        panels: [
          tablePanel({
            title: 'Workload and node alerts firing',
            description: 'The Kubernetes alerts vmalert fires now, with their labels; each links to its runbook in the notification.',
            width: 24,
            height: 6,
            queries: [metricsQuery(`ALERTS{alertstate="firing", alertname=~"${names}"}`, { evaluation: 'instant' })],
            hide: ['Time', '__name__', 'alertstate', 'Value'],
            columns: COLUMNS,
          }),
        ],
      },
      { title: 'Now', panels: alerts.map(unhealthyTable) },
    ],
  });
}

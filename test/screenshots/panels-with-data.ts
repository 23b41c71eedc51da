/**
 * Which panels must show data in the screenshots, derived from what the stacks hold while the sample app runs
 * (test/e2e/support/sample-traffic.ts: a front and a back, good, failing and slow requests, then a steady error burst):
 * - traces of both services (Jaeger: error traces kept by tail sampling, slow ones over 500 ms, a share of the rest)
 *   and span metrics of every span (calls, duration histogram, by kind and status);
 * - the SDK's HTTP server metrics, the Node.js runtime metrics and the app's work counter (the ratio SLO);
 * - the app's logs, errors among them, with trace IDs;
 * - the stack's own metrics, scraped by the collector (every component up, collector, VictoriaMetrics, Loki,
 *   Jaeger and Alertmanager self-metrics);
 * - vmalert's ALERTS series: the Watchdog fires by design, the error burst's alerts follow;
 * - on the test cluster (`--kubernetes`), the collector's Kubernetes receivers (pods, nodes, containers of every
 *   namespace) and one pod the run starts crash-looping, whose restarts and KubeContainerCrashLooping alert fill the
 *   Kubernetes dashboards' trouble panels.
 * So every panel of the rendered dashboards must show data. Failure counters (refused, dropped, 5xx, failed
 * notifications) are built to show 0 rather than "No data" (zeroUntilFailure in dashboards/queries.ts), so they are
 * no exception. A panel that may stay empty is listed below with the reason.
 */
import { DASHBOARD_UID } from '../../dashboards/uids.js';

const ONLY_TROUBLE = 'lists only trouble, and the test cluster has none of this kind (the run starts one crash-looping pod, nothing else)';

export const PANELS_THAT_MAY_BE_EMPTY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [DASHBOARD_UID.kubernetes]: {
    'Pod network (top 10)': 'the test node\'s kubelet (Debian\'s containerd 1.6, CRI stats) reports no per-pod network counters; DOKS\'s kubelets do',
  },
  [DASHBOARD_UID.kubernetesWorkloads]: {
    'Containers killed for memory in the last 10 minutes': ONLY_TROUBLE,
    'Deployments, StatefulSets and DaemonSets short of ready pods': ONLY_TROUBLE,
    'Failed Jobs': ONLY_TROUBLE,
    'Autoscalers at their maximum': ONLY_TROUBLE,
    'Nodes not Ready': ONLY_TROUBLE,
    'Nodes under memory or disk pressure': ONLY_TROUBLE,
    'Claims full, or predicted full within 4 days': ONLY_TROUBLE,
    'Containers above 90 % of their CPU limit': ONLY_TROUBLE,
  },
};

/** The reason a panel may show "No data", or undefined when it must show data. */
export function mayBeEmpty(dashboardUid: string, panelTitle: string): string | undefined {
  return PANELS_THAT_MAY_BE_EMPTY[dashboardUid]?.[panelTitle];
}

import type { StackSpec } from '../model/spec.js';
import { quoted } from './metric-names.js';
import type { AlertDefinition, AlertVariant, RunbookQuery } from './rule-model.js';

/**
 * Alerts on every namespace's workloads and on the nodes, from what the collector already gathers on Kubernetes:
 * the sampler's `k8s_cluster` receiver (object state, every 30 s), the agents' `kubelet_stats` (usage) and the
 * claims' volume stats the agents scrape from their kubelets' `/metrics` (`kubelet_volume_stats_*`, labels `namespace`
 * and `persistentvolumeclaim` as the kubelet names them).
 * Series as VictoriaMetrics stores them (`-opentelemetry.usePrometheusNaming`: dots become underscores, `By` becomes
 * `_bytes`, `{pod}`-style units disappear); resource attributes are labels (`k8s_namespace_name`, ...).
 */

/** The namespace a workload alert is about: its `service` label, so Alertmanager groups a namespace's alerts. */
const namespace = '{{ $labels.k8s_namespace_name }}';
const NODES = 'kubernetes-nodes';

const describePod: RunbookQuery = { language: 'Shell', purpose: 'the pod\'s events and its containers\' last state (use the alert\'s labels)', query: 'kubectl -n NAMESPACE describe pod POD' };
const previousLogs: RunbookQuery = { language: 'Shell', purpose: 'the log of the container\'s previous run, the one that ended', query: 'kubectl -n NAMESPACE logs POD -c CONTAINER --previous' };
const namespaceEvents: RunbookQuery = { language: 'Shell', purpose: 'the namespace\'s recent events (FailedScheduling, Unhealthy, BackOff, ...)', query: 'kubectl -n NAMESPACE get events --sort-by=.lastTimestamp' };

const byContainer = 'k8s_namespace_name, k8s_pod_name, k8s_container_name';

const crashLooping: AlertDefinition = {
  name: 'KubeContainerCrashLooping',
  variants: [
    {
      expr: `max by (${byContainer}) (max_over_time(k8s_container_status_reason{k8s_container_status_reason="CrashLoopBackOff"}[5m])) >= 1`,
      for: '15m',
      severity: 'P2',
      labels: { service: namespace },
      summary: 'Container {{ $labels.k8s_container_name }} of {{ $labels.k8s_namespace_name }}/{{ $labels.k8s_pod_name }} is crash-looping',
      description: 'The container has been waiting in CrashLoopBackOff for 15 minutes: it starts, exits, and Kubernetes backs off before the next try.',
    },
  ],
  runbook: {
    meaning: 'A container keeps exiting and Kubernetes keeps restarting it, with growing back-off. The pod is not serving; its Deployment may be short of replicas (KubeWorkloadReplicasMissing).',
    investigate: [
      { language: 'MetricsQL', purpose: 'containers in CrashLoopBackOff now, by namespace and pod', query: `max by (${byContainer}) (k8s_container_status_reason{k8s_container_status_reason="CrashLoopBackOff"}) > 0` },
      { language: 'MetricsQL', purpose: 'restarts per container over the last hour', query: `max by (${byContainer}) (k8s_container_restarts) - max by (${byContainer}) (k8s_container_restarts offset 1h) > 0` },
      describePod,
      previousLogs,
    ],
    causes: ['The program exits at start: a bad configuration, a missing secret or environment variable, a failed migration.', 'A dependency it needs at start is unreachable.', 'It is killed for memory (see KubeContainerOOMKilled) or by a failing liveness probe.'],
    mitigation: ['Read the previous run\'s log and fix the cause; roll back the deploy that started it (`kubectl rollout undo`).'],
  },
};

const oomKilled: AlertDefinition = {
  name: 'KubeContainerOOMKilled',
  variants: [
    {
      expr:
        `max by (${byContainer}) (k8s_container_restarts) - max by (${byContainer}) (k8s_container_restarts offset 10m) >= 1\n` +
        `and on (${byContainer})\n` +
        `max by (${byContainer}) (k8s_container_restarts{k8s_container_status_last_terminated_reason="OOMKilled"})`,
      for: '0s',
      severity: 'P2',
      labels: { service: namespace },
      summary: 'Container {{ $labels.k8s_container_name }} of {{ $labels.k8s_namespace_name }}/{{ $labels.k8s_pod_name }} was killed for memory',
      description: 'The container restarted in the last 10 minutes and its last run ended OOMKilled: it used more memory than its limit (or the node ran out).',
    },
  ],
  runbook: {
    meaning: 'The kernel killed a container for memory: it went over its memory limit, or the node was out of memory. In-flight work of that container is lost.',
    investigate: [
      { language: 'MetricsQL', purpose: 'the container\'s memory working set against its limit, over the last hours', query: `max by (${byContainer}) (container_memory_working_set_bytes) / max by (${byContainer}) (k8s_container_memory_limit_bytes)` },
      { language: 'MetricsQL', purpose: 'the node\'s available memory', query: 'min by (k8s_node_name) (k8s_node_memory_available_bytes)' },
      describePod,
    ],
    causes: ['A memory limit below what the program needs at peak.', 'A memory leak (the working set climbs until the kill).', 'The node overcommitted (limits above requests) and ran out.'],
    mitigation: ['Raise the container\'s memory limit (and request), or fix the leak.', 'For a node out of memory: spread the workload or add nodes.'],
  },
};

const replicaKinds = [
  { kind: 'Deployment', label: 'k8s_deployment_name', missing: 'k8s_deployment_desired - k8s_deployment_available', by: 'k8s_deployment_name' },
  { kind: 'StatefulSet', label: 'k8s_statefulset_name', missing: 'k8s_statefulset_desired_pods - k8s_statefulset_ready_pods', by: 'k8s_statefulset_name' },
  { kind: 'DaemonSet', label: 'k8s_daemonset_name', missing: 'k8s_daemonset_desired_scheduled_nodes - k8s_daemonset_ready_nodes', by: 'k8s_daemonset_name' },
] as const;

const replicasMissing: AlertDefinition = {
  name: 'KubeWorkloadReplicasMissing',
  variants: replicaKinds.map(
    (k): AlertVariant => ({
      expr: `max by (k8s_namespace_name, ${k.by}) (${k.missing}) > 0`,
      for: '15m',
      severity: 'P2',
      labels: { service: namespace, kind: k.kind },
      summary: `${k.kind} {{ $labels.k8s_namespace_name }}/{{ $labels.${k.label} }} is {{ $value }} short of its desired ${k.kind === 'DaemonSet' ? 'nodes' : 'replicas'}`,
      description: `For 15 minutes fewer ${k.kind === 'DaemonSet' ? 'nodes run a ready pod of it' : 'replicas are ready'} than it asks for: a rollout stuck, pods that cannot be scheduled or do not become ready.`,
    }),
  ),
  runbook: {
    meaning: 'A Deployment, StatefulSet or DaemonSet has had fewer ready pods than desired for 15 minutes. It runs degraded (less capacity, less redundancy), or not at all.',
    investigate: [
      { language: 'MetricsQL', purpose: 'Deployments short of available replicas', query: 'max by (k8s_namespace_name, k8s_deployment_name) (k8s_deployment_desired - k8s_deployment_available) > 0' },
      { language: 'MetricsQL', purpose: 'Pending pods by namespace (k8s_pod_phase 1)', query: 'count by (k8s_namespace_name) (k8s_pod_phase == 1)' },
      { language: 'Shell', purpose: 'the rollout\'s progress', query: 'kubectl -n NAMESPACE rollout status deployment/NAME' },
      namespaceEvents,
    ],
    causes: ['Pods cannot be scheduled: not enough CPU or memory on the nodes, a node selector or affinity no node satisfies, a PVC that cannot bind.', 'Pods crash-loop or fail their readiness probe.', 'Images cannot be pulled.'],
    mitigation: ['Fix the cause the events name; for a bad rollout, `kubectl rollout undo`.', 'Add nodes or lower requests when pods are Pending for resources.'],
  },
};

const jobFailed: AlertDefinition = {
  name: 'KubeJobFailed',
  variants: [
    {
      expr:
        'max by (k8s_namespace_name, k8s_job_name) (k8s_job_failed_pods) > 0\n' +
        'and on (k8s_namespace_name, k8s_job_name)\n' +
        'max by (k8s_namespace_name, k8s_job_name) (k8s_job_active_pods) == 0\n' +
        'and on (k8s_namespace_name, k8s_job_name)\n' +
        'max by (k8s_namespace_name, k8s_job_name) (k8s_job_successful_pods - k8s_job_desired_successful_pods) < 0',
      for: '15m',
      severity: 'P3',
      labels: { service: namespace },
      summary: 'Job {{ $labels.k8s_namespace_name }}/{{ $labels.k8s_job_name }} failed',
      description: 'The Job has failed pods, none running, and fewer successes than it needs: it gave up (backoffLimit or deadline).',
    },
  ],
  runbook: {
    meaning: 'A Job (often a CronJob\'s run: a backup, a report, a migration) ended without completing. Its work was not done.',
    investigate: [
      { language: 'MetricsQL', purpose: 'Jobs with failed pods and nothing running', query: 'max by (k8s_namespace_name, k8s_job_name) (k8s_job_failed_pods) > 0 and on (k8s_namespace_name, k8s_job_name) max by (k8s_namespace_name, k8s_job_name) (k8s_job_active_pods) == 0' },
      { language: 'Shell', purpose: 'the Job\'s conditions and its pods\' logs', query: 'kubectl -n NAMESPACE describe job NAME; kubectl -n NAMESPACE logs job/NAME' },
    ],
    causes: ['The program failed (exit code other than 0) more often than backoffLimit allows.', 'activeDeadlineSeconds passed.', 'Its pods could not start (image, secret, resources).'],
    mitigation: ['Fix the cause and run it again (`kubectl create job --from=cronjob/NAME NAME-manual`); delete the failed Job once done so the alert resolves.'],
  },
};

const hpaMaxedOut: AlertDefinition = {
  name: 'KubeHpaMaxedOut',
  variants: [
    {
      expr: 'max by (k8s_namespace_name, k8s_hpa_name) (k8s_hpa_current_replicas) >= max by (k8s_namespace_name, k8s_hpa_name) (k8s_hpa_max_replicas)',
      for: '1h',
      severity: 'P3',
      labels: { service: namespace },
      summary: 'HPA {{ $labels.k8s_namespace_name }}/{{ $labels.k8s_hpa_name }} has run at its maximum for an hour',
      description: 'The autoscaler has held its workload at maxReplicas for an hour: more load would find no more replicas.',
    },
  ],
  runbook: {
    meaning: 'A HorizontalPodAutoscaler cannot scale further: the workload runs at its maximum replicas. Latency and errors grow if load grows.',
    investigate: [
      { language: 'MetricsQL', purpose: 'current, desired and maximum replicas', query: 'max by (k8s_namespace_name, k8s_hpa_name) (k8s_hpa_current_replicas)' },
      { language: 'Shell', purpose: 'the HPA\'s metrics and targets', query: 'kubectl -n NAMESPACE describe hpa NAME' },
    ],
    causes: ['Lasting growth of traffic.', 'A replica became slower (a new version, a slow dependency) and the HPA compensates with more of them.'],
    mitigation: ['Raise maxReplicas if the nodes can hold more, or make each replica faster.'],
  },
};

const nodeNotReady: AlertDefinition = {
  name: 'KubeNodeNotReady',
  variants: [
    {
      expr: 'max by (k8s_node_name) (k8s_node_condition_ready) != 1',
      for: '5m',
      severity: 'P1',
      labels: { service: NODES },
      summary: 'Node {{ $labels.k8s_node_name }} is not Ready',
      description: 'The node has reported Ready false (0) or unknown (-1) for 5 minutes: its pods are not served, and after the eviction timeout they are moved elsewhere if they can be.',
    },
  ],
  runbook: {
    meaning: 'A node is not Ready: its kubelet stopped reporting or reports itself unhealthy. Its pods do not get traffic; on a small cluster this is a large share of capacity.',
    investigate: [
      { language: 'MetricsQL', purpose: 'Ready of every node (1 ready, 0 not, -1 unknown)', query: 'max by (k8s_node_name) (k8s_node_condition_ready)' },
      { language: 'Shell', purpose: 'the node\'s conditions and recent events', query: 'kubectl describe node NODE' },
    ],
    causes: ['The machine is down or unreachable (cloud incident, network).', 'The kubelet or the container runtime crashed.', 'The node is out of disk or memory (see KubeNodePressure).'],
    mitigation: ['On a managed cluster, let auto-repair replace it or recycle the node (DigitalOcean: the node pool\'s "Recycle").', 'Drain it (`kubectl drain`) if it flaps.'],
  },
};

const nodePressure: AlertDefinition = {
  name: 'KubeNodePressure',
  variants: [
    { condition: 'MemoryPressure', metric: 'k8s_node_condition_memory_pressure' },
    { condition: 'DiskPressure', metric: 'k8s_node_condition_disk_pressure' },
  ].map(
    (c): AlertVariant => ({
      expr: `max by (k8s_node_name) (${c.metric}) == 1`,
      for: '5m',
      severity: 'P2',
      labels: { service: NODES, condition: c.condition },
      summary: `Node {{ $labels.k8s_node_name }} is under ${c.condition}`,
      description: `The kubelet has reported ${c.condition} for 5 minutes: it evicts pods and takes no new ones.`,
    }),
  ),
  runbook: {
    meaning: 'A node is short of memory or disk: its kubelet evicts pods (BestEffort first) and refuses new ones until the pressure ends.',
    investigate: [
      { language: 'MetricsQL', purpose: 'available memory per node', query: 'min by (k8s_node_name) (k8s_node_memory_available_bytes)' },
      { language: 'MetricsQL', purpose: 'free share of each node\'s filesystem', query: 'min by (k8s_node_name) (k8s_node_filesystem_available_bytes / k8s_node_filesystem_capacity_bytes)' },
      { language: 'MetricsQL', purpose: 'the pods using the most memory on the nodes', query: 'topk(10, max by (k8s_namespace_name, k8s_pod_name, k8s_node_name) (k8s_pod_memory_working_set_bytes))' },
    ],
    causes: ['Pods without memory limits, or limits far above requests.', 'Container images and logs filling the node\'s disk.'],
    mitigation: ['Set requests and limits on the heavy pods; add nodes.', 'For disk: remove unused images (the kubelet\'s image GC thresholds), rotate logs.'],
  },
};

/** A claim's volume stats, from the kubelets' own `/metrics` (collector/kubernetes.ts kubeletVolumeStatsScrapeConfig). */
const claimLabels = ['namespace', 'persistentvolumeclaim'];
const byClaim = claimLabels.join(', ');
/** Days ahead the warning looks (kube-prometheus-stack's KubePersistentVolumeFillingUp warning: 4). */
const PREDICT_DAYS = 4;

/**
 * Every namespace's PersistentVolumeClaims but the stack's own, which StackVolumeAlmostFull watches with its
 * component and runbook (one alert per claim, not two). The kubelet reports a claim only where its volume plugin
 * measures it: CSI drivers with volume stats (DigitalOcean's block storage), `local`; not `hostPath`.
 */
function volumeFillingUp(spec: StackSpec): AlertDefinition {
  const claims = `namespace!=${quoted(spec.namespace)}`;
  const of = (metric: string) => `max by (${byClaim}) (kubelet_volume_stats_${metric}{${claims}})`;
  const freeShare = `${of('available_bytes')} / ${of('capacity_bytes')}`;
  // A claim with nothing written (freshly bound, or a plugin reporting 0) is not filling up.
  const written = `and on (${byClaim})\n${of('used_bytes')} > 0`;
  const predicted = `and on (${byClaim})\nmax by (${byClaim}) (predict_linear(kubelet_volume_stats_available_bytes{${claims}}[6h], ${PREDICT_DAYS} * 24 * 3600)) < 0`;
  const claim = '{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}';
  return {
    name: 'KubePersistentVolumeFillingUp',
    instanceLabels: claimLabels,
    variants: [
      {
        expr: `${freeShare} < 0.03\n${written}`,
        for: '1m',
        severity: 'P1',
        labels: { service: '{{ $labels.namespace }}' },
        summary: `Claim ${claim} is full: {{ $value | humanizePercentage }} of it is free`,
        description: 'Less than 3 % of the claim\'s volume has been free for a minute: writes to it are about to fail.',
      },
      {
        expr: `${freeShare} < 0.15\n${written}\n${predicted}`,
        for: '1h',
        severity: 'P2',
        labels: { service: '{{ $labels.namespace }}' },
        summary: `Claim ${claim} will be full within ${PREDICT_DAYS} days: {{ $value | humanizePercentage }} of it is free`,
        description: `Less than 15 % of the claim's volume is free and, at the rate it filled over the last 6 hours, it runs out within ${PREDICT_DAYS} days.`,
      },
    ],
    runbook: {
      meaning:
        'A PersistentVolumeClaim is full or filling up (less than 3 % free; or less than 15 % free and full within ' +
        `${PREDICT_DAYS} days at the rate of the last 6 hours). When it is full, what writes to it fails (databases stop, queues drop). ` +
        `Claims of the stack's own namespace (${spec.namespace}) are StackVolumeAlmostFull's, not this alert's. ` +
        'The kubelets report a claim only when its volume plugin measures the volume: CSI drivers with volume stats (DigitalOcean block storage ' +
        'among them) and `local` volumes do; `hostPath` volumes (the local-path provisioner\'s default) do not, and are not watched.',
      investigate: [
        { language: 'MetricsQL', purpose: 'free share of every claim', query: freeShare },
        { language: 'MetricsQL', purpose: 'bytes written per hour, over the last 6 hours', query: `-3600 * max by (${byClaim}) (deriv(kubelet_volume_stats_available_bytes{${claims}}[6h]))` },
        { language: 'MetricsQL', purpose: 'free share of every claim\'s inodes (many small files can fill a volume that has bytes left)', query: `${of('inodes_free')} / ${of('inodes')}` },
        { language: 'Shell', purpose: 'the claim, its size and storage class', query: 'kubectl -n NAMESPACE get pvc NAME -o wide' },
      ],
      causes: ['Data grows faster than planned (retention, a new feature).', 'Something writes without bound: logs on a volume, a stuck queue, a runaway temp file.'],
      mitigation: ['Grow the claim (storage classes with allowVolumeExpansion, DigitalOcean\'s included: `kubectl patch pvc`).', 'Delete or compact data; shorten retention.'],
    },
  };
}

const cpuThrottled: AlertDefinition = {
  name: 'KubeContainerCpuThrottled',
  variants: [
    {
      expr: `max by (${byContainer}) (container_cpu_usage) / max by (${byContainer}) (k8s_container_cpu_limit) > 0.9`,
      for: '15m',
      severity: 'P3',
      labels: { service: namespace },
      summary: 'Container {{ $labels.k8s_container_name }} of {{ $labels.k8s_namespace_name }}/{{ $labels.k8s_pod_name }} runs at {{ $value | humanizePercentage }} of its CPU limit',
      description: 'For 15 minutes the container has used more than 90 % of its CPU limit: the kernel\'s CFS quota throttles it, and its requests slow down.',
    },
  ],
  runbook: {
    meaning:
      'A container uses nearly all the CPU its limit allows, so the kernel throttles it (CFS quota): it runs slower than it could, latency rises. The kubelet\'s stats have no throttling counters ' +
      '(cAdvisor\'s `container_cpu_cfs_throttled_periods_total` is not collected), so usage at 90 % of the limit stands for throttling.',
    investigate: [
      { language: 'MetricsQL', purpose: 'CPU used against the limit, by container', query: `max by (${byContainer}) (container_cpu_usage) / max by (${byContainer}) (k8s_container_cpu_limit)` },
      { language: 'MetricsQL', purpose: 'the container\'s CPU request, for comparison', query: `max by (${byContainer}) (k8s_container_cpu_request)` },
    ],
    causes: ['A CPU limit below the workload\'s need at peak.', 'More load per replica (scale out instead).'],
    mitigation: ['Raise the CPU limit (or remove it and keep the request), or add replicas.'],
  },
};

/** Kubernetes workload and node alerts, when the collector gathers the cluster's telemetry into VictoriaMetrics. */
export function kubernetesAlerts(spec: StackSpec): AlertDefinition[] {
  const c = spec.components;
  if (!c.collector.enabled || !c.collector.kubernetes.enabled || !c.victoriametrics.enabled) return [];
  return [crashLooping, oomKilled, replicasMissing, jobFailed, hpaMaxedOut, nodeNotReady, nodePressure, volumeFillingUp(spec), cpuThrottled];
}

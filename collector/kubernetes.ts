import { KUBELET_PORT, type AccessRule } from '../model/component.js';

/**
 * Kubernetes telemetry: what the collector reads from the Kubernetes API and the kubelets, and the
 * read access each part needs (from each component's README at the pinned version), nothing more.
 */

/** Pod metadata put on incoming telemetry by the gateway. */
export function k8sAttributesProcessor(): Record<string, unknown> {
  return {
    auth_type: 'serviceAccount',
    passthrough: false,
    extract: {
      metadata: [
        'k8s.namespace.name',
        'k8s.pod.name',
        'k8s.pod.uid',
        'k8s.node.name',
        'k8s.deployment.name',
        'k8s.statefulset.name',
        'k8s.daemonset.name',
        'k8s.job.name',
      ],
    },
    // Telemetry naming its pod wins; otherwise the pod is the peer that sent it.
    pod_association: [
      { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
      { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
      { sources: [{ from: 'connection' }] },
    ],
  };
}

/** Pods and namespaces to look up; replicasets to name a pod's Deployment. */
export const k8sAttributesAccess: readonly AccessRule[] = [
  { apiGroup: '', resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  { apiGroup: 'apps', resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
];

/** Cluster-level metrics (deployments, pods, nodes, restarts, ...): one instance per cluster, in the gateway. */
export function k8sClusterReceiver(): Record<string, unknown> {
  return {
    auth_type: 'serviceAccount',
    collection_interval: '30s',
    node_conditions_to_report: ['Ready', 'MemoryPressure', 'DiskPressure'],
    allocatable_types_to_report: ['cpu', 'memory'],
    // Off by default at 0.152; the workload alerts need them (alerts/kubernetes-alerts.ts): the reason a container
    // waits (CrashLoopBackOff) and why its last run ended (OOMKilled).
    metrics: { 'k8s.container.status.reason': { enabled: true } },
    resource_attributes: { 'k8s.container.status.last_terminated_reason': { enabled: true } },
  };
}

export const k8sClusterAccess: readonly AccessRule[] = [
  {
    apiGroup: '',
    resources: [
      'events', 'namespaces', 'namespaces/status', 'nodes', 'nodes/spec', 'persistentvolumes', 'persistentvolumeclaims',
      'pods', 'pods/status', 'replicationcontrollers', 'replicationcontrollers/status', 'resourcequotas', 'services',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroup: 'apps', resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
  { apiGroup: 'batch', resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroup: 'autoscaling', resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
  { apiGroup: 'discovery.k8s.io', resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
];

/** Kubernetes events as log records (watched, so each event arrives once). */
export function k8sEventsReceiver(): Record<string, unknown> {
  return { auth_type: 'serviceAccount', objects: [{ name: 'events', mode: 'watch', group: 'events.k8s.io' }] };
}

export const k8sEventsAccess: readonly AccessRule[] = [{ apiGroup: 'events.k8s.io', resources: ['events'], verbs: ['list', 'watch'] }];

/** Environment variables the agent reads from its pod (the downward API). */
export const AGENT_NODE_NAME = 'K8S_NODE_NAME';
export const AGENT_NODE_IP = 'K8S_NODE_IP';
/** The agent's own node's kubelet, as host:port: the kubelet stats and `/metrics` both come from it. */
const OWN_KUBELET = `\${env:${AGENT_NODE_IP}}:${KUBELET_PORT}`;

/** Node, pod and container metrics from the agent's own node's kubelet. */
export function kubeletStatsReceiver(): Record<string, unknown> {
  return {
    auth_type: 'serviceAccount',
    endpoint: `https://${OWN_KUBELET}`,
    // Kubelet serving certificates are self-signed on most managed clusters (DOKS included).
    insecure_skip_verify: true,
    collection_interval: '30s',
    // `volume`: every pod volume's capacity and free bytes, by pod and volume name. ConfigMap, Secret, projected
    // and emptyDir volumes report the node's filesystem there, and the claim's name needs the kubelet's `/pods`
    // (`extra_metadata_labels`), so the volume alerts read the kubelet's own claim metrics instead
    // (kubeletVolumeStatsScrapeConfig); these stay for the dashboards' pod and node views.
    metric_groups: ['node', 'pod', 'container', 'volume'],
  };
}

export const kubeletStatsAccess: readonly AccessRule[] = [{ apiGroup: '', resources: ['nodes/stats'], verbs: ['get'] }];

/** The scrape job of the kubelet's own metrics: the series' `service_name` once in VictoriaMetrics. */
export const KUBELET_METRICS_JOB = 'kubelet';

/**
 * The kubelet metrics the agent keeps, a regex over the metric name: the volume stats of PersistentVolumeClaims
 * (labels `namespace` and `persistentvolumeclaim`), what kube-prometheus-stack's KubePersistentVolumeFillingUp
 * reads. The kubelet reports them only for claims whose volume plugin measures its volume (CSI drivers with
 * volume stats, `local`; not `hostPath`, which the local-path provisioner uses by default).
 */
export const KUBELET_VOLUME_METRICS = 'kubelet_volume_stats_(capacity|available|used)_bytes|kubelet_volume_stats_inodes(_free|_used)?';

/** The pod's ServiceAccount token, mounted by Kubernetes (the agent's pod mounts one: it has cluster access). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The agent's own node's kubelet `/metrics`, authenticated and trusted like kubeletStatsReceiver (the
 * ServiceAccount's token; kubelet serving certificates are self-signed on most managed clusters, DOKS included).
 * Everything but the claims' volume stats is dropped before it leaves the receiver: the kubelet's `/metrics` holds
 * hundreds of series (request latencies, runtime operations) that nothing here reads.
 */
export function kubeletVolumeStatsScrapeConfig(): Record<string, unknown> {
  return {
    job_name: KUBELET_METRICS_JOB,
    scrape_interval: '30s',
    scheme: 'https',
    metrics_path: '/metrics',
    authorization: { type: 'Bearer', credentials_file: SERVICE_ACCOUNT_TOKEN },
    tls_config: { insecure_skip_verify: true },
    static_configs: [{ targets: [OWN_KUBELET] }],
    metric_relabel_configs: [{ source_labels: ['__name__'], action: 'keep', regex: KUBELET_VOLUME_METRICS }],
  };
}

/** The kubelet authorizes `/metrics` as `nodes/metrics` (not `nodes/proxy`, which also opens exec and logs). */
export const kubeletMetricsAccess: readonly AccessRule[] = [{ apiGroup: '', resources: ['nodes/metrics'], verbs: ['get'] }];

/**
 * Scrapes the pods on the agent's node that ask for it with the `prometheus.io/scrape: "true"` annotation
 * (`prometheus.io/port`, `prometheus.io/path`, `prometheus.io/scheme` refine it). `$$` is a literal `$`
 * in collector configs.
 */
export function annotatedPodsScrapeConfig(): Record<string, unknown> {
  const annotation = (name: string) => `__meta_kubernetes_pod_annotation_prometheus_io_${name}`;
  return {
    job_name: 'kubernetes-pods',
    scrape_interval: '30s',
    kubernetes_sd_configs: [{ role: 'pod', selectors: [{ role: 'pod', field: `spec.nodeName=\${env:${AGENT_NODE_NAME}}` }] }],
    relabel_configs: [
      { source_labels: [annotation('scrape')], action: 'keep', regex: 'true' },
      { source_labels: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: 'Pending|Succeeded|Failed' },
      { source_labels: [annotation('scheme')], action: 'replace', regex: '(https?)', target_label: '__scheme__' },
      { source_labels: [annotation('path')], action: 'replace', regex: '(.+)', target_label: '__metrics_path__' },
      {
        source_labels: ['__address__', annotation('port')],
        action: 'replace',
        regex: '([^:]+)(?::\\d+)?;(\\d+)',
        replacement: '$$1:$$2',
        target_label: '__address__',
      },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
    ],
  };
}

/** Service discovery of the pods on the agent's node. */
export const annotatedPodsAccess: readonly AccessRule[] = [{ apiGroup: '', resources: ['pods'], verbs: ['list', 'watch'] }];

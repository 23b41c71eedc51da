import { AGENT_SELF_SERVICE } from '../collector/agent.js';
import { KUBELET_METRICS_JOB } from '../collector/kubernetes.js';
import type { StackSpec } from '../model/spec.js';
import { COLLECTOR_SERVICE_NAME, SAMPLER_SERVICE_NAME, anyOf, quoted } from './metric-names.js';
import type { AlertDefinition, RunbookQuery } from './rule-model.js';
import { COLLECTOR_COMPONENT, SAMPLER_COMPONENT, scrapedStackComponents } from './stack-components.js';

/** Stack alerts carry `service="observatory"` and the `component` they are about. */
export const STACK = 'observatory';
export const STACK_COMPONENT_DOWN = 'StackComponentDown';
export const COLLECTOR_DOWN = 'CollectorDown';

const collectorUp = `up{service_name="${COLLECTOR_SERVICE_NAME}"}`;
const samplerUp = `up{service_name="${SAMPLER_SERVICE_NAME}"}`;
/** The backend an exporter sends to, from its id (`otlp_http/loki` → `loki`), as the `component` label. */
const exporterBackend = (expr: string) => `label_replace(${expr}, "component", "$1", "exporter", "[^/]+/(.+)")`;
const signalCounters = (prefix: string) => `{__name__=~"${prefix}_(spans|metric_points|log_records)_total"}`;

/** The stack's components log to stdout: read them with the runtime's tools. */
const logsOf = (component: string, filter: string): RunbookQuery => ({
  language: 'Shell',
  purpose: `${component}'s recent log lines matching "${filter}" (Kubernetes, then compose)`,
  query: `kubectl -n observability logs -l app.kubernetes.io/name=${component} --tail=500 | grep -iE '${filter}'\ndocker compose logs --tail=500 ${component} | grep -iE '${filter}'`,
});

function componentDown(components: readonly string[]): AlertDefinition {
  return {
    name: STACK_COMPONENT_DOWN,
    variants: [
      {
        expr: `up{service_name=~"${anyOf(components)}"} == 0`,
        for: '2m',
        severity: 'P1',
        labels: { service: STACK, component: '{{ $labels.service_name }}' },
        summary: '{{ $labels.service_name }} is not answering its metrics scrape',
        description: 'The collector has not been able to scrape {{ $labels.service_name }} ({{ $labels.service_instance_id }}) for 2 minutes: the component is down, restarting or unreachable.',
      },
    ],
    runbook: {
      meaning: 'A component of the observability stack stopped answering on its metrics endpoint. While it is down, its signal is not stored (the collector queues it on disk up to the queue size) or, for vmalert and Alertmanager, alerts are not evaluated or not delivered.',
      investigate: [
        { language: 'MetricsQL', purpose: 'which components answer the scrape (1) and which do not (0)', query: `up{service_name=~"${anyOf(components)}"}` },
        { language: 'MetricsQL', purpose: 'how often each component restarted in the last hour (process start time changes)', query: 'changes(process_start_time_seconds[1h])' },
        logsOf('COMPONENT', 'error|fatal|panic'),
      ],
      causes: [
        'The container was OOM-killed or crashed on a bad config (see its logs and `kubectl describe pod` / `docker compose ps`).',
        'Its volume is full (VictoriaMetrics, Loki, Jaeger Badger stop writing; see VictoriaMetricsDiskAlmostFull).',
        'A network policy or DNS change keeps the collector from reaching it.',
      ],
      mitigation: [
        'Restart it (`kubectl -n observability rollout restart <workload>` / `docker compose restart <service>`); the collector\'s file queue redelivers what it held.',
        'Raise its memory limit in `components.<name>.resources` if it was OOM-killed, or its `storage` if the disk is full, and synth again.',
      ],
    },
  };
}

const collectorDown: AlertDefinition = {
  name: COLLECTOR_DOWN,
  variants: [
    {
      expr: `absent_over_time(${collectorUp}[3m])`,
      for: '2m',
      severity: 'P0',
      labels: { service: STACK, component: COLLECTOR_COMPONENT },
      summary: 'The OpenTelemetry Collector sends no telemetry at all',
      description: 'No series of the collector gateway itself arrived for 5 minutes. The gateway is the only ingestion point: no traces, metrics or logs of any service are being stored.',
    },
    {
      expr: `absent_over_time(${samplerUp}[3m])`,
      for: '2m',
      severity: 'P1',
      labels: { service: STACK, component: SAMPLER_COMPONENT },
      summary: 'The collector\'s sampler sends nothing: no traces, span metrics or stack metrics are stored',
      description: 'No series of the collector sampler arrived for 5 minutes. Metrics and logs of the services still arrive through the gateway; spans wait in its queue; span metrics and the stack\'s own metrics are missing.',
    },
  ],
  runbook: {
    meaning: 'Nothing has come from the collector for minutes. Every service\'s telemetry goes through it, so every signal is missing: this is an outage of the observability stack (the services\' SDKs retry and then drop).',
    investigate: [
      { language: 'MetricsQL', purpose: 'how many self-scrapes the collector reported in the last hour (240 when healthy: one per 15 s; 0 or empty: it stopped)', query: `count_over_time(${collectorUp}[1h])` },
      { language: 'MetricsQL', purpose: 'how much the collector accepted per second before it stopped', query: `sum by (receiver) (rate(${signalCounters('otelcol_receiver_accepted')}[5m]))` },
      logsOf(COLLECTOR_COMPONENT, 'warn|error'),
    ],
    causes: [
      'The collector crashed or was OOM-killed (memory_limiter refuses data at 80 % of the limit, but a burst can still overrun it).',
      'It cannot start: a config it rejects (run `otelcol validate --config=config.yaml`), or its file queue volume is full or not writable.',
      'VictoriaMetrics is down as well (then this alert cannot tell): check StackComponentDown for victoriametrics.',
    ],
    mitigation: [
      'Restart it (`kubectl -n observability rollout restart statefulset/otel-collector` / `docker compose restart otel-collector`, or `otel-sampler` for the sampler); its file queue keeps what was accepted.',
      'If it is OOM-killed, raise `components.collector.resources.limits.memory` and synth again.',
    ],
  },
};

/**
 * The window of a failure counter's rate in alerts that must mean "still failing": with `for: 5m`, failures that
 * kept coming, never this far apart, for 5 minutes. A window as long as `for` (the former `[5m]`, `[10m]`) kept
 * the rate above 0 for that long after a single failure, so one retried failure raised the alert 5 minutes later.
 */
const FAILING_NOW_MINUTES = 2;
const FAILING_NOW = `${FAILING_NOW_MINUTES}m`;

const collectorRefusing: AlertDefinition = {
  name: 'CollectorRefusingData',
  variants: [
    {
      expr: `sum by (receiver) (rate(${signalCounters('otelcol_receiver_refused')}[${FAILING_NOW}])) > 0`,
      for: '5m',
      severity: 'P2',
      labels: { service: STACK, component: COLLECTOR_COMPONENT },
      summary: 'The collector refuses data on its {{ $labels.receiver }} receiver',
      description: `The collector has refused data on {{ $labels.receiver }} for 5 minutes without a ${FAILING_NOW_MINUTES}-minute pause ({{ $value | humanize }} items/s now), usually because memory_limiter is above its limit. Senders retry, then drop.`,
    },
  ],
  runbook: {
    meaning: 'The collector answers senders with "try again later" (memory_limiter above its soft limit, or a full pipeline). OTLP SDKs retry with backoff; if it lasts, they drop telemetry. A spike of refusals that stops within a few minutes is backpressure doing its job and does not raise this alert.',
    investigate: [
      { language: 'MetricsQL', purpose: 'refused items per second, by receiver and signal', query: `sum by (receiver, __name__) (rate(${signalCounters('otelcol_receiver_refused')}[5m]))` },
      { language: 'MetricsQL', purpose: 'the collector\'s resident memory in bytes, against components.collector.resources.limits.memory', query: 'max(otelcol_process_memory_rss)' },
      { language: 'MetricsQL', purpose: 'which exporter queue is backing up (a slow backend holds memory)', query: 'max by (exporter) (otelcol_exporter_queue_size / otelcol_exporter_queue_capacity)' },
      logsOf(COLLECTOR_COMPONENT, 'memory'),
    ],
    causes: ['A traffic burst above what the collector\'s memory limit allows.', 'A slow backend: exporters hold batches in memory while they wait.', 'Tail sampling holding many traces (decisionWait too long for the traffic).'],
    mitigation: ['Raise `components.collector.resources.limits.memory` (memory_limiter follows at 80 %).', 'Fix the slow backend first if a queue is filling.', 'Lower `sampling.decisionWait`.'],
  },
};

const collectorDropping: AlertDefinition = {
  name: 'CollectorDroppingData',
  variants: [
    {
      expr: exporterBackend(`sum by (exporter) (rate(${signalCounters('otelcol_exporter_enqueue_failed')}[5m]))`) + ' > 0',
      for: '1m',
      severity: 'P1',
      labels: { service: STACK, component: '{{ $labels.component }}' },
      summary: 'The collector drops data for {{ $labels.component }}: its sending queue is full',
      description: 'The {{ $labels.exporter }} exporter could not queue {{ $value | humanize }} items/s: they are lost.',
    },
  ],
  runbook: {
    meaning: 'An exporter\'s persistent sending queue is full, so new data for that backend is dropped: this is data loss, not a delay.',
    investigate: [
      { language: 'MetricsQL', purpose: 'dropped items per second, by exporter', query: `sum by (exporter) (rate(${signalCounters('otelcol_exporter_enqueue_failed')}[5m]))` },
      { language: 'MetricsQL', purpose: 'how full each queue is', query: 'max by (exporter) (otelcol_exporter_queue_size / otelcol_exporter_queue_capacity)' },
      { language: 'MetricsQL', purpose: 'whether the backend is up', query: 'up' },
    ],
    causes: ['The backend has been down or slow longer than the queue can hold.', 'Traffic grew beyond what the queue was sized for.'],
    mitigation: ['Bring the backend back (see StackComponentDown); the queue then drains by itself.', 'Size the queue for the longest outage you promise (collector/pipelines.ts `sending_queue`).'],
  },
  symptomOf: [{ alert: STACK_COMPONENT_DOWN, equal: ['component'] }],
};

const exporterFailures: AlertDefinition = {
  name: 'CollectorExporterSendFailures',
  variants: [
    {
      expr: exporterBackend(`sum by (exporter) (rate(${signalCounters('otelcol_exporter_send_failed')}[5m]))`) + ' > 0',
      for: '5m',
      severity: 'P2',
      labels: { service: STACK, component: '{{ $labels.component }}' },
      summary: 'The collector fails to send to {{ $labels.component }}',
      description: 'The {{ $labels.exporter }} exporter failed for {{ $value | humanize }} items/s over 5 minutes (items rejected for good, or retries given up).',
    },
  ],
  runbook: {
    meaning: 'Sends from the collector to a backend fail in a way retries do not fix (a rejected request, or retries that gave up). Those items are lost.',
    investigate: [
      { language: 'MetricsQL', purpose: 'failures per second by exporter, permanent or not, and the error type', query: `sum by (exporter, error_permanent, error_type) (rate(${signalCounters('otelcol_exporter_send_failed')}[5m]))` },
      logsOf(COLLECTOR_COMPONENT, 'Exporting failed'),
    ],
    causes: ['The backend rejects the data (too large, out-of-order samples, a limit such as Loki\'s per-stream rate).', 'TLS or authentication misconfigured towards the backend.'],
    mitigation: ['Read the rejection reason in the collector log and raise the backend\'s limit or fix the data.'],
  },
  symptomOf: [{ alert: STACK_COMPONENT_DOWN, equal: ['component'] }],
};

const queueFilling: AlertDefinition = {
  name: 'CollectorPersistentQueueFilling',
  variants: [
    {
      expr: exporterBackend('max by (exporter) (otelcol_exporter_queue_size / otelcol_exporter_queue_capacity)') + ' > 0.8',
      for: '5m',
      severity: 'P1',
      labels: { service: STACK, component: '{{ $labels.component }}' },
      summary: 'The collector\'s queue for {{ $labels.component }} is {{ $value | humanizePercentage }} full',
      description: 'The {{ $labels.exporter }} persistent queue has been above 80 % for 5 minutes; when it is full, new data for {{ $labels.component }} is dropped.',
    },
  ],
  runbook: {
    meaning: 'The collector cannot send to a backend as fast as data arrives, and its file-backed queue is close to full. Nothing is lost yet; when the queue is full, CollectorDroppingData fires.',
    investigate: [
      { language: 'MetricsQL', purpose: 'queue fill ratio by exporter over the last hours', query: 'max by (exporter) (otelcol_exporter_queue_size / otelcol_exporter_queue_capacity)' },
      { language: 'MetricsQL', purpose: 'items sent per second by exporter (zero: the backend takes nothing)', query: `sum by (exporter) (rate(${signalCounters('otelcol_exporter_sent')}[5m]))` },
      { language: 'MetricsQL', purpose: 'whether the backend answers', query: 'up' },
    ],
    causes: ['The backend is down or unreachable.', 'The backend is slower than the incoming traffic (CPU or disk saturated).'],
    mitigation: ['Restore the backend; the queue drains on its own.', 'Give the backend more resources in `components.<name>.resources`.'],
  },
  symptomOf: [{ alert: STACK_COMPONENT_DOWN, equal: ['component'] }],
};

const victoriaMetricsDisk: AlertDefinition = {
  name: 'VictoriaMetricsDiskAlmostFull',
  variants: [
    {
      expr: '1 - max by (path) (vm_free_disk_space_bytes / vm_total_disk_space_bytes) > 0.8',
      for: '15m',
      severity: 'P2',
      labels: { service: STACK, component: 'victoriametrics' },
      summary: 'VictoriaMetrics\' volume is {{ $value | humanizePercentage }} full',
      description: 'The volume at {{ $labels.path }} has been more than 80 % full for 15 minutes; VictoriaMetrics turns read-only when free space falls below -storage.minFreeDiskSpaceBytes.',
    },
  ],
  runbook: {
    meaning: 'The metrics volume is filling up. When it is full, VictoriaMetrics stops accepting samples and the collector queues (then drops) metrics.',
    investigate: [
      { language: 'MetricsQL', purpose: 'used share of the volume', query: '1 - vm_free_disk_space_bytes / vm_total_disk_space_bytes' },
      { language: 'MetricsQL', purpose: 'bytes per part type: which part grows', query: 'sum by (type) (vm_data_size_bytes)' },
      { language: 'MetricsQL', purpose: 'new series per second: a label with unbounded values (cardinality explosion) shows as a jump', query: 'rate(vm_new_timeseries_created_total[1h])' },
    ],
    causes: ['Retention longer than the volume allows for the current ingestion rate.', 'A new label with unbounded values multiplies series.'],
    mitigation: ['Raise `components.victoriametrics.storage` (and resize the PVC) or shorten `retention.metrics`.', 'Drop the offending label at the collector.'],
  },
};

/**
 * Every PersistentVolumeClaim of the stack on Kubernetes (Loki's, Jaeger's, Grafana's, the databases', the backups'
 * and the collector queues'), from the kubelets' claim volume stats the agents scrape (`kubelet_volume_stats_*`,
 * labels `namespace` and `persistentvolumeclaim`). Not the pods' other volumes (ConfigMaps, Secrets, emptyDirs):
 * the kubelet reports those against the node's filesystem, so one full node disk would look like every volume full.
 * A StatefulSet's claim is `<volume>-<workload>-<ordinal>` (`data-loki-0`), a claim of its own `<component>-<volume>`
 * (`glitchtip-postgres-backup-backups`): either gives the component. KubePersistentVolumeFillingUp leaves the
 * stack's namespace to this alert, so a claim raises one of the two, never both. Compose has no kubelet: there the
 * rule reads nothing and stays silent (VictoriaMetricsDiskAlmostFull watches the metrics volume on both runtimes).
 */
function volumeFilling(spec: StackSpec): AlertDefinition {
  const ns = `namespace=${quoted(spec.namespace)}`;
  const byClaim = 'namespace, persistentvolumeclaim';
  const used = `1 - max by (${byClaim}) (kubelet_volume_stats_available_bytes{${ns}}) / max by (${byClaim}) (kubelet_volume_stats_capacity_bytes{${ns}})`;
  const ownClaim = `label_replace(${used}, "component", "$1", "persistentvolumeclaim", "(.+)-[^-]+")`;
  const component = `label_replace(${ownClaim}, "component", "$1", "persistentvolumeclaim", "[^-]+-(.+)-[0-9]+")`;
  return {
    name: 'StackVolumeAlmostFull',
    variants: [
      {
        expr: `${component} > 0.8`,
        for: '15m',
        severity: 'P2',
        labels: { service: STACK },
        summary: 'Claim {{ $labels.persistentvolumeclaim }} of {{ $labels.component }} is {{ $value | humanizePercentage }} full',
        description: 'The claim has been more than 80 % full for 15 minutes. Loki, Jaeger (Badger) and the databases stop writing when it is full; a collector queue then refuses data.',
      },
    ],
    runbook: {
      meaning:
        'A persistent volume of the observability stack is filling up (Kubernetes only: the agents read the claims\' volume stats from the kubelets). When it is full, ' +
        'the component on it stops writing: Loki and Jaeger refuse data, the collector queues and then drops it, Postgres stops. ' +
        `This alert covers the claims of the stack's namespace (${spec.namespace}); KubePersistentVolumeFillingUp covers every other namespace's. ` +
        'The kubelets report a claim only when its volume plugin measures the volume (CSI drivers with volume stats, DigitalOcean block storage among them, and `local` volumes; not `hostPath`, the local-path provisioner\'s default).',
      investigate: [
        { language: 'MetricsQL', purpose: 'used share of every claim of the stack', query: used },
        { language: 'MetricsQL', purpose: 'how fast each claim fills: bytes per hour, over the last 6 hours', query: `-3600 * max by (${byClaim}) (deriv(kubelet_volume_stats_available_bytes{${ns}}[6h]))` },
        { language: 'Shell', purpose: 'the claims and their sizes', query: `kubectl -n ${spec.namespace} get pvc` },
      ],
      causes: [
        'Retention longer than the volume holds at the current ingestion rate (`retention.logs`, `retention.traces`, `retention.backups`).',
        'A collector queue holding data for a backend that has been away for long.',
        'A burst of logs or spans from one service.',
      ],
      mitigation: [
        'Raise the component\'s `storage` in the spec and synth again; DigitalOcean block storage can grow a claim in place (`kubectl patch pvc … -p \'{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}\'`).',
        'Shorten the retention of the signal that fills it.',
      ],
    },
  };
}

/**
 * The agents' scrape of their kubelets' `/metrics` (the claims' volume stats): when it fails (`nodes/metrics`
 * refused, the kubelet's port closed by a policy), StackVolumeAlmostFull and KubePersistentVolumeFillingUp see no
 * claim of that node and stay silent however full it is. The scrape's own `up` says so.
 */
const volumeStatsUnreadable: AlertDefinition = {
  name: 'KubeletVolumeStatsUnreadable',
  variants: [
    {
      expr: `max by (service_instance_id, k8s_node_name) (up{service_name="${KUBELET_METRICS_JOB}"}) == 0`,
      for: '15m',
      severity: 'P3',
      labels: { service: STACK, component: AGENT_SELF_SERVICE },
      summary: "The agent cannot read the kubelet's volume stats at {{ $labels.service_instance_id }}",
      description:
        "For 15 minutes the collector agent could not scrape its kubelet's /metrics at {{ $labels.service_instance_id }}: " +
        "the volume alerts (StackVolumeAlmostFull, KubePersistentVolumeFillingUp) see none of that node's claims.",
    },
  ],
  runbook: {
    meaning:
      "A collector agent cannot scrape its node's kubelet `/metrics` (https, port 10250, the agent's ServiceAccount token), where it reads the " +
      "PersistentVolumeClaims' volume stats. Until it can, the volume alerts are blind on that node: a claim can fill up without an alert.",
    investigate: [
      { language: 'MetricsQL', purpose: "each agent's kubelet scrape: 1 answers, 0 fails", query: `up{service_name="${KUBELET_METRICS_JOB}"}` },
      logsOf(AGENT_SELF_SERVICE, 'error'),
      {
        language: 'Shell',
        purpose: "whether the agent's ServiceAccount may read the kubelet's metrics",
        query: 'kubectl auth can-i get nodes/metrics --as=system:serviceaccount:NAMESPACE:otel-agent',
      },
    ],
    causes: [
      "The ClusterRole lost `nodes/metrics` (someone trimmed it), or the cluster's authorizer refuses it.",
      "A NetworkPolicy or host firewall closes the kubelet's port 10250 to the agents' pods.",
      "The kubelet's serving certificate or port changed (a managed cluster's upgrade).",
    ],
    mitigation: ["Restore the agent's ClusterRole (synth renders it) and the egress to port 10250; the agent scrapes again within 30 s."],
  },
};

/** vmalert's failures per rule (counter) and whether each rule's last evaluation failed (gauge, 0 or 1). */
const RULE_ERRORS_TOTAL = '{__name__=~"vmalert_(alerting|recording)_rules_errors_total"}';
const RULE_FAILING_NOW = '{__name__=~"vmalert_(alerting|recording)_rules_error"}';

/**
 * A rule that fails again and again, not once: on Kubernetes vmalert starts beside VictoriaMetrics, not after it (no
 * start order), and every rule's first evaluation fails with "connection refused" (seen on the test cluster: one
 * failure per rule of five groups, then none). Counted over 10 minutes, those single failures kept the former
 * `sum by (group) (increase(...)) > 0` true for 10 minutes after every start, so it went pending for every group and
 * fired 5 minutes later. Now one rule of the group must have failed at least 3 times in 10 minutes, one of them
 * within the last FAILING_NOW, 2 minutes (the per-rule `..._rules_error` gauge is its last evaluation).
 */
const vmalertErrors: AlertDefinition = {
  name: 'VmalertRuleEvaluationErrors',
  variants: [
    {
      expr:
        `max by (group) (increase(${RULE_ERRORS_TOTAL}[10m])) >= 3\n` +
        'and on (group)\n' +
        `max by (group) (max_over_time(${RULE_FAILING_NOW}[${FAILING_NOW}])) > 0`,
      for: '5m',
      severity: 'P2',
      labels: { service: STACK, component: 'vmalert' },
      summary: 'vmalert fails to evaluate rules of group {{ $labels.group }}',
      description: 'A rule of group {{ $labels.group }} failed {{ $value | humanize }} times in 10 minutes and still fails: the alerts the group defines cannot fire.',
    },
  ],
  runbook: {
    meaning: 'vmalert keeps failing to evaluate some rules: those alerts are blind until it is fixed. A single failed evaluation (vmalert starting before VictoriaMetrics answers) does not raise it.',
    investigate: [
      { language: 'MetricsQL', purpose: 'failing rules by group and name', query: `sum by (group, alertname, recording) (increase(${RULE_ERRORS_TOTAL}[10m])) > 0` },
      { language: 'MetricsQL', purpose: 'rules whose last evaluation failed', query: `${RULE_FAILING_NOW} > 0` },
      { language: 'MetricsQL', purpose: 'whether vmalert reaches VictoriaMetrics', query: 'increase(vmalert_datasource_dial_errors_total[10m])' },
      logsOf('vmalert', 'error'),
    ],
    causes: ['VictoriaMetrics is slow or unreachable (timeouts).', 'A query too heavy for the datasource limits (long windows over many series).'],
    mitigation: ['Fix VictoriaMetrics first if it is down; see the vmalert UI (port 8880, `/api/v1/rules`) for each rule\'s last error.'],
  },
  symptomOf: [{ alert: STACK_COMPONENT_DOWN, when: { component: 'victoriametrics' }, equal: [] }],
};

const alertmanagerFailures: AlertDefinition = {
  name: 'AlertmanagerNotificationsFailing',
  variants: [
    {
      expr: `sum by (integration) (rate(alertmanager_notifications_failed_total[${FAILING_NOW}])) > 0`,
      for: '5m',
      severity: 'P1',
      labels: { service: STACK, component: 'alertmanager' },
      summary: 'Alertmanager fails to deliver {{ $labels.integration }} notifications',
      description: `Notifications through {{ $labels.integration }} have kept failing for 5 minutes, never ${FAILING_NOW_MINUTES} minutes apart: alerts are not reaching people.`,
    },
  ],
  runbook: {
    meaning: 'Alertmanager cannot deliver notifications through one integration (webhook, Slack, email, PagerDuty). Alerts routed only there reach nobody; this alert itself may only reach another receiver. Alertmanager retries a failed notification until it is delivered, so a failure that stops within a few minutes lost nothing and does not raise this alert.',
    investigate: [
      { language: 'MetricsQL', purpose: 'failures by integration and reason (clientError, serverError, authError, ...)', query: 'sum by (integration, reason) (rate(alertmanager_notifications_failed_total[10m]))' },
      logsOf('alertmanager', 'notify'),
    ],
    causes: ['The receiver\'s endpoint is down or rejects the request.', 'An expired or wrong credential (Slack URL, PagerDuty routing key) in the mounted secret.'],
    mitigation: ['Check the active alerts in the Alertmanager UI (port 9093) by hand until delivery works.', 'Fix the credential or endpoint and reload Alertmanager (`POST /-/reload`).'],
  },
};

/** Alerts about the observability stack itself, for the components the spec enables. */
export function stackAlerts(spec: StackSpec): AlertDefinition[] {
  const c = spec.components;
  const components = scrapedStackComponents(spec);
  const alerts: AlertDefinition[] = [];
  if (components.length > 0) alerts.push(componentDown(components));
  if (c.collector.enabled) alerts.push(collectorDown, collectorRefusing, collectorDropping, exporterFailures, queueFilling);
  if (c.victoriametrics.enabled) alerts.push(victoriaMetricsDisk);
  // The agents (Kubernetes only) read the claims' volume stats from the kubelets into VictoriaMetrics.
  if (c.collector.enabled && c.collector.kubernetes.enabled && c.victoriametrics.enabled) alerts.push(volumeFilling(spec), volumeStatsUnreadable);
  if (c.vmalert.enabled) alerts.push(vmalertErrors);
  if (c.alertmanager.enabled) alerts.push(alertmanagerFailures);
  return alerts;
}

/**
 * `promtool test rules` cases for every alert of the local preset: each names the alert variant it is about
 * (alert, severity, and the static labels that tell twins apart), feeds series, and says what the alert does at
 * `at`: fire with exactly `labels` (and `summary`), or stay silent. test/validators/alert-rules.test.ts renders
 * them into promtool's test file format and checks that every variant has at least one case of each kind.
 */
import { COLLECTOR_SERVICE_NAME, SAMPLER_SERVICE_NAME } from '../../alerts/metric-names.js';
import type { AlertLevel } from '../../alerts/severity.js';
import type { StackInput } from '../../model/spec.js';

export interface InputSeries {
  readonly series: string;
  /** promtool's expanding notation: `0+10x40` is 0, 10, ..., 400; `1x20` twenty-one 1s; `_` a missing sample. */
  readonly values: string;
}

export interface AlertCase {
  readonly name: string;
  readonly alert: string;
  readonly severity: AlertLevel;
  /** The spec the rules come from, when not the local preset (e.g. a 7-day SLO). */
  readonly spec?: StackInput;
  /** Static labels that pick one variant among twins (e.g. `threshold`, `slo`). */
  readonly variantLabels?: Readonly<Record<string, string>>;
  /** Scrape interval of the input series. */
  readonly interval: string;
  readonly series: readonly InputSeries[];
  readonly at: string;
  /** Firing: the alert's full label set (without alertname), and its rendered summary. */
  readonly fires?: { readonly labels: Readonly<Record<string, string>>; readonly summary: string };
}

/** The sample app's own counter of work requests (test/sample-app/server.ts), as VictoriaMetrics stores it. */
const workRequests = (route: string, outcome: string) => `sample_app_work_requests_total{service_name="sample-front", route="${route}", outcome="${outcome}"}`;

/** sample-front's work requests: `ok` answered and `failed` per sample, over `samples` samples. */
const workTraffic = (ok: number, failed: number, samples: number): InputSeries[] => [
  { series: workRequests('/work/ok', 'ok'), values: `0+${ok}x${samples}` },
  { series: workRequests('/work/fail', 'failed'), values: `0+${failed}x${samples}` },
];

const calls = (service: string, status: string) =>
  `traces_span_metrics_calls_total{service_name="${service}", span_name="GET /work/ok", span_kind="SPAN_KIND_SERVER", status_code="${status}"}`;
const bucket = (service: string, le: string) =>
  `traces_span_metrics_duration_milliseconds_bucket{service_name="${service}", span_name="GET /work/ok", span_kind="SPAN_KIND_SERVER", le="${le}"}`;
const durationCount = (service: string) =>
  `traces_span_metrics_duration_milliseconds_count{service_name="${service}", span_name="GET /work/ok", span_kind="SPAN_KIND_SERVER"}`;

/** Server traffic of `service`: `ok` and `failed` requests per 15 s sample. */
const traffic = (service: string, ok: number, failed: number, samples = 80): InputSeries[] => [
  { series: calls(service, 'STATUS_CODE_UNSET'), values: `0+${ok}x${samples}` },
  { series: calls(service, 'STATUS_CODE_ERROR'), values: `0+${failed}x${samples}` },
];

/** One phase of a counter: `per` added at each of `samples` samples. */
export interface Phase {
  readonly per: number;
  readonly samples: number;
}

/** A counter that starts at 0 and grows phase by phase, in promtool's expanding notation. */
export function counter(phases: readonly Phase[]): string {
  let value = 0;
  const parts = ['0'];
  for (const { per, samples } of phases) {
    if (samples === 0) continue;
    parts.push(samples === 1 ? `${value + per}` : `${value + per}+${per}x${samples - 1}`);
    value += per * samples;
  }
  return parts.join(' ');
}

/** A counter stepping up by 1 at every `every`-th sample from sample `from` until before `until`, over `samples` samples. */
export function sparseCounter(every: number, from: number, until: number, samples: number): string {
  const values: number[] = [];
  let value = 0;
  for (let i = 0; i <= samples; i++) {
    if (i >= from && i < until && (i - from) % every === 0) value++;
    values.push(value);
  }
  return values.join(' ');
}

/**
 * One request every `every` samples of `service`, answered until sample `failFrom`, failing from there until
 * before `failUntil` (then answered nowhere: the failures stop), over `samples` samples.
 */
const sparseTraffic = (service: string, every: number, failFrom: number, failUntil: number, samples: number): InputSeries[] => [
  { series: calls(service, 'STATUS_CODE_UNSET'), values: sparseCounter(every, 0, failFrom, samples) },
  { series: calls(service, 'STATUS_CODE_ERROR'), values: sparseCounter(every, failFrom, failUntil, samples) },
];

/** Server traffic of `service` by phases: ok and failed requests per sample. */
const trafficPhases = (service: string, phases: readonly { ok: number; failed: number; samples: number }[]): InputSeries[] => [
  { series: calls(service, 'STATUS_CODE_UNSET'), values: counter(phases.map((p) => ({ per: p.ok, samples: p.samples }))) },
  { series: calls(service, 'STATUS_CODE_ERROR'), values: counter(phases.map((p) => ({ per: p.failed, samples: p.samples }))) },
];

/**
 * Latency histogram of `service`: per 15 s sample, `fast` requests at most `fastUpTo` ms and `slow` ones in the
 * bucket above `slowUpTo` ms's lower neighbour. Buckets as the spanmetrics connector writes them.
 */
function latency(service: string, perBucket: Readonly<Record<string, number>>, samples = 80): InputSeries[] {
  const bounds = ['5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '+Inf'];
  let cumulative = 0;
  const series = bounds.map((le) => {
    cumulative += perBucket[le] ?? 0;
    return { series: bucket(service, le), values: `0+${cumulative}x${samples}` };
  });
  return [
    ...series,
    { series: durationCount(service), values: `0+${cumulative}x${samples}` },
    { series: calls(service, 'STATUS_CODE_UNSET'), values: `0+${cumulative}x${samples}` },
  ];
}

/** Latency histogram of `service` by phases: requests per bucket per sample, cumulative over the buckets. */
function latencyPhases(service: string, phases: readonly { perBucket: Readonly<Record<string, number>>; samples: number }[]): InputSeries[] {
  const bounds = ['5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '+Inf'];
  const upTo = (le: string, perBucket: Readonly<Record<string, number>>) => bounds.slice(0, bounds.indexOf(le) + 1).reduce((sum, b) => sum + (perBucket[b] ?? 0), 0);
  const all = (perBucket: Readonly<Record<string, number>>) => upTo('+Inf', perBucket);
  return [
    ...bounds.map((le) => ({ series: bucket(service, le), values: counter(phases.map((p) => ({ per: upTo(le, p.perBucket), samples: p.samples }))) })),
    { series: durationCount(service), values: counter(phases.map((p) => ({ per: all(p.perBucket), samples: p.samples }))) },
    { series: calls(service, 'STATUS_CODE_UNSET'), values: counter(phases.map((p) => ({ per: all(p.perBucket), samples: p.samples }))) },
  ];
}

const stack = { service: 'observatory' };
/** The page of sample-front's availability SLO. */
const frontAvailabilityPage = { labels: { severity: 'P1', service: 'sample-front', slo: 'sample-front-availability' }, summary: 'sample-front burns the error budget of SLO sample-front-availability fast' };
const collector = `service_name="${COLLECTOR_SERVICE_NAME}", service_instance_id="3f0c", server_port="8888"`;
const sampler = `service_name="${SAMPLER_SERVICE_NAME}", service_instance_id="77aa", server_port="8888"`;

/** A container of the `shop` namespace, as k8s_cluster and kubelet_stats label it. */
const shopContainerLabels = { k8s_namespace_name: 'shop', k8s_pod_name: 'api-7d9f', k8s_container_name: 'api' };
const shopContainer = 'k8s_namespace_name="shop", k8s_pod_name="api-7d9f", k8s_container_name="api"';

const jobSeries = (v: { failed: number; active: number; successful: number; desired: number }): InputSeries[] => {
  const job = 'k8s_namespace_name="shop", k8s_job_name="report-29012", k8s_job_uid="j1"';
  return [
    { series: `k8s_job_failed_pods{${job}}`, values: `${v.failed}x40` },
    { series: `k8s_job_active_pods{${job}}`, values: `${v.active}x40` },
    { series: `k8s_job_successful_pods{${job}}`, values: `${v.successful}x40` },
    { series: `k8s_job_desired_successful_pods{${job}}`, values: `${v.desired}x40` },
  ];
};

const hpaSeries = (current: number, max: number): InputSeries[] => [
  { series: 'k8s_hpa_current_replicas{k8s_namespace_name="shop", k8s_hpa_name="api"}', values: `${current}x80` },
  { series: 'k8s_hpa_max_replicas{k8s_namespace_name="shop", k8s_hpa_name="api"}', values: `${max}x80` },
];

/**
 * A claim's volume stats as the agents scrape them from a kubelet's `/metrics` (job `kubelet`, the kubelet's own
 * `namespace` and `persistentvolumeclaim` labels; the agent adds its node).
 */
const claimSeries = (namespace: string, claim: string, capacity: number, available: string, samples = 40): InputSeries[] => {
  const labels = `namespace="${namespace}", persistentvolumeclaim="${claim}", service_name="kubelet", service_instance_id="10.0.0.1:10250", k8s_node_name="n1"`;
  return [
    { series: `kubelet_volume_stats_capacity_bytes{${labels}}`, values: `${capacity}x${samples}` },
    { series: `kubelet_volume_stats_available_bytes{${labels}}`, values: available },
    // used = capacity − available is what the kubelet reports (statfs); a constant > 0 is all the rules ask of it.
    { series: `kubelet_volume_stats_used_bytes{${labels}}`, values: `100x${samples}` },
  ];
};

/**
 * What the kubelet stats (`k8s_volume_*`) say of a pod's ConfigMap and emptyDir volumes on a node whose disk is 90 %
 * full: every one of them looks 90 % full. No volume alert may read them.
 */
const nodeDiskVolumes = (namespace: string, pod: string): InputSeries[] =>
  ['config', 'tmp', 'kube-api-access-x1'].flatMap((volume) => [
    { series: `k8s_volume_available_bytes{k8s_namespace_name="${namespace}", k8s_pod_name="${pod}", k8s_volume_name="${volume}", k8s_node_name="n1"}`, values: '100x40' },
    { series: `k8s_volume_capacity_bytes{k8s_namespace_name="${namespace}", k8s_pod_name="${pod}", k8s_volume_name="${volume}", k8s_node_name="n1"}`, values: '1000x40' },
  ]);

/** CPU used (kubelet stats, per node) against the limit (k8s_cluster), in cores. */
const cpuSeries = (usage: number, limit: number): InputSeries[] => [
  { series: `container_cpu_usage{${shopContainer}, k8s_node_name="n1", k8s_pod_uid="p1"}`, values: `${usage}x40` },
  { series: `k8s_container_cpu_limit{${shopContainer}, k8s_pod_uid="p1", container_image_name="shop/api"}`, values: `${limit}x40` },
];

/** A recording rule of the SLO group as vmalert's own metrics name it. */
const recordingRule = 'service_name="vmalert", recording="slo:sli_error:ratio_rate3d", group="slo-sample-front-availability-sli", file="/etc/vmalert/rules/slos.yml", id="1"';

export const alertCases: readonly AlertCase[] = [
  // --- the stack ---
  {
    name: 'a stack component that stops answering its scrape fires after 2 minutes',
    alert: 'StackComponentDown', severity: 'P1', interval: '15s', at: '3m',
    series: [{ series: 'up{service_name="loki", service_instance_id="loki:3100", server_port="3100"}', values: '0x20' }],
    fires: { labels: { ...stack, severity: 'P1', component: 'loki', service_name: 'loki', service_instance_id: 'loki:3100', server_port: '3100' }, summary: 'loki is not answering its metrics scrape' },
  },
  {
    name: 'answering components, and a down target that is not a stack component, fire no StackComponentDown',
    alert: 'StackComponentDown', severity: 'P1', interval: '15s', at: '3m',
    series: [
      { series: 'up{service_name="loki", service_instance_id="loki:3100"}', values: '1x20' },
      { series: 'up{service_name="checkout", service_instance_id="10.0.0.7:9464"}', values: '0x20' },
    ],
  },
  {
    name: 'a collector gateway that stops reporting fires CollectorDown once 3 minutes are empty, plus 2 minutes',
    alert: 'CollectorDown', severity: 'P0', interval: '15s', at: '11m',
    series: [{ series: `up{${collector}}`, values: '1x20' }, { series: `up{${sampler}}`, values: '1x60' }],
    fires: { labels: { ...stack, severity: 'P0', component: 'otel-collector', service_name: COLLECTOR_SERVICE_NAME }, summary: 'The OpenTelemetry Collector sends no telemetry at all' },
  },
  {
    name: 'both collector tiers reporting fire no CollectorDown',
    alert: 'CollectorDown', severity: 'P0', interval: '15s', at: '11m',
    series: [{ series: `up{${collector}}`, values: '1x60' }, { series: `up{${sampler}}`, values: '1x60' }],
  },
  {
    name: 'a sampler that stops reporting fires the P1 CollectorDown for otel-sampler',
    alert: 'CollectorDown', severity: 'P1', interval: '15s', at: '11m',
    series: [{ series: `up{${collector}}`, values: '1x60' }, { series: `up{${sampler}}`, values: '1x20' }],
    fires: {
      labels: { ...stack, severity: 'P1', component: 'otel-sampler', service_name: SAMPLER_SERVICE_NAME },
      summary: "The collector's sampler sends nothing: no traces, span metrics or stack metrics are stored",
    },
  },
  {
    name: 'a sampler that keeps reporting fires no P1 CollectorDown',
    alert: 'CollectorDown', severity: 'P1', interval: '15s', at: '11m',
    series: [{ series: `up{${collector}}`, values: '1x60' }, { series: `up{${sampler}}`, values: '1x60' }],
  },
  {
    name: 'refused spans for 5 minutes fire CollectorRefusingData',
    alert: 'CollectorRefusingData', severity: 'P2', interval: '15s', at: '10m',
    series: [{ series: `otelcol_receiver_refused_spans_total{${collector}, receiver="otlp", transport="grpc"}`, values: '0+150x60' }],
    fires: { labels: { ...stack, severity: 'P2', component: 'otel-collector', receiver: 'otlp' }, summary: 'The collector refuses data on its otlp receiver' },
  },
  {
    // A spike above memory_limiter's limit: senders are told to retry, and do; a notice 5 minutes later would be for nothing.
    name: 'refused spans for 2 minutes, then none, fire no CollectorRefusingData',
    alert: 'CollectorRefusingData', severity: 'P2', interval: '15s', at: '9m',
    series: [{ series: `otelcol_receiver_refused_spans_total{${collector}, receiver="otlp", transport="grpc"}`, values: counter([{ per: 0, samples: 12 }, { per: 150, samples: 8 }, { per: 0, samples: 40 }]) }],
  },
  {
    name: 'no refused data, no CollectorRefusingData',
    alert: 'CollectorRefusingData', severity: 'P2', interval: '15s', at: '10m',
    series: [{ series: `otelcol_receiver_refused_spans_total{${collector}, receiver="otlp", transport="grpc"}`, values: '0x60' }],
  },
  {
    name: 'log records that cannot be queued for Loki fire CollectorDroppingData for component loki',
    alert: 'CollectorDroppingData', severity: 'P1', interval: '15s', at: '5m',
    series: [{ series: `otelcol_exporter_enqueue_failed_log_records_total{${collector}, exporter="otlp_http/loki"}`, values: '0+30x40' }],
    fires: { labels: { ...stack, severity: 'P1', component: 'loki', exporter: 'otlp_http/loki' }, summary: 'The collector drops data for loki: its sending queue is full' },
  },
  {
    name: 'no enqueue failures, no CollectorDroppingData',
    alert: 'CollectorDroppingData', severity: 'P1', interval: '15s', at: '5m',
    series: [{ series: `otelcol_exporter_enqueue_failed_log_records_total{${collector}, exporter="otlp_http/loki"}`, values: '0x40' }],
  },
  {
    name: 'failed sends to Jaeger for 5 minutes fire CollectorExporterSendFailures for component jaeger',
    alert: 'CollectorExporterSendFailures', severity: 'P2', interval: '15s', at: '10m',
    series: [{ series: `otelcol_exporter_send_failed_spans_total{${collector}, exporter="otlp_grpc/jaeger", error_permanent="true"}`, values: '0+15x60' }],
    fires: { labels: { ...stack, severity: 'P2', component: 'jaeger', exporter: 'otlp_grpc/jaeger' }, summary: 'The collector fails to send to jaeger' },
  },
  {
    name: 'no failed sends, no CollectorExporterSendFailures',
    alert: 'CollectorExporterSendFailures', severity: 'P2', interval: '15s', at: '10m',
    series: [{ series: `otelcol_exporter_send_failed_spans_total{${collector}, exporter="otlp_grpc/jaeger", error_permanent="true"}`, values: '7x60' }],
  },
  {
    name: 'a queue 90 % full for 5 minutes fires CollectorPersistentQueueFilling',
    alert: 'CollectorPersistentQueueFilling', severity: 'P1', interval: '15s', at: '10m',
    series: [
      { series: `otelcol_exporter_queue_size{${collector}, exporter="otlp_http/victoriametrics", data_type="metrics"}`, values: '900x60' },
      { series: `otelcol_exporter_queue_capacity{${collector}, exporter="otlp_http/victoriametrics", data_type="metrics"}`, values: '1000x60' },
    ],
    fires: { labels: { ...stack, severity: 'P1', component: 'victoriametrics', exporter: 'otlp_http/victoriametrics' }, summary: "The collector's queue for victoriametrics is 90% full" },
  },
  {
    name: 'a queue at 80 % exactly does not fire CollectorPersistentQueueFilling',
    alert: 'CollectorPersistentQueueFilling', severity: 'P1', interval: '15s', at: '10m',
    series: [
      { series: `otelcol_exporter_queue_size{${collector}, exporter="otlp_http/victoriametrics", data_type="metrics"}`, values: '800x60' },
      { series: `otelcol_exporter_queue_capacity{${collector}, exporter="otlp_http/victoriametrics", data_type="metrics"}`, values: '1000x60' },
    ],
  },
  {
    name: 'a VictoriaMetrics volume 90 % full for 15 minutes fires VictoriaMetricsDiskAlmostFull',
    alert: 'VictoriaMetricsDiskAlmostFull', severity: 'P2', interval: '1m', at: '20m',
    series: [
      { series: 'vm_free_disk_space_bytes{service_name="victoriametrics", path="/victoria-metrics-data"}', values: '10x30' },
      { series: 'vm_total_disk_space_bytes{service_name="victoriametrics", path="/victoria-metrics-data"}', values: '100x30' },
    ],
    fires: { labels: { ...stack, severity: 'P2', component: 'victoriametrics', path: '/victoria-metrics-data' }, summary: "VictoriaMetrics' volume is 90% full" },
  },
  {
    name: 'a half-empty VictoriaMetrics volume fires nothing',
    alert: 'VictoriaMetricsDiskAlmostFull', severity: 'P2', interval: '1m', at: '20m',
    series: [
      { series: 'vm_free_disk_space_bytes{service_name="victoriametrics", path="/victoria-metrics-data"}', values: '50x30' },
      { series: 'vm_total_disk_space_bytes{service_name="victoriametrics", path="/victoria-metrics-data"}', values: '100x30' },
    ],
  },
  {
    name: "Loki's claim 90 % full for 15 minutes fires StackVolumeAlmostFull naming the claim and the component",
    alert: 'StackVolumeAlmostFull', severity: 'P2', interval: '1m', at: '20m',
    series: [
      ...claimSeries('observability', 'data-loki-0', 1000, '100x30', 30),
      // Another namespace's full claim is not the stack's (KubePersistentVolumeFillingUp's).
      ...claimSeries('shop', 'data-db-0', 1000, '0x30', 30),
    ],
    fires: {
      labels: { ...stack, severity: 'P2', component: 'loki', namespace: 'observability', persistentvolumeclaim: 'data-loki-0' },
      summary: 'Claim data-loki-0 of loki is 90% full',
    },
  },
  {
    name: "a backup claim of its own (no StatefulSet ordinal) 85 % full fires StackVolumeAlmostFull for its CronJob's component",
    alert: 'StackVolumeAlmostFull', severity: 'P2', interval: '1m', at: '20m',
    series: claimSeries('observability', 'glitchtip-postgres-backup-backups', 1000, '150x30', 30),
    fires: {
      labels: { ...stack, severity: 'P2', component: 'glitchtip-postgres-backup', namespace: 'observability', persistentvolumeclaim: 'glitchtip-postgres-backup-backups' },
      summary: 'Claim glitchtip-postgres-backup-backups of glitchtip-postgres-backup is 85% full',
    },
  },
  {
    name: 'half-empty stack claims fire no StackVolumeAlmostFull',
    alert: 'StackVolumeAlmostFull', severity: 'P2', interval: '1m', at: '20m',
    series: [...claimSeries('observability', 'data-loki-0', 1000, '500x30', 30), ...claimSeries('observability', 'queue-otel-collector-0', 1000, '900x30', 30)],
  },
  {
    name: "a 90 % full node disk (every ConfigMap and emptyDir of the stack's pods looks 90 % full) fires no StackVolumeAlmostFull",
    alert: 'StackVolumeAlmostFull', severity: 'P2', interval: '1m', at: '20m',
    series: [...nodeDiskVolumes('observability', 'loki-0'), ...nodeDiskVolumes('observability', 'grafana-0'), ...claimSeries('observability', 'data-loki-0', 1000, '600x30', 30)],
  },
  {
    name: "an agent whose kubelet scrape fails for 20 minutes fires KubeletVolumeStatsUnreadable naming the kubelet",
    alert: 'KubeletVolumeStatsUnreadable', severity: 'P3', interval: '1m', at: '20m',
    series: [
      { series: 'up{service_name="kubelet",service_instance_id="10.0.0.7:10250",k8s_node_name="n1"}', values: '0x30' },
      { series: 'up{service_name="kubelet",service_instance_id="10.0.0.8:10250",k8s_node_name="n2"}', values: '1x30' },
    ],
    fires: {
      labels: { ...stack, severity: 'P3', component: 'otel-agent', service_instance_id: '10.0.0.7:10250', k8s_node_name: 'n1' },
      summary: "The agent cannot read the kubelet's volume stats at 10.0.0.7:10250",
    },
  },
  {
    name: 'a kubelet scrape failing for 5 minutes, then answering, fires no KubeletVolumeStatsUnreadable',
    alert: 'KubeletVolumeStatsUnreadable', severity: 'P3', interval: '1m', at: '20m',
    series: [{ series: 'up{service_name="kubelet",service_instance_id="10.0.0.7:10250",k8s_node_name="n1"}', values: '0x5 1x25' }],
  },
  {
    name: "another scrape job down (a service's endpoint) fires no KubeletVolumeStatsUnreadable",
    alert: 'KubeletVolumeStatsUnreadable', severity: 'P3', interval: '1m', at: '20m',
    series: [{ series: 'up{service_name="checkout",service_instance_id="10.1.0.4:9464"}', values: '0x30' }],
  },
  {
    name: 'a rule failing at every evaluation fires VmalertRuleEvaluationErrors for its group',
    alert: 'VmalertRuleEvaluationErrors', severity: 'P2', interval: '15s', at: '10m',
    series: [
      { series: `vmalert_recording_rules_errors_total{${recordingRule}}`, values: '0+1x60' },
      { series: `vmalert_recording_rules_error{${recordingRule}}`, values: '1x60' },
    ],
    fires: { labels: { ...stack, severity: 'P2', component: 'vmalert', group: 'slo-sample-front-availability-sli' }, summary: 'vmalert fails to evaluate rules of group slo-sample-front-availability-sli' },
  },
  {
    name: 'a rule failing at every third evaluation fires VmalertRuleEvaluationErrors (its last evaluation may have passed)',
    alert: 'VmalertRuleEvaluationErrors', severity: 'P2', interval: '15s', at: '10m',
    series: [
      // vmalert evaluates every 30 s here, the scrape every 15 s: one failure every 90 s.
      { series: `vmalert_recording_rules_errors_total{${recordingRule}}`, values: '0 0 0 0 0 1 1 1 1 1 1 2 2 2 2 2 2 3 3 3 3 3 3 4 4 4 4 4 4 5 5 5 5 5 5 6 6 6 6 6 6 7 7 7 7 7 7 8' },
      { series: `vmalert_recording_rules_error{${recordingRule}}`, values: '0 0 0 0 0 1 1 0 0 0 0 1 1 0 0 0 0 1 1 0 0 0 0 1 1 0 0 0 0 1 1 0 0 0 0 1 1 0 0 0 0 1 1 0 0 0 0 1' },
    ],
    fires: { labels: { ...stack, severity: 'P2', component: 'vmalert', group: 'slo-sample-front-availability-sli' }, summary: 'vmalert fails to evaluate rules of group slo-sample-front-availability-sli' },
  },
  {
    name: 'every rule failing once as vmalert starts before VictoriaMetrics answers (the test cluster) fires no VmalertRuleEvaluationErrors',
    alert: 'VmalertRuleEvaluationErrors', severity: 'P2', interval: '15s', at: '6m',
    series: ['services', 'slo-burn-rate', 'observatory-stack', 'kubernetes-workloads', 'slo-sample-front-availability-sli'].flatMap((group, id) =>
      ['a', 'b', 'c'].flatMap((rule) => [
        // Scraped once at 0, then the one failure of its first evaluation; its next evaluations pass.
        { series: `vmalert_alerting_rules_errors_total{service_name="vmalert", alertname="${rule}", group="${group}", id="${id}${rule}"}`, values: '0 1x29' },
        { series: `vmalert_alerting_rules_error{service_name="vmalert", alertname="${rule}", group="${group}", id="${id}${rule}"}`, values: '0 1 1 0x27' },
      ]),
    ),
  },
  {
    name: 'a rule that failed 5 times and has passed for 3 minutes fires no VmalertRuleEvaluationErrors',
    alert: 'VmalertRuleEvaluationErrors', severity: 'P2', interval: '15s', at: '10m',
    series: [
      { series: `vmalert_recording_rules_errors_total{${recordingRule}}`, values: '0+1x5 5x34' },
      { series: `vmalert_recording_rules_error{${recordingRule}}`, values: '1x5 0x34' },
    ],
  },
  {
    name: 'error counters that stay flat fire no VmalertRuleEvaluationErrors',
    alert: 'VmalertRuleEvaluationErrors', severity: 'P2', interval: '15s', at: '10m',
    series: [
      { series: 'vmalert_alerting_rules_errors_total{service_name="vmalert", alertname="X", group="services", file="/etc/vmalert/rules/services.yml", id="2"}', values: '3x60' },
      { series: 'vmalert_alerting_rules_error{service_name="vmalert", alertname="X", group="services", file="/etc/vmalert/rules/services.yml", id="2"}', values: '0x60' },
    ],
  },
  {
    name: 'failing webhook notifications for 5 minutes fire AlertmanagerNotificationsFailing',
    alert: 'AlertmanagerNotificationsFailing', severity: 'P1', interval: '15s', at: '10m',
    series: [{ series: 'alertmanager_notifications_failed_total{service_name="alertmanager", integration="webhook", reason="serverError"}', values: '0+1x60' }],
    fires: { labels: { ...stack, severity: 'P1', component: 'alertmanager', integration: 'webhook' }, summary: 'Alertmanager fails to deliver webhook notifications' },
  },
  {
    // Alertmanager retries a failed notification until it is delivered: one failure lost nothing and must not page.
    name: 'one failed webhook notification, delivered on retry, pages nobody with AlertmanagerNotificationsFailing',
    alert: 'AlertmanagerNotificationsFailing', severity: 'P1', interval: '15s', at: '12m',
    series: [{ series: 'alertmanager_notifications_failed_total{service_name="alertmanager", integration="webhook", reason="serverError"}', values: counter([{ per: 0, samples: 20 }, { per: 1, samples: 1 }, { per: 0, samples: 40 }]) }],
  },
  {
    name: 'webhook notifications failing for 3 minutes, then delivered, page nobody with AlertmanagerNotificationsFailing',
    alert: 'AlertmanagerNotificationsFailing', severity: 'P1', interval: '15s', at: '12m',
    series: [{ series: 'alertmanager_notifications_failed_total{service_name="alertmanager", integration="webhook", reason="serverError"}', values: counter([{ per: 0, samples: 12 }, { per: 1, samples: 12 }, { per: 0, samples: 40 }]) }],
  },
  {
    name: 'no failed notifications, no AlertmanagerNotificationsFailing',
    alert: 'AlertmanagerNotificationsFailing', severity: 'P1', interval: '15s', at: '10m',
    series: [{ series: 'alertmanager_notifications_failed_total{service_name="alertmanager", integration="webhook", reason="serverError"}', values: '0x60' }],
  },

  // --- every service ---
  {
    name: 'a third of the requests of a service without an SLO failing pages after 1 minute over 1 minute',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '15s', at: '3m',
    series: traffic('checkout', 20, 10),
    fires: { labels: { severity: 'P1', service: 'checkout', service_name: 'checkout' }, summary: 'checkout fails 33.33% of its requests' },
  },
  {
    name: 'a third of the requests of a service with an availability SLO failing: its SLO pages, not the threshold (one page per incident)',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '15s', at: '3m',
    series: traffic('sample-front', 20, 10),
  },
  {
    name: '5 % failing requests do not page',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '15s', at: '12m',
    series: traffic('checkout', 19, 1),
  },
  {
    name: '1 request every 10 minutes with one failure pages nobody (one bad event is not an incident)',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '1m', at: '125m',
    series: sparseTraffic('checkout', 10, 120, 121, 140),
  },
  {
    name: '1 request every 5 minutes, all failing, pages within 20 minutes (judged over 20 minutes at low traffic)',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '1m', at: '140m',
    series: sparseTraffic('checkout', 5, 120, 1000, 160),
    fires: { labels: { severity: 'P1', service: 'checkout', service_name: 'checkout' }, summary: 'checkout fails 100% of its requests' },
  },
  {
    name: '1 request a minute, all failing, pages within 5 minutes',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '1m', at: '125m',
    series: sparseTraffic('checkout', 1, 120, 1000, 160),
    // Over the 20-minute window, 6 failures follow 14 good requests.
    fires: { labels: { severity: 'P1', service: 'checkout', service_name: 'checkout' }, summary: 'checkout fails 30% of its requests' },
  },
  {
    name: '10 requests a second, all failing, page within 3 minutes',
    alert: 'ServiceErrorRateHigh', severity: 'P1', interval: '15s', at: '33m',
    series: trafficPhases('checkout', [{ ok: 150, failed: 0, samples: 120 }, { ok: 0, failed: 150, samples: 40 }]),
    fires: { labels: { severity: 'P1', service: 'checkout', service_name: 'checkout' }, summary: 'checkout fails 100% of its requests' },
  },
  {
    name: '5 % failing requests for 5 minutes notify (P2)',
    alert: 'ServiceErrorRateHigh', severity: 'P2', interval: '15s', at: '12m',
    series: traffic('checkout', 19, 1),
    fires: { labels: { severity: 'P2', service: 'checkout', service_name: 'checkout' }, summary: 'checkout fails 5% of its requests' },
  },
  {
    name: '0.5 % failing requests notify nobody',
    alert: 'ServiceErrorRateHigh', severity: 'P2', interval: '15s', at: '12m',
    series: traffic('checkout', 199, 1),
  },
  {
    name: '1 request every 10 minutes, all failing, notifies within an hour (judged over 1 hour at low traffic)',
    alert: 'ServiceErrorRateHigh', severity: 'P2', interval: '1m', at: '180m',
    series: sparseTraffic('checkout', 10, 120, 1000, 200),
    fires: { labels: { severity: 'P2', service: 'checkout', service_name: 'checkout' }, summary: 'checkout fails 100% of its requests' },
  },
  {
    name: 'sample-front slower than its 500 ms SLO threshold at p99 for 10 minutes',
    alert: 'ServiceLatencyHigh', severity: 'P2', variantLabels: { threshold: '500ms' }, interval: '15s', at: '16m',
    series: latency('sample-front', { '250': 50, '1000': 50 }),
    fires: { labels: { severity: 'P2', service: 'sample-front', service_name: 'sample-front', threshold: '500ms' }, summary: "sample-front's p99 latency is 990 ms" },
  },
  {
    name: 'sample-front under 250 ms is fast enough',
    alert: 'ServiceLatencyHigh', severity: 'P2', variantLabels: { threshold: '500ms' }, interval: '15s', at: '16m',
    series: latency('sample-front', { '100': 60, '250': 40 }),
  },
  {
    name: 'a 13-minute spell of 4 % requests slower than 500 ms after fast hours: p99 above the threshold, but the latency SLO keeps its budget over the hour',
    alert: 'ServiceLatencyHigh', severity: 'P2', variantLabels: { threshold: '500ms' }, interval: '1m', at: '132m',
    series: latencyPhases('sample-front', [{ perBucket: { '250': 100 }, samples: 120 }, { perBucket: { '250': 96, '1000': 4 }, samples: 13 }]),
  },
  {
    name: 'a service without a latency SLO slower than the default 1000 ms at p99',
    alert: 'ServiceLatencyHigh', severity: 'P2', variantLabels: { threshold: '1000ms' }, interval: '15s', at: '16m',
    series: latency('checkout', { '250': 50, '2500': 50 }),
    fires: { labels: { severity: 'P2', service: 'checkout', service_name: 'checkout', threshold: '1000ms' }, summary: "checkout's p99 latency is 2.47k ms" },
  },
  {
    name: 'a service without a latency SLO at 600-1000 ms is measured against 1000 ms, not sample-front\'s 500 ms',
    alert: 'ServiceLatencyHigh', severity: 'P2', variantLabels: { threshold: '1000ms' }, interval: '15s', at: '16m',
    series: latency('checkout', { '250': 50, '1000': 50 }),
  },
  {
    name: 'a service that sent spans for 20 minutes and then nothing',
    alert: 'ServiceTelemetryStopped', severity: 'P2', interval: '15s', at: '36m',
    series: traffic('checkout', 10, 0, 80),
    fires: { labels: { severity: 'P2', service: 'checkout', service_name: 'checkout' }, summary: 'checkout stopped sending traces' },
  },
  {
    name: 'a service that keeps sending spans',
    alert: 'ServiceTelemetryStopped', severity: 'P2', interval: '15s', at: '36m',
    series: traffic('checkout', 10, 0, 160),
  },
  {
    name: 'a scraped service endpoint that stops answering',
    alert: 'ServiceEndpointDown', severity: 'P1', interval: '15s', at: '3m',
    series: [{ series: 'up{service_name="checkout", service_instance_id="10.0.0.7:9464"}', values: '0x20' }],
    fires: { labels: { severity: 'P1', service: 'checkout', service_name: 'checkout', service_instance_id: '10.0.0.7:9464' }, summary: "checkout's endpoint 10.0.0.7:9464 is down" },
  },
  {
    name: 'a stack component down is not a service endpoint down',
    alert: 'ServiceEndpointDown', severity: 'P1', interval: '15s', at: '3m',
    series: [
      { series: 'up{service_name="loki", service_instance_id="loki:3100"}', values: '0x20' },
      { series: `up{${collector}}`, values: '0x20' },
      { series: 'up{service_name="checkout", service_instance_id="10.0.0.7:9464"}', values: '1x20' },
    ],
  },

  // --- SLOs ---
  {
    name: '2 % failing requests burn 20× the 99.9 % budget: page after 2 minutes',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '10m',
    series: traffic('sample-front', 98, 2, 120),
    fires: frontAvailabilityPage,
  },
  {
    name: '10 % failing requests for 12 minutes after 6 healthy hours page through the 1 h and 5 m windows alone (14.4×)',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '374m',
    series: [
      { series: calls('sample-front', 'STATUS_CODE_UNSET'), values: '0+100x360 36090+90x15' },
      { series: calls('sample-front', 'STATUS_CODE_ERROR'), values: '0x360 10+10x15' },
    ],
    fires: frontAvailabilityPage,
  },
  {
    name: '0.4 % failing requests (4× the budget) do not page',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '30m',
    series: traffic('sample-front', 996, 4, 120),
  },
  {
    name: '0.4 % failing requests (4× the budget) open a ticket after 15 minutes',
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '30m',
    series: traffic('sample-front', 996, 4, 120),
    fires: { labels: { severity: 'P3', service: 'sample-front', slo: 'sample-front-availability' }, summary: 'sample-front burns the error budget of SLO sample-front-availability steadily' },
  },
  {
    name: '0.05 % failing requests stay within the budget: no ticket',
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '60m',
    series: traffic('sample-front', 1999, 1, 120),
  },
  {
    name: "5 % of the app's own work requests failing burn 10× the 99.5 % budget of a good/total ratio SLO: page",
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-work-success' }, interval: '1m', at: '10m',
    series: workTraffic(95, 5, 120),
    fires: { labels: { severity: 'P1', service: 'sample-front', slo: 'sample-front-work-success' }, summary: 'sample-front burns the error budget of SLO sample-front-work-success fast' },
  },
  {
    name: "0.2 % of the app's own work requests failing stay within the 99.5 % budget: no page",
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-work-success' }, interval: '1m', at: '30m',
    series: workTraffic(998, 2, 120),
  },
  {
    name: "2 % of the app's own work requests failing (4× the 99.5 % budget) open a ticket after 15 minutes",
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-work-success' }, interval: '1m', at: '30m',
    series: workTraffic(98, 2, 120),
    fires: { labels: { severity: 'P3', service: 'sample-front', slo: 'sample-front-work-success' }, summary: 'sample-front burns the error budget of SLO sample-front-work-success steadily' },
  },
  {
    name: "0.2 % of the app's own work requests failing open no ticket",
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-work-success' }, interval: '1m', at: '60m',
    series: workTraffic(998, 2, 120),
  },
  {
    name: '20 % of requests slower than 500 ms burn 20× the 99 % latency budget: page',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-latency' }, interval: '1m', at: '10m',
    series: latency('sample-front', { '250': 80, '1000': 20 }, 120),
    fires: { labels: { severity: 'P1', service: 'sample-front', slo: 'sample-front-latency' }, summary: 'sample-front burns the error budget of SLO sample-front-latency fast' },
  },
  {
    name: '0.5 % of requests slower than 500 ms are within the 1 % budget: no page',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-latency' }, interval: '1m', at: '30m',
    series: latency('sample-front', { '250': 995, '1000': 5 }, 120),
  },
  {
    name: '5 % of requests slower than 500 ms (5× the budget) open a latency ticket',
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-latency' }, interval: '1m', at: '30m',
    series: latency('sample-front', { '250': 95, '1000': 5 }, 120),
    fires: { labels: { severity: 'P3', service: 'sample-front', slo: 'sample-front-latency' }, summary: 'sample-front burns the error budget of SLO sample-front-latency steadily' },
  },
  {
    name: '0.5 % of requests slower than 500 ms open no latency ticket',
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-latency' }, interval: '1m', at: '60m',
    series: latency('sample-front', { '250': 995, '1000': 5 }, 120),
  },
  {
    name: '1 request every 10 minutes with one failure pages nobody (one bad event, under the 3 the guard needs)',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '140m',
    series: sparseTraffic('sample-front', 10, 130, 131, 200),
  },
  {
    name: '1 request every 10 minutes with one failure opens no ticket either',
    alert: 'SloErrorBudgetBurn', severity: 'P3', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '160m',
    series: sparseTraffic('sample-front', 10, 130, 131, 200),
  },
  {
    name: '1 request every 5 minutes, all failing, pages within 20 minutes',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '140m',
    series: sparseTraffic('sample-front', 5, 120, 1000, 200),
    fires: frontAvailabilityPage,
  },
  {
    // The 6 h window pages (the 1 h one never holds 3 requests); at 1590m its 30-minute window holds no new request,
    // which is no sign of recovery: the page must not reset and page again at the next request.
    name: '1 request every 40 minutes, all failing, pages and keeps paging while the short window holds no request',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '1590m',
    series: sparseTraffic('sample-front', 40, 1440, 10_000, 1600),
    fires: frontAvailabilityPage,
  },
  {
    name: '1 request a minute, all failing, pages within 5 minutes',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '1m', at: '125m',
    series: sparseTraffic('sample-front', 1, 120, 1000, 200),
    fires: frontAvailabilityPage,
  },
  {
    name: '10 requests a second, all failing after a healthy hour, page within 3 minutes',
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'sample-front-availability' }, interval: '15s', at: '63m',
    series: trafficPhases('sample-front', [{ ok: 150, failed: 0, samples: 240 }, { ok: 0, failed: 150, samples: 40 }]),
    fires: frontAvailabilityPage,
  },
  {
    name: 'a 7-day SLO: 0.35 % failing requests for an hour spend 2.1 % of its budget and page (3.36× the budget, where a fixed 14.4× would not)',
    spec: { slos: [{ name: 'weekly-availability', service: 'sample-front', objective: 99.9, window: '7d', sli: { kind: 'availability' } }] },
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'weekly-availability' }, interval: '1m', at: '182m',
    series: trafficPhases('sample-front', [{ ok: 2000, failed: 0, samples: 120 }, { ok: 1993, failed: 7, samples: 70 }]),
    fires: { labels: { severity: 'P1', service: 'sample-front', slo: 'weekly-availability' }, summary: 'sample-front burns the error budget of SLO weekly-availability fast' },
  },
  {
    name: 'a 7-day SLO: 0.3 % failing requests for an hour spend 1.8 % of its budget: no page',
    spec: { slos: [{ name: 'weekly-availability', service: 'sample-front', objective: 99.9, window: '7d', sli: { kind: 'availability' } }] },
    alert: 'SloErrorBudgetBurn', severity: 'P1', variantLabels: { slo: 'weekly-availability' }, interval: '1m', at: '182m',
    series: trafficPhases('sample-front', [{ ok: 2000, failed: 0, samples: 120 }, { ok: 1994, failed: 6, samples: 70 }]),
  },
  {
    name: 'a service with an SLO that stops answering pages within 10 minutes (spans flat for 5 minutes, then the series expire)',
    alert: 'SloServiceSilent', severity: 'P1', interval: '15s', at: '70m',
    series: [{ series: calls('sample-front', 'STATUS_CODE_UNSET'), values: `${counter([{ per: 10, samples: 240 }])} ${'2400 '.repeat(20).trim()}` }],
    fires: { labels: { severity: 'P1', service: 'sample-front', service_name: 'sample-front' }, summary: 'sample-front answers no requests' },
  },
  {
    name: 'a service with an SLO that keeps answering does not page',
    alert: 'SloServiceSilent', severity: 'P1', interval: '15s', at: '70m',
    series: traffic('sample-front', 10, 0, 320),
  },
  {
    // From 125m to 129m its 5-minute window is empty, long enough for the 3 minutes of `for`.
    name: 'a service with an SLO answering one request every 10 minutes is quiet, not silent: no page',
    alert: 'SloServiceSilent', severity: 'P1', interval: '1m', at: '129m',
    series: [{ series: calls('sample-front', 'STATUS_CODE_UNSET'), values: sparseCounter(10, 0, 1000, 200) }],
  },

  // --- the alerting pipeline ---
  {
    name: 'the Watchdog always fires, for the heartbeat receiver',
    alert: 'Watchdog', severity: 'heartbeat', interval: '1m', at: '1m',
    series: [],
    fires: { labels: { severity: 'heartbeat', service: 'observatory', component: 'alertmanager' }, summary: 'The alerting pipeline is alive' },
  },

  // --- every namespace's workloads and the nodes (Kubernetes) ---
  {
    name: 'a container waiting in CrashLoopBackOff for 15 minutes',
    alert: 'KubeContainerCrashLooping', severity: 'P2', interval: '30s', at: '20m',
    series: [{ series: `k8s_container_status_reason{${shopContainer}, k8s_container_status_reason="CrashLoopBackOff"}`, values: '1x40' }],
    fires: { labels: { ...shopContainerLabels, severity: 'P2', service: 'shop' }, summary: 'Container api of shop/api-7d9f is crash-looping' },
  },
  {
    name: 'a running container (CrashLoopBackOff reported 0) is not crash-looping',
    alert: 'KubeContainerCrashLooping', severity: 'P2', interval: '30s', at: '20m',
    series: [
      { series: `k8s_container_status_reason{${shopContainer}, k8s_container_status_reason="CrashLoopBackOff"}`, values: '0x40' },
      { series: `k8s_container_status_reason{${shopContainer}, k8s_container_status_reason="Completed"}`, values: '0x40' },
    ],
  },
  {
    name: 'a container that restarted after its last run ended OOMKilled',
    alert: 'KubeContainerOOMKilled', severity: 'P2', interval: '30s', at: '12m',
    series: [
      { series: `k8s_container_restarts{${shopContainer}}`, values: '0x20' },
      { series: `k8s_container_restarts{${shopContainer}, k8s_container_status_last_terminated_reason="OOMKilled"}`, values: '_x20 1x20' },
    ],
    fires: { labels: { ...shopContainerLabels, severity: 'P2', service: 'shop' }, summary: 'Container api of shop/api-7d9f was killed for memory' },
  },
  {
    name: 'a container that restarted after an error exit was not killed for memory',
    alert: 'KubeContainerOOMKilled', severity: 'P2', interval: '30s', at: '12m',
    series: [
      { series: `k8s_container_restarts{${shopContainer}}`, values: '0x20' },
      { series: `k8s_container_restarts{${shopContainer}, k8s_container_status_last_terminated_reason="Error"}`, values: '_x20 1x20' },
    ],
  },
  ...(['Deployment', 'StatefulSet', 'DaemonSet'] as const).flatMap((kind): AlertCase[] => {
    const series = {
      Deployment: (desired: number, ready: number) => [
        { series: 'k8s_deployment_desired{k8s_namespace_name="shop", k8s_deployment_name="api", k8s_deployment_uid="d1"}', values: `${desired}x40` },
        { series: 'k8s_deployment_available{k8s_namespace_name="shop", k8s_deployment_name="api", k8s_deployment_uid="d1"}', values: `${ready}x40` },
      ],
      StatefulSet: (desired: number, ready: number) => [
        { series: 'k8s_statefulset_desired_pods{k8s_namespace_name="shop", k8s_statefulset_name="api"}', values: `${desired}x40` },
        { series: 'k8s_statefulset_ready_pods{k8s_namespace_name="shop", k8s_statefulset_name="api"}', values: `${ready}x40` },
      ],
      DaemonSet: (desired: number, ready: number) => [
        { series: 'k8s_daemonset_desired_scheduled_nodes{k8s_namespace_name="shop", k8s_daemonset_name="api"}', values: `${desired}x40` },
        { series: 'k8s_daemonset_ready_nodes{k8s_namespace_name="shop", k8s_daemonset_name="api"}', values: `${ready}x40` },
      ],
    }[kind];
    const nameLabel = { Deployment: 'k8s_deployment_name', StatefulSet: 'k8s_statefulset_name', DaemonSet: 'k8s_daemonset_name' }[kind];
    const base = { alert: 'KubeWorkloadReplicasMissing', severity: 'P2' as const, variantLabels: { kind }, interval: '30s', at: '20m' };
    return [
      {
        ...base,
        name: `a ${kind} with 1 of 3 ready for 15 minutes`,
        series: series(3, 1),
        fires: {
          labels: { severity: 'P2', service: 'shop', kind, k8s_namespace_name: 'shop', [nameLabel]: 'api' },
          summary: `${kind} shop/api is 2 short of its desired ${kind === 'DaemonSet' ? 'nodes' : 'replicas'}`,
        },
      },
      { ...base, name: `a ${kind} with all 3 ready`, series: series(3, 3) },
    ];
  }),
  {
    name: 'a Job with failed pods, none active and no success has failed',
    alert: 'KubeJobFailed', severity: 'P3', interval: '30s', at: '20m',
    series: jobSeries({ failed: 6, active: 0, successful: 0, desired: 1 }),
    fires: { labels: { severity: 'P3', service: 'shop', k8s_namespace_name: 'shop', k8s_job_name: 'report-29012' }, summary: 'Job shop/report-29012 failed' },
  },
  {
    name: 'a Job that failed twice and then succeeded has not failed',
    alert: 'KubeJobFailed', severity: 'P3', interval: '30s', at: '20m',
    series: jobSeries({ failed: 2, active: 0, successful: 1, desired: 1 }),
  },
  {
    name: 'an HPA at its maximum for an hour',
    alert: 'KubeHpaMaxedOut', severity: 'P3', interval: '1m', at: '70m',
    series: hpaSeries(10, 10),
    fires: { labels: { severity: 'P3', service: 'shop', k8s_namespace_name: 'shop', k8s_hpa_name: 'api' }, summary: 'HPA shop/api has run at its maximum for an hour' },
  },
  {
    name: 'an HPA below its maximum',
    alert: 'KubeHpaMaxedOut', severity: 'P3', interval: '1m', at: '70m',
    series: hpaSeries(6, 10),
  },
  {
    name: 'a node reporting Ready false for 5 minutes',
    alert: 'KubeNodeNotReady', severity: 'P1', interval: '30s', at: '10m',
    series: [{ series: 'k8s_node_condition_ready{k8s_node_name="n1", k8s_node_uid="u1"}', values: '1x4 0x20' }],
    fires: { labels: { severity: 'P1', service: 'kubernetes-nodes', k8s_node_name: 'n1' }, summary: 'Node n1 is not Ready' },
  },
  {
    name: 'Ready nodes are not NotReady',
    alert: 'KubeNodeNotReady', severity: 'P1', interval: '30s', at: '10m',
    series: [
      { series: 'k8s_node_condition_ready{k8s_node_name="n1"}', values: '1x20' },
      { series: 'k8s_node_condition_ready{k8s_node_name="n2"}', values: '1x20' },
    ],
  },
  ...([['MemoryPressure', 'memory_pressure'], ['DiskPressure', 'disk_pressure']] as const).flatMap(([condition, metric]): AlertCase[] => {
    const base = { alert: 'KubeNodePressure', severity: 'P2' as const, variantLabels: { condition }, interval: '30s', at: '10m' };
    return [
      {
        ...base,
        name: `a node under ${condition} for 5 minutes`,
        series: [{ series: `k8s_node_condition_${metric}{k8s_node_name="n1"}`, values: '1x20' }],
        fires: { labels: { severity: 'P2', service: 'kubernetes-nodes', condition, k8s_node_name: 'n1' }, summary: `Node n1 is under ${condition}` },
      },
      { ...base, name: `a node without ${condition}`, series: [{ series: `k8s_node_condition_${metric}{k8s_node_name="n1"}`, values: '0x20' }] },
    ];
  }),
  {
    name: 'a claim with 2 % free for a minute is full: page',
    alert: 'KubePersistentVolumeFillingUp', severity: 'P1', interval: '30s', at: '3m',
    series: claimSeries('shop', 'data-db-0', 1000, '20x40'),
    fires: {
      labels: { severity: 'P1', service: 'shop', namespace: 'shop', persistentvolumeclaim: 'data-db-0' },
      summary: 'Claim shop/data-db-0 is full: 2% of it is free',
    },
  },
  {
    name: 'a claim with 5 % free is not full',
    alert: 'KubePersistentVolumeFillingUp', severity: 'P1', interval: '30s', at: '3m',
    series: claimSeries('shop', 'data-db-0', 1000, '50x40'),
  },
  {
    name: "the stack's own claim 98 % full is StackVolumeAlmostFull's, not KubePersistentVolumeFillingUp's",
    alert: 'KubePersistentVolumeFillingUp', severity: 'P1', interval: '30s', at: '3m',
    series: [...claimSeries('observability', 'data-loki-0', 1000, '20x40'), ...nodeDiskVolumes('shop', 'db-0')],
  },
  {
    name: 'a claim with 12 % free losing 1 % an hour is predicted full within 4 days',
    alert: 'KubePersistentVolumeFillingUp', severity: 'P2', interval: '5m', at: '2h',
    // 10 000 bytes, 1 400 free, 8 fewer every 5 minutes (96 an hour): 1 208 free at 2 h, 0 in about 12.6 h.
    series: claimSeries('shop', 'data-db-0', 10_000, '1400-8x40'),
    fires: {
      labels: { severity: 'P2', service: 'shop', namespace: 'shop', persistentvolumeclaim: 'data-db-0' },
      summary: 'Claim shop/data-db-0 will be full within 4 days: 12.08% of it is free',
    },
  },
  {
    name: 'a claim with 12 % free that does not grow is not filling up',
    alert: 'KubePersistentVolumeFillingUp', severity: 'P2', interval: '5m', at: '2h',
    series: claimSeries('shop', 'data-db-0', 10_000, '1200x40'),
  },
  {
    name: 'a claim 60 % full filling at the same rate has room: more than 15 % free',
    alert: 'KubePersistentVolumeFillingUp', severity: 'P2', interval: '5m', at: '2h',
    series: claimSeries('shop', 'data-db-0', 10_000, '4000-8x40'),
  },
  {
    name: 'a container at 95 % of its CPU limit for 15 minutes is throttled',
    alert: 'KubeContainerCpuThrottled', severity: 'P3', interval: '30s', at: '20m',
    series: cpuSeries(0.95, 1),
    fires: { labels: { ...shopContainerLabels, severity: 'P3', service: 'shop' }, summary: 'Container api of shop/api-7d9f runs at 95% of its CPU limit' },
  },
  {
    name: 'a container at half its CPU limit is not throttled',
    alert: 'KubeContainerCpuThrottled', severity: 'P3', interval: '30s', at: '20m',
    series: cpuSeries(0.5, 1),
  },
];

/** A recorded series' expected value: the SLI recording rules compute what they claim. */
export interface RecordingCase {
  readonly name: string;
  readonly interval: string;
  readonly series: readonly InputSeries[];
  readonly at: string;
  readonly expr: string;
  readonly samples: readonly { readonly labels: string; readonly value: number }[];
}

export const recordingCases: readonly RecordingCase[] = [
  {
    name: 'the availability SLI is the share of failing server requests',
    interval: '1m', at: '30m', series: traffic('sample-front', 98, 2, 60),
    expr: 'round(slo:sli_error:ratio_rate5m{slo="sample-front-availability"}, 0.0001)',
    samples: [{ labels: '{slo="sample-front-availability", service="sample-front"}', value: 0.02 }],
  },
  {
    name: 'the availability SLI is 0, not empty, when nothing fails',
    interval: '1m', at: '30m', series: [{ series: calls('sample-front', 'STATUS_CODE_UNSET'), values: '0+100x60' }],
    expr: 'slo:sli_error:ratio_rate1h{slo="sample-front-availability"}',
    samples: [{ labels: 'slo:sli_error:ratio_rate1h{slo="sample-front-availability", service="sample-front"}', value: 0 }],
  },
  {
    name: 'the latency SLI is the share of requests slower than the threshold bucket',
    interval: '1m', at: '30m', series: latency('sample-front', { '250': 90, '500': 5, '1000': 5 }, 60),
    expr: 'round(slo:sli_error:ratio_rate30m{slo="sample-front-latency"}, 0.0001)',
    samples: [{ labels: '{slo="sample-front-latency", service="sample-front"}', value: 0.05 }],
  },
  {
    name: 'the objective is recorded as a ratio',
    interval: '1m', at: '5m', series: [],
    expr: 'slo:objective:ratio',
    samples: [
      { labels: 'slo:objective:ratio{slo="sample-front-availability", service="sample-front"}', value: 0.999 },
      { labels: 'slo:objective:ratio{slo="sample-front-latency", service="sample-front"}', value: 0.99 },
      { labels: 'slo:objective:ratio{slo="sample-front-work-success", service="sample-front"}', value: 0.995 },
    ],
  },
  {
    name: 'the ratio SLI is 1 - good/total of the counters, summed over their other labels',
    interval: '1m', at: '30m',
    series: workTraffic(97, 3, 60),
    expr: 'round(slo:sli_error:ratio_rate5m{slo="sample-front-work-success"}, 0.0001)',
    samples: [{ labels: '{slo="sample-front-work-success", service="sample-front"}', value: 0.03 }],
  },
  {
    name: 'the ratio SLI is 1 (all bad), not empty, when no event was good',
    interval: '1m', at: '30m',
    series: [{ series: workRequests('/work/fail', 'failed'), values: '0+3x60' }],
    expr: 'slo:sli_error:ratio_rate1h{slo="sample-front-work-success"}',
    samples: [{ labels: 'slo:sli_error:ratio_rate1h{slo="sample-front-work-success", service="sample-front"}', value: 1 }],
  },
];

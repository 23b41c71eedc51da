/**
 * The resource attributes a service's metrics keep as labels in the metrics store. VictoriaMetrics turns every OTLP
 * resource attribute into a label, and SDKs send per-process ones (`process.pid`, `process.command_args`,
 * `process.runtime.*`, `host.*`, `os.*`, `telemetry.sdk.*`): each restart would start new series for every metric.
 * The gateway keeps these and drops the rest from metrics only; traces and logs keep every attribute.
 *
 * - who: `service.name`, `service.namespace`, `service.version`, `deployment.environment.name` (and the older
 *   `deployment.environment`), what dashboards and alerts select on;
 * - which instance: `service.instance.id`, and on Kubernetes the pod: replicas must stay apart, or their
 *   counters would interleave in one series (one identity per instance, not one per process detail);
 * - where, on Kubernetes (from the gateway's k8s_attributes): namespace, node, pod, container and the workload
 *   that owns the pod.
 */
export const METRIC_RESOURCE_ATTRIBUTES = [
  'service.name',
  'service.namespace',
  'service.version',
  'service.instance.id',
  'deployment.environment.name',
  'deployment.environment',
  'k8s.namespace.name',
  'k8s.node.name',
  'k8s.pod.name',
  'k8s.container.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.job.name',
  'k8s.cronjob.name',
] as const;

/** The transform processor (OTTL `keep_keys`) that applies the allow-list to the resource of every metric. */
export function metricLabelsProcessor(): Record<string, unknown> {
  const keys = METRIC_RESOURCE_ATTRIBUTES.map((k) => JSON.stringify(k)).join(', ');
  return { error_mode: 'ignore', metric_statements: [`keep_keys(resource.attributes, [${keys}])`] };
}

import type { Construct } from 'constructs';
import type { Component } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { httpHealth } from './describe.js';
import { ComponentGroup } from './workload.js';
import { VICTORIAMETRICS, VMALERT } from './addresses.js';
import { withPodSettings } from '../model/pod-settings.js';
import { metricsEngine } from '../model/scale-spec.js';
import { toDays, toGoDuration } from '../model/duration.js';
import { victoriaMetricsClusterComponents } from './victoriametrics-cluster.js';

export { VICTORIAMETRICS } from './addresses.js';

const DATA_DIR = '/victoria-metrics-data';

export function victoriaMetricsComponents(spec: StackSpec): Component[] {
  const settings = spec.components.victoriametrics;
  if (!settings.enabled) return [];
  if (metricsEngine(spec) === 'cluster') return victoriaMetricsClusterComponents(spec);
  // A distributed stack on single-node VictoriaMetrics (`distributed.metrics.engine: single`) still runs several
  // vmalerts writing the same recording rules: as on the cluster's vmstorage and vmselect, their results are merged
  // to one sample per evaluation interval (upstream's deduplication for vmalert HA; it applies to every series).
  const vmalertReplicas = spec.scale === 'distributed' && spec.components.vmalert.enabled ? spec.distributed.vmalert.replicas : 1;
  const dedup = vmalertReplicas > 1 ? [`-dedup.minScrapeInterval=${toGoDuration(spec.components.vmalert.evaluationInterval)}`] : [];
  const args = [
    `-storageDataPath=${DATA_DIR}`,
    `-retentionPeriod=${toDays(spec.retention.metrics)}`,
    `-httpListenAddr=:${VICTORIAMETRICS.port}`,
    // OTLP metric and label names become Prometheus-style (http_server_request_duration_seconds_bucket{service_name=...}).
    '-opentelemetry.usePrometheusNaming',
    ...dedup,
    '-loggerFormat=json',
  ];
  if (spec.components.vmalert.enabled) args.push(`-vmalert.proxyURL=${VMALERT.url}`);
  return [
    {
      name: VICTORIAMETRICS.name,
      role: 'metrics',
      image: resolveImage(spec, 'victoriametrics'),
      kind: 'stateful',
      replicas: 1,
      args,
      ports: [{ name: 'http', port: VICTORIAMETRICS.port, publish: true }],
      configFiles: [],
      volumes: [{ name: 'data', mountPath: DATA_DIR, kind: 'persistent', size: settings.storage }],
      health: httpHealth(VICTORIAMETRICS.port, '/health'),
      metrics: { port: VICTORIAMETRICS.port, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      ...(spec.components.vmalert.enabled ? { connectsTo: [{ component: VMALERT.name, port: VMALERT.port }] } : {}),
    },
  ];
}

/** VictoriaMetrics single-node: stores every metric, answers PromQL/MetricsQL. */
export class VictoriaMetrics extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'victoriametrics', victoriaMetricsComponents(props.spec)), props.spec);
  }
}

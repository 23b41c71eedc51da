/** Collector component type names that changed across collector versions. */
export interface TypeNames {
  readonly otlpGrpc: string;
  readonly otlpHttp: string;
  readonly spanMetrics: string;
  readonly k8sAttributes: string;
  readonly k8sObjects: string;
  readonly kubeletStats: string;
  readonly loadBalancing: string;
}

function minorOf(collectorVersion: string): number {
  const match = /^v?(\d+)\.(\d+)\./.exec(collectorVersion);
  if (!match) throw new Error(`cannot read collector version "${collectorVersion}"`);
  return Number(match[1]) > 0 ? Number.POSITIVE_INFINITY : Number(match[2]);
}

/**
 * The type names the pinned collector registers. The OTLP exporters were renamed in v0.144.0 (`otlp` →
 * `otlp_grpc`, `otlphttp` → `otlp_http`). At v0.152.0 `otelcol components` lists `span_metrics`,
 * `k8s_attributes`, `k8s_objects` and `kubelet_stats`, keeping the old names as deprecated aliases; older
 * pinned versions get the old names, which 0.152 still accepts.
 */
export function typeNames(collectorVersion: string): TypeNames {
  const minor = minorOf(collectorVersion);
  const underscored = minor >= 152;
  return {
    otlpGrpc: minor >= 144 ? 'otlp_grpc' : 'otlp',
    otlpHttp: minor >= 144 ? 'otlp_http' : 'otlphttp',
    spanMetrics: underscored ? 'span_metrics' : 'spanmetrics',
    k8sAttributes: underscored ? 'k8s_attributes' : 'k8sattributes',
    k8sObjects: underscored ? 'k8s_objects' : 'k8sobjects',
    kubeletStats: underscored ? 'kubelet_stats' : 'kubeletstats',
    // Renamed after v0.152.0 (contrib PR #48533, merged 2026-05-19; v0.154.0's README names `load_balancing`).
    loadBalancing: minor >= 153 ? 'load_balancing' : 'loadbalancing',
  };
}

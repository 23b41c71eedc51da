import type { StackSpec } from '../model/spec.js';
import { COLLECTOR, GRAFANA, JAEGER, logsEndpoints, metricsEndpoints } from './addresses.js';

/**
 * Where a workload in any namespace of the cluster reaches the stack: namespace-qualified Service addresses
 * (`<service>.<namespace>.svc`, no cluster domain assumed). Reading the address of a disabled component throws,
 * naming the spec key that disabled it.
 */
export interface ClusterEndpoints {
  /** OTLP over gRPC, `host:port`, e.g. `otel-collector.observability.svc:4317` (`OTEL_EXPORTER_OTLP_ENDPOINT` with `http://` for gRPC SDKs). */
  readonly otlpGrpc: string;
  /** OTLP over HTTP, base URL, e.g. `http://otel-collector.observability.svc:4318`; SDKs append `/v1/traces`, `/v1/metrics`, `/v1/logs`. */
  readonly otlpHttp: string;
  /** Grafana, e.g. `http://grafana.observability.svc:3000`. */
  readonly grafanaUrl: string;
  /** Loki's HTTP API (LogQL queries), e.g. `http://loki.observability.svc:3100` (distributed: the read target, `loki-read`). */
  readonly lokiUrl: string;
  /**
   * VictoriaMetrics' Prometheus API base (PromQL/MetricsQL queries at `<url>/api/v1/query`), e.g.
   * `http://victoriametrics.observability.svc:8428`; distributed on the cluster (`distributed.metrics.engine`), vmselect's
   * `http://vmselect.observability.svc:8481/select/0/prometheus`.
   */
  readonly victoriaMetricsUrl: string;
  /** Jaeger's query API and UI, e.g. `http://jaeger.observability.svc:16686`. */
  readonly jaegerQueryUrl: string;
  /** Name of the Secret (key `token`) holding the bearer token the public OTLP/HTTP endpoint asks senders outside the cluster for. */
  readonly ingestTokenSecret: string;
}

/** `http://loki:3100` → `http://loki.<namespace>.svc:3100`; `jaeger:4317` → `jaeger.<namespace>.svc:4317`. */
function qualified(address: string, namespace: string): string {
  return address.replace(/^(\w+:\/\/)?([a-z0-9-]+)(?=:\d+)/, (_, scheme: string | undefined, host: string) => `${scheme ?? ''}${host}.${namespace}.svc`);
}

export function clusterEndpoints(spec: StackSpec): ClusterEndpoints {
  const c = spec.components;
  // A name without a port (the Secret's) is left as it is.
  const address = (enabled: boolean, component: keyof StackSpec['components'], value: string) => ({
    enumerable: true,
    get: () => {
      if (!enabled) throw new Error(`components.${component}.enabled is false: the stack has no ${component} to reach`);
      return qualified(value, spec.namespace);
    },
  });
  return Object.defineProperties({} as ClusterEndpoints, {
    otlpGrpc: address(c.collector.enabled, 'collector', COLLECTOR.otlpGrpcEndpoint),
    otlpHttp: address(c.collector.enabled, 'collector', COLLECTOR.otlpHttpUrl),
    grafanaUrl: address(c.grafana.enabled, 'grafana', `http://${GRAFANA.name}:${GRAFANA.port}`),
    lokiUrl: address(c.loki.enabled, 'loki', logsEndpoints(spec).query.url),
    victoriaMetricsUrl: address(c.victoriametrics.enabled, 'victoriametrics', metricsEndpoints(spec).query.url),
    jaegerQueryUrl: address(c.jaeger.enabled, 'jaeger', JAEGER.queryUrl),
    ingestTokenSecret: address(c.collector.enabled, 'collector', COLLECTOR.ingestSecret),
  });
}

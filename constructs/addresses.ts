import { AGENT_SELF_SERVICE } from '../collector/agent.js';
import { COLLECTOR_PORTS, SAMPLER_SELF_SERVICE } from '../collector/pipelines.js';

/**
 * Where each component of the stack is reached inside the stack's network (the compose network, the stack's
 * namespace): one home for every name, port and URL, which the components' descriptions, the configs that
 * name other components and the typed cluster endpoints (cluster-endpoints.ts) all read.
 */

export const VICTORIAMETRICS = {
  name: 'victoriametrics',
  port: 8428,
  url: 'http://victoriametrics:8428',
  /** OTLP/HTTP metrics ingestion (protobuf). */
  otlpMetricsUrl: 'http://victoriametrics:8428/opentelemetry/v1/metrics',
} as const;

export const VMALERT = { name: 'vmalert', port: 8880, url: 'http://vmalert:8880' } as const;

export const ALERTMANAGER = { name: 'alertmanager', port: 9093, url: 'http://alertmanager:9093' } as const;

export const GRAFANA = { name: 'grafana', port: 3000, host: 'grafana', adminSecret: 'grafana-admin' } as const;

export const LOKI = {
  name: 'loki',
  port: 3100,
  url: 'http://loki:3100',
  /** Base URL of the OTLP/HTTP endpoint; the exporter appends `/v1/logs`. */
  otlpUrl: 'http://loki:3100/otlp',
} as const;

export const JAEGER = {
  name: 'jaeger',
  otlpGrpcPort: 4317,
  queryPort: 16686,
  healthPort: 13133,
  metricsPort: 8888,
  /** OTLP gRPC ingestion, as `host:port`. */
  otlpGrpcEndpoint: 'jaeger:4317',
  queryUrl: 'http://jaeger:16686',
} as const;

export const COLLECTOR = {
  name: 'otel-collector',
  otlpGrpcEndpoint: 'otel-collector:4317',
  otlpHttpUrl: 'http://otel-collector:4318',
  agentName: AGENT_SELF_SERVICE,
  /** Host of the authenticated OTLP/HTTP endpoint behind the ingress. */
  publicHost: 'otlp',
  /** Secret (key `token`) holding the bearer token senders outside the cluster present. */
  ingestSecret: 'otel-collector-ingest',
  samplerName: SAMPLER_SELF_SERVICE,
  samplerEndpoint: `${SAMPLER_SELF_SERVICE}:${COLLECTOR_PORTS.otlpGrpc}`,
} as const;

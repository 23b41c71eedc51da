import { AGENT_SELF_SERVICE } from '../collector/agent.js';
import { COLLECTOR_PORTS, SAMPLER_SELF_SERVICE, SCRAPER_SELF_SERVICE } from '../collector/pipelines.js';
import { peersHost } from '../model/component.js';
import { metricsEngine } from '../model/scale-spec.js';

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
  /** Every sampler's address at once (several samplers: the gateway routes by trace ID among them). */
  samplerPeers: { hostname: peersHost(SAMPLER_SELF_SERVICE), port: COLLECTOR_PORTS.otlpGrpc },
  /** With several samplers: the one instance scraping the stack and running the cluster-wide receivers. */
  scraperName: SCRAPER_SELF_SERVICE,
} as const;

/** Loki's simple scalable targets (`scale: distributed`): each its own component, on one shared config. */
export const LOKI_SSD = {
  write: 'loki-write',
  read: 'loki-read',
  backend: 'loki-backend',
  grpcPort: 9095,
  memberlistPort: 7946,
} as const;

/** The VictoriaMetrics cluster (`scale: distributed`), tenant 0. */
export const VM_CLUSTER = {
  vminsert: { name: 'vminsert', port: 8480 },
  vmselect: { name: 'vmselect', port: 8481 },
  /** vmstorage's ports: vminsert writes to 8400, vmselect reads from 8401, HTTP (health, metrics) on 8482. */
  vmstorage: { name: 'vmstorage', httpPort: 8482, insertPort: 8400, selectPort: 8401 },
} as const;

/** A component's port and the URL clients use there. */
export interface Endpoint {
  readonly component: string;
  readonly port: number;
  readonly url: string;
}

interface ScaleOf {
  readonly scale: 'single' | 'distributed';
}

/**
 * Where metrics are written (OTLP/HTTP, the full path; Prometheus remote write) and queried (the Prometheus API
 * base): VictoriaMetrics single-node (a single stack, or a distributed one with `distributed.metrics.engine: single`),
 * or vminsert and vmselect of the cluster.
 */
export function metricsEndpoints(spec: Parameters<typeof metricsEngine>[0]): { otlp: Endpoint; remoteWrite: Endpoint; query: Endpoint } {
  if (metricsEngine(spec) === 'single') {
    const at = (url: string) => ({ component: VICTORIAMETRICS.name, port: VICTORIAMETRICS.port, url });
    return { otlp: at(VICTORIAMETRICS.otlpMetricsUrl), remoteWrite: at(VICTORIAMETRICS.url), query: at(VICTORIAMETRICS.url) };
  }
  const { vminsert, vmselect } = VM_CLUSTER;
  const insert = (path: string) => ({ component: vminsert.name, port: vminsert.port, url: `http://${vminsert.name}:${vminsert.port}/insert/0/${path}` });
  return {
    otlp: insert('opentelemetry/v1/metrics'),
    remoteWrite: insert('prometheus'),
    query: { component: vmselect.name, port: vmselect.port, url: `http://${vmselect.name}:${vmselect.port}/select/0/prometheus` },
  };
}

/** Where logs are pushed (OTLP/HTTP base URL) and queried (the Loki API): the single binary, or the write and read targets. */
export function logsEndpoints(spec: ScaleOf): { otlp: Endpoint; query: Endpoint } {
  if (spec.scale === 'single') {
    return { otlp: { component: LOKI.name, port: LOKI.port, url: LOKI.otlpUrl }, query: { component: LOKI.name, port: LOKI.port, url: LOKI.url } };
  }
  const at = (name: string, path: string) => ({ component: name, port: LOKI.port, url: `http://${name}:${LOKI.port}${path}` });
  return { otlp: at(LOKI_SSD.write, '/otlp'), query: at(LOKI_SSD.read, '') };
}

import type { Construct } from 'constructs';
import type { Component } from '../model/component.js';
import { parseDuration, toHours } from '../model/duration.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { httpHealth, secretRef, toYaml } from './describe.js';
import { JAEGER_INDEX_PREFIX, jaegerOpenSearchBackend, openSearchCaEnv, openSearchEnv, openSearchPort, openSearchSecret, openSearchUrlArgument } from './opensearch.js';
import { ComponentGroup } from './workload.js';
import { JAEGER } from './addresses.js';
import { withPodSettings } from '../model/pod-settings.js';

export { JAEGER } from './addresses.js';

const CONFIG_DIR = '/etc/jaeger';
const BADGER_DIR = '/badger';

const onOpenSearch = (spec: StackSpec) => spec.scale === 'distributed';

/** Where Jaeger keeps spans: Badger on its volume, or OpenSearch when distributed. */
function storageBackend(spec: StackSpec): Record<string, unknown> {
  if (onOpenSearch(spec)) return { opensearch: jaegerOpenSearchBackend(spec, toHours(spec.retention.traces)) };
  return {
    badger: {
      directories: { keys: `${BADGER_DIR}/keys`, values: `${BADGER_DIR}/values` },
      ephemeral: false,
      ttl: { spans: toHours(spec.retention.traces) },
    },
  };
}

/** Jaeger v2's own config: OTLP in, Badger on a persistent volume (or OpenSearch), query UI/API, v2 health check. */
export function jaegerConfig(spec: StackSpec): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        // No batch processor: an acknowledged span is already written, so a crash loses nothing the collector sent.
        traces: { receivers: ['otlp'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER.metricsPort } } } }] },
        logs: { level: 'info', encoding: 'json' },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${JAEGER.healthPort}` } },
      jaeger_query: {
        storage: { traces: 'main' },
        http: { endpoint: `0.0.0.0:${JAEGER.queryPort}` },
        grpc: { endpoint: '0.0.0.0:16685' },
      },
      jaeger_storage: {
        backends: { main: storageBackend(spec) },
      },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${JAEGER.otlpGrpcPort}` }, http: { endpoint: '0.0.0.0:4318' } } },
    },
    exporters: { jaeger_storage_exporter: { trace_storage: 'main' } },
  };
}

export function jaegerComponents(spec: StackSpec): Component[] {
  const settings = spec.components.jaeger;
  if (!settings.enabled) return [];
  const distributed = onOpenSearch(spec);
  const external = distributed
    ? {
        env: openSearchEnv(spec),
        externalSecrets: [openSearchSecret(spec)],
        kubernetes: { egress: [{ kind: 'anywhere' as const, ports: [openSearchPort(spec)] }] },
      }
    : {};
  return [
    ...(distributed ? [indexCleanerComponent(spec)] : []),
    {
      name: JAEGER.name,
      role: 'traces',
      image: resolveImage(spec, 'jaeger'),
      // On OpenSearch, Jaeger holds nothing itself: replicas behind one Service.
      kind: distributed ? 'service' : 'stateful',
      replicas: distributed ? spec.distributed.traces.replicas : 1,
      args: [`--config=${CONFIG_DIR}/config.yaml`],
      ...external,
      ports: [
        { name: 'otlp-grpc', port: JAEGER.otlpGrpcPort },
        { name: 'query', port: JAEGER.queryPort, publish: true },
        { name: 'health', port: JAEGER.healthPort },
        { name: 'metrics', port: JAEGER.metricsPort },
      ],
      configFiles: [{ name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(jaegerConfig(spec)) }],
      volumes: [
        ...(distributed ? [] : [{ name: 'data', mountPath: BADGER_DIR, kind: 'persistent' as const, size: settings.storage }]),
        { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
      ],
      health: httpHealth(JAEGER.healthPort, '/status', 60),
      metrics: { port: JAEGER.metricsPort, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
    },
  ];
}

/**
 * Retention on OpenSearch: Jaeger writes one index per day and never deletes them; upstream's index cleaner,
 * run daily, deletes those older than `retention.traces` (whole days).
 */
function indexCleanerComponent(spec: StackSpec): Component {
  const opensearch = spec.distributed.traces.opensearch;
  const days = Math.max(1, Math.ceil(parseDuration(spec.retention.traces) / 86_400));
  return {
    name: 'jaeger-index-cleaner',
    role: 'retention',
    image: resolveImage(spec, 'jaegerIndexCleaner'),
    kind: 'scheduled',
    schedule: spec.backups.schedule,
    replicas: 1,
    args: [String(days), openSearchUrlArgument(spec)],
    env: {
      ES_USERNAME: secretRef(opensearch.secret, 'username'),
      ES_PASSWORD: secretRef(opensearch.secret, 'password'),
      ES_INDEX_PREFIX: JAEGER_INDEX_PREFIX,
      ...openSearchCaEnv(spec),
    },
    externalSecrets: [openSearchSecret(spec)],
    ports: [],
    configFiles: [],
    volumes: [],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    readOnlyRootFilesystem: true,
    kubernetes: { egress: [{ kind: 'anywhere', ports: [openSearchPort(spec)] }] },
  };
}

/** Jaeger v2: stores traces (Badger) and serves the trace search UI and API. */
export class Jaeger extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'jaeger', jaegerComponents(props.spec)), props.spec);
  }
}

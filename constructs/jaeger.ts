import type { Construct } from 'constructs';
import type { Component } from '../model/component.js';
import { toHours } from '../model/duration.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { httpHealth, toYaml } from './describe.js';
import { ComponentGroup } from './workload.js';
import { JAEGER } from './addresses.js';
import { withPodSettings } from '../model/pod-settings.js';

export { JAEGER } from './addresses.js';

const CONFIG_DIR = '/etc/jaeger';
const BADGER_DIR = '/badger';

/** Jaeger v2's own config: OTLP in, Badger on a persistent volume, query UI/API, v2 health check. */
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
        backends: {
          main: {
            badger: {
              directories: { keys: `${BADGER_DIR}/keys`, values: `${BADGER_DIR}/values` },
              ephemeral: false,
              ttl: { spans: toHours(spec.retention.traces) },
            },
          },
        },
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
  return [
    {
      name: JAEGER.name,
      role: 'traces',
      image: resolveImage(spec, 'jaeger'),
      kind: 'stateful',
      replicas: 1,
      args: [`--config=${CONFIG_DIR}/config.yaml`],
      ports: [
        { name: 'otlp-grpc', port: JAEGER.otlpGrpcPort },
        { name: 'query', port: JAEGER.queryPort, publish: true },
        { name: 'health', port: JAEGER.healthPort },
        { name: 'metrics', port: JAEGER.metricsPort },
      ],
      configFiles: [{ name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(jaegerConfig(spec)) }],
      volumes: [
        { name: 'data', mountPath: BADGER_DIR, kind: 'persistent', size: settings.storage },
        { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
      ],
      health: httpHealth(JAEGER.healthPort, '/status', 60),
      metrics: { port: JAEGER.metricsPort, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
    },
  ];
}

/** Jaeger v2: stores traces (Badger) and serves the trace search UI and API. */
export class Jaeger extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'jaeger', jaegerComponents(props.spec)), props.spec);
  }
}

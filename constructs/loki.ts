import type { Construct } from 'constructs';
import type { Component } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { lokiRetentionAndQuerying } from './loki-shared-config.js';
import { httpProbe, toYaml } from './describe.js';
import { ComponentGroup } from './workload.js';
import { LOKI } from './addresses.js';
import { withPodSettings } from '../model/pod-settings.js';
import { lokiScalableComponents } from './loki-distributed.js';

export { LOKI } from './addresses.js';

const CONFIG_DIR = '/etc/loki';
const DATA_DIR = '/loki';

/** Loki single binary on the filesystem, schema v13/tsdb, retention enforced by the compactor. */
export function lokiConfig(spec: StackSpec): Record<string, unknown> {
  return {
    auth_enabled: false,
    server: { http_listen_port: LOKI.port, grpc_listen_port: 9095, log_format: 'json' },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: DATA_DIR,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: `${DATA_DIR}/chunks`, rules_directory: `${DATA_DIR}/rules` } },
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    ingester: {
      wal: { enabled: true, dir: `${DATA_DIR}/wal` },
      // /ready still needs the ingester ACTIVE in its ring. The 15 s default wait after that (counted from the first
      // probe that finds it so) gives other ring members time to see a rolling update; a single instance has none.
      lifecycler: { min_ready_duration: '0s' },
    },
    // /ready also needs the query frontend connected to a scheduler, found by polling the scheduler ring: every 10 s
    // by default, so the first look (before the scheduler joined) cost 10 s. The ring is in memory: polling is cheap.
    frontend: { scheduler_dns_lookup_period: '1s' },
    ...lokiRetentionAndQuerying(spec, DATA_DIR, 'filesystem'),
  };
}

export function lokiComponents(spec: StackSpec): Component[] {
  const settings = spec.components.loki;
  if (!settings.enabled) return [];
  if (spec.scale === 'distributed') return lokiScalableComponents(spec);
  return [
    {
      name: LOKI.name,
      role: 'logs',
      image: resolveImage(spec, 'loki'),
      kind: 'stateful',
      replicas: 1,
      args: [`-config.file=${CONFIG_DIR}/config.yaml`],
      ports: [{ name: 'http', port: LOKI.port, publish: true }],
      configFiles: [{ name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(lokiConfig(spec)) }],
      volumes: [{ name: 'data', mountPath: DATA_DIR, kind: 'persistent', size: settings.storage }],
      // /ready turns 503 while the ingester joins its ring; liveness only asks whether the server answers.
      health: { readiness: httpProbe(LOKI.port, '/ready'), liveness: httpProbe(LOKI.port, '/loki/api/v1/status/buildinfo'), startupSeconds: 60 },
      metrics: { port: LOKI.port, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
    },
  ];
}

/** Loki: stores and queries logs (LogQL). */
export class Loki extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'loki', lokiComponents(props.spec)), props.spec);
  }
}

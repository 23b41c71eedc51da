import type { Component } from '../model/component.js';
import { peersHost } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { lokiRetentionAndQuerying } from './loki-shared-config.js';
import { LOKI, LOKI_SSD } from './addresses.js';
import { httpProbe, toYaml } from './describe.js';
import { lokiS3, objectStorageEnv, objectStoragePort, objectStorageSecretKeys } from './object-storage.js';

const CONFIG_DIR = '/etc/loki';
const DATA_DIR = '/loki';

/**
 * Loki's simple scalable mode: one config for the read, write and backend targets; the rings gossip over
 * memberlist, chunks and index live in the S3 bucket, the compactor (backend) enforces retention.
 */
export function lokiScalableConfig(spec: StackSpec): Record<string, unknown> {
  const logs = spec.distributed.logs;
  return {
    auth_enabled: false,
    server: { http_listen_port: LOKI.port, grpc_listen_port: LOKI_SSD.grpcPort, log_format: 'json' },
    common: {
      path_prefix: DATA_DIR,
      replication_factor: logs.replicationFactor,
      compactor_address: `http://${LOKI_SSD.backend}:${LOKI.port}`,
      ring: { kvstore: { store: 'memberlist' } },
      storage: { s3: lokiS3(spec) },
    },
    memberlist: {
      bind_port: LOKI_SSD.memberlistPort,
      // Any member will do to join; every target's replicas answer on their peers name.
      join_members: [LOKI_SSD.write, LOKI_SSD.read, LOKI_SSD.backend].map((t) => `dns+${peersHost(t)}:${LOKI_SSD.memberlistPort}`),
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 's3', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    storage_config: { tsdb_shipper: { active_index_directory: `${DATA_DIR}/index`, cache_location: `${DATA_DIR}/index_cache` } },
    ingester: { wal: { enabled: true, dir: `${DATA_DIR}/wal` } },
    ...lokiRetentionAndQuerying(spec, DATA_DIR, 's3'),
  };
}

type Target = 'write' | 'read' | 'backend';

/** The three targets, each a component of its own; write and backend keep state on a volume (WAL, compactor). */
export function lokiScalableComponents(spec: StackSpec): Component[] {
  const settings = spec.components.loki;
  const logs = spec.distributed.logs;
  const config = { name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(lokiScalableConfig(spec)) };
  const names = [LOKI_SSD.write, LOKI_SSD.read, LOKI_SSD.backend];
  const target = (t: Target, replicas: number): Component => ({
    name: LOKI_SSD[t],
    role: 'logs',
    image: resolveImage(spec, 'loki'),
    // Every target stateful: its replicas have stable names and the peers name the memberlist joins.
    kind: 'stateful',
    replicas,
    args: [`-config.file=${CONFIG_DIR}/config.yaml`, `-target=${t}`, '-config.expand-env=true'],
    env: objectStorageEnv(spec),
    externalSecrets: [{ secret: logs.objectStorage.secret, keys: objectStorageSecretKeys(spec) }],
    ports: [
      // The read target's HTTP port is the query API, published on 127.0.0.1:3100 in compose as the single binary's is.
      { name: 'http', port: LOKI.port, ...(t === 'read' ? { publish: true } : {}) },
      { name: 'grpc', port: LOKI_SSD.grpcPort },
      { name: 'memberlist', port: LOKI_SSD.memberlistPort },
    ],
    configFiles: [config],
    volumes: [
      t === 'read'
        ? { name: 'data', mountPath: DATA_DIR, kind: 'scratch' }
        : { name: 'data', mountPath: DATA_DIR, kind: 'persistent', size: logs.volume },
    ],
    health: { readiness: httpProbe(LOKI.port, '/ready'), liveness: httpProbe(LOKI.port, '/loki/api/v1/status/buildinfo'), startupSeconds: 120 },
    metrics: { port: LOKI.port, path: '/metrics' },
    resources: settings.resources,
    readOnlyRootFilesystem: true,
    // Gossip and gRPC among all targets (distributor → ingesters, querier → ingesters and index gateway), and
    // the compactor's HTTP API on the backend (deletes, retention).
    connectsTo: names.flatMap((other) => [
      { component: other, port: LOKI_SSD.memberlistPort },
      { component: other, port: LOKI_SSD.grpcPort },
      ...(other === LOKI_SSD.backend ? [{ component: other, port: LOKI.port }] : []),
    ]),
    kubernetes: { egress: [{ kind: 'anywhere', ports: [objectStoragePort(spec)] }] },
  });
  return [target('write', logs.write), target('read', logs.read), target('backend', logs.backend)];
}

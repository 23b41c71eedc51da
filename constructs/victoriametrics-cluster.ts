import type { Component } from '../model/component.js';
import { replicaHost } from '../model/component.js';
import { toDays, toGoDuration } from '../model/duration.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { VM_CLUSTER, VMALERT } from './addresses.js';
import { httpHealth } from './describe.js';

const DATA_DIR = '/vmstorage-data';

/**
 * The VictoriaMetrics cluster: vmstorage nodes (each its own volume, sharing nothing), vminsert spreading every
 * sample over `replicationFactor` of them, vmselect querying all of them. Flags as documented for the cluster
 * version (docs.victoriametrics.com/cluster-victoriametrics): the `-cluster` sources are not served by the module
 * proxy this project builds from, so no binary of ours checks them (docs/DISTRIBUTED.md).
 */
export function victoriaMetricsClusterComponents(spec: StackSpec): Component[] {
  const settings = spec.components.victoriametrics;
  const sizing = spec.distributed.metrics;
  const { vminsert, vmselect, vmstorage } = VM_CLUSTER;
  // vmstorage nodes by their stable names: vminsert and vmselect hash series over this list in this order.
  const nodes = (port: number) => Array.from({ length: sizing.vmstorage }, (_, i) => `${replicaHost(vmstorage.name, i)}:${port}`).join(',');
  const common = { resources: settings.resources, readOnlyRootFilesystem: true, configFiles: [] };
  // Replicated samples are merged back into one (1ms); with several vmalerts writing the same recording rules,
  // their results are merged to one per evaluation interval, the deduplication upstream documents for vmalert HA
  // (it applies to every series: one sample per interval is kept).
  const vmalertReplicas = spec.components.vmalert.enabled ? spec.distributed.vmalert.replicas : 1;
  const dedup = [`-dedup.minScrapeInterval=${vmalertReplicas > 1 ? toGoDuration(spec.components.vmalert.evaluationInterval) : '1ms'}`];
  const vmalertProxy = spec.components.vmalert.enabled ? [`-vmalert.proxyURL=${VMALERT.url}`] : [];
  return [
    {
      ...common,
      name: vmstorage.name,
      role: 'metrics',
      image: resolveImage(spec, 'vmstorage'),
      kind: 'stateful',
      replicas: sizing.vmstorage,
      args: [
        `-storageDataPath=${DATA_DIR}`,
        `-retentionPeriod=${toDays(spec.retention.metrics)}`,
        `-httpListenAddr=:${vmstorage.httpPort}`,
        `-vminsertAddr=:${vmstorage.insertPort}`,
        `-vmselectAddr=:${vmstorage.selectPort}`,
        ...dedup,
        '-loggerFormat=json',
      ],
      ports: [
        { name: 'http', port: vmstorage.httpPort },
        { name: 'vminsert', port: vmstorage.insertPort },
        { name: 'vmselect', port: vmstorage.selectPort },
      ],
      volumes: [{ name: 'data', mountPath: DATA_DIR, kind: 'persistent', size: settings.storage }],
      health: httpHealth(vmstorage.httpPort, '/health'),
      metrics: { port: vmstorage.httpPort, path: '/metrics' },
    },
    {
      ...common,
      name: vminsert.name,
      role: 'metrics-ingest',
      image: resolveImage(spec, 'vminsert'),
      kind: 'service',
      replicas: sizing.vminsert,
      args: [
        `-storageNode=${nodes(vmstorage.insertPort)}`,
        `-replicationFactor=${sizing.replicationFactor}`,
        `-httpListenAddr=:${vminsert.port}`,
        '-opentelemetry.usePrometheusNaming',
        '-loggerFormat=json',
      ],
      ports: [{ name: 'http', port: vminsert.port }],
      volumes: [],
      health: httpHealth(vminsert.port, '/health'),
      metrics: { port: vminsert.port, path: '/metrics' },
      connectsTo: [{ component: vmstorage.name, port: vmstorage.insertPort }],
      dependsOn: [{ name: vmstorage.name, condition: 'healthy' }],
    },
    {
      ...common,
      name: vmselect.name,
      role: 'metrics-query',
      image: resolveImage(spec, 'vmselect'),
      kind: 'service',
      replicas: sizing.vmselect,
      args: [
        `-storageNode=${nodes(vmstorage.selectPort)}`,
        // Each sample is on replicationFactor nodes: a query needs answers from all but replicationFactor-1 of
        // them, and the copies are merged back into one.
        `-replicationFactor=${sizing.replicationFactor}`,
        ...dedup,
        '-cacheDataPath=/cache',
        `-httpListenAddr=:${vmselect.port}`,
        '-loggerFormat=json',
        ...vmalertProxy,
      ],
      ports: [{ name: 'http', port: vmselect.port }],
      volumes: [{ name: 'cache', mountPath: '/cache', kind: 'scratch' }],
      health: httpHealth(vmselect.port, '/health'),
      metrics: { port: vmselect.port, path: '/metrics' },
      connectsTo: [
        { component: vmstorage.name, port: vmstorage.selectPort },
        ...(spec.components.vmalert.enabled ? [{ component: VMALERT.name, port: VMALERT.port }] : []),
      ],
      dependsOn: [{ name: vmstorage.name, condition: 'healthy' }],
    },
  ];
}

import { z } from 'zod';
import { shown as got } from './errors.js';
import { MEMORY_PATTERN } from './quantity.js';
import { portOfUrl } from './url-port.js';

/**
 * `scale: distributed`: the same components, more of them, on the upstream projects' own distributed modes
 * (docs/DISTRIBUTED.md). This file holds the sizing a distributed stack reads; a `single` stack ignores it.
 */
export const scales = ['single', 'distributed'] as const;
export type Scale = (typeof scales)[number];

/** How a distributed stack stores metrics: the VictoriaMetrics cluster, or VictoriaMetrics single-node. */
export const metricsEngines = ['cluster', 'single'] as const;
export type MetricsEngine = (typeof metricsEngines)[number];

const count = (what: string, min: number, max: number) =>
  z
    .int({ error: (i) => `expected a whole number of ${what}, got ${got(i.input)}` })
    .min(min, { error: (i) => `expected at least ${min} ${what}, got ${got(i.input)}` })
    .max(max, { error: (i) => `expected at most ${max} ${what}, got ${got(i.input)}` });

const replicas = count('replicas', 1, 50);

/** A Secret in the stack's namespace (compose: `.env` variables named after it). */
const secretName = z
  .string({ error: (i) => `expected a Secret name (lowercase letters, digits, "-", "."), got ${got(i.input)}` })
  .regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: (i) => `expected a Secret name (lowercase letters, digits, "-", "."), got ${got(i.input)}`,
  });

const endpoint = z.url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL like "https://search.example.com:9200", got ${got(i.input)}` });

const storePort = z
  .int({ error: (i) => `expected a TCP port number, got ${got(i.input)}` })
  .min(1, { error: (i) => `expected a port from 1 to 65535, got ${got(i.input)}` })
  .max(65535, { error: (i) => `expected a port from 1 to 65535, got ${got(i.input)}` });

const bucket = z
  .string()
  .regex(/^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$/, { error: (i) => `expected an S3 bucket name (3-63 lowercase letters, digits, "-", "."), got ${got(i.input)}` });

export const distributedSchema = z.strictObject({
  /** The collector's sampler tier: tail sampling spread over several samplers, routed by trace ID. */
  collector: z.strictObject({
    /** Samplers behind the gateway's `loadbalancing` exporter; every span of a trace meets in one of them. @default 2 */
    samplers: replicas,
  }),
  /** Jaeger v2 on OpenSearch. */
  traces: z.strictObject({
    /** Jaeger replicas (stateless: OpenSearch holds the spans). @default 2 */
    replicas,
    /** The OpenSearch cluster Jaeger writes to and reads from. */
    opensearch: z.strictObject({
      /**
       * OpenSearch's URL. Unset: the Secret's `endpoint` key (the Pulumi program writes it for the Managed
       * OpenSearch cluster it creates on DigitalOcean).
       * @default none (from the Secret)
       */
      endpoint: endpoint.optional(),
      /**
       * The port the NetworkPolicies let Jaeger and its index cleaner reach OpenSearch on. Needed only when the URL
       * comes from the Secret and is not DigitalOcean's Managed OpenSearch (e.g. 9200 for a cluster of your own);
       * with `endpoint` set, its port is used, and a `port` that differs is refused.
       * @default the endpoint's port; 25060 (DigitalOcean's Managed OpenSearch) when the URL comes from the Secret
       */
      port: storePort.optional(),
      /** Secret with the keys `username`, `password` (and `endpoint` when the URL is not set here). @default jaeger-opensearch */
      secret: secretName,
      /** Primary shards of each daily span index. @default 3 */
      shards: count('shards', 1, 100),
      /** Replica copies of each shard (OpenSearch needs that many more data nodes than 1). @default 1 */
      replicas: count('shard replicas', 0, 10),
      /**
       * Trust a private certificate authority for OpenSearch's TLS, besides the system's: the PEM in the Secret's
       * `ca.crt` key, which Jaeger and its index cleaner read as a file. The Pulumi program turns this on for the
       * Managed OpenSearch cluster it creates, and writes the cluster's CA into the key.
       * @default false
       */
      privateCa: z.boolean({ error: (i) => `expected true or false, got ${got(i.input)}` }),
    }),
  }),
  /** Loki in simple scalable mode (read, write, backend targets) on S3-compatible object storage. */
  logs: z.strictObject({
    /** Write replicas (distributor, ingester). @default 3 */
    write: replicas,
    /** Read replicas (query frontend, querier). @default 2 */
    read: replicas,
    /** Backend replicas (compactor, index gateway, query scheduler, ruler). @default 2 */
    backend: replicas,
    /** Ingesters each log stream is written to; at most `write`. @default 3 */
    replicationFactor: count('copies', 1, 5),
    /**
     * The volume of each write replica (its WAL) and backend replica (the compactor's working directory); the logs
     * themselves are in the bucket, and `components.loki.storage` is not used.
     * @default 10Gi
     */
    volume: z
      .string({ error: (i) => `expected a memory quantity like "10Gi", got ${got(i.input)}` })
      .regex(MEMORY_PATTERN, { error: (i) => `expected a quantity like "10Gi", got ${got(i.input)}` }),
    /** The S3-compatible bucket holding chunks and index. */
    objectStorage: z.strictObject({
      /**
       * The S3 endpoint, e.g. `https://nyc3.digitaloceanspaces.com`. Unset: the Secret's `endpoint` key.
       * @default none (from the Secret)
       */
      endpoint: endpoint.optional(),
      /**
       * The port the NetworkPolicies let Loki reach the S3 endpoint on. Needed only when the endpoint comes from the
       * Secret and does not answer on 443 (e.g. 9000 for a MinIO of your own); with `endpoint` set, its port is
       * used, and a `port` that differs is refused.
       * @default the endpoint's port; 443 when the endpoint comes from the Secret
       */
      port: storePort.optional(),
      /** The bucket. Unset: the Secret's `bucket` key. @default none (from the Secret) */
      bucket: bucket.optional(),
      /** The bucket's region (Spaces: the datacenter, e.g. `nyc3`). @default us-east-1 */
      region: z.string().regex(/^[a-z0-9-]{2,32}$/, { error: (i) => `expected a region like "nyc3" or "us-east-1", got ${got(i.input)}` }),
      /** Secret with the keys `access-key-id`, `secret-access-key` (and `endpoint`, `bucket` when not set here). @default loki-object-storage */
      secret: secretName,
    }),
  }),
  /** The VictoriaMetrics cluster: vminsert, vmselect and vmstorage. */
  metrics: z.strictObject({
    /**
     * `cluster`: vminsert, vmselect and vmstorage, sized by the keys below. `single`: VictoriaMetrics single-node,
     * as in a `single` stack (`components.victoriametrics` sizes it; the keys below are ignored), while logs,
     * traces and the sampler tier stay distributed. Upstream recommends single-node below a million data points
     * per second of ingestion (docs.victoriametrics.com/cluster-victoriametrics); it is what the distributed
     * compose e2e runs, since the cluster's binaries cannot be built here (docs/DISTRIBUTED-ENGINES.md).
     * @default cluster
     */
    engine: z.enum(metricsEngines, { error: (i) => `expected one of ${metricsEngines.join(', ')}, got ${got(i.input)}` }),
    /** vminsert replicas (ingestion; stateless). @default 2 */
    vminsert: replicas,
    /** vmselect replicas (queries; stateless). @default 2 */
    vmselect: replicas,
    /** vmstorage replicas (the data, each on its own volume). @default 3 */
    vmstorage: replicas,
    /** Copies of every sample across vmstorage nodes (`-replicationFactor`); at most `vmstorage`. @default 2 */
    replicationFactor: count('copies', 1, 5),
  }),
  /** Grafana replicas, sharing dashboards and users in a Postgres of their own. @default 2 */
  grafana: z.strictObject({
    /** @default 2 */
    replicas,
  }),
  /** Alertmanager as a gossip cluster; every vmalert notifies every member, which deduplicate. */
  alertmanager: z.strictObject({
    /** Cluster members. @default 3 */
    replicas,
  }),
  /** vmalert replicas evaluating the same rules (Alertmanager deduplicates their alerts). */
  vmalert: z.strictObject({
    /** @default 2 */
    replicas,
  }),
});
export type DistributedSizing = z.infer<typeof distributedSchema>;

type Issue = { path: (string | number)[]; message: string };

/** Cross-field rules of the sizing (runs only on values that parsed). */
export function distributedProblems(sizing: DistributedSizing): Issue[] {
  const issues: Issue[] = [];
  const atMost = (value: unknown, limit: unknown, path: string[], what: string) => {
    if (typeof value === 'number' && typeof limit === 'number' && value > limit) {
      issues.push({ path: ['distributed', ...path], message: `${what} (${limit}), got ${value}` });
    }
  };
  atMost(sizing.logs?.replicationFactor, sizing.logs?.write, ['logs', 'replicationFactor'], 'the replication factor cannot exceed distributed.logs.write');
  const portMatches = (store: { endpoint?: string | undefined; port?: number | undefined } | undefined, path: string[]) => {
    // An endpoint that is no URL has its own problem at its own path.
    const urlPort = store?.endpoint === undefined || !URL.canParse(store.endpoint) ? undefined : portOfUrl(store.endpoint);
    if (store?.port !== undefined && urlPort !== undefined && store.port !== urlPort) {
      issues.push({ path: ['distributed', ...path, 'port'], message: `the endpoint ${store.endpoint} is on port ${urlPort}; leave port unset or make them match, got ${store.port}` });
    }
  };
  portMatches(sizing.traces?.opensearch, ['traces', 'opensearch']);
  portMatches(sizing.logs?.objectStorage, ['logs', 'objectStorage']);
  if (sizing.metrics?.engine !== 'single') atMost(sizing.metrics?.replicationFactor, sizing.metrics?.vmstorage, ['metrics', 'replicationFactor'], 'the replication factor cannot exceed distributed.metrics.vmstorage');
  return issues;
}

/** The sizing of a distributed stack; the presets all carry it. */
export function defaultSizing(): DistributedSizing {
  return {
    collector: { samplers: 2 },
    traces: { replicas: 2, opensearch: { secret: 'jaeger-opensearch', shards: 3, replicas: 1, privateCa: false } },
    logs: { write: 3, read: 2, backend: 2, replicationFactor: 3, volume: '10Gi', objectStorage: { region: 'us-east-1', secret: 'loki-object-storage' } },
    metrics: { engine: 'cluster', vminsert: 2, vmselect: 2, vmstorage: 3, replicationFactor: 2 },
    grafana: { replicas: 2 },
    alertmanager: { replicas: 3 },
    vmalert: { replicas: 2 },
  };
}

/** The metrics store a spec runs: the cluster only when distributed with `distributed.metrics.engine: cluster`. */
export function metricsEngine(spec: { readonly scale: Scale; readonly distributed: { readonly metrics: { readonly engine: MetricsEngine } } }): MetricsEngine {
  return spec.scale === 'distributed' ? spec.distributed.metrics.engine : 'single';
}

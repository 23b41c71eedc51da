/**
 * The distributed stack as the tests size it, on compose (distributed-stack.ts) and on the test cluster
 * (test/cluster/distributed-deployment.ts): Loki SSD with 2 writers (replication factor 2), a read and a backend
 * target on an S3 bucket; 2 Jaeger replicas on OpenSearch (1 shard, no replica: one OpenSearch node); 2 samplers;
 * metrics on VictoriaMetrics single-node (the cluster's sources are refused by the module proxy). Only where the
 * stores answer differs.
 */
export const LOKI_BUCKET = 'observatory-loki-chunks';

/** Where the test's stores answer, as URLs the stack's pods reach. */
export interface TestStores {
  readonly s3: string;
  readonly opensearch: string;
}

export function testDistributedSizing(stores: TestStores) {
  return {
    collector: { samplers: 2 },
    traces: { replicas: 2, opensearch: { endpoint: stores.opensearch, shards: 1, replicas: 0 } },
    logs: { write: 2, read: 1, backend: 1, replicationFactor: 2, objectStorage: { endpoint: stores.s3, bucket: LOKI_BUCKET } },
    metrics: { engine: 'single' },
    grafana: { replicas: 1 },
    alertmanager: { replicas: 1 },
    vmalert: { replicas: 1 },
  } as const;
}

/**
 * OpenSearch, Jaeger v2's backend in distributed stacks (test/images/engines.ts: Maven Central's distribution on
 * Debian's Java runtime), run from its local image as Jaeger's own compose example runs upstream's: single node,
 * the security plugin disabled, a small heap. It must come up healthy, index a document and find it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSEARCH_VERSION } from '../images/engines.js';
import { imageTag } from '../images/build.js';
import { DockerContainer } from './support/container.js';
import { dockerWithImages } from './support/requirements.js';

const requirements = dockerWithImages(['opensearch']);
const INDEX = 'jaeger-span-2026-11-30';

interface ClusterHealth {
  readonly status: 'green' | 'yellow' | 'red';
  readonly number_of_nodes: number;
}

describe.skipIf(requirements.skip)('OpenSearch (local opensearch image)', () => {
  let node: DockerContainer | undefined;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${node!.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as T };
  };

  beforeAll(async () => {
    requirements.check();
    node = DockerContainer.start({
      name: 'observatory-e2e-opensearch',
      image: imageTag('opensearch'),
      port: 9200,
      env: {
        'discovery.type': 'single-node',
        // What upstream's image needs to serve plain HTTP; this image has no security plugin, and ignores it.
        'plugins.security.disabled': 'true',
        OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
      },
    });
    const seconds = await node.waitForHttp('/_cluster/health?wait_for_status=yellow&timeout=5s', { timeoutMs: 240_000 });
    console.log(`opensearch: healthy in ${seconds.toFixed(1)} s, ${node.memoryMiB().toFixed(0)} MiB resident`);
  }, 300_000);

  afterAll(() => {
    node?.remove();
  });

  it(`is OpenSearch ${OPENSEARCH_VERSION}, one node, green or yellow`, async () => {
    const root = await call<{ version: { distribution: string; number: string } }>('GET', '/');
    const health = await call<ClusterHealth>('GET', '/_cluster/health');

    expect(root.json.version).toMatchObject({ distribution: 'opensearch', number: OPENSEARCH_VERSION });
    expect(health.status).toBe(200);
    expect(['green', 'yellow']).toContain(health.json.status);
    expect(health.json.number_of_nodes).toBe(1);
  });

  it('indexes a document and finds it by a keyword field', async () => {
    const span = { traceID: '4bf92f3577b34da6a3ce929d0e0e4736', spanID: '00f067aa0ba902b7', operationName: 'GET /checkout', startTime: 1_764_460_800_000_000 };

    const created = await call<{ result: string }>('PUT', `/${INDEX}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { traceID: { type: 'keyword' }, spanID: { type: 'keyword' }, operationName: { type: 'keyword' }, startTime: { type: 'long' } } },
    });
    const indexed = await call<{ result: string }>('PUT', `/${INDEX}/_doc/${span.spanID}?refresh=true`, span);
    const found = await call<{ hits: { hits: { _source: typeof span }[] } }>('POST', `/${INDEX}/_search`, {
      query: { term: { traceID: span.traceID } },
    });

    expect(created.status).toBe(200);
    expect(indexed.json.result).toBe('created');
    expect(found.json.hits.hits.map((h) => h._source)).toEqual([span]);
  });
});

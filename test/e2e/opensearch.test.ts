/**
 * OpenSearch, Jaeger v2's backend in distributed stacks (test/images/engines.ts: Maven Central's distribution on
 * Debian's Java runtime), run from its local image as Jaeger's own compose example runs upstream's: single node,
 * the security plugin disabled, a small heap. It must come up healthy, index a document and find it, and the
 * factory's Jaeger v2 must store a trace in it and read it back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent, otlpBody } from '../harness/otlp-json.js';
import { freePort } from '../harness/ports.js';
import { RunningProcess, waitForHttp } from '../harness/process.js';
import { factoryBinary } from '../helpers/tools.js';
import { OPENSEARCH_VERSION } from '../images/engines.js';
import { imageTag } from '../images/build.js';
import { DockerContainer } from './support/container.js';
import { dockerWithImages } from './support/requirements.js';

const requirements = dockerWithImages(['opensearch']);
const jaegerBinary = factoryBinary('jaeger', 'jaeger');
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

  it.skipIf(jaegerBinary.skip)("is Jaeger v2's trace store: a span sent to Jaeger is indexed and read back", async () => {
    const jaeger = await startJaegerOn(node!.url);
    try {
      const event = newEvent('traces', 1);
      const sent = await fetch(`${jaeger.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpBody('traces', 'checkout', event)),
      });
      expect(sent.status).toBe(200);

      const trace = await poll(async () => {
        const res = await fetch(`${jaeger.queryUrl}/api/traces/${event.traceId}`);
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as { data: { spans: { operationName: string }[]; processes: Record<string, { serviceName: string }> }[] };
        return body.data[0];
      }, 60_000);
      const indices = await call<{ index: string }[]>('GET', '/_cat/indices/observatory-jaeger-span-*?format=json');

      expect(trace.spans.map((s) => s.operationName)).toEqual(['bench event']);
      expect(Object.values(trace.processes).map((p) => p.serviceName)).toEqual(['checkout']);
      expect(indices.json.map((i) => i.index)).toEqual([expect.stringMatching(/^observatory-jaeger-span-\d{4}-\d{2}-\d{2}$/)]);
    } finally {
      await jaeger.process.stop();
    }
  }, 120_000);
});

/** The factory's Jaeger v2 binary on this host: OTLP/HTTP in, OpenSearch (one shard, no replica) as its trace store. */
async function startJaegerOn(opensearchUrl: string): Promise<{ process: RunningProcess; otlpUrl: string; queryUrl: string }> {
  const [otlp, query, queryGrpc] = [await freePort(), await freePort(), await freePort()];
  const oneShard = { shards: 1, replicas: 0 };
  const config = {
    extensions: {
      jaeger_storage: {
        backends: {
          traces: { opensearch: { server_urls: [opensearchUrl], indices: { index_prefix: 'observatory', spans: oneShard, services: oneShard } } },
        },
      },
      jaeger_query: { storage: { traces: 'traces' }, http: { endpoint: `127.0.0.1:${query}` }, grpc: { endpoint: `127.0.0.1:${queryGrpc}` } },
    },
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${otlp}` } } } },
    exporters: { jaeger_storage_exporter: { trace_storage: 'traces' } },
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: { traces: { receivers: ['otlp'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'observatory-jaeger-opensearch-'));
  writeFileSync(join(dir, 'jaeger.yaml'), yaml.dump(config));
  const process = RunningProcess.start('jaeger', jaegerBinary.path(), ['--config', join(dir, 'jaeger.yaml')], join(dir, 'jaeger.log'));
  await waitForHttp(`http://127.0.0.1:${query}/api/services`, process);
  return { process, otlpUrl: `http://127.0.0.1:${otlp}`, queryUrl: `http://127.0.0.1:${query}` };
}

/** Calls `probe` every 500 ms until it returns a value; throws after `timeoutMs`. */
async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`nothing found within ${timeoutMs / 1000} s`);
}

/**
 * The gateway's metric-label allow-list run by our collector distribution: an OTLP sender's per-process resource
 * attributes (process.pid) leave its metrics and stay on its spans. The collector forwards to a local OTLP/HTTP
 * sink (JSON encoding) instead of the stores, with the gateway's own transform processor.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/ports.js';
import { RunningProcess, waitForHttp } from '../harness/process.js';
import { allCollectorConfigs } from '../helpers/collector-configs.js';
import { factoryBinary } from '../helpers/tools.js';

type Attributes = { key: string; value: { stringValue?: string; intValue?: string } }[];
interface Received {
  readonly path: string;
  readonly body: { resourceMetrics?: { resource: { attributes: Attributes } }[]; resourceSpans?: { resource: { attributes: Attributes } }[] };
}

const resource = {
  attributes: [
    { key: 'service.name', value: { stringValue: 'label-check' } },
    { key: 'service.instance.id', value: { stringValue: 'i-1' } },
    { key: 'process.pid', value: { intValue: '4242' } },
    { key: 'process.command_args', value: { stringValue: 'node server.js' } },
  ],
};
const now = `${Date.now()}000000`;
const metrics = {
  resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'label_check_requests', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: '1', timeUnixNano: now }] } }] }] }],
};
const spans = {
  resourceSpans: [{ resource, scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'GET /', kind: 2, startTimeUnixNano: now, endTimeUnixNano: now }] }] }],
};

const otelcol = factoryBinary('otelcol', 'collector');
describe.skipIf(otelcol.skip)('the gateway\'s metric-label allow-list in our collector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'observatory-metric-labels-'));
  const received: Received[] = [];
  let sink: Server;
  let collector: RunningProcess;
  let intake: string;

  beforeAll(async () => {
    const [sinkPort, otlpPort, healthPort] = [await freePort(), await freePort(), await freePort()];
    sink = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(data) as Received['body'] });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    }).listen(sinkPort, '127.0.0.1');
    const gateway = allCollectorConfigs().find((c) => c.name === 'local otel-collector (compose)')!;
    const labels = 'transform/metric_labels';
    const config = {
      extensions: { health_check: { endpoint: `127.0.0.1:${healthPort}` } },
      receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${otlpPort}` } } } },
      processors: { [labels]: (gateway.merged.processors as Record<string, unknown>)[labels] },
      exporters: { 'otlp_http/sink': { endpoint: `http://127.0.0.1:${sinkPort}`, encoding: 'json', compression: 'none', retry_on_failure: { enabled: false } } },
      service: {
        extensions: ['health_check'],
        pipelines: {
          metrics: { receivers: ['otlp'], processors: [labels], exporters: ['otlp_http/sink'] },
          traces: { receivers: ['otlp'], exporters: ['otlp_http/sink'] },
        },
      },
    };
    writeFileSync(join(dir, 'config.yaml'), yaml.dump(config));
    collector = RunningProcess.start('otelcol', otelcol.path(), [`--config=${join(dir, 'config.yaml')}`], join(dir, 'otelcol.log'));
    await waitForHttp(`http://127.0.0.1:${healthPort}/`, collector);
    intake = `http://127.0.0.1:${otlpPort}`;
  }, 60_000);

  afterAll(async () => {
    await collector?.stop(10_000);
    sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops process.pid and process.command_args from metrics and keeps them on spans', async () => {
    for (const [path, body] of [['/v1/metrics', metrics], ['/v1/traces', spans]] as const) {
      const response = await fetch(`${intake}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, path).toBe(200);
    }
    const deadline = Date.now() + 30_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const keys = (path: string) => {
      const body = received.find((r) => r.path === path)?.body;
      return (body?.resourceMetrics ?? body?.resourceSpans ?? []).flatMap((r) => r.resource.attributes.map((a) => a.key)).sort();
    };
    expect(keys('/v1/metrics')).toEqual(['service.instance.id', 'service.name']);
    expect(keys('/v1/traces')).toEqual(['process.command_args', 'process.pid', 'service.instance.id', 'service.name']);
  }, 60_000);
});

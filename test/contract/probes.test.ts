// Contract: the probes and the scrape endpoint answer as orchestrators and scrapers expect.
import { createServer } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAppRoutes, slowRoute } from '../sample-app/routes.js';
import { parsePrometheusText, prometheusTextContentType } from './protocols/prometheus-text.js';
import { spawnSampleApp, type SampleAppProcess } from './support/sample-app-process.js';
import { backEnv } from './support/sample-app-env.js';
import { startStandIns, type StandIns } from './support/stand-ins.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function get(url: string): Promise<{ status: number; contentType: string; text: string }> {
  const response = await request(url);
  return { status: response.statusCode, contentType: String(response.headers['content-type']), text: await response.body.text() };
}

describe('probes and /metrics', () => {
  let standIns: StandIns;
  let app: SampleAppProcess;
  let withoutCollector: SampleAppProcess;

  beforeAll(async () => {
    standIns = await startStandIns();
    [app, withoutCollector] = await Promise.all([
      spawnSampleApp(backEnv(standIns)),
      spawnSampleApp(backEnv(standIns, { SERVICE_NAME: 'sample-orphan', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` })),
    ]);
  });

  afterAll(async () => {
    // Without a collector, a graceful stop retries its final export until the exporter times out
    // (10 s); that is not what this file tests, so the orphan gets SIGKILL after a short grace.
    await Promise.all([app?.stop(), withoutCollector?.stop(300)]);
    await standIns?.close();
  });

  it('answers /health with 200', async () => {
    expect(await get(`${app.url}${sampleAppRoutes.health}`)).toMatchObject({ status: 200 });
  });

  it('answers /ready with 200 while the collector accepts connections', async () => {
    const ready = await get(`${app.url}${sampleAppRoutes.ready}`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ ready: true });
  });

  it('answers /ready with 503 and the reason when the collector is unreachable', async () => {
    const ready = await get(`${withoutCollector.url}${sampleAppRoutes.ready}`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({ ready: false, reason: expect.stringContaining('unreachable') });
    expect(await get(`${withoutCollector.url}${sampleAppRoutes.health}`)).toMatchObject({ status: 200 });
  });

  it('serves /metrics in the Prometheus text format, with the app and HTTP metrics', async () => {
    await get(`${app.url}${sampleAppRoutes.ok}`);
    const metrics = await get(`${app.url}${sampleAppRoutes.metrics}`);
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(prometheusTextContentType);
    const exposition = parsePrometheusText(metrics.text);
    expect(exposition.types.get('sample_app_work_requests_total')).toBe('counter');
    expect(exposition.types.get('http_server_request_duration')).toBe('histogram');
    const work = exposition.samples.find((s) => s.name === 'sample_app_work_requests_total' && s.labels.route === sampleAppRoutes.ok);
    expect(work).toMatchObject({ labels: { outcome: 'ok' }, value: 1 });
    const target = exposition.samples.find((s) => s.name === 'target_info');
    expect(target?.labels).toMatchObject({ service_name: 'sample-back', service_version: expect.any(String) });
  });

  it('answers 404 for an unknown route and 400 for an unusable ?ms=', async () => {
    expect(await get(`${app.url}/nowhere`)).toMatchObject({ status: 404 });
    expect(await get(`${app.url}${sampleAppRoutes.slow}?ms=soon`)).toMatchObject({ status: 400 });
    expect(await get(`${app.url}${slowRoute(0)}`)).toMatchObject({ status: 200 });
  });
});

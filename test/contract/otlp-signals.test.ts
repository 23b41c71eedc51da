// Contract: traces, metrics and logs reach the collector over OTLP/HTTP (JSON), from both instances,
// with the resource attributes the backends index on and one trace across the two services.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleAppRoutes, type WorkResponse } from '../sample-app/routes.js';
import { SpanKind } from './protocols/otlp-json.js';
import { startFrontAndBack, type FrontAndBack } from './support/front-and-back.js';
import { logBody, logRecordsIn, metricsIn, spansIn } from './support/otlp-capture.js';
import { sampleEnvironment, sampleVersion } from './support/sample-app-env.js';

const services = ['sample-front', 'sample-back'];
const waitLong = { timeout: 10_000, interval: 100 };

async function get(url: string): Promise<{ status: number; body: WorkResponse }> {
  const response = await request(url);
  return { status: response.statusCode, body: (await response.body.json()) as WorkResponse };
}

describe('telemetry exported to the collector (OTLP/HTTP JSON)', () => {
  let apps: FrontAndBack;
  let ok: WorkResponse;
  let failed: WorkResponse;
  const collected = () => apps.standIns.collector.requests;

  beforeAll(async () => {
    apps = await startFrontAndBack();
    const okResponse = await get(`${apps.front.url}${sampleAppRoutes.ok}`);
    const failedResponse = await get(`${apps.front.url}${sampleAppRoutes.fail}`);
    expect([okResponse.status, failedResponse.status]).toEqual([200, 500]);
    [ok, failed] = [okResponse.body, failedResponse.body];
  });

  afterAll(async () => {
    await apps?.stop();
  });

  it('exports spans from both services, with service.name, service.version and deployment.environment.name', async () => {
    const spans = await vi.waitFor(() => {
      const found = spansIn(collected()).filter((span) => span.traceId === failed.traceId);
      expect(found.length).toBeGreaterThanOrEqual(3);
      return found;
    }, waitLong);
    for (const span of spans) {
      expect(services).toContain(span.resource['service.name']);
      expect(span.resource).toMatchObject({ 'service.version': sampleVersion, 'deployment.environment.name': sampleEnvironment });
    }
  });

  it('continues one trace from the front into the back (W3C traceparent)', async () => {
    const spans = await vi.waitFor(() => {
      const found = spansIn(collected()).filter((span) => span.traceId === failed.traceId);
      expect(found.filter((span) => span.resource['service.name'] === 'sample-back')).not.toHaveLength(0);
      return found;
    }, waitLong);
    const frontServer = spans.find((s) => s.resource['service.name'] === 'sample-front' && s.kind === SpanKind.server);
    const frontClient = spans.find((s) => s.resource['service.name'] === 'sample-front' && s.kind === SpanKind.client);
    const backServer = spans.find((s) => s.resource['service.name'] === 'sample-back' && s.kind === SpanKind.server);
    expect(frontServer?.parentSpanId || undefined).toBeUndefined();
    expect(frontClient?.parentSpanId).toBe(frontServer?.spanId);
    expect(backServer?.parentSpanId).toBe(frontClient?.spanId);
    // Both server spans answered 500: status ERROR (trace.proto, Status.StatusCode = 2).
    expect([frontServer?.status?.code, backServer?.status?.code]).toEqual([2, 2]);
    // Named and labelled by route, so spanmetrics and dashboards can break RED down per route.
    for (const server of [frontServer, backServer]) {
      expect(server?.name).toBe('GET /work/fail');
      expect(server?.attributes).toContainEqual({ key: 'http.route', value: { stringValue: '/work/fail' } });
    }
  });

  it('exports HTTP, Node runtime and application metrics from both services', async () => {
    await vi.waitFor(() => {
      const metrics = metricsIn(collected());
      for (const service of services) {
        const names = new Set(metrics.filter((m) => m.resource['service.name'] === service).map((m) => m.name));
        expect([...names]).toEqual(expect.arrayContaining(['http.server.request.duration', 'nodejs.eventloop.delay.p99', 'v8js.memory.heap.used', 'sample_app.work.requests']));
      }
    }, waitLong);
  });

  it('exports log records carrying the trace and span IDs of their request', async () => {
    const records = await vi.waitFor(() => {
      const found = logRecordsIn(collected()).filter((record) => logBody(record) === 'request failed');
      expect(found.map((record) => record.resource['service.name']).sort()).toEqual(['sample-back', 'sample-front']);
      return found;
    }, waitLong);
    const spans = spansIn(collected());
    for (const record of records) {
      expect(record.traceId).toBe(failed.traceId);
      expect(record.severityText).toBe('error');
      const span = spans.find((s) => s.spanId === record.spanId);
      expect(span?.resource['service.name']).toBe(record.resource['service.name']);
    }
  });

  it('writes the same records to stdout as JSON with trace_id, span_id, service and version', async () => {
    const records = await vi.waitFor(() => {
      const found = logRecordsIn(collected()).filter((r) => logBody(r) === 'request completed' && r.traceId === ok.traceId);
      expect(found).toHaveLength(2);
      return found;
    }, waitLong);
    for (const app of [apps.front, apps.back]) {
      const line = app.logs.find((log) => log.msg === 'request completed' && log.trace_id === ok.traceId);
      expect(line).toMatchObject({ service: expect.stringMatching(/^sample-/), version: sampleVersion, path: sampleAppRoutes.ok, status: 200 });
      expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(records.map((record) => record.spanId)).toContain(line?.span_id);
    }
  });
});

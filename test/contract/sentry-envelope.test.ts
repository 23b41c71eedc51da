// Contract: the errors the sample app reports reach GlitchTip as valid Sentry envelopes, linked to the
// OpenTelemetry trace of the failed request.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleAppRoutes, type WorkResponse } from '../sample-app/routes.js';
import { startFrontAndBack, type FrontAndBack } from './support/front-and-back.js';
import { sampleEnvironment, sampleVersion, sentryProject, sentryPublicKey } from './support/sample-app-env.js';
import { errorEventsIn, type CapturedErrorEvent } from './support/sentry-capture.js';

describe('errors reported to GlitchTip (Sentry envelope protocol)', () => {
  let apps: FrontAndBack;
  let failed: WorkResponse;
  let events: { front: CapturedErrorEvent; back: CapturedErrorEvent };

  beforeAll(async () => {
    apps = await startFrontAndBack();
    const response = await request(`${apps.front.url}${sampleAppRoutes.fail}`);
    expect(response.statusCode).toBe(500);
    failed = (await response.body.json()) as WorkResponse;
    events = await vi.waitFor(
      () => {
        const captured = errorEventsIn(apps.standIns.glitchtip.requests);
        const front = captured.find((e) => e.request.path === `/api/${sentryProject.front}/envelope/`);
        const back = captured.find((e) => e.request.path === `/api/${sentryProject.back}/envelope/`);
        if (!front || !back) throw new Error(`error events so far: ${captured.map((e) => e.request.path).join(', ') || 'none'}`);
        return { front, back };
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  afterAll(async () => {
    await apps?.stop();
  });

  it('reports the failed request once per instance it passed through, each to its own project', () => {
    const all = errorEventsIn(apps.standIns.glitchtip.requests);
    expect(all.map((e) => e.request.path).sort()).toEqual([`/api/${sentryProject.front}/envelope/`, `/api/${sentryProject.back}/envelope/`]);
  });

  it('authenticates with the DSN public key and Sentry protocol version 7 (query-string auth)', () => {
    for (const { request: upload } of Object.values(events)) {
      expect(upload.query.get('sentry_key')).toBe(sentryPublicKey);
      expect(upload.query.get('sentry_version')).toBe('7');
    }
  });

  it('sends envelopes whose header names the event, the time sent and the SDK', () => {
    for (const { envelope, event } of Object.values(events)) {
      expect(envelope.header.event_id).toBe(event.event_id);
      expect(Date.parse(envelope.header.sent_at ?? '')).toBeGreaterThan(Date.now() - 60_000);
      expect(envelope.header.sdk?.name).toBe('sentry.javascript.node');
      expect(envelope.items.map((item) => item.header.type)).toEqual(['event']);
    }
  });

  it('tags each event with the trace ID that the app logged for the request', () => {
    const frontLog = apps.front.logs.find((log) => log.msg === 'request failed' && log.path === sampleAppRoutes.fail);
    const backLog = apps.back.logs.find((log) => log.msg === 'request failed' && log.path === sampleAppRoutes.fail);
    expect(frontLog?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(backLog?.trace_id).toBe(frontLog?.trace_id);
    expect(failed.traceId).toBe(frontLog?.trace_id);
    for (const [role, { envelope, event }] of Object.entries(events)) {
      const log = role === 'front' ? frontLog : backLog;
      expect(event.tags.trace_id).toBe(log?.trace_id);
      expect(event.contexts.trace).toMatchObject({ trace_id: log?.trace_id, span_id: log?.span_id });
      expect(envelope.header.trace?.trace_id).toBe(log?.trace_id);
    }
  });

  it('carries the exception, level, release and environment', () => {
    expect(events.back.event).toMatchObject({ level: 'error', release: `sample-back@${sampleVersion}`, environment: sampleEnvironment, server_name: 'sample-back' });
    expect(events.back.event.exception.values[0]).toMatchObject({ type: 'DeterministicFailure', value: `${sampleAppRoutes.fail} always fails` });
    expect(events.front.event).toMatchObject({ level: 'error', release: `sample-front@${sampleVersion}`, environment: sampleEnvironment });
    expect(events.front.event.exception.values[0]).toMatchObject({ type: 'UpstreamFailure', value: `back answered 500 to ${sampleAppRoutes.fail}` });
    expect(events.front.event.tags).toMatchObject({ service: 'sample-front', role: 'front' });
  });
});

// Contract: SIGTERM stops new connections, lets in-flight requests finish (within the shutdown
// timeout), flushes telemetry and errors, and exits 0.
import { connect } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { slowRoute, type WorkResponse } from '../sample-app/routes.js';
import { logBody, logRecordsIn, metricsIn, spansIn } from './support/otlp-capture.js';
import { spawnSampleApp, type SampleAppProcess } from './support/sample-app-process.js';
import { backEnv } from './support/sample-app-env.js';
import { startStandIns, type StandIns } from './support/stand-ins.js';

// Export schedules far beyond the test's length: whatever telemetry arrives was flushed by the shutdown.
const exportOnlyOnShutdown = { METRIC_EXPORT_INTERVAL_MS: '600000', TELEMETRY_BATCH_DELAY_MS: '600000' };

function connectionRefused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown on SIGTERM', () => {
  let standIns: StandIns | undefined;
  let app: SampleAppProcess | undefined;

  afterEach(async () => {
    await app?.stop();
    await standIns?.close();
  });

  it('finishes the in-flight request, refuses new connections, flushes telemetry and exits 0', async () => {
    standIns = await startStandIns();
    app = await spawnSampleApp(backEnv(standIns, exportOnlyOnShutdown));
    const slow = request(`${app.url}${slowRoute(1_500)}`).then(
      async (response) => ({ status: response.statusCode, body: (await response.body.json()) as WorkResponse }),
      (error: Error) => ({ status: 0, body: { error: error.message } as Partial<WorkResponse> }),
    );
    const started = await app.waitForLog('slow work started', (log) => log.msg === 'slow work started');
    expect(standIns.collector.requests.filter((r) => r.path === '/v1/traces')).toHaveLength(0);

    app.signal('SIGTERM');
    await app.waitForLog('shutting down', (log) => log.msg.startsWith('shutting down'));
    expect(await connectionRefused(app.url)).toBe(true);

    expect(await slow).toMatchObject({ status: 200, body: { outcome: 'ok', traceId: started.trace_id } });

    const exit = await app.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    const collected = standIns.collector.requests;
    expect(spansIn(collected).filter((span) => span.traceId === started.trace_id)).toHaveLength(1);
    expect(logRecordsIn(collected).map(logBody)).toEqual(expect.arrayContaining(['slow work started', 'in-flight requests finished; flushing errors and telemetry']));
    expect(metricsIn(collected).map((metric) => metric.name)).toContain('sample_app.work.requests');
    // Sentry's session update is sent by its close(), after the in-flight request finished.
    expect(standIns.glitchtip.requests.some((r) => r.body.includes('"type":"sessions"'))).toBe(true);
  });

  it('cuts requests still running after SHUTDOWN_TIMEOUT_MS, then still flushes and exits 0', async () => {
    standIns = await startStandIns();
    app = await spawnSampleApp(backEnv(standIns, { ...exportOnlyOnShutdown, SHUTDOWN_TIMEOUT_MS: '300' }));
    const slow = request(`${app.url}${slowRoute(30_000)}`).then(
      (response) => `answered ${response.statusCode}`,
      (error: Error) => `failed: ${error.message}`,
    );
    await app.waitForLog('slow work started', (log) => log.msg === 'slow work started');

    const signalledAt = Date.now();
    app.signal('SIGTERM');
    const exit = await app.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(await slow).toMatch(/^failed: /);
    expect(logRecordsIn(standIns.collector.requests).map(logBody)).toContain('in-flight requests cut after the shutdown timeout; flushing errors and telemetry');
  });
});

// Contract: a bad environment stops the app before it starts anything, naming every bad variable.
import { describe, expect, it } from 'vitest';
import { runSampleAppToExit, spawnSampleApp } from './support/sample-app-process.js';
import { startStandIns } from './support/stand-ins.js';

describe('configuration from the environment', () => {
  it('exits 2 listing every invalid or missing variable, and serves nothing', async () => {
    const secretKey = 'do-not-echo-me';
    const exit = await runSampleAppToExit({
      SERVICE_NAME: 'Sample App',
      ROLE: 'middle',
      PORT: '70000',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      SENTRY_DSN: `http://127.0.0.1:8000/${secretKey}`,
      UMAMI_WEBSITE_ID: 'not-a-uuid',
      METRIC_EXPORT_INTERVAL_MS: 'soon',
    });
    expect(exit.code).toBe(2);
    expect(exit.stdout).toBe('');
    const problems = exit.stderr.split('\n').filter((line) => line.startsWith('  - '));
    const named = problems.map((line) => line.slice(4, line.indexOf(':')));
    expect(named.sort()).toEqual(
      ['METRIC_EXPORT_INTERVAL_MS', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'PORT', 'ROLE', 'SENTRY_DSN', 'SERVICE_NAME', 'SERVICE_VERSION', 'UMAMI_URL', 'UMAMI_WEBSITE_ID'].sort(),
    );
    expect(exit.stderr).toMatch(/^sample-app: invalid configuration \(9 problems\):\n/);
    expect(exit.stderr).toContain('SERVICE_VERSION: required, not set');
    expect(exit.stderr).toContain('PORT: expected a whole number from 0 to 65535, got "70000"');
    expect(exit.stderr).not.toContain(secretKey);
  });

  it('exits 2 when a front has no BACKEND_URL, or a back has one', async () => {
    const base = { SERVICE_NAME: 'sample', SERVICE_VERSION: '1.0.0', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    const front = await runSampleAppToExit({ ...base, ROLE: 'front' });
    expect(front.code).toBe(2);
    expect(front.stderr).toContain('BACKEND_URL: required when ROLE is "front"');
    const back = await runSampleAppToExit({ ...base, ROLE: 'back', BACKEND_URL: 'http://127.0.0.1:8081' });
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('BACKEND_URL: only a front calls a back');
  });

  it('starts with only the required variables set, and stops with 0', async () => {
    const standIns = await startStandIns();
    try {
      const app = await spawnSampleApp({ SERVICE_NAME: 'sample', SERVICE_VERSION: '1.0.0', ROLE: 'back', PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: standIns.collector.url });
      expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await app.stop()).toMatchObject({ code: 0, signal: null });
    } finally {
      await standIns.close();
    }
  });
});

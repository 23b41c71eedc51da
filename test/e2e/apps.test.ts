/**
 * GlitchTip and Umami end to end: each group as `observatory synth` renders it (the app with its Postgres, and
 * Valkey for GlitchTip), run by Docker Compose under a project name of its own and started alone (the main
 * stack's services stay down, so its host ports stay free), fed by the sample app, read back through the app's
 * own API.
 *
 * No registry ships GlitchTip's or Umami's server here, so these run only when the images are present, and are
 * otherwise reported as skipped with the reason printed (support/app-images.ts). Which images, in order: the
 * OBSERVATORY_E2E_{GLITCHTIP,UMAMI,POSTGRES,VALKEY}_IMAGE variables, else the catalog's references (for Postgres
 * then the image factory's observatory.local/postgres).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from '../contract/support/capture-server.js';
import { spawnFrontAndBack, type AppLog, type SampleAppProcess } from '../contract/support/sample-app-process.js';
import { ComposeProject } from '../harness/compose-cli.js';
import { sampleAppRoutes, type WorkResponse } from '../sample-app/routes.js';
import { appRequirements, type AppImageKey } from './support/app-images.js';
import { eventually } from './support/backends.js';
import { createSuperuserToken, GlitchTipApi, type GlitchTipEvent, type GlitchTipIssue, type GlitchTipProject } from './support/glitchtip.js';
import { synth } from './support/local-stack.js';
import { UmamiApi, umamiFetch, type UmamiEvent } from './support/umami.js';

const SAMPLE_VERSION = '1.0.0-e2e';

/** The spec of one app group: only it enabled, on the images found for it. */
function groupSpec(group: 'glitchtip' | 'umami', images: Partial<Record<AppImageKey, string>>) {
  return {
    environment: 'local',
    components: { glitchtip: { enabled: group === 'glitchtip' }, umami: { enabled: group === 'umami' } },
    images: { overrides: images },
  };
}

/** The host address of a service's published port, as the rendered compose.yaml says (e.g. 127.0.0.1:8000). */
function publishedUrl(composeDir: string, service: string): string {
  const compose = yaml.load(readFileSync(join(composeDir, 'compose.yaml'), 'utf8')) as { services: Record<string, { ports?: string[] }> };
  const port = compose.services[service]?.ports?.[0];
  const match = port ? /^([\d.]+):(\d+):\d+$/.exec(port) : null;
  if (!match) throw new Error(`${service} publishes no port in compose.yaml (ports: ${JSON.stringify(port)})`);
  return `http://${match[1]}:${match[2]}`;
}

/** `up --wait` of `services` (and what they depend on); a failure carries the project's last log lines. */
function upAndWait(compose: ComposeProject, services: readonly string[]): void {
  try {
    compose.run('up', '-d', '--wait', '--wait-timeout', '300', ...services);
  } catch (error) {
    const logs = compose.attempt('logs', '--no-color', '--tail', '60');
    throw new Error(`${(error as Error).message}\nlast log lines:\n${logs.stdout}${logs.stderr}`, { cause: error });
  }
}

/** A back and a front calling it, their OTLP going to a capture server (no collector runs here). */
async function startFrontAndBack(env: Record<string, string>, frontEnv: Record<string, string> = {}) {
  const collector = await startCaptureServer(() => ({ status: 200, body: {} }));
  const common = { SERVICE_VERSION: SAMPLE_VERSION, DEPLOYMENT_ENVIRONMENT: 'e2e', PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ...env };
  const apps: SampleAppProcess[] = [];
  const stop = async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await collector.close();
  };
  try {
    const { front, back } = await spawnFrontAndBack(common, apps, frontEnv);
    return { collector, back, front, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const glitchtip = appRequirements('GlitchTip end-to-end tests', ['glitchtip', 'postgres', 'valkey']);

describe.skipIf(glitchtip.skip)('GlitchTip, end to end (compose)', () => {
  let compose: ComposeProject | undefined;
  let apps: Awaited<ReturnType<typeof startFrontAndBack>> | undefined;
  let api: GlitchTipApi;
  let project: GlitchTipProject;
  let failed: WorkResponse;
  /** The "request failed" log line of each service: its trace ID and the event ID the Sentry SDK returned. */
  const reported: Record<'sample-front' | 'sample-back', AppLog | undefined> = { 'sample-front': undefined, 'sample-back': undefined };

  beforeAll(async () => {
    glitchtip.check();
    const dir = synth(groupSpec('glitchtip', glitchtip.images));
    compose = new ComposeProject(dir, `observatory-e2e-glitchtip-${process.pid}`);
    // The migration job runs first (web and worker wait for it to complete); --wait then waits for both health checks.
    upAndWait(compose, ['glitchtip-web', 'glitchtip-worker']);

    const token = createSuperuserToken(compose, 'glitchtip-web', 'e2e@observatory.test', randomBytes(18).toString('hex'));
    api = new GlitchTipApi(publishedUrl(dir, 'glitchtip-web'), token);
    project = await api.createProject('sample-app');

    apps = await startFrontAndBack({ SENTRY_DSN: project.dsn });
    const response = await fetch(`${apps.front.url}${sampleAppRoutes.fail}`, { signal: AbortSignal.timeout(15_000) });
    expect(response.status).toBe(500);
    failed = (await response.json()) as WorkResponse;
    for (const app of [apps.front, apps.back]) {
      const log = await app.waitForLog('request failed', (l) => l.msg === 'request failed' && typeof l.eventId === 'string');
      reported[log.service as keyof typeof reported] = log;
    }
  }, 600_000);

  afterAll(async () => {
    await apps?.stop();
    compose?.down();
  }, 180_000);

  it('turns the failed request into one issue per service, named by its exception', async () => {
    const issues = await eventually('both errors as issues in GlitchTip', () => api.issues(project), (list) => list.length >= 2, 120_000);
    expect(issues.map((issue) => issue.title.split(':')[0]).sort()).toEqual(['DeterministicFailure', 'UpstreamFailure']);
  }, 180_000);

  it("keeps the SDK's event IDs and tags each event with the request's trace ID", async () => {
    expect(failed.traceId).toMatch(/^[0-9a-f]{32}$/);
    const issues = await eventually('both errors as issues in GlitchTip', () => api.issues(project), (list) => list.length >= 2, 120_000);
    const events: GlitchTipEvent[] = await Promise.all(issues.map((issue: GlitchTipIssue) => api.latestEvent(issue.id)));
    const hex = (id: string) => id.replace(/-/g, '').toLowerCase();
    const tag = (event: GlitchTipEvent, key: string) => event.tags.find((t) => t.key === key)?.value;
    const byService = Object.fromEntries(events.map((event) => [tag(event, 'server_name'), event]));
    expect(Object.keys(byService).sort()).toEqual(['sample-back', 'sample-front']);
    for (const [service, log] of Object.entries(reported)) {
      const event = byService[service]!;
      expect(hex(event.eventID)).toBe(hex(String(log?.eventId)));
      expect(tag(event, 'trace_id')).toBe(failed.traceId);
      expect(log?.trace_id).toBe(failed.traceId);
      expect(tag(event, 'release')).toBe(`${service}@${SAMPLE_VERSION}`);
    }
  }, 180_000);
});

const umami = appRequirements('Umami end-to-end tests', ['umami', 'postgres']);

describe.skipIf(umami.skip)('Umami, end to end (compose)', () => {
  let compose: ComposeProject | undefined;
  let apps: Awaited<ReturnType<typeof startFrontAndBack>> | undefined;
  let baseUrl: string;
  let api: UmamiApi;
  let websiteId: string;
  let startAt: number;
  const REQUESTS = 3;

  beforeAll(async () => {
    umami.check();
    const dir = synth(groupSpec('umami', umami.images));
    compose = new ComposeProject(dir, `observatory-e2e-umami-${process.pid}`);
    upAndWait(compose, ['umami']);

    baseUrl = publishedUrl(dir, 'umami');
    api = await UmamiApi.login(baseUrl);
    websiteId = (await api.createWebsite(`observatory-e2e-${randomUUID().slice(0, 8)}`, 'sample-app.observatory.test')).id;

    startAt = Date.now() - 60_000;
    apps = await startFrontAndBack({}, { UMAMI_URL: baseUrl, UMAMI_WEBSITE_ID: websiteId });
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${apps.front.url}${sampleAppRoutes.ok}`, { signal: AbortSignal.timeout(15_000) });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    // A failure sends no event (the contract); it must not show up below either.
    await fetch(`${apps.front.url}${sampleAppRoutes.fail}`, { signal: AbortSignal.timeout(15_000) }).then((r) => r.arrayBuffer());
    expect(apps.front.logs.filter((log) => log.msg === 'analytics event refused' || log.msg === 'analytics event not sent')).toEqual([]);
  }, 600_000);

  afterAll(async () => {
    await apps?.stop();
    compose?.down();
  }, 180_000);

  it('records each successful request as the custom event work-ok, on its path and host', async () => {
    const events = await eventually(
      `${REQUESTS} work-ok events in Umami`,
      () => api.events(websiteId, startAt),
      (list) => list.filter((e) => e.eventName === 'work-ok').length >= REQUESTS,
    );
    expect(events).toHaveLength(REQUESTS);
    for (const event of events) {
      expect(event).toMatchObject<Partial<UmamiEvent>>({ eventType: 2, eventName: 'work-ok', urlPath: sampleAppRoutes.ok, hostname: '127.0.0.1', pageTitle: 'sample-front' });
    }
  }, 120_000);

  it("keeps the event's data: the service that sent it", async () => {
    const values = await eventually('the service property of work-ok', () => api.eventDataValues(websiteId, 'work-ok', 'service', startAt), (rows) => rows.length > 0);
    expect(values).toEqual([{ value: 'sample-front', total: REQUESTS }]);
  }, 120_000);

  it("answers the website's events only to a logged-in user", async () => {
    const query = new URLSearchParams({ startAt: String(startAt), endAt: String(Date.now()) });
    const anonymous = await umamiFetch(baseUrl, 'GET', `/api/websites/${websiteId}/events?${query}`);
    expect(anonymous.status).toBe(401);
  });
});

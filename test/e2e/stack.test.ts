/**
 * The verification ladder's fourth rung: the local stack as `observatory synth` renders it, run by Docker Compose
 * from the locally built images, receives a sample app's traces, metrics and logs, read back through each
 * backend's own query API.
 */
import { execFileSync } from 'node:child_process';
import { statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBurstExpectation } from '../../alerts/error-burst-expectation.js';
import { STACK } from '../../alerts/stack-alerts.js';
import { WATCHDOG } from '../../alerts/watchdog.js';
import { imageTag } from '../images/build.js';
import { spawnFrontAndBack, type SampleAppProcess } from '../contract/support/sample-app-process.js';
import { sendSampleTraffic, type SampleTraffic } from './support/sample-traffic.js';
import { eventually, lokiQuery } from './support/backends.js';
import { expectAppAndSpanMetrics, expectErrorAndSlowTraces, expectLogsWithTraceIds, expectPidOnSpansOnly } from './support/read-back.js';
import { localImages, synth, upLocalStack, type LocalStack } from './support/local-stack.js';
import { datasourceProblem, GrafanaApi, provisionedDashboardUids } from './support/grafana.js';
import { dockerWithCompose } from './support/requirements.js';
import { runDashboardQuery } from './support/dashboard-queries.js';
import { dashboardQueries } from '../../dashboards/dashboard-queries.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { defineStack } from '../../model/define.js';

const images = ['collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager', 'grafana'] as const;
const requirements = dockerWithCompose([...images, 'webhook-sink']);
const SINK_PORT = 18095;
const stackInput = {
  environment: 'local',
  // No registry ships GlitchTip or Umami here: their end-to-end checks are test/e2e/apps.test.ts, run when their images are present.
  components: { glitchtip: { enabled: false }, umami: { enabled: false } },
  images: { overrides: localImages(images) },
  alerting: { receivers: [{ name: 'e2e-webhook', type: 'webhook', url: 'http://webhook-sink:8080/hook' }] },
} as const;

/** The test's webhook receiver, inside the compose network (Alertmanager cannot reach the host), read on 127.0.0.1. */
const webhookSinkService = {
  services: {
    'webhook-sink': {
      image: imageTag('webhook-sink'),
      ports: [`127.0.0.1:${SINK_PORT}:8080`],
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    },
  },
};
const OTLP_HTTP = 'http://127.0.0.1:4318';
/** Where the Docker engine keeps its volumes (the disk VictoriaMetrics and Loki report on). */
const dockerRoot = () => execFileSync('docker', ['info', '--format', '{{.DockerRootDir}}'], { encoding: 'utf8' }).trim();
/** The collector's authenticated OTLP/HTTP receiver (what the ingress exposes on a cluster). */
const OTLP_PUBLIC = 'http://127.0.0.1:4319';

/** Alertmanager's webhook payload (the fields the test reads). */
interface AlertmanagerWebhook {
  receiver: string;
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }[];
}

describe.skipIf(requirements.skip)('the local stack, end to end', () => {
  let stack: LocalStack | undefined;
  const apps: SampleAppProcess[] = [];
  let traffic: SampleTraffic | undefined;
  const sent = () => traffic!.sent;

  beforeAll(async () => {
    requirements.check();
    const composeDir = synth(stackInput);
    writeFileSync(join(composeDir, 'compose.e2e.yaml'), yaml.dump(webhookSinkService));
    const collectorReady = /Everything is ready/;
    stack = await upLocalStack(composeDir, 'observatory-e2e', { 'otel-collector': collectorReady, 'otel-sampler': collectorReady, 'webhook-sink': /webhook-sink listening/ }, [
      'compose.e2e.yaml',
    ]);

    const common = { SERVICE_VERSION: '1.0.0-e2e', DEPLOYMENT_ENVIRONMENT: 'e2e', PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_HTTP, METRIC_EXPORT_INTERVAL_MS: '2000' };
    const { front } = await spawnFrontAndBack(common, apps);

    // From the burst on, a steady third of the front's requests fail, for the error-rate alert to fire on.
    traffic = await sendSampleTraffic(front.url);
  }, 600_000);

  afterAll(async () => {
    traffic?.stopBurst();
    await Promise.all(apps.map((app) => app.stop()));
    await stack?.down();
  }, 180_000);

  it('Jaeger holds every error trace and every slow trace, with the spans of both services', async () => {
    await expectErrorAndSlowTraces(sent());
  }, 180_000);

  it('VictoriaMetrics holds the app metrics and the spanmetrics RED series of both services', async () => {
    await expectAppAndSpanMetrics();
  }, 120_000);

  it('keeps process.pid on the spans in Jaeger and off every series of the app in VictoriaMetrics (its own metrics and its span metrics)', async () => {
    const [back, front] = apps;
    await expectPidOnSpansOnly(back!, front!, sent());
  }, 240_000);

  it('Grafana reports every provisioned datasource healthy and loads exactly the generated dashboards', async () => {
    const grafana = new GrafanaApi(stack!.env['GRAFANA_ADMIN_PASSWORD']!);
    const datasources = await grafana.get<{ uid: string; type: string }[]>('/api/datasources');
    expect(datasources.status).toBe(200);
    expect(datasources.body.map((d) => d.uid).sort()).toEqual(['alertmanager', 'jaeger', 'loki', 'victoriametrics']);
    const unhealthy: string[] = [];
    for (const datasource of datasources.body) {
      const problem = await datasourceProblem(grafana, datasource);
      if (problem) unhealthy.push(`${datasource.uid}: ${problem}`);
    }
    expect(unhealthy).toEqual([]);
    const search = await grafana.get<{ uid: string; type: string }[]>('/api/search?type=dash-db');
    expect(search.body.map((d) => d.uid).sort()).toEqual(provisionedDashboardUids(stack!.dir));
  }, 120_000);

  it('runs every dashboard query against the real backends without error; Service overview and Logs show the sample app', async () => {
    const queries = dashboardQueries(defineStack({ components: { glitchtip: { enabled: false }, umami: { enabled: false } } }), {
      variables: { service: 'sample-front' },
    });
    expect(queries.length).toBeGreaterThan(20);
    const outcomes = [];
    for (const query of queries) outcomes.push(await runDashboardQuery(query));
    const failures = outcomes.filter((o) => o.error).map((o) => `${o.query.dashboard} / ${o.query.panel} [${o.query.refId}]: ${o.error}`);
    expect(failures).toEqual([]);
    // The RED panels and the Logs dashboard show the sample app (span metrics flush every 15 s and
    // VictoriaMetrics hides the newest 30 s from range queries, so give them time).
    const mustShowData = queries.filter(
      (q) => (q.dashboardUid === DASHBOARD_UID.serviceOverview && ['Request rate', 'Error %'].includes(q.panel)) || q.dashboardUid === DASHBOARD_UID.logs,
    );
    const shown = await eventually(
      'the Service overview RED panels and a Logs panel with data',
      async () => Promise.all(mustShowData.map(runDashboardQuery)),
      (results) =>
        results.filter((o) => o.query.dashboardUid === DASHBOARD_UID.serviceOverview && o.results > 0).length >= 2 &&
        results.some((o) => o.query.dashboardUid === DASHBOARD_UID.logs && o.results > 0),
      120_000,
    );
    expect(shown.filter((o) => o.results > 0).length).toBeGreaterThanOrEqual(3);
    const empty = (await Promise.all(queries.map(runDashboardQuery))).filter((o) => o.results === 0).map((o) => `${o.query.dashboard} / ${o.query.panel}`);
    console.log(`dashboard queries without data in the e2e stack (${empty.length}/${queries.length}):\n  ${empty.join('\n  ')}`);
  }, 300_000);

  it('Loki holds the app logs with trace IDs, and a trace is found from its log', async () => {
    await expectLogsWithTraceIds(sent());
  }, 120_000);

  it('takes OTLP on the public port only with the bearer token, and delivers what it took', async () => {
    const token = stack!.env['OTEL_COLLECTOR_INGEST_TOKEN'];
    expect(token, 'the ingest token in .env').toMatch(/^[A-Za-z0-9]{40}$/);
    const marker = `public-ingest-${Date.now()}`;
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e-public-sender' } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: `${Date.now()}000000`, severityText: 'INFO', body: { stringValue: marker } }] }],
        },
      ],
    };
    const send = (authorization?: string) =>
      fetch(`${OTLP_PUBLIC}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(logs),
        signal: AbortSignal.timeout(10_000),
      });
    expect((await send()).status).toBe(401);
    expect((await send(`Bearer ${token}x`)).status).toBe(401);
    expect((await send(`Bearer ${token}`)).status).toBe(200);
    const found = await eventually('the authenticated log line in Loki', () => lokiQuery('{service_name="e2e-public-sender"}'), (entries) => entries.length > 0);
    expect(found.map((e) => e.line)).toEqual([marker]);
  }, 120_000);

  it('fires the service\'s paging alert on the error burst (its SLO\'s burn rate), and Alertmanager delivers it to the webhook on its severity route', async () => {
    const expected = errorBurstExpectation(defineStack(stackInput));
    expect(expected.receivers).toEqual(['e2e-webhook']);
    const deadline = traffic!.burstStartedAt + (expected.deliveredWithinSeconds + 60) * 1000;
    const delivered = await eventually(
      `${expected.alertname} (${expected.labels.severity}, service ${expected.labels.service}) at the webhook`,
      async () => {
        const response = await fetch(`http://127.0.0.1:${SINK_PORT}/received`);
        const notifications = (await response.json()) as { body: AlertmanagerWebhook }[];
        return notifications.flatMap((n) => n.body.alerts.map((alert) => ({ receiver: n.body.receiver, ...alert })));
      },
      (alerts) => alerts.some((a) => a.labels['alertname'] === expected.alertname && a.labels['service'] === expected.labels.service && a.status === 'firing'),
      Math.max(10_000, deadline - Date.now()),
    );
    const alert = delivered.find((a) => a.labels['alertname'] === expected.alertname && a.labels['service'] === expected.labels.service)!;
    expect(alert.receiver).toBe('e2e-webhook');
    expect(alert.labels['severity']).toBe(expected.labels.severity);
    expect(alert.annotations['runbook_url']).toContain(`${expected.alertname}.md`);
    // The notification's source link opens the alert's expression in Grafana's Explore, on the metrics datasource.
    const source = new URL(alert.generatorURL);
    expect(`${source.origin}${source.pathname}`).toBe('http://localhost:3000/explore');
    const explore = JSON.parse(source.searchParams.get('left')!) as { datasource: string; queries: { expr: string }[] };
    expect(explore.datasource).toBe('victoriametrics');
    expect(explore.queries[0]!.expr).toContain(expected.reads);
    // One incident, one paging alert: every page notification about the service so far is this alert's (the
    // threshold alert no longer pages a second time). Its group may be re-sent when another of its SLOs joins.
    const received = (await (await fetch(`http://127.0.0.1:${SINK_PORT}/received`)).json()) as { body: AlertmanagerWebhook }[];
    const paging = received.flatMap((n) => n.body.alerts).filter((a) => a.status === 'firing' && a.labels['service'] === expected.labels.service && /^P[01]$/.test(a.labels['severity'] ?? ''));
    expect([...new Set(paging.map((a) => a.labels['alertname']))]).toEqual([expected.alertname]);
    console.log(`${expected.alertname} delivered ${((Date.now() - traffic!.burstStartedAt) / 1000).toFixed(0)} s after the burst started (bound ${expected.deliveredWithinSeconds} s)`);
  }, 600_000);

  it('raises no alert about the stack itself while it is healthy (vmalert, pending or firing)', async () => {
    const response = await fetch('http://127.0.0.1:8880/api/v1/alerts', { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { data: { alerts: { name: string; state: string; labels: Record<string, string> }[] } };
    // The volumes live on this machine's disk: a disk alert is the truth, not a fault, when that disk is nearly full.
    const disk = statfsSync(dockerRoot());
    const diskUsed = 1 - disk.bavail / disk.blocks;
    const truthful = (name: string) => /Disk/.test(name) && diskUsed > 0.75;
    for (const a of body.data.alerts.filter((a) => a.labels['service'] === STACK && truthful(a.name))) {
      console.warn(`${a.name} ${a.state}: accepted, the machine's disk is ${(diskUsed * 100).toFixed(1)} % used (free space as non-root)`);
    }
    // The Watchdog fires always, by design: its heartbeat is how a dead man's switch knows the pipeline lives.
    expect(body.data.alerts.filter((a) => a.name === WATCHDOG).map((a) => a.state)).toEqual(['firing']);
    const aboutTheStack = body.data.alerts
      .filter((a) => a.labels['service'] === STACK && a.name !== WATCHDOG && !truthful(a.name))
      .map((a) => `${a.name} ${a.state} ${JSON.stringify(a.labels)}`);
    expect(aboutTheStack).toEqual([]);
  }, 60_000);
});

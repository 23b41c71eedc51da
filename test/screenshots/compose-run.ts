/**
 * The screenshots of the local stack: `observatory synth` under Docker Compose with the UI variant of Grafana's image,
 * the sample app (a front and a back) on this machine sending to it, every dashboard the local stack provisions
 * captured and checked, the links between signals clicked, and broken copies of Service overview reported.
 */
import * as fs from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { spawnFrontAndBack, type SampleAppProcess } from '../contract/support/sample-app-process.js';
import { GrafanaApi } from '../e2e/support/grafana.js';
import { synth, upLocalStack, type LocalStack } from '../e2e/support/local-stack.js';
import { sendSampleTraffic, type SampleTraffic } from '../e2e/support/sample-traffic.js';
import { ensureImage, imageTag } from '../images/build.js';
import type { ImageComponent } from '../images/binaries.js';
import { captureAll, captureProblems, FIRST_LOOK_AFTER_MS, launchBrowser, mutationCheck, concludeRun, say, sleep, TIME_RANGE } from './capture-run.js';
import type { CaptureOptions } from './dashboard-page.js';
import { GALLERY_STACK_INPUT, shippedDashboards } from './gallery-dashboards.js';
import { shiftPublishedPorts } from '../harness/host-ports.js';
import { checkSignalLinks } from './signal-links.js';
import { checkUiServed } from './ui-served.js';

export interface RunArgs {
  readonly out: string;
  readonly gallery: boolean;
  readonly keep: boolean;
}

const BACKEND_IMAGES: readonly ImageComponent[] = ['collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager'];
/** The stack's published ports move up by this much: it runs beside a local stack or an e2e run on the usual ones. */
const PORT_OFFSET = 10_000;
const GRAFANA_URL = `http://127.0.0.1:${3000 + PORT_OFFSET}`;
const OTLP_HTTP_URL = `http://127.0.0.1:${4318 + PORT_OFFSET}`;
/** Dashboard variables set in the URL (Jaeger searches one service at a time: the front sees every request). */
const URL_VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [DASHBOARD_UID.traces]: { service: 'sample-front' },
};

export async function ensureBackendImages(): Promise<void> {
  for (const component of BACKEND_IMAGES) await ensureImage(component, { log: (l) => say(`${component}: ${l.trim()}`) });
}

async function startStack(grafanaTag: string): Promise<LocalStack> {
  const overrides = { ...Object.fromEntries(BACKEND_IMAGES.map((c) => [c, imageTag(c)])), grafana: grafanaTag };
  const composeDir = synth({ ...GALLERY_STACK_INPUT, images: { overrides } });
  shiftPublishedPorts(composeDir, PORT_OFFSET);
  say(`docker compose up (${composeDir}; published ports + ${PORT_OFFSET})`);
  const collectorReady = /Everything is ready/;
  return upLocalStack(composeDir, 'observatory-screenshots', { 'otel-collector': collectorReady, 'otel-sampler': collectorReady });
}

async function startSampleApp(): Promise<{ apps: SampleAppProcess[]; traffic: SampleTraffic }> {
  const common = { SERVICE_VERSION: '1.0.0', DEPLOYMENT_ENVIRONMENT: 'demo', PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_HTTP_URL, METRIC_EXPORT_INTERVAL_MS: '5000' };
  const apps: SampleAppProcess[] = [];
  const { front } = await spawnFrontAndBack(common, apps);
  return { apps, traffic: await sendSampleTraffic(front.url) };
}

/** Renders every dashboard of the local stack; returns the exit code. */
export async function composeRun(args: RunArgs, grafanaUiTag: string): Promise<number> {
  await ensureBackendImages();
  const { rendered } = shippedDashboards();
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(args.out, { recursive: true });
  let stack: LocalStack | undefined;
  let app: { apps: SampleAppProcess[]; traffic: SampleTraffic } | undefined;
  let browser: Browser | undefined;
  try {
    stack = await startStack(grafanaUiTag);
    const password = stack.env['GRAFANA_ADMIN_PASSWORD']!;
    const grafana = new GrafanaApi(password, GRAFANA_URL);
    say(`UI served: ${await checkUiServed(GRAFANA_URL)}`);
    app = await startSampleApp();
    const trafficStartedAt = app.traffic.burstStartedAt;
    say(`sample app sending traffic; first look in ${FIRST_LOOK_AFTER_MS / 1000} s`);
    await sleep(FIRST_LOOK_AFTER_MS);

    browser = await launchBrowser();
    const options: CaptureOptions = { grafanaUrl: GRAFANA_URL, user: 'admin', password, from: TIME_RANGE, widthPx: 1600, outDir: args.out, timeoutMs: 60_000 };
    const captures = await captureAll(browser, rendered, options, trafficStartedAt, URL_VARIABLES);
    const links = await checkSignalLinks(browser, options);
    for (const link of links) say(`link ${link.name}: ${link.ok ? 'works' : 'BROKEN'}: ${link.detail} (${link.png})`);
    const unseen = await mutationCheck(browser, grafana, rendered.find((d) => d.uid === DASHBOARD_UID.serviceOverview)!, options);

    const failures = [...unseen, ...captureProblems(rendered, captures)];
    if (links.length < 2) failures.push(`the signal links were not all checked (${links.map((l) => l.name).join(', ') || 'none'})`);
    failures.push(...links.filter((l) => !l.ok).map((l) => `link ${l.name}: ${l.detail}`));
    return await concludeRun({
      renderedOn: 'compose', grafana, dashboards: rendered, captures, failures, outDir: args.out, gallery: args.gallery,
      sentBy: 'the sample app sending traffic with an error burst (local stack, Docker Compose)',
    });
  } finally {
    await browser?.close();
    app?.traffic.stopBurst();
    await Promise.all((app?.apps ?? []).map((a) => a.stop()));
    if (stack && !args.keep) await stack.down();
    else if (stack) say('stack left running (--keep): docker compose -p observatory-screenshots down -v');
  }
}

/**
 * `npm run screenshots`: every dashboard the local stack ships, rendered by Grafana's own UI in headless Chromium
 * with the sample app's data, checked and captured.
 *
 *   npm run screenshots [-- --out DIR] [-- --no-gallery] [-- --keep]
 *
 * 1. builds what it needs: the factory's images, Grafana's frontend and the UI variant of the Grafana image
 *    (test/images/grafana-ui-image.ts; the first time about 15 minutes, then cached);
 * 2. brings the local stack up (`observatory synth`, Docker Compose), runs the sample app (a front and a back) and
 *    sends it traffic with an error burst (test/e2e/support/sample-traffic.ts);
 * 3. opens each dashboard in Chromium (Debian's /usr/bin/chromium, or OBSERVATORY_CHROMIUM, driven by
 *    puppeteer-core), waits for its panels, writes DIR/<uid>.png (the whole dashboard) and DIR/<uid>/NN-<panel>.png;
 * 4. fails when a panel shows an error, "No data" where the traffic should fill it (panels-with-data.ts), or is not
 *    on the page; and proves the check would see it: broken copies of a dashboard must be reported broken;
 * 5. renews the gallery (docs/dashboards/: small PNGs and manifest.json with each dashboard's hash) unless
 *    --no-gallery. The gallery is renewed only when every check passed.
 *
 * DIR defaults to ./screenshots. --keep leaves the stack running (project observatory-screenshots).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { ensureImage, imageTag } from '../images/build.js';
import { ensureGrafanaUiImage } from '../images/grafana-ui-image.js';
import { recipeFor, type ImageComponent } from '../images/binaries.js';
import { spawnSampleApp, type SampleAppProcess } from '../contract/support/sample-app-process.js';
import { sendSampleTraffic, type SampleTraffic } from '../e2e/support/sample-traffic.js';
import { synth, upLocalStack, type LocalStack } from '../e2e/support/local-stack.js';
import { GrafanaApi } from '../e2e/support/grafana.js';
import { captureDashboard, type DashboardCapture, type CaptureOptions } from './dashboard-page.js';
import { dashboardProblems } from './panel-problems.js';
import { mutationsOf } from './mutations.js';
import { GALLERY_STACK_INPUT, shippedDashboards, type GalleryDashboard } from './gallery-dashboards.js';
import { writeGallery } from './write-gallery.js';
import { checkUiServed } from './ui-served.js';
import { shiftPublishedPorts } from '../harness/host-ports.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';

const CHROMIUM = process.env.OBSERVATORY_CHROMIUM ?? '/usr/bin/chromium';
const BACKEND_IMAGES: readonly ImageComponent[] = ['collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager'];
/** The stack's published ports move up by this much: it runs beside a local stack or an e2e run on the usual ones. */
const PORT_OFFSET = 10_000;
const GRAFANA_URL = `http://127.0.0.1:${3000 + PORT_OFFSET}`;
const OTLP_HTTP_URL = `http://127.0.0.1:${4318 + PORT_OFFSET}`;
const TIME_RANGE = 'now-15m';
/** Span metrics flush every 15 s, VictoriaMetrics hides the newest 30 s from range queries, rates need two points. */
const FIRST_LOOK_AFTER_MS = 90_000;
/** Dashboards with problems are looked at again until then (after the traffic started). */
const LAST_LOOK_AFTER_MS = 300_000;
/** Dashboard variables set in the URL (Jaeger searches one service at a time: the front sees every request). */
const URL_VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [DASHBOARD_UID.traces]: { service: 'sample-front' },
};

interface Args {
  out: string;
  gallery: boolean;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { out: path.resolve('screenshots'), gallery: true, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') args.out = path.resolve(argv[++i] ?? 'screenshots');
    else if (a === '--no-gallery') args.gallery = false;
    else if (a === '--keep') args.keep = true;
    else throw new Error(`unknown argument ${a}; usage: npm run screenshots [-- --out DIR] [-- --no-gallery] [-- --keep]`);
  }
  return args;
}

const say = (line: string): void => console.log(`[screenshots] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Docker, the Compose v2 plugin and Chromium, or the reasons they are missing. */
function missingTools(): string[] {
  const problems: string[] = [];
  if (!fs.existsSync(CHROMIUM)) problems.push(`${CHROMIUM} is missing (apt-get install -y chromium, or set OBSERVATORY_CHROMIUM)`);
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) problems.push('no Docker engine answers (test/prepare.sh starts one)');
  else if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status !== 0) problems.push('`docker compose` (the Compose v2 plugin) is missing (test/prepare.sh installs it)');
  return problems;
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
  const back = await spawnSampleApp({ ...common, SERVICE_NAME: 'sample-back', ROLE: 'back' });
  const front = await spawnSampleApp({ ...common, SERVICE_NAME: 'sample-front', ROLE: 'front', BACKEND_URL: back.url });
  return { apps: [back, front], traffic: await sendSampleTraffic(front.url) };
}

/** Captures every dashboard; those with problems again, until they have none or the last look is due. */
async function captureAll(browser: Browser, dashboards: readonly GalleryDashboard[], options: CaptureOptions, trafficStartedAt: number): Promise<Map<string, DashboardCapture>> {
  const captures = new Map<string, DashboardCapture>();
  let pending = [...dashboards];
  for (let round = 1; pending.length > 0; round++) {
    const retry: GalleryDashboard[] = [];
    for (const dashboard of pending) {
      const capture = await captureDashboard(browser, { uid: dashboard.uid, json: dashboard.json, variables: URL_VARIABLES[dashboard.uid] }, options);
      captures.set(dashboard.uid, capture);
      const problems = dashboardProblems(capture);
      say(`round ${round}: ${dashboard.title}: ${capture.panels.length} panels, ${problems.length === 0 ? 'all as expected' : `${problems.length} problem(s)`}`);
      if (problems.length > 0) retry.push(dashboard);
    }
    pending = retry;
    if (pending.length === 0 || Date.now() - trafficStartedAt > LAST_LOOK_AFTER_MS) break;
    await sleep(20_000);
  }
  return captures;
}

/** Broken copies of the Service overview must be reported broken; returns what the check failed to see. */
async function mutationCheck(browser: Browser, grafana: GrafanaApi, original: GalleryDashboard, options: CaptureOptions): Promise<string[]> {
  const unseen: string[] = [];
  const outDir = path.join(options.outDir, 'mutations');
  fs.mkdirSync(outDir, { recursive: true });
  for (const mutation of mutationsOf(original)) {
    const saved = await grafana.send<{ status?: string; message?: string }>('POST', '/api/dashboards/db', { dashboard: JSON.parse(mutation.json), overwrite: true });
    if (saved.status !== 200) throw new Error(`saving the mutated dashboard ${mutation.uid}: HTTP ${saved.status} ${JSON.stringify(saved.body)}`);
    try {
      const capture = await captureDashboard(browser, { uid: mutation.uid, json: mutation.json }, { ...options, outDir });
      const panel = capture.panels.find((p) => p.title === mutation.panel);
      const problems = dashboardProblems(capture);
      const seen = panel?.state === mutation.expect && problems.some((p) => p.startsWith(`"${mutation.panel}"`));
      say(`mutation "${mutation.name}" (${mutation.panel}: expect ${mutation.expect}): ${seen ? `reported: ${problems.find((p) => p.startsWith(`"${mutation.panel}"`))}` : `NOT reported (panel state ${panel?.state ?? 'absent'})`}`);
      if (!seen) unseen.push(`mutation "${mutation.name}" of ${original.uid} (${mutation.panel} should show ${mutation.expect}) was not reported`);
    } finally {
      await grafana.send('DELETE', `/api/dashboards/uid/${mutation.uid}`);
    }
  }
  return unseen;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  // The testcontainers reaper (Ryuk) is an image pulled from Docker Hub, which this machine cannot reach; the stack
  // is taken down below (as vitest.config.ts sets it for the end-to-end tests).
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const missing = missingTools();
  if (missing.length > 0) throw new Error(`cannot take screenshots: ${missing.join('; ')}`);

  for (const component of BACKEND_IMAGES) await ensureImage(component, { log: (l) => say(`${component}: ${l.trim()}`) });
  const ui = await ensureGrafanaUiImage({ log: (l) => say(`grafana UI: ${l.trim()}`) });
  const f = ui.frontend;
  say(
    `${ui.tag} (${ui.image.sizeMB ?? '?'} MB); frontend${ui.frontendCached ? ' cached, its' : ''} cold build ${f.seconds} s: ` +
      `yarn install ${f.install.seconds} s (peak RSS ${f.install.peakRssMB} MB), webpack ${f.webpack.seconds} s (peak RSS ${f.webpack.peakRssMB} MB)`,
  );

  const { rendered, kubernetesOnly } = shippedDashboards();
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(args.out, { recursive: true });
  let stack: LocalStack | undefined;
  let app: { apps: SampleAppProcess[]; traffic: SampleTraffic } | undefined;
  let browser: Browser | undefined;
  try {
    stack = await startStack(ui.tag);
    const grafana = new GrafanaApi(stack.env['GRAFANA_ADMIN_PASSWORD']!, GRAFANA_URL);
    const served = await checkUiServed(GRAFANA_URL);
    say(`UI served: ${served}`);
    app = await startSampleApp();
    const trafficStartedAt = app.traffic.burstStartedAt;
    say(`sample app sending traffic; first look in ${FIRST_LOOK_AFTER_MS / 1000} s`);
    await sleep(FIRST_LOOK_AFTER_MS);

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // As root (CI), Chromium's sandbox cannot start; /dev/shm in containers is small.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--hide-scrollbars', '--force-color-profile=srgb'],
    });
    say(`Chromium ${await browser.version()}`);
    const options: CaptureOptions = { grafanaUrl: GRAFANA_URL, user: 'admin', password: stack.env['GRAFANA_ADMIN_PASSWORD']!, from: TIME_RANGE, widthPx: 1600, outDir: args.out, timeoutMs: 60_000 };
    const captures = await captureAll(browser, rendered, options, trafficStartedAt);
    const serviceOverview = rendered.find((d) => d.uid === DASHBOARD_UID.serviceOverview)!;
    const unseen = await mutationCheck(browser, grafana, serviceOverview, options);

    const failures: string[] = [...unseen];
    for (const dashboard of rendered) {
      const capture = captures.get(dashboard.uid)!;
      for (const problem of dashboardProblems(capture)) failures.push(`${dashboard.title}: ${problem}`);
    }
    say(`captures in ${args.out}/ (${rendered.length} dashboards, ${[...captures.values()].reduce((n, c) => n + c.panels.length, 0)} panels)`);
    if (failures.length > 0) {
      console.error(`[screenshots] FAILED:\n  ${failures.join('\n  ')}`);
      return 1;
    }
    if (args.gallery) {
      const health = await grafana.get<{ version?: string }>('/api/health');
      const grafanaRecipe = recipeFor('grafana');
      const grafanaVersion = `${health.body.version ?? grafanaRecipe.builtVersion} (commit ${grafanaRecipe.moduleVersion.slice(-12)}), standing in for ${grafanaRecipe.version}`;
      const bytes = await writeGallery({ rendered, kubernetesOnly, captures, grafana: grafanaVersion, timeRange: TIME_RANGE });
      say(`gallery renewed: docs/dashboards/ (${rendered.length} images, ${(bytes / 1024).toFixed(0)} KiB)`);
    }
    say(`done in ${Math.round((Date.now() - started) / 1000)} s`);
    return 0;
  } finally {
    await browser?.close();
    app?.traffic.stopBurst();
    await Promise.all((app?.apps ?? []).map((a) => a.stop()));
    if (stack && !args.keep) await stack.down();
    else if (stack) say('stack left running (--keep): docker compose -p observatory-screenshots down -v');
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[screenshots] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);

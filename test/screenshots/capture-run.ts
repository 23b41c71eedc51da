/**
 * What both screenshot runs (the local stack under Compose, the test cluster) do once Grafana with its UI serves the
 * sample app's data: launch Chromium, capture every dashboard (again until none has a problem or the last look is
 * due), prove the check sees broken copies of a dashboard, collect the problems, and renew the gallery.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { recipeFor } from '../images/binaries.js';
import type { GrafanaApi } from '../e2e/support/grafana.js';
import { captureDashboard, type CaptureOptions, type DashboardCapture } from './dashboard-page.js';
import { shippedDashboards, type GalleryDashboard } from './gallery-dashboards.js';
import { RENEW_COMMAND, type RenderedOn } from './gallery-manifest.js';
import { mutationsOf } from './mutations.js';
import { dashboardProblems } from './panel-problems.js';
import { writeGallery } from './write-gallery.js';

export const CHROMIUM = process.env.OBSERVATORY_CHROMIUM ?? '/usr/bin/chromium';
/** The dashboards' time range in the pictures: the runs send traffic for a few minutes before the first look. */
export const TIME_RANGE = 'now-5m';
/** Span metrics flush every 15 s, VictoriaMetrics hides the newest 30 s from range queries, rates need two points. */
export const FIRST_LOOK_AFTER_MS = 90_000;
/** Dashboards with problems are looked at again until then (after the traffic started). */
export const LAST_LOOK_AFTER_MS = 300_000;

export const say = (line: string): void => console.log(`[screenshots] ${line}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Docker, the Compose v2 plugin and Chromium, or the reasons they are missing. */
export function missingTools(): string[] {
  const problems: string[] = [];
  if (!fs.existsSync(CHROMIUM)) problems.push(`${CHROMIUM} is missing (apt-get install -y chromium, or set OBSERVATORY_CHROMIUM)`);
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) problems.push('no Docker engine answers (test/prepare.sh starts one)');
  else if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status !== 0) problems.push('`docker compose` (the Compose v2 plugin) is missing (test/prepare.sh installs it)');
  return problems;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root (CI), Chromium's sandbox cannot start; /dev/shm in containers is small.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--hide-scrollbars', '--force-color-profile=srgb'],
  });
  say(`Chromium ${await browser.version()}`);
  return browser;
}

/** Captures every dashboard; those with problems again, until they have none or the last look is due. */
export async function captureAll(
  browser: Browser,
  dashboards: readonly GalleryDashboard[],
  options: CaptureOptions,
  trafficStartedAt: number,
  variables: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
  lastLookAfterMs = LAST_LOOK_AFTER_MS,
): Promise<Map<string, DashboardCapture>> {
  const captures = new Map<string, DashboardCapture>();
  let pending = [...dashboards];
  for (let round = 1; pending.length > 0; round++) {
    const retry: GalleryDashboard[] = [];
    for (const dashboard of pending) {
      const capture = await captureDashboard(browser, { uid: dashboard.uid, json: dashboard.json, variables: variables[dashboard.uid] }, options);
      captures.set(dashboard.uid, capture);
      const problems = dashboardProblems(capture);
      say(`round ${round}: ${dashboard.title}: ${capture.panels.length} panels, ${problems.length === 0 ? 'all as expected' : `${problems.length} problem(s): ${problems.join('; ')}`}`);
      if (problems.length > 0) retry.push(dashboard);
    }
    pending = retry;
    if (pending.length === 0 || Date.now() - trafficStartedAt > lastLookAfterMs) break;
    await sleep(20_000);
  }
  return captures;
}

/** Broken copies of `original` must be reported broken; returns what the check failed to see. */
export async function mutationCheck(browser: Browser, grafana: GrafanaApi, original: GalleryDashboard, options: CaptureOptions): Promise<string[]> {
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
      say(`mutation "${mutation.name}" of ${original.title} (${mutation.panel}: expect ${mutation.expect}): ${seen ? `reported: ${problems.find((p) => p.startsWith(`"${mutation.panel}"`))}` : `NOT reported (panel state ${panel?.state ?? 'absent'})`}`);
      if (!seen) unseen.push(`mutation "${mutation.name}" of ${original.uid} (${mutation.panel} should show ${mutation.expect}) was not reported`);
    } finally {
      await grafana.send('DELETE', `/api/dashboards/uid/${mutation.uid}`);
    }
  }
  return unseen;
}

/** Every problem of the captures, prefixed with its dashboard's title. */
export function captureProblems(dashboards: readonly GalleryDashboard[], captures: ReadonlyMap<string, DashboardCapture>): string[] {
  return dashboards.flatMap((d) => dashboardProblems(captures.get(d.uid)!).map((p) => `${d.title}: ${p}`));
}

/** Each panel's state per dashboard, for the log: `Title: n data, n no-data (allowed), n error`. */
export function panelStates(dashboards: readonly GalleryDashboard[], captures: ReadonlyMap<string, DashboardCapture>): string[] {
  return dashboards.map((d) => {
    const panels = captures.get(d.uid)?.panels ?? [];
    const count = (state: string) => panels.filter((p) => p.state === state).length;
    return `${d.title}: ${panels.length} panels, ${count('data')} with data, ${count('no-data')} "No data", ${count('error')} with an error`;
  });
}

/** Writes this run's pictures into the gallery (keeping the other run's); returns the gallery's size in bytes. */
async function renewGallery(
  renderedOn: RenderedOn,
  grafana: GrafanaApi,
  dashboards: readonly GalleryDashboard[],
  captures: ReadonlyMap<string, DashboardCapture>,
  sentBy: string,
): Promise<number> {
  const health = await grafana.get<{ version?: string }>('/api/health');
  const recipe = recipeFor('grafana');
  const version = `${health.body.version ?? recipe.builtVersion} (commit ${recipe.moduleVersion.slice(-12)}), standing in for ${recipe.version}`;
  const run = { command: RENEW_COMMAND[renderedOn], grafana: version, takenAt: new Date().toISOString(), timeRange: `${TIME_RANGE} to now, ${sentBy}` };
  const { rendered, kubernetesOnly } = shippedDashboards();
  return writeGallery({ renderedOn, dashboards, captures, run, order: [...rendered, ...kubernetesOnly].map((d) => d.uid) });
}

/** How a run ends: its panel states logged; its failures printed (exit 1), or its part of the gallery renewed (exit 0). */
export async function concludeRun(run: {
  renderedOn: RenderedOn;
  grafana: GrafanaApi;
  dashboards: readonly GalleryDashboard[];
  captures: ReadonlyMap<string, DashboardCapture>;
  failures: readonly string[];
  outDir: string;
  gallery: boolean;
  /** What sent the data the pictures show, for the gallery's manifest. */
  sentBy: string;
}): Promise<number> {
  const { dashboards, captures } = run;
  for (const line of panelStates(dashboards, captures)) say(line);
  say(`captures in ${run.outDir}/ (${dashboards.length} dashboards, ${[...captures.values()].reduce((n, c) => n + c.panels.length, 0)} panels)`);
  if (run.failures.length > 0) {
    console.error(`[screenshots] FAILED:\n  ${run.failures.join('\n  ')}`);
    return 1;
  }
  if (run.gallery) {
    const bytes = await renewGallery(run.renderedOn, run.grafana, dashboards, captures, run.sentBy);
    say(`gallery renewed: docs/dashboards/ (${dashboards.length} images of this run; all images ${(bytes / 1024).toFixed(0)} KiB)`);
  }
  return 0;
}

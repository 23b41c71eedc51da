/**
 * One dashboard opened in Grafana's own UI in headless Chromium: waits for every panel to finish loading, reads
 * each panel's state (data, "No data", or the error sign Grafana puts in its header) and takes a PNG of the whole
 * dashboard and one of each panel.
 *
 * Grafana 10's dashboard scrolls inside its own container and renders panels lazily as they come into view, so a
 * browser "full page" capture would show only the first screen: the viewport is made as tall as the dashboard's
 * grid instead, so that every panel is in view, loaded and captured.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';

export interface DashboardToOpen {
  readonly uid: string;
  /** The dashboard JSON (its panels' titles, ids and grid positions). */
  readonly json: string;
  /** `var-<name>` URL parameters. */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface PanelState {
  readonly title: string;
  readonly state: 'data' | 'no-data' | 'error';
  /** The query errors Grafana's backend answered for this panel (when it shows the error sign). */
  readonly errors: readonly string[];
  /** Legend entries scrolled out of the legend's box (a legend too small for its series); 0 without a legend. */
  readonly legendHidden: number;
  readonly png: string;
}

export interface DashboardCapture {
  readonly uid: string;
  readonly png: string;
  readonly panels: readonly PanelState[];
  /** Panels of the JSON that never appeared on the page. */
  readonly missing: readonly string[];
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface CaptureOptions {
  readonly grafanaUrl: string;
  /** Basic-auth credentials of the admin. */
  readonly user: string;
  readonly password: string;
  /** Dashboard time range start, e.g. `now-15m`. */
  readonly from: string;
  readonly widthPx: number;
  readonly outDir: string;
  /** How long panels may take to load. */
  readonly timeoutMs: number;
}

interface JsonPanel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  panels?: JsonPanel[];
}

/** Grafana's grid: 30 px per row plus an 8 px margin. */
const GRID_ROW_PX = 38;
const PANEL_TESTID = 'data-testid Panel header ';

/** The visualisations of a dashboard (rows and the panels inside collapsed rows excluded: they are not drawn). */
export function panelsOf(json: string): { id: number; title: string; bottom: number }[] {
  const panels = (JSON.parse(json) as { panels?: JsonPanel[] }).panels ?? [];
  return panels
    .filter((p) => p.type !== 'row')
    .map((p) => ({ id: p.id ?? -1, title: p.title ?? '', bottom: (p.gridPos?.y ?? 0) + (p.gridPos?.h ?? 8) }));
}

const fileSafe = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * In-page script: every panel's title, whether it shows the error sign, "No data", how many legend entries lie
 * outside the legend's scroll box (a graph legend is a table with column headers, or a list of "VizLegend series"
 * items, inside Grafana's CustomScrollbar), and whether any panel is loading.
 */
export const READ_PANELS = `(() => {
  const legendHidden = (el) => {
    let hidden = 0;
    for (const view of el.querySelectorAll('.scrollbar-view')) {
      const items = [...view.querySelectorAll('table:has(th) tbody tr, [aria-label^="VizLegend series"]')];
      if (items.length === 0) continue;
      // The visible box: the scroll view clipped by the legend's wrappers (VizLayout caps a bottom legend's height).
      const clips = [view, view.parentElement, view.parentElement && view.parentElement.parentElement].filter(Boolean).map((e) => e.getBoundingClientRect());
      const top = Math.max(...clips.map((r) => r.top));
      const bottom = Math.min(...clips.map((r) => r.bottom));
      const outside = items.filter((item) => {
        const r = item.getBoundingClientRect();
        return r.bottom > bottom + 2 || r.top < top - 2;
      }).length;
      // Rows could also overflow a view that itself is not clipped: then it scrolls by more than a fraction of a row.
      hidden += outside > 0 ? outside : view.scrollHeight > view.clientHeight + 10 ? 1 : 0;
    }
    return hidden;
  };
  const panels = [...document.querySelectorAll('[data-testid^="${PANEL_TESTID}"]')].map((el) => ({
    title: el.getAttribute('data-testid').slice(${PANEL_TESTID.length}),
    error: el.querySelector('[aria-label="Panel status"]') !== null,
    noData: /\\bNo data\\b/.test(el.innerText),
    legendHidden: legendHidden(el),
  }));
  const loading = document.querySelectorAll('[aria-label="Panel loading bar"]').length;
  const grid = document.querySelector('.react-grid-layout');
  const bottom = grid ? Math.ceil(grid.getBoundingClientRect().top + grid.scrollHeight) : 0;
  return { panels, loading, bottom };
})()`;

interface PageState {
  panels: { title: string; error: boolean; noData: boolean; legendHidden: number }[];
  loading: number;
  bottom: number;
}

async function waitUntilLoaded(page: Page, expected: number, timeoutMs: number): Promise<PageState> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let state: PageState = { panels: [], loading: 0, bottom: 0 };
  while (Date.now() < deadline) {
    state = (await page.evaluate(READ_PANELS)) as PageState;
    quiet = state.panels.length >= expected && state.loading === 0 ? quiet + 1 : 0;
    // Loaded and quiet for 2 s: queries answered and drawn (a refresh would show the loading bar again).
    if (quiet >= 4) return state;
    await new Promise((r) => setTimeout(r, 500));
  }
  return state;
}

/** Opens the dashboard, waits for its panels and captures it and each panel. */
export async function captureDashboard(browser: Browser, dashboard: DashboardToOpen, options: CaptureOptions): Promise<DashboardCapture> {
  const expected = panelsOf(dashboard.json);
  const queryErrors = new Map<number, string[]>();
  const page = await browser.newPage();
  const onResponse = (response: HTTPResponse): void => {
    if (!response.url().includes('/api/ds/query')) return;
    const panelId = Number(response.request().headers()['x-panel-id']);
    void response.json().then(
      (body: { results?: Record<string, { error?: string }> }) => {
        const errors = Object.entries(body.results ?? {}).filter(([, r]) => r.error).map(([refId, r]) => `[${refId}] ${r.error}`);
        if (errors.length > 0) queryErrors.set(panelId, errors);
        else queryErrors.delete(panelId);
      },
      () => undefined,
    );
  };
  page.on('response', onResponse);
  try {
    await page.setExtraHTTPHeaders({ authorization: `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}` });
    const gridRows = Math.max(...expected.map((p) => p.bottom), 8);
    let height = gridRows * GRID_ROW_PX + 120;
    await page.setViewport({ width: options.widthPx, height, deviceScaleFactor: 1 });
    const params = new URLSearchParams({ orgId: '1', from: options.from, to: 'now', kiosk: '1' });
    for (const [name, value] of Object.entries(dashboard.variables ?? {})) params.set(`var-${name}`, value);
    await page.goto(`${options.grafanaUrl}/d/${dashboard.uid}?${params}`, { waitUntil: 'networkidle2', timeout: options.timeoutMs });
    let state = await waitUntilLoaded(page, expected.length, options.timeoutMs);
    // The estimate was short or long: fit the viewport to the grid, let newly visible panels load.
    if (state.bottom > 0 && Math.abs(state.bottom + 16 - height) > 4) {
      height = state.bottom + 16;
      await page.setViewport({ width: options.widthPx, height, deviceScaleFactor: 1 });
      state = await waitUntilLoaded(page, expected.length, options.timeoutMs);
    }
    const png = path.join(options.outDir, `${dashboard.uid}.png`) as `${string}.png`;
    await page.screenshot({ path: png });
    const handles = await page.$$(`[data-testid^="${PANEL_TESTID}"]`);
    const panels: PanelState[] = [];
    for (const [index, seen] of state.panels.entries()) {
      const panelPng = path.join(options.outDir, dashboard.uid, `${String(index + 1).padStart(2, '0')}-${fileSafe(seen.title)}.png`) as `${string}.png`;
      fs.mkdirSync(path.dirname(panelPng), { recursive: true });
      await handles[index]?.screenshot({ path: panelPng });
      // Grafana draws the panels in the JSON's order (top to bottom, left to right); titles may repeat (one row per SLO).
      const id = expected[index]?.title === seen.title ? expected[index]!.id : (expected.find((p) => p.title === seen.title)?.id ?? -2);
      const errors = queryErrors.get(id) ?? [];
      panels.push({ title: seen.title, state: seen.error ? 'error' : seen.noData ? 'no-data' : 'data', errors, legendHidden: seen.legendHidden, png: panelPng });
    }
    const unseen = state.panels.map((p) => p.title);
    const missing = expected.map((p) => p.title).filter((title) => {
      const at = unseen.indexOf(title);
      if (at >= 0) unseen.splice(at, 1);
      return at < 0;
    });
    return { uid: dashboard.uid, png, panels, missing, widthPx: options.widthPx, heightPx: height };
  } finally {
    page.off('response', onResponse);
    await page.close();
  }
}

/**
 * The links between signals, clicked in Grafana's UI: a log line's trace link opens that trace, and a span's "Logs
 * for this span" opens that trace's log lines. Starts on the Logs dashboard's "Errors" panel (the sample app's error
 * lines carry their trace IDs), opens a line's details, follows "View trace" to the trace view in Explore, expands
 * the root span and follows "Logs for this span". Each step is asserted on what the destination shows (the trace ID
 * in the trace view's header, both services' spans; log lines Loki answered for exactly that trace) and captured.
 * A missing link, or a destination without the right trace or lines, is reported as a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import type { CaptureOptions } from './dashboard-page.js';

export interface LinkCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was seen: the trace ID and the destination's evidence, or what went wrong. */
  readonly detail: string;
  readonly png: string;
}

const TRACE_ID = /trace_id=([0-9a-f]{32})\b/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` in the page until it returns a truthy value or `timeoutMs` passes. */
async function until<T>(page: Page, probe: string, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = (await page.evaluate(probe).catch(() => undefined)) as T | undefined;
    if (value) return value;
    await sleep(500);
  }
  return undefined;
}

/** Log lines Loki answered through /api/ds/query for queries that name `traceId`, with their trace_id labels. */
interface LokiAnswer {
  lines: string[];
  traceIds: string[];
}

function watchLokiAnswers(page: Page, traceId: string): { answers: LokiAnswer[]; stop: () => void } {
  const answers: LokiAnswer[] = [];
  const onResponse = (response: HTTPResponse): void => {
    if (!response.url().includes('/api/ds/query') || !(response.request().postData() ?? '').includes(traceId)) return;
    if (!(response.request().postData() ?? '').includes('"loki"')) return;
    void response.json().then(
      (body: { results?: Record<string, { frames?: { schema?: { fields?: { name: string }[] }; data?: { values?: unknown[][] } }[] }> }) => {
        const answer: LokiAnswer = { lines: [], traceIds: [] };
        for (const result of Object.values(body.results ?? {})) {
          for (const frame of result.frames ?? []) {
            const names = (frame.schema?.fields ?? []).map((f) => f.name);
            const values = frame.data?.values ?? [];
            // Grafana's Loki frames: labels, Time, Line, tsNs, id (the line: the first field of strings otherwise).
            const lineAt = names.indexOf('Line') >= 0 ? names.indexOf('Line') : values.findIndex((v) => v.length > 0 && v.every((x) => typeof x === 'string'));
            const lines = values[lineAt] ?? [];
            const labels = values[names.indexOf('labels')] ?? [];
            answer.lines.push(...lines.map(String));
            answer.traceIds.push(...labels.map((l) => String((l as Record<string, unknown> | null)?.['trace_id'] ?? '')));
          }
        }
        answers.push(answer);
      },
      () => undefined,
    );
  };
  page.on('response', onResponse);
  return { answers, stop: () => page.off('response', onResponse) };
}

async function newPage(browser: Browser, options: CaptureOptions): Promise<Page> {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ authorization: `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}` });
  await page.setViewport({ width: options.widthPx, height: 1000, deviceScaleFactor: 1 });
  return page;
}

/**
 * Lines younger than this may belong to traces not in Jaeger yet: tail sampling decides a trace after its decision
 * wait, then the sampler's batch and Jaeger's write follow.
 */
export const SETTLED_LINE_AGE_MS = 60_000;

/**
 * In-page: the newest line of the "Errors" panel with a trace ID that is at least SETTLED_LINE_AGE_MS old (its time
 * stamp, `YYYY-MM-DD HH:MM:SS.mmm` in the browser's time zone, starts the row); clicks it open and returns the ID.
 */
export const OPEN_ERROR_LINE = `(() => {
  const panel = document.querySelector('[data-testid="data-testid Panel header Errors"]');
  if (!panel) return undefined;
  const settled = (text) => {
    const at = /(\\d{4})-(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)/.exec(text);
    return at !== null && Date.now() - new Date(+at[1], at[2] - 1, +at[3], +at[4], +at[5], +at[6]).getTime() >= ${SETTLED_LINE_AGE_MS};
  };
  const row = [...panel.querySelectorAll('tr')].find((tr) => ${TRACE_ID}.test(tr.innerText) && settled(tr.innerText));
  if (!row) return undefined;
  row.click();
  return ${TRACE_ID}.exec(row.innerText)[1];
})()`;

/** In-page: `then` applied to the opened line's "View trace" links (in its details), the one to `traceId` first. */
export const withViewTraceLinks = (traceId: string, then: string) => `(() => {
  const panel = document.querySelector('[data-testid="data-testid Panel header Errors"]');
  const to = (a) => decodeURIComponent(a.getAttribute('href') || '').includes('${traceId}') ? 1 : 0;
  const links = panel ? [...panel.querySelectorAll('a')].filter((a) => /View trace/.test(a.innerText)).sort((a, b) => to(b) - to(a)) : [];
  return ${then};
})()`;
export const VIEW_TRACE_HREF = (traceId: string) => withViewTraceLinks(traceId, "links.length > 0 ? links[0].getAttribute('href') : undefined");

/** In-page: the trace view shows the trace (its ID in the header) with spans of both services. */
export const traceShown = (traceId: string) => `(() => {
  const text = document.body.innerText;
  return location.pathname.endsWith('/explore') && text.includes('${traceId}') && text.includes('sample-front') && text.includes('sample-back')
    && document.querySelectorAll('[data-testid="span-view"]').length >= 3 ? document.querySelectorAll('[data-testid="span-view"]').length : 0;
})()`;

/** In-page: the href of "Logs for this span" of the expanded span. */
export const SPAN_LOGS_HREF = `(() => {
  const link = [...document.querySelectorAll('a')].find((a) => /Logs for this span/.test(a.innerText));
  return link ? link.getAttribute('href') : undefined;
})()`;

async function capture(page: Page, outDir: string, name: string): Promise<string> {
  const png = path.join(outDir, `${name}.png`) as `${string}.png`;
  await page.screenshot({ path: png }).catch(() => undefined);
  return png;
}

/** Log line → trace → the span's logs. Returns one verdict per link. */
export async function checkSignalLinks(browser: Browser, options: CaptureOptions): Promise<LinkCheck[]> {
  const outDir = path.join(options.outDir, 'links');
  fs.mkdirSync(outDir, { recursive: true });
  const checks: LinkCheck[] = [];
  const page = await newPage(browser, options);
  try {
    // 1. A log line's trace link.
    const params = new URLSearchParams({ orgId: '1', from: options.from, to: 'now', 'var-service': 'sample-front' });
    await page.goto(`${options.grafanaUrl}/d/${DASHBOARD_UID.logs}?${params}`, { waitUntil: 'networkidle2', timeout: options.timeoutMs });
    const traceId = await until<string>(page, OPEN_ERROR_LINE, options.timeoutMs);
    if (!traceId) {
      checks.push({ name: 'log line → trace', ok: false, detail: 'no line of the Logs dashboard\'s "Errors" panel shows a trace_id', png: await capture(page, outDir, '1-log-line') });
      return checks;
    }
    const href = await until<string>(page, VIEW_TRACE_HREF(traceId), 15_000);
    const linePng = await capture(page, outDir, '1-log-line');
    if (!href || !decodeURIComponent(href).includes(traceId)) {
      checks.push({ name: 'log line → trace', ok: false, detail: `the line of trace ${traceId} has ${href ? `a "View trace" link to another trace: ${decodeURIComponent(href)}` : 'no "View trace" link in its details'}`, png: linePng });
      return checks;
    }
    await Promise.all([page.waitForNavigation({ timeout: 15_000 }).catch(() => undefined), page.evaluate(withViewTraceLinks(traceId, 'links[0].click()'))]);
    // A trace Jaeger has not stored yet answers 404 ("Query error"): ask again, as a person would.
    let spans: number | undefined;
    for (const deadline = Date.now() + options.timeoutMs; spans === undefined && Date.now() < deadline; ) {
      spans = await until<number>(page, traceShown(traceId), 10_000);
      if (spans === undefined && (await page.evaluate(`document.body.innerText.includes('Query error')`))) await page.reload({ waitUntil: 'networkidle2' });
    }
    const tracePng = await capture(page, outDir, '2-trace');
    checks.push({
      name: 'log line → trace',
      ok: spans !== undefined,
      detail: spans ? `"View trace" on a line of trace ${traceId} opened ${new URL(page.url()).pathname} showing that trace ID and ${spans} spans of sample-front and sample-back` : `"View trace" of trace ${traceId} led to ${page.url()}, which does not show that trace with spans of both services`,
      png: tracePng,
    });
    if (!spans) return checks;

    // 2. A span's logs link.
    const loki = watchLokiAnswers(page, traceId);
    try {
      await page.click('[data-testid="span-view"]');
      const logsHref = await until<string>(page, SPAN_LOGS_HREF, 15_000);
      if (!logsHref) {
        checks.push({ name: 'span → logs', ok: false, detail: `the root span of trace ${traceId} has no "Logs for this span" link`, png: await capture(page, outDir, '3-span') });
        return checks;
      }
      const opened = new Promise<Page | undefined>((resolve) => {
        browser.once('targetcreated', (target) => void target.page().then((p) => resolve(p ?? undefined), () => resolve(undefined)));
        setTimeout(() => resolve(undefined), 10_000);
      });
      await page.evaluate(`(() => [...document.querySelectorAll('a')].find((a) => /Logs for this span/.test(a.innerText)).click())()`);
      // In Explore the link opens the logs in a split pane; elsewhere it may open a tab.
      const deadline = Date.now() + options.timeoutMs;
      const answered = () => loki.answers.find((a) => a.lines.length > 0);
      while (!answered() && Date.now() < deadline) await sleep(500);
      let where = 'a split pane of Explore';
      let shown = page;
      if (!answered()) {
        const tab = await opened;
        shown = tab ?? page;
        where = tab ? 'a new tab' : 'its URL';
        const watch = watchLokiAnswers(shown, traceId);
        if (!tab) await shown.goto(new URL(logsHref, options.grafanaUrl).toString(), { waitUntil: 'networkidle2', timeout: options.timeoutMs });
        const tabDeadline = Date.now() + options.timeoutMs;
        while (!watch.answers.some((a) => a.lines.length > 0) && Date.now() < tabDeadline) await sleep(500);
        loki.answers.push(...watch.answers);
        watch.stop();
      }
      const answer = answered();
      const lineShown = answer ? await until<boolean>(shown, `document.body.innerText.includes(${JSON.stringify(answer.lines[0]!.split('\n')[0]!.slice(0, 60))})`, 20_000) : false;
      const logsPng = await capture(shown, outDir, '3-span-logs');
      const foreign = answer ? answer.traceIds.filter((id) => id !== '' && id !== traceId) : [];
      const ok = answer !== undefined && lineShown === true && foreign.length === 0;
      checks.push({
        name: 'span → logs',
        ok,
        detail: answer
          ? `"Logs for this span" opened ${where}: Loki answered ${answer.lines.length} line(s) of trace ${traceId} (${[...new Set(answer.lines.map((l) => l.slice(0, 40)))].slice(0, 3).join(' | ')})${lineShown ? ', shown on the page' : ', NOT shown on the page'}${foreign.length ? `; ${foreign.length} of another trace` : ''}`
          : `"Logs for this span" (${decodeURIComponent(logsHref).slice(0, 300)}) brought no log lines of trace ${traceId}`,
        png: logsPng,
      });
    } finally {
      loki.stop();
    }
    return checks;
  } finally {
    for (const p of await browser.pages()) if (p !== page && p.url().includes('/explore')) await p.close().catch(() => undefined);
    await page.close();
  }
}

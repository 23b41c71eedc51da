/** The rendering check's verdicts and the frontend's image contents, without a browser (test/screenshots/). */
import { describe, expect, it } from 'vitest';
import { panelsOf, READ_PANELS, type DashboardCapture } from '../screenshots/dashboard-page.js';
import { OPEN_ERROR_LINE, SETTLED_LINE_AGE_MS, SPAN_LOGS_HREF, traceShown, VIEW_TRACE_HREF, withViewTraceLinks } from '../screenshots/signal-links.js';
import { dashboardProblems } from '../screenshots/panel-problems.js';
import { mutationsOf } from '../screenshots/mutations.js';
import { shippedDashboards } from '../screenshots/gallery-dashboards.js';
import { shippedInImage } from '../images/grafana-frontend.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shiftPublishedPorts } from '../harness/host-ports.js';
import { clusterDashboards } from '../screenshots/kubernetes-run.js';
import { mayBeEmpty } from '../screenshots/panels-with-data.js';

const capture = (panels: DashboardCapture['panels'], missing: string[] = []): DashboardCapture => ({
  uid: DASHBOARD_UID.serviceOverview, png: 'x.png', panels, missing, widthPx: 1600, heightPx: 900,
});

describe('the rendering check', () => {
  it('reports a panel with an error, a panel with "No data" that must have data, a legend that scrolls, and a panel not on the page', () => {
    const problems = dashboardProblems(
      capture(
        [
          { title: 'Request rate', state: 'error', errors: ['[A] datasource not found'], legendHidden: 0, png: '' },
          { title: 'Error %', state: 'no-data', errors: [], legendHidden: 0, png: '' },
          { title: 'Latency p50 / p95 / p99', state: 'data', errors: [], legendHidden: 4, png: '' },
          { title: '5xx % by route', state: 'data', errors: [], legendHidden: 1, png: '' },
        ],
        ['Requests by route'],
      ),
    );
    expect(problems).toEqual([
      '"Request rate" shows an error: [A] datasource not found',
      '"Error %" shows "No data" where the sample app\'s traffic should fill it',
      '"Latency p50 / p95 / p99" hides 4 legend entries behind a scroll (dashboards/legend.ts)',
      '"5xx % by route" hides 1 legend entry behind a scroll (dashboards/legend.ts)',
      '"Requests by route" is not on the page',
    ]);
  });

  it('counts the visualisations of every rendered dashboard, not its rows', () => {
    for (const dashboard of shippedDashboards().rendered) {
      const panels = panelsOf(dashboard.json);
      expect(panels.length, dashboard.uid).toBeGreaterThan(0);
      expect(panels.every((p) => p.title !== '' && p.id > 0), `${dashboard.uid}: every panel has a title and an id`).toBe(true);
    }
  });

  it('breaks a copy of a dashboard in two ways, under new UIDs Grafana accepts', () => {
    const original = shippedDashboards().rendered.find((d) => d.uid === DASHBOARD_UID.serviceOverview)!;
    const mutations = mutationsOf(original);
    expect(mutations.map((m) => m.expect)).toEqual(['no-data', 'error']);
    for (const m of mutations) {
      expect(m.uid).toMatch(/^[a-z0-9][-a-z0-9]{0,39}$/);
      expect(m.json).not.toBe(original.json);
    }
  });
});

describe('the scripts run in the page', () => {
  it('are valid JavaScript expressions', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    for (const script of [READ_PANELS, OPEN_ERROR_LINE, SPAN_LOGS_HREF, traceShown(id), VIEW_TRACE_HREF(id), withViewTraceLinks(id, 'links[0].click()')]) {
      expect(() => new Function(`return ${script};`), script.slice(0, 80)).not.toThrow();
    }
  });

  it('open the newest error line old enough for its trace to be in Jaeger, by the trace ID the dashboards append to it', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clicked: string[] = [];
    const row = (text: string) => ({ innerText: text, click: () => clicked.push(text) });
    const at = (msAgo: number) => {
      const d = new Date(Date.now() - msAgo);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.123`;
    };
    const fresh = `${at(5_000)} request failed trace_id=${'f'.repeat(32)}`;
    const settled = `${at(SETTLED_LINE_AGE_MS + 5_000)} request failed trace_id=${id}`;
    const rows = [row(fresh), row(`${at(SETTLED_LINE_AGE_MS + 3_000)} request failed`), row(settled), row(`${at(SETTLED_LINE_AGE_MS + 9_000)} request failed trace_id=${'0'.repeat(32)}`)];
    const panel = { querySelectorAll: (selector: string) => (selector === 'tr' ? rows : []) };
    const document = { querySelector: (selector: string) => (selector === '[data-testid="data-testid Panel header Errors"]' ? panel : null) };
    expect(new Function('document', `return ${OPEN_ERROR_LINE};`)(document)).toBe(id);
    expect(clicked).toEqual([settled]);
  });
});

describe('the Kubernetes run', () => {
  it('renders the Kubernetes-only dashboards the cluster\'s stack provisions, the JSON the gallery records for them', () => {
    const onCluster = clusterDashboards();
    expect(onCluster.map((d) => d.uid)).toEqual([DASHBOARD_UID.kubernetes, DASHBOARD_UID.kubernetesWorkloads]);
    expect(onCluster.map((d) => d.hash)).toEqual(shippedDashboards().kubernetesOnly.map((d) => d.hash));
  });

  it('lets only the panels with a stated reason stay empty: the crash loop, its alert and every local panel must show data', () => {
    expect(mayBeEmpty(DASHBOARD_UID.kubernetes, 'Pod network (top 10)')).toMatch(/kubelet/);
    expect(mayBeEmpty(DASHBOARD_UID.kubernetesWorkloads, 'Failed Jobs')).toMatch(/only trouble/);
    for (const title of ['Containers in CrashLoopBackOff', 'Workload and node alerts firing']) expect(mayBeEmpty(DASHBOARD_UID.kubernetesWorkloads, title), title).toBeUndefined();
    expect(mayBeEmpty(DASHBOARD_UID.kubernetes, 'Restarting containers')).toBeUndefined();
    for (const d of shippedDashboards().rendered) for (const p of panelsOf(d.json)) expect(mayBeEmpty(d.uid, p.title), `${d.uid}: ${p.title}`).toBeUndefined();
  });
});

describe('the Grafana UI image', () => {
  it('ships the built UI and the plugins\' assets, not the sources or source maps', () => {
    expect(['build/app.1234.js', 'views/index.html', 'lib/monaco/min/vs/loader.js', 'img/grafana_icon.svg', 'app/plugins/datasource/loki/plugin.json', 'app/plugins/datasource/loki/img/loki_icon.svg'].filter((p) => !shippedInImage(p))).toEqual([]);
    expect(['build/app.1234.js.map', 'app/features/dashboard/DashboardPage.tsx', 'app/plugins/datasource/loki/datasource.ts', 'sass/grafana.dark.scss'].filter(shippedInImage)).toEqual([]);
  });
});

describe('the screenshots\' stack', () => {
  it('publishes every port of the bundle 10000 up, on 127.0.0.1 still', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observatory-ports-'));
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  grafana:\n    ports:\n      - 127.0.0.1:3000:3000\n  otel-collector:\n    ports: ["127.0.0.1:4317:4317", "127.0.0.1:4318:4318"]\n  loki: {}\n');
    expect([...shiftPublishedPorts(dir, 10_000)]).toEqual([[3000, 13000], [4317, 14317], [4318, 14318]]);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('127.0.0.1:13000:3000');
  });
});

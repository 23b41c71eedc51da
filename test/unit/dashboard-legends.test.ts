/**
 * What the gallery showed (issue 18): legends under 8-row graphs show two series and hide the rest behind a scroll,
 * and failure counters list every receiver, exporter, route or integration at 0. The shipped dashboards put the
 * legend of every graph with more than two series on the right of a panel at least 12 columns wide, and failure
 * panels list only the series that were not 0 (Grafana's "Fields with values" matcher) while still drawing them,
 * so that they read 0, never "No data". The browser check (test/screenshots/dashboard-page.ts) reports a legend
 * that scrolls in the screenshots.
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { ALL_ZERO_SERIES, HIDDEN_FROM_LEGEND, RIGHT_LEGEND_MIN_WIDTH } from '../../dashboards/legend.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { defineStack } from '../../model/define.js';

const dashboards = defaultDashboards(defineStack({}, { environment: 'prod' }));
const panelsOf = (d: Dashboard): Panel[] => (d.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));
const graphs = dashboards.flatMap((d) => panelsOf(d).filter((p) => p.type === 'timeseries').map((p) => ({ uid: d.uid!, panel: p })));

function graph(uid: string, title: string): Panel {
  const found = graphs.find((g) => g.uid === uid && g.panel.title === title);
  if (!found) throw new Error(`no graph "${title}" on ${uid}`);
  return found.panel;
}
const legendOf = (p: Panel) => (p.options as { legend: { placement: string; displayMode: string; calcs: string[] } }).legend;
const hidesZeroSeries = (p: Panel) =>
  (p.fieldConfig?.overrides ?? []).some((o) => JSON.stringify(o.matcher) === JSON.stringify(ALL_ZERO_SERIES) && JSON.stringify(o.properties) === JSON.stringify([HIDDEN_FROM_LEGEND]));
const exprsOf = (p: Panel) => (p.targets ?? []).map((t) => (t as { expr?: string }).expr ?? '');

/** Graphs that draw more than two series with the sample app's two services (or the ten busiest pods). */
const MANY_SERIES: readonly [string, string][] = [
  [DASHBOARD_UID.serviceOverview, 'Latency p50 / p95 / p99'],
  [DASHBOARD_UID.serviceOverview, 'Requests by route'],
  [DASHBOARD_UID.serviceOverview, '5xx % by route'],
  [DASHBOARD_UID.serviceOverview, 'p95 latency by route'],
  [DASHBOARD_UID.traces, 'Spans by kind and status'],
  [DASHBOARD_UID.nodejsRuntime, 'Event-loop delay p50 / p99 / max'],
  [DASHBOARD_UID.nodejsRuntime, 'V8 heap used / heap size'],
  [DASHBOARD_UID.nodejsRuntime, 'Time in garbage collection'],
  [DASHBOARD_UID.stackHealth, 'Accepted by receiver'],
  [DASHBOARD_UID.stackHealth, 'Sent by exporter'],
  [DASHBOARD_UID.stackHealth, 'Exporter queue fill'],
  [DASHBOARD_UID.alertsOperations, 'Firing alerts over time'],
  [DASHBOARD_UID.alertsOperations, 'Component availability'],
  [DASHBOARD_UID.kubernetes, 'Pod CPU (top 10)'],
  [DASHBOARD_UID.kubernetes, 'Pod memory working set (top 10)'],
  [DASHBOARD_UID.kubernetes, 'Pod network (top 10)'],
];

/** Failure counters: one series per receiver, exporter, route or integration, at 0 until the first failure. */
const FAILURE_COUNTERS: readonly [string, string][] = [
  [DASHBOARD_UID.serviceOverview, '5xx % by route'],
  [DASHBOARD_UID.serviceOverview, 'Error log lines'],
  [DASHBOARD_UID.stackHealth, 'Refused by receiver'],
  [DASHBOARD_UID.stackHealth, 'Dropped by exporter'],
  [DASHBOARD_UID.stackHealth, 'Loki: request errors'],
  [DASHBOARD_UID.stackHealth, 'Jaeger: spans received'],
  [DASHBOARD_UID.stackHealth, 'Alertmanager: notifications'],
];

describe('legends of the shipped graphs', () => {
  it('are tables with mean and max, under the graph or on its right', () => {
    for (const { panel } of graphs) {
      expect(legendOf(panel), panel.title).toMatchObject({ displayMode: 'table', calcs: ['mean', 'max'] });
      expect(['bottom', 'right'], panel.title).toContain(legendOf(panel).placement);
    }
  });

  it.each(MANY_SERIES)('%s "%s" draws more than two series: its legend is on the right of a panel 12 columns wide or more', (uid, title) => {
    const panel = graph(uid, title);
    expect(legendOf(panel).placement).toBe('right');
    expect(panel.gridPos!.w).toBeGreaterThanOrEqual(RIGHT_LEGEND_MIN_WIDTH);
  });

  it('have a legend on the right only where the panel is wide enough for it and a graph', () => {
    const narrow = graphs.filter((g) => legendOf(g.panel).placement === 'right' && g.panel.gridPos!.w < RIGHT_LEGEND_MIN_WIDTH);
    expect(narrow.map((g) => `${g.uid}: ${g.panel.title}`)).toEqual([]);
  });

  it.each(FAILURE_COUNTERS)('%s "%s" lists only the series that were not 0, and still reads 0 rather than "No data"', (uid, title) => {
    const panel = graph(uid, title);
    expect(hidesZeroSeries(panel)).toBe(true);
    // Drawn, not named: the zero line stays, the legend and the tooltip leave it out.
    expect(HIDDEN_FROM_LEGEND.value).toEqual({ legend: true, tooltip: true, viz: false });
    // Every query falls back to 0 (zeroUntilFailure) or is the traffic itself: the panel never goes empty.
    for (const expr of exprsOf(panel).filter((e) => /fail|refused|5\.\.|error/.test(e))) expect(expr, title).toMatch(/ or /);
  });

  it('hide zero series only on failure counters and on GC types that never ran', () => {
    const hiding = graphs.filter((g) => hidesZeroSeries(g.panel)).map((g) => `${g.uid}: ${g.panel.title}`).sort();
    const expected = [...FAILURE_COUNTERS, [DASHBOARD_UID.nodejsRuntime, 'Time in garbage collection'] as const].map(([uid, title]) => `${uid}: ${title}`).sort();
    expect(hiding).toEqual(expected);
  });

  it('matches all-zero series with the byValue matcher Grafana 10 registers (reducer allIsZero)', () => {
    expect(ALL_ZERO_SERIES).toEqual({ id: 'byValue', options: { reducer: 'allIsZero', op: 'gte', value: 0 } });
  });
});

describe('layout of the shipped dashboards', () => {
  it.each(dashboards.map((d) => [d.uid!, d] as const))('%s: no two panels overlap and none passes the 24 columns', (_uid, dashboard) => {
    const boxes = (dashboard.panels ?? []).map((p) => ({ title: p.title ?? '', ...p.gridPos! }));
    for (const box of boxes) expect(box.x + box.w, box.title).toBeLessThanOrEqual(24);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `"${a.title}" and "${b.title}"`).toBe(false);
      }
    }
  });
});

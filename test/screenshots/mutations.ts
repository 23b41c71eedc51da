/**
 * The rendering check checks itself: broken copies of a shipped dashboard, saved next to it through Grafana's API
 * (new UIDs; the provisioned originals stay untouched), must be reported broken. One copy has a query that returns
 * nothing on a panel that must show data, one has a panel pointing at a datasource that does not exist.
 */
import type { GalleryDashboard } from './gallery-dashboards.js';

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}

export interface Mutation {
  readonly name: string;
  readonly uid: string;
  readonly panel: string;
  /** What the check must report for that panel. */
  readonly expect: 'no-data' | 'error';
  /** The mutated dashboard JSON. */
  readonly json: string;
}

/** The first panel of the dashboard with a metrics query: the one the mutations break. */
function firstMetricsPanel(dashboard: { panels?: Panel[] }): Panel {
  const panel = (dashboard.panels ?? []).find((p) => p.type !== 'row' && (p.targets ?? []).some((t) => t.expr));
  if (!panel) throw new Error('no panel with a query expression to mutate');
  return panel;
}

function mutate(original: GalleryDashboard, name: string, expect: Mutation['expect'], change: (panel: Panel) => void): Mutation {
  const dashboard = JSON.parse(original.json) as { uid: string; title: string; id?: unknown; panels?: Panel[] };
  const panel = firstMetricsPanel(dashboard);
  change(panel);
  const uid = `${original.uid.slice(0, 28)}-mut-${name}`;
  delete dashboard.id;
  return { name, uid, panel: panel.title ?? '', expect, json: JSON.stringify({ ...dashboard, uid, title: `${original.title} (mutation: ${name})`, tags: [] }) };
}

/** A query that returns nothing, and a panel on a missing datasource, each in a copy of `original`. */
export function mutationsOf(original: GalleryDashboard): Mutation[] {
  return [
    mutate(original, 'empty', 'no-data', (panel) => {
      for (const target of panel.targets ?? []) target.expr = 'absent_metric_of_the_mutation_check{service_name="none"}';
    }),
    mutate(original, 'nods', 'error', (panel) => {
      const missing = { type: panel.datasource?.type ?? 'prometheus', uid: 'no-such-datasource' };
      panel.datasource = missing;
      for (const target of panel.targets ?? []) target.datasource = missing;
    }),
  ];
}

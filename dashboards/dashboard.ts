import type * as cog from '@grafana/grafana-foundation-sdk/cog';
// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import dashboard = require('@grafana/grafana-foundation-sdk/dashboard');
import type { AnnotationQuery, Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import DashboardBuilder = dashboard.DashboardBuilder;
import DashboardCursorSync = dashboard.DashboardCursorSync;
import DashboardLinkBuilder = dashboard.DashboardLinkBuilder;
import DashboardLinkType = dashboard.DashboardLinkType;
import RowBuilder = dashboard.RowBuilder;
import { DASHBOARD_TAG } from './uids.js';
import type { DashboardVariable } from './variables.js';

/** A titled row of panels. */
export interface DashboardRow {
  readonly title: string;
  readonly panels: readonly cog.Builder<Panel>[];
}

export interface DashboardOptions {
  /** Stable UID (the `/d/<uid>` URL). Lowercase letters, digits and `-`, at most 40 characters. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Extra tags; every dashboard also carries `observatory`. */
  readonly tags?: readonly string[];
  /** In the order they appear; a variable may refer to the ones before it. */
  readonly variables?: readonly DashboardVariable[];
  readonly rows: readonly DashboardRow[];
  readonly annotations?: readonly cog.Builder<AnnotationQuery>[];
  /** Default `now-1h`. */
  readonly from?: string;
}

const UID_PATTERN = /^[a-z0-9][-a-z0-9]{0,39}$/;

/**
 * A dashboard in Grafana's classic JSON model (`schemaVersion` of the SDK), which file provisioning loads
 * in Grafana 10 to 12 alike. (The SDK's v2 schema needs Grafana 12's dashboard API and feature flags.)
 * Rows are laid out top to bottom, panels left to right; every panel gets a unique id.
 */
export function observatoryDashboard(options: DashboardOptions): Dashboard {
  if (!UID_PATTERN.test(options.uid)) throw new Error(`dashboard "${options.title}": uid must match ${UID_PATTERN}, got "${options.uid}"`);
  const builder = new DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags([DASHBOARD_TAG, ...(options.tags ?? [])])
    .time({ from: options.from ?? 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .link(
      new DashboardLinkBuilder('Observatory dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .includeVars(false)
        .keepTime(true),
    );
  for (const variable of options.variables ?? []) builder.withVariable(variable.builder);
  for (const annotation of options.annotations ?? []) builder.annotation(annotation);
  for (const row of options.rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panel);
  }
  const dashboard = builder.build();
  numberPanels(dashboard);
  return dashboard;
}

/** Gives every panel (rows and panels inside collapsed rows too) a unique id, in layout order. */
function numberPanels(dashboard: Dashboard): void {
  let next = 1;
  for (const panel of dashboard.panels ?? []) {
    panel.id = next++;
    for (const inner of (panel as RowPanel).panels ?? []) inner.id = next++;
  }
}

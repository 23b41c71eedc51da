// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import common = require('@grafana/grafana-foundation-sdk/common');
import type { DynamicConfigValue, MatcherConfig } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Where a graph's legend table goes. Grafana gives a legend under the graph at most 35 % of the panel's height
 * (VizLayout), which in an 8-row panel is the header and two series: the rest scroll out of sight. To the right it
 * may take up to 60 % of the width and the panel's whole height, about ten series at 8 rows. So a panel that
 * draws more than two series at once (one per service and percentile, per route, per exporter, the ten busiest
 * pods) puts its legend on the right, on a panel wide enough (12 columns or more) to keep a readable graph.
 */
export type LegendPlacement = 'bottom' | 'right';

/** The fewest grid columns a panel with its legend on the right must span. */
export const RIGHT_LEGEND_MIN_WIDTH = 12;

export function legendOptions(placement: LegendPlacement): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(placement === 'right' ? common.LegendPlacement.Right : common.LegendPlacement.Bottom)
    .calcs(['mean', 'max']);
}

/**
 * Grafana's "Fields with values" matcher (`byValue`, reducer `allIsZero`): the series that are 0 at every point of
 * the time range. A series with no points at all (all null) does not match. Registered in Grafana 10.0 and on.
 */
export const ALL_ZERO_SERIES: MatcherConfig = { id: 'byValue', options: { reducer: 'allIsZero', op: 'gte', value: 0 } };

/** Left out of the legend and the tooltip, still drawn: the panel keeps its data (never "No data") and its zero line. */
export const HIDDEN_FROM_LEGEND: DynamicConfigValue = { id: 'custom.hideFrom', value: { legend: true, tooltip: true, viz: false } };

/**
 * The override that lists only series that were not 0 throughout: failure counters (refused, dropped, 5xx, failed
 * notifications) show one line per receiver, exporter, route or integration at 0 until something fails
 * (zeroUntilFailure), so that the panel reads 0 rather than "No data"; their legends name only what failed.
 */
export const hideAllZeroSeries = (): { matcher: MatcherConfig; properties: DynamicConfigValue[] } => ({ matcher: ALL_ZERO_SERIES, properties: [HIDDEN_FROM_LEGEND] });

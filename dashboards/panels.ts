// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import common = require('@grafana/grafana-foundation-sdk/common');
import dashboard = require('@grafana/grafana-foundation-sdk/dashboard');
import logs = require('@grafana/grafana-foundation-sdk/logs');
import stat = require('@grafana/grafana-foundation-sdk/stat');
import table = require('@grafana/grafana-foundation-sdk/table');
import timeseries = require('@grafana/grafana-foundation-sdk/timeseries');
import type { DashboardLink, DataSourceRef, ThresholdsConfig, ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import DashboardLinkBuilder = dashboard.DashboardLinkBuilder;
import MappingType = dashboard.MappingType;
import ThresholdsConfigBuilder = dashboard.ThresholdsConfigBuilder;
import ThresholdsMode = dashboard.ThresholdsMode;
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { DATASOURCE } from './datasource-refs.js';
import { hideAllZeroSeries, legendOptions, RIGHT_LEGEND_MIN_WIDTH, type LegendPlacement } from './legend.js';
import type { PanelQuery, TracesSearchBuilder } from './queries.js';
import type { DataqueryBuilder as LokiQueryBuilder } from '@grafana/grafana-foundation-sdk/loki';

/** A link on a panel's values: Grafana fills `${__field.labels.<label>}`, `${__url_time_range}`, ... in its URL. */
export interface PanelLink {
  readonly title: string;
  readonly url: string;
  /** Open in a new tab (for links that leave Grafana). Default false. */
  readonly newTab?: boolean;
}

/** A threshold step: from `value` upwards the panel shows `color`. Below the first step: green. */
export interface ThresholdStep {
  readonly value: number;
  readonly color: 'green' | 'yellow' | 'orange' | 'red' | 'blue' | 'purple';
}

export interface PanelOptions {
  readonly title: string;
  /** What the panel shows and how to read it (shown as the panel's info tooltip). */
  readonly description: string;
  /** Width in grid columns (of 24). Default 12. */
  readonly width?: number;
  /** Height in grid rows. Default 8. */
  readonly height?: number;
  readonly links?: readonly PanelLink[];
}

export interface ValuePanelOptions extends PanelOptions {
  /** A Grafana unit id: `reqps`, `percentunit`, `ms`, `s`, `bytes`, `Bps`, `short`, `suffix:<text>`, ... */
  readonly unit: string;
  readonly thresholds?: readonly ThresholdStep[];
  /** The color below the first threshold step. Default green. */
  readonly baseColor?: ThresholdStep['color'];
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
}

/** The methods every panel builder of the SDK shares. */
interface AnyPanelBuilder {
  title(title: string): this;
  description(description: string): this;
  span(w: number): this;
  height(h: number): this;
  datasource(datasource: DataSourceRef): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
  dataLinks(links: cog.Builder<DashboardLink>[]): this;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The refId of a panel's `index`th query. */
const refIdOf = (index: number): string => REF_IDS[index] ?? `Q${index}`;

/**
 * The field names Grafana's Prometheus datasource gives the value columns of a table panel's queries (instant,
 * format `table`), in query order: `Value` for a panel of one query, `Value #<refId>` for several. So do Grafana
 * 10.0 and 12.x (`transformDFToTable` names them by the number of refIds among the frames; the backend answers an
 * empty result with an empty frame of that refId), so the names hold when every result is empty too.
 */
export const valueColumnNames = (queryCount: number): string[] =>
  queryCount > 1 ? Array.from({ length: queryCount }, (_, index) => `Value #${refIdOf(index)}`) : ['Value'];

/** The datasource a query runs against. */
function datasourceOf(query: PanelQuery): DataSourceRef {
  return (query.build() as { datasource?: DataSourceRef }).datasource ?? DATASOURCE.metrics;
}

function applyCommon<B extends AnyPanelBuilder>(builder: B, options: PanelOptions, queries: readonly PanelQuery[]): B {
  builder.title(options.title).description(options.description).span(options.width ?? 12).height(options.height ?? 8);
  const datasources = new Set(queries.map((q) => datasourceOf(q).uid));
  if (datasources.size > 1) throw new Error(`panel "${options.title}": all its queries must use one datasource, got ${[...datasources].join(', ')}`);
  if (queries[0]) builder.datasource(datasourceOf(queries[0]));
  queries.forEach((query, index) => builder.withTarget(query.refId(refIdOf(index))));
  if (options.links?.length) {
    builder.dataLinks(options.links.map((link) => new DashboardLinkBuilder(link.title).url(link.url).targetBlank(link.newTab ?? false)));
  }
  return builder;
}

export function thresholdsOf(steps: readonly ThresholdStep[] = [], baseColor: ThresholdStep['color'] = 'green'): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([{ value: null, color: baseColor }, ...steps.map((s) => ({ value: s.value, color: s.color }))]);
}

/** The field options every value-showing panel builder of the SDK shares. */
interface ValuePanelBuilder {
  unit(unit: string): this;
  thresholds(thresholds: cog.Builder<ThresholdsConfig>): this;
  min(min: number): this;
  max(max: number): this;
  decimals(decimals: number): this;
}

function applyValueOptions<B extends ValuePanelBuilder>(builder: B, options: ValuePanelOptions): B {
  builder.unit(options.unit).thresholds(thresholdsOf(options.thresholds, options.baseColor));
  if (options.min !== undefined) builder.min(options.min);
  if (options.max !== undefined) builder.max(options.max);
  if (options.decimals !== undefined) builder.decimals(options.decimals);
  return builder;
}

export interface TimeSeriesOptions extends ValuePanelOptions {
  readonly queries: readonly PanelQuery[];
  /** Stack the series (shares of a total). Default false. */
  readonly stacked?: boolean;
  /** Draw bars instead of lines (counts per interval). Default false. */
  readonly bars?: boolean;
  /** Where the legend table goes (legend.ts): `right` for more than two series at once. Default `bottom`. */
  readonly legend?: LegendPlacement;
  /** List only series that were not 0 throughout (failure counters): the others are drawn but not named. Default false. */
  readonly hideAllZeroSeries?: boolean;
}

/** A graph over time, legend as a table with mean and max, thresholds drawn as dashed lines. */
export function timeSeriesPanel(options: TimeSeriesOptions): timeseries.PanelBuilder {
  if (options.legend === 'right' && (options.width ?? 12) < RIGHT_LEGEND_MIN_WIDTH) {
    throw new Error(`panel "${options.title}": a legend on the right needs ${RIGHT_LEGEND_MIN_WIDTH} columns or more, got ${options.width}`);
  }
  const builder = applyValueOptions(applyCommon(new timeseries.PanelBuilder(), options, options.queries), options)
    .legend(legendOptions(options.legend ?? 'bottom'))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .fillOpacity(options.stacked ? 30 : 10)
    .lineWidth(1)
    .showPoints(common.VisibilityMode.Never)
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(options.thresholds?.length ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off));
  if (options.stacked) builder.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.bars) builder.drawStyle(common.GraphDrawStyle.Bars);
  if (options.hideAllZeroSeries) builder.withOverride(hideAllZeroSeries());
  return builder;
}

export interface StatOptions extends ValuePanelOptions {
  readonly queries: readonly PanelQuery[];
  /** Show a sparkline under the value. Default false. */
  readonly sparkline?: boolean;
  /** How values are turned into one number. Default `lastNotNull`. */
  readonly reducer?: 'lastNotNull' | 'mean' | 'max' | 'sum';
  /** Display texts for exact values, e.g. `{ 0: 'DOWN', 1: 'UP' }`. */
  readonly valueTexts?: Readonly<Record<number, string>>;
}

/** One big number per series, colored by its thresholds. */
export function statPanel(options: StatOptions): stat.PanelBuilder {
  const builder = applyValueOptions(applyCommon(new stat.PanelBuilder(), options, options.queries), options)
    .graphMode(options.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs([options.reducer ?? 'lastNotNull']).values(false));
  if (options.valueTexts) builder.mappings([valueTextMapping(options.valueTexts)]);
  return builder;
}

function valueTextMapping(texts: Readonly<Record<number, string>>): ValueMapping {
  return {
    type: MappingType.ValueToText,
    options: Object.fromEntries(Object.entries(texts).map(([value, text], index) => [value, { text, index }])),
  };
}

export interface TableOptions extends PanelOptions {
  readonly queries: readonly PanelQuery[];
  readonly unit?: string;
  readonly thresholds?: readonly ThresholdStep[];
  /** Merge the instant queries' results into one row per label set (one column per query). Default true with several queries. */
  readonly merge?: boolean;
  /** Column display names, by the field name a query produces (`Value #A`, a label, ...). */
  readonly columns?: Readonly<Record<string, string>>;
  /**
   * The title of each query's value column, in query order (one per query): what `columns` would give `Value`,
   * `Value #A`, `Value #B`, ... (valueColumnNames), so that a table of several queries reads well when all are empty.
   */
  readonly values?: readonly string[];
  /** Columns hidden from view (e.g. `Time`). Default `['Time']`. */
  readonly hide?: readonly string[];
  /** Sort by this column, descending. */
  readonly sortBy?: string;
}

/** A table: instant queries as rows, several queries merged into columns. */
export function tablePanel(options: TableOptions): table.PanelBuilder {
  const builder = applyCommon(new table.PanelBuilder(), options, options.queries).thresholds(thresholdsOf(options.thresholds));
  if (options.unit) builder.unit(options.unit);
  if (options.merge ?? options.queries.length > 1) builder.withTransformation({ id: 'merge', options: {} });
  const hidden = options.hide ?? ['Time'];
  if (options.values && options.values.length !== options.queries.length) {
    throw new Error(`table "${options.title}": ${options.values.length} value titles for ${options.queries.length} queries`);
  }
  const valueTitles = Object.fromEntries(valueColumnNames(options.queries.length).flatMap((name, index) => (options.values ? [[name, options.values[index]!]] : [])));
  const renames: Record<string, string> = { ...valueTitles, ...(options.columns ?? {}) };
  builder.withTransformation({
    id: 'organize',
    options: {
      excludeByName: Object.fromEntries(hidden.map((name) => [name, true])),
      renameByName: renames,
    },
  });
  if (options.sortBy) builder.sortBy([new common.TableSortByFieldStateBuilder().displayName(renames[options.sortBy] ?? options.sortBy).desc(true)]);
  return builder;
}

export interface LogsPanelOptions extends PanelOptions {
  readonly query: LokiQueryBuilder;
}

/**
 * Log lines, newest first, with details open on click: the datasource's derived field turns each line's
 * `trace_id` into a link to the trace in Jaeger.
 */
export function logsPanel(options: LogsPanelOptions): logs.PanelBuilder {
  return applyCommon(new logs.PanelBuilder(), { height: 12, width: 24, ...options }, [options.query])
    .showTime(true)
    .showLabels(false)
    .showCommonLabels(false)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None);
}

export interface TracesPanelOptions extends PanelOptions {
  readonly search: TracesSearchBuilder;
}

/** Matching traces from Jaeger as a table; a trace ID opens the trace view (and from its spans, the logs). */
export function tracesPanel(options: TracesPanelOptions): table.PanelBuilder {
  return applyCommon(new table.PanelBuilder(), options, [options.search]);
}

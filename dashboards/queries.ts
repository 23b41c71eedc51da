import type * as cog from '@grafana/grafana-foundation-sdk/cog';
// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import loki = require('@grafana/grafana-foundation-sdk/loki');
import prometheus = require('@grafana/grafana-foundation-sdk/prometheus');
import LokiQueryBuilder = loki.DataqueryBuilder;
import LokiEditorMode = loki.QueryEditorMode;
import PromQueryBuilder = prometheus.DataqueryBuilder;
import PromQueryFormat = prometheus.PromQueryFormat;
import PromEditorMode = prometheus.QueryEditorMode;
import { DATASOURCE } from './datasource-refs.js';

/** How a query is evaluated: over the time range (a graph) or once at its end (a table or a single value). */
export type Evaluation = 'range' | 'instant';

export interface MetricsQueryOptions {
  /** Series name in the legend, e.g. `{{service_name}}`. */
  readonly legend?: string;
  /** Default `range`. */
  readonly evaluation?: Evaluation;
}

/**
 * A count of failures that reads 0, not "No data", before the first failure: a failure counter (or a filter on
 * failures) has no series until something fails, so `traffic`, the same grouping of what the failures are a part of,
 * stands in at 0. PromQL, MetricsQL and LogQL alike. For a single number, `traffic` can be `vector(0)`.
 */
export const zeroUntilFailure = (failures: string, traffic: string): string => (traffic === 'vector(0)' ? `${failures} or vector(0)` : `${failures} or ${traffic} * 0`);

/** How `topSeries` ranks the series over the queried range: by their average or by their peak. */
export type TopSeriesRank = 'avg' | 'max';

/**
 * The `count` series of `expr` with the highest average (or peak) over the whole queried range, each drawn over the
 * whole range: MetricsQL's `topk_avg` / `topk_max` (VictoriaMetrics). PromQL's `topk` ranks at every evaluation step,
 * so a graph of `topk(10, ...)` draws every series that was among the ten at some step (the Kubernetes dashboard's
 * "Pod CPU (top 10)" drew 15 pods). No "other" series (the optional third argument, the sum of the rest): it would
 * share the axis with the ten and, summed over every other pod, often dwarf them. Evaluated once (an instant query),
 * any `topk_*` picks what `topk` picks.
 */
export const topSeries = (count: number, expr: string, rank: TopSeriesRank): string => `topk_${rank}(${count}, ${expr})`;

/** A PromQL/MetricsQL query against VictoriaMetrics. */
export function metricsQuery(expr: string, options: MetricsQueryOptions = {}): PromQueryBuilder {
  const query = new PromQueryBuilder().datasource(DATASOURCE.metrics).expr(expr).editorMode(PromEditorMode.Code);
  if (options.legend) query.legendFormat(options.legend);
  if (options.evaluation === 'instant') query.instant().format(PromQueryFormat.Table);
  else query.range();
  return query;
}

export interface LogsQueryOptions {
  readonly legend?: string;
  /** Most lines a log query returns. Default: the datasource's `maxLines`. */
  readonly maxLines?: number;
  /** For metric queries (`count_over_time`, ...): default `range`. */
  readonly evaluation?: Evaluation;
}

/** A LogQL query against Loki: a log query (lines) or a metric query (`sum by (...) (count_over_time(...))`). */
export function logsQuery(expr: string, options: LogsQueryOptions = {}): LokiQueryBuilder {
  const query = new LokiQueryBuilder().datasource(DATASOURCE.logs).expr(expr).editorMode(LokiEditorMode.Code);
  if (options.legend) query.legendFormat(options.legend);
  if (options.maxLines) query.maxLines(options.maxLines);
  if (options.evaluation === 'instant') query.instant(true).range(false);
  return query;
}

/**
 * A Jaeger search, in the query model of Grafana's Jaeger datasource (`queryType: 'search'`; its fields
 * are `service`, `operation`, `tags` in logfmt, `minDuration`, `maxDuration`, `limit`). The foundation SDK
 * has no Jaeger package, so this small builder supplies the type.
 */
export interface JaegerSearch {
  readonly service: string;
  readonly operation?: string;
  /** logfmt, e.g. `error=true http.status_code=500`. */
  readonly tags?: string;
  readonly minDuration?: string;
  readonly maxDuration?: string;
  readonly limit?: number;
}

export interface JaegerSearchQuery extends JaegerSearch, cog.Dataquery {
  readonly refId?: string;
  readonly queryType: 'search';
  readonly datasource: typeof DATASOURCE.traces;
}

export class TracesSearchBuilder implements cog.Builder<cog.Dataquery> {
  private refIdValue: string | undefined;
  constructor(private readonly search: JaegerSearch) {}
  refId(refId: string): this {
    this.refIdValue = refId;
    return this;
  }
  build(): JaegerSearchQuery {
    return {
      ...(this.refIdValue ? { refId: this.refIdValue } : {}),
      datasource: DATASOURCE.traces,
      queryType: 'search',
      ...this.search,
      _implementsDataqueryVariant() {},
    };
  }
}

/** A trace search in Jaeger (a table of matching traces; each trace ID opens the trace). */
export const tracesSearch = (search: JaegerSearch): TracesSearchBuilder => new TracesSearchBuilder(search);

/** Any query our panel helpers accept. */
export type PanelQuery = PromQueryBuilder | LokiQueryBuilder | TracesSearchBuilder;

import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { StackSpec } from '../model/spec.js';
import { DATASOURCE_UID } from './datasources.js';
import { defaultDashboards } from './defaults.js';
import { expressionProblems } from './expression-check.js';
import type { JaegerSearch } from './queries.js';

interface QueryOrigin {
  readonly dashboard: string;
  readonly dashboardUid: string;
  /** The panel title, or `annotation: <name>` for an annotation query. */
  readonly panel: string;
  readonly refId: string;
  readonly datasourceUid: string;
  /** Template variables the query uses (without `$`), built-ins (`__*`) excluded. */
  readonly variables: readonly string[];
}

/** A PromQL/MetricsQL (`metrics`) or LogQL (`logs`) expression, as written and with every variable substituted. */
export interface ExpressionQuery extends QueryOrigin {
  readonly kind: 'metrics' | 'logs';
  readonly expr: string;
  readonly resolvedExpr: string;
}

/** A Jaeger trace search, as written and with every variable substituted. */
export interface TraceSearchQuery extends QueryOrigin {
  readonly kind: 'traces';
  readonly search: JaegerSearch;
  readonly resolvedSearch: JaegerSearch;
}

export type DashboardQuery = ExpressionQuery | TraceSearchQuery;

/**
 * Values that stand for Grafana's built-in interval variables when a query runs outside Grafana:
 * `$__rate_interval` and `$__interval` as 1m, `$__range` as 1h, `$__auto` as 1m.
 */
export const BUILTIN_VARIABLE_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '1m',
  __auto: '1m',
  __range: '1h',
};

const VARIABLE_REFERENCE = /\$(\w+)|\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]/g;

/** The names of the variables an expression refers to (`$x`, `${x}`, `${x:fmt}`, `[[x]]`), built-ins included. */
export function variablesIn(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(VARIABLE_REFERENCE)) names.add((match[1] ?? match[2] ?? match[3])!);
  return [...names];
}

/** Replaces variable references by `values[name]`; references without a value stay as they are. */
export function substituteVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE_REFERENCE, (whole, a?: string, b?: string, c?: string) => values[(a ?? b ?? c)!] ?? whole);
}

/** What a dashboard's variable stands for when nothing is chosen: "All" (its allValue) or a text box's default. */
function defaultValues(variables: readonly VariableModel[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of variables) {
    if (v.includeAll && v.allValue !== undefined) values[v.name] = v.allValue;
    else if (v.type === 'textbox' && typeof v.query === 'string') values[v.name] = v.query;
  }
  return values;
}

const panelsOf = (dashboard: Dashboard): Panel[] =>
  (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));

interface RawTarget {
  refId?: string;
  expr?: string;
  datasource?: { uid?: string };
  queryType?: string;
  service?: string;
}

const KIND_OF_UID: Readonly<Record<string, DashboardQuery['kind']>> = {
  [DATASOURCE_UID.metrics]: 'metrics',
  [DATASOURCE_UID.logs]: 'logs',
  [DATASOURCE_UID.traces]: 'traces',
};

export interface DashboardQueriesOptions {
  /** Values for the dashboards' variables, e.g. `{ service: 'sample-front' }`. Default: each variable's "All" value or default text. */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Values only for variables that have neither "All" nor a default text (the Traces dashboard's
   * single-valued `service`); the others keep their "All" value.
   */
  readonly fallbacks?: Readonly<Record<string, string>>;
}

/** Every query of the given dashboards: panel targets and annotations. */
export function queriesOf(dashboards: readonly Dashboard[], options: DashboardQueriesOptions = {}): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const dashboard of dashboards) {
    const values = { ...BUILTIN_VARIABLE_VALUES, ...options.fallbacks, ...defaultValues(dashboard.templating.list ?? []), ...options.variables };
    const origin = (panel: string, target: RawTarget, fallbackUid: string | undefined) => {
      const datasourceUid = target.datasource?.uid ?? fallbackUid ?? '';
      return { dashboard: dashboard.title ?? '', dashboardUid: dashboard.uid ?? '', panel, refId: target.refId ?? '', datasourceUid, kind: KIND_OF_UID[datasourceUid] };
    };
    const add = (panel: string, target: RawTarget, fallbackUid: string | undefined) => {
      const { kind, ...from } = origin(panel, target, fallbackUid);
      if (kind === 'traces') {
        const search = { ...(target as unknown as JaegerSearch) };
        const fields = Object.fromEntries(
          (['service', 'operation', 'tags', 'minDuration', 'maxDuration', 'limit'] as const).filter((k) => search[k] !== undefined).map((k) => [k, search[k]]),
        ) as unknown as JaegerSearch;
        const text = JSON.stringify(fields);
        queries.push({
          ...from,
          kind,
          variables: variablesIn(text).filter((n) => !n.startsWith('__')),
          search: fields,
          resolvedSearch: JSON.parse(substituteVariables(text, values)) as JaegerSearch,
        });
      } else if ((kind === 'metrics' || kind === 'logs') && target.expr !== undefined) {
        queries.push({
          ...from,
          kind,
          variables: variablesIn(target.expr).filter((n) => !n.startsWith('__')),
          expr: target.expr,
          resolvedExpr: substituteVariables(target.expr, values),
        });
      }
    };
    for (const panel of panelsOf(dashboard)) {
      for (const target of (panel.targets ?? []) as RawTarget[]) add(panel.title ?? '', target, panel.datasource?.uid);
    }
    for (const annotation of dashboard.annotations.list ?? []) {
      const target = (annotation.target ?? { expr: (annotation as { expr?: string }).expr }) as RawTarget;
      add(`annotation: ${annotation.name}`, target, annotation.datasource?.uid);
    }
  }
  return queries;
}

/**
 * Every query of the dashboards we ship for `spec`, with its dashboard, panel and datasource UID, for
 * running them against the real backends: `resolvedExpr` has the variables substituted (see
 * `BUILTIN_VARIABLE_VALUES` and `DashboardQueriesOptions.variables`).
 */
export function dashboardQueries(spec: StackSpec, options: DashboardQueriesOptions = {}): DashboardQuery[] {
  return queriesOf(defaultDashboards(spec), options);
}

/** The structural problems of the queries' MetricsQL/LogQL, each as `<dashboard> / <panel> [<refId>]: <problem> in <expr>`. */
export function queryExpressionProblems(queries: readonly DashboardQuery[]): string[] {
  return queries.flatMap((q) =>
    q.kind === 'traces' ? [] : expressionProblems(q.resolvedExpr, q.kind).map((p) => `${q.dashboard} / ${q.panel} [${q.refId}]: ${p} in ${q.resolvedExpr}`),
  );
}

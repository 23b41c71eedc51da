// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cog = require('@grafana/grafana-foundation-sdk/cog');
import dashboard = require('@grafana/grafana-foundation-sdk/dashboard');
import type { VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import QueryVariableBuilder = dashboard.QueryVariableBuilder;
import TextBoxVariableBuilder = dashboard.TextBoxVariableBuilder;
import VariableRefresh = dashboard.VariableRefresh;
import VariableSort = dashboard.VariableSort;
import { DATASOURCE } from './datasource-refs.js';

/**
 * A dashboard template variable and how queries refer to it. `allValue` is what "All" stands for in a
 * query (a regex), `defaultValue` what a text box starts with: `dashboardQueries` substitutes them.
 */
export interface DashboardVariable {
  readonly name: string;
  /** `$name`, for use inside expressions. */
  readonly ref: string;
  readonly allValue?: string;
  readonly defaultValue?: string;
  readonly builder: cog.Builder<VariableModel>;
}

export interface LabelVariableOptions {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  /** Where the values come from: a label of a metric (`label_values(<metric selector>, <label>)`) or a Loki label. */
  readonly source: { readonly metric: string; readonly label: string } | { readonly logsLabel: string };
  /** Several values and "All" (default true). */
  readonly multi?: boolean;
  /**
   * What "All" matches. Default `.+`: Loki rejects a stream selector whose matchers all match the empty string,
   * so a variable used in a LogQL selector must not be `.*`.
   */
  readonly allValue?: string;
}

/** A variable listing the values of a label, from VictoriaMetrics or Loki. */
export function labelVariable(options: LabelVariableOptions): DashboardVariable {
  const multi = options.multi ?? true;
  const allValue = options.allValue ?? '.+';
  const fromMetrics = 'metric' in options.source;
  const query = 'metric' in options.source ? `label_values(${options.source.metric}, ${options.source.label})` : `label_values(${options.source.logsLabel})`;
  const builder = new QueryVariableBuilder(options.name)
    .label(options.label)
    .description(options.description)
    .datasource(fromMetrics ? DATASOURCE.metrics : DATASOURCE.logs)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalCaseInsensitiveAsc)
    .multi(multi)
    .includeAll(multi);
  if (multi) builder.allValue(allValue).current({ text: 'All', value: '$__all', selected: true });
  return { name: options.name, ref: `$${options.name}`, ...(multi ? { allValue } : {}), builder };
}

/** A free-text variable, e.g. a line filter. */
export function textVariable(options: { name: string; label: string; description: string; defaultValue?: string }): DashboardVariable {
  const defaultValue = options.defaultValue ?? '';
  const builder = new TextBoxVariableBuilder(options.name).label(options.label).description(options.description).defaultValue(defaultValue);
  return { name: options.name, ref: `$${options.name}`, defaultValue, builder };
}

/** The environments that report span metrics (`deployment.environment.name`). */
export const environmentVariable = (metric = 'traces_span_metrics_calls_total'): DashboardVariable =>
  labelVariable({
    name: 'environment',
    label: 'Environment',
    description: 'deployment.environment.name of the services',
    source: { metric, label: 'deployment_environment_name' },
    // Services that do not set an environment still show under "All".
    allValue: '.*',
  });

/** The services that report `metric`, in the selected environment. */
export const serviceVariable = (metric = 'traces_span_metrics_calls_total', multi = true): DashboardVariable =>
  labelVariable({
    name: 'service',
    label: 'Service',
    description: 'service.name of the services',
    source: { metric: `${metric}{deployment_environment_name=~"$environment"}`, label: 'service_name' },
    multi,
  });

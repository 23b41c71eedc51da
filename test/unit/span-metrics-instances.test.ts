import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { SPAN_METRICS_INSTANCE_ATTRIBUTE } from '../../collector/pipelines.js';
import { renderedPreset } from '../helpers/render.js';

/**
 * With several samplers each counts the same services (traces are spread by trace ID), so every span-metric
 * series exists once per sampler, told apart by `collector_instance`. A query that reads span metrics without
 * aggregating would show N lines where there is one, and an alert would fire N times: every read of them must
 * sit inside an aggregation (sum, count, group...) that drops the label.
 */
const SPAN_METRIC = /traces_span_metrics_\w+/g;
const AGGREGATION = /\b(sum|count|group|avg|min|max|quantile|count_values)\s*(?:(?:by|without)\s*\([^()]*\)\s*)?$/;
const INSTANCE_LABEL = SPAN_METRICS_INSTANCE_ATTRIBUTE.replaceAll('.', '_');

/** Positions of the parentheses enclosing `index`, innermost first. */
function enclosingParens(text: string, index: number): number[] {
  const opens: number[] = [];
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(') {
      if (depth === 0) opens.push(i);
      else depth--;
    }
  }
  return opens;
}

/** Reads of span metrics in an expression that no aggregation encloses. */
export function unaggregatedSpanMetrics(expr: string): string[] {
  return [...expr.matchAll(SPAN_METRIC)]
    .filter((m) => !enclosingParens(expr, m.index).some((p) => AGGREGATION.test(expr.slice(0, p))))
    .map((m) => m[0]);
}

/** Every `expr` in a YAML or JSON document. */
function expressions(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (key === 'expr' && typeof v === 'string' ? [v] : expressions(v)));
  }
  return [];
}

describe('span metrics from several samplers', () => {
  // local carries the example SLOs (their recording rules and dashboard), prod the distributed layout.
  const files = [renderedPreset('local'), renderedPreset('prod')]
    .flatMap((rendered) => rendered.components)
    .filter((c) => c.name === 'vmalert' || c.name === 'grafana')
    .flatMap((c) => [...c.configFiles, ...(c.kubernetes?.configFiles ?? [])]);
  const exprs = files.flatMap((f) => expressions(f.name.endsWith('.json') ? JSON.parse(f.content) : yaml.load(f.content)));
  const spanExprs = exprs.filter((e) => e.includes('traces_span_metrics_'));

  it('are read only through aggregations, in every alert, recording rule and dashboard query', () => {
    expect(spanExprs.length).toBeGreaterThan(20);
    expect(spanExprs.flatMap((e) => unaggregatedSpanMetrics(e).map((metric) => `${metric} in ${e}`))).toEqual([]);
  });

  it('are never grouped by the sampler that computed them', () => {
    expect(spanExprs.filter((e) => e.includes(INSTANCE_LABEL))).toEqual([]);
  });

  it('tells an unaggregated read from an aggregated one', () => {
    expect(unaggregatedSpanMetrics('histogram_quantile(0.99, rate(traces_span_metrics_duration_milliseconds_bucket[5m]))')).toHaveLength(1);
    expect(unaggregatedSpanMetrics('histogram_quantile(0.99, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket[5m])))')).toEqual([]);
    expect(unaggregatedSpanMetrics('sum(rate(traces_span_metrics_calls_total{a="b"}[5m])) by (service_name)')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import * as observatory from '../../index.js';
import { expressionProblems } from '../../dashboards/expression-check.js';

const { observatoryDashboard, redRow, timeSeriesPanel, metricsQuery, logsQuery, dashboardFiles, queriesOf, serviceVariable, environmentVariable } = observatory;

describe('the dashboard library, from the package root', () => {
  it('builds a user dashboard from a RED row and a panel of their own, ready to provision', () => {
    const mine = observatoryDashboard({
      uid: 'checkout',
      title: 'Checkout',
      description: 'The checkout service.',
      variables: [environmentVariable(), serviceVariable()],
      rows: [
        redRow('checkout.api'),
        {
          title: 'Business',
          panels: [timeSeriesPanel({ title: 'Orders', description: 'Orders per second.', unit: 'ops', queries: [metricsQuery('sum(rate(orders_total[$__rate_interval]))')] })],
        },
      ],
    });
    expect(mine.tags).toEqual(['observatory']);
    const files = dashboardFiles([mine]);
    expect([...files.keys()]).toEqual(['checkout.json']);
    const queries = queriesOf([JSON.parse(files.get('checkout.json')!)]);
    expect(queries.map((q) => q.panel)).toEqual(['Request rate', 'Error %', 'Latency p50 / p95 / p99', 'Latency p50 / p95 / p99', 'Latency p50 / p95 / p99', 'Orders']);
    // A literal service name is matched exactly: its regex metacharacters are escaped.
    expect(queries[0]!.kind === 'metrics' && queries[0]!.expr).toContain('service_name=~"checkout\\\\.api"');
    for (const q of queries) expect(q.kind === 'traces' ? [] : expressionProblems(q.resolvedExpr, q.kind), q.panel).toEqual([]);
  });

  it('refuses what Grafana would not load or would show wrongly', () => {
    expect(() => observatoryDashboard({ uid: 'Has Spaces', title: 'x', description: 'x', rows: [] })).toThrow(/uid must match/);
    expect(() => timeSeriesPanel({ title: 'mixed', description: 'x', unit: 'short', queries: [metricsQuery('up'), logsQuery('{a="b"}')] })).toThrow(/one datasource/);
    const twice = observatoryDashboard({ uid: 'same', title: 'A', description: 'x', rows: [] });
    expect(() => dashboardFiles([twice, twice])).toThrow(/two dashboards have the uid "same"/);
  });
});

describe('expressionProblems', () => {
  it('accepts well-formed PromQL and LogQL', () => {
    expect(expressionProblems('sum by (a) (rate(x_total{a=~"b|c", d!="e"}[5m])) / ignoring(a) group_left sum(y)', 'metrics')).toEqual([]);
    expect(expressionProblems('sum by (detected_level) (count_over_time({service_name=~".+"} | detected_level=~"error|warn" |= "x" [1m]))', 'logs')).toEqual([]);
  });

  it.each([
    ['sum(rate(x[5m])', 'metrics', /unclosed/],
    ['rate(x{a="b}[5m])', 'metrics', /unterminated string/],
    ['rate(x[5 minutes])', 'metrics', /invalid range/],
    ['histogram_quantil(0.9, x)', 'metrics', /unknown function "histogram_quantil"/],
    ['x{a=~"(unclosed"}', 'metrics', /invalid regex/],
    ['x{a~"b"}', 'metrics', /malformed label matcher/],
    ['rate(x{a=~"$service"}[1m])', 'metrics', /unsubstituted/],
    ['{service_name=~".*"}', 'logs', /does not match the empty string/],
    ['{a="b"} | detected_level=~"(x"', 'logs', /invalid regex/],
    ['count_over_time(x[1m])', 'logs', /needs a stream selector/],
  ] as const)('rejects %s', (expr, kind, problem) => {
    expect(expressionProblems(expr, kind).join('; ')).toMatch(problem);
  });
});

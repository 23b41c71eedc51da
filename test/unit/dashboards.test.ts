import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { configMapName } from '../../constructs/workload.js';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { kubernetesAlerts } from '../../alerts/kubernetes-alerts.js';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { dashboardQueries, queriesOf, queryExpressionProblems, variablesIn } from '../../dashboards/dashboard-queries.js';
import { DASHBOARDS_DIR } from '../../dashboards/provider.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { defineStack } from '../../model/define.js';
import { presets, renderedPreset } from '../helpers/render.js';

type StackInput = Parameters<typeof defineStack>[0];
const variants: Record<string, StackInput> = {
  'without Loki': { components: { loki: { enabled: false } } },
  'without Jaeger': { components: { jaeger: { enabled: false } } },
  'without Alertmanager': { components: { alertmanager: { enabled: false } } },
  'without Kubernetes telemetry': { components: { collector: { kubernetes: { enabled: false } } } },
  'without SLOs': { slos: [] },
};
const specs = [
  ...presets.map((environment) => [`the ${environment} preset`, defineStack({}, { environment })] as const),
  ...Object.entries(variants).map(([name, input]) => [name, defineStack(input, { environment: 'prod' })] as const),
];

const panelsOf = (d: Dashboard): Panel[] => (d.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));
const rowsAndPanelsOf = (d: Dashboard) => (d.panels ?? []).flatMap((p) => [p, ...(p.type === 'row' ? ((p as RowPanel).panels ?? []) : [])]);

/** Every string anywhere in a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Every `datasource: {uid}` anywhere in a dashboard (panels, targets, variables, annotations). */
function datasourceUidsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(datasourceUidsIn);
  if (value && typeof value === 'object') {
    const own = 'datasource' in value && (value as { datasource?: { uid?: string } }).datasource?.uid;
    return [...(own ? [own] : []), ...Object.values(value).flatMap(datasourceUidsIn)];
  }
  return [];
}

describe.each(specs)('the dashboards shipped for %s', (_name, spec) => {
  const rendered = renderStack(spec);
  const grafana = rendered.components.find((c) => c.name === 'grafana')!;
  const provisioned = (yaml.load(grafana.configFiles.find((f) => f.name === 'datasources.yaml')!.content) as { datasources: { uid: string }[] }).datasources.map((d) => d.uid);
  const dashboards = [...rendered.dashboards.values()].map((text) => JSON.parse(text) as Dashboard);

  it('are provisioned in Grafana, byte for byte the files written to <out>/dashboards', () => {
    expect(dashboards.length).toBeGreaterThanOrEqual(4);
    // Everywhere but the Kubernetes dashboard, which only a cluster fills: on Kubernetes only.
    const shared = grafana.configFiles.filter((f) => f.dir === DASHBOARDS_DIR);
    const kubernetesOnly = (grafana.kubernetes?.configFiles ?? []).filter((f) => f.dir === DASHBOARDS_DIR);
    expect(kubernetesOnly.map((f) => f.name)).toEqual(rendered.spec.components.collector.kubernetes.enabled ? [`${DASHBOARD_UID.kubernetes}.json`, `${DASHBOARD_UID.kubernetesWorkloads}.json`] : []);
    expect(new Map([...shared, ...kubernetesOnly].map((f) => [f.name, f.content]))).toEqual(rendered.dashboards);
    expect(rendered.compose.files.has(`config/grafana${DASHBOARDS_DIR}/${DASHBOARD_UID.kubernetes}.json`)).toBe(false);
    expect(rendered.compose.files.has(`config/grafana${DASHBOARDS_DIR}/${DASHBOARD_UID.serviceOverview}.json`)).toBe(true);
    expect(grafana.configFiles.map((f) => f.name)).toContain('dashboards.yaml');
  });

  it('use only datasource UIDs that the provisioning defines', () => {
    for (const d of dashboards) {
      const used = new Set(datasourceUidsIn(d));
      expect(used.size, d.title).toBeGreaterThan(0);
      for (const uid of used) expect(provisioned, `${d.title} uses datasource "${uid}"`).toContain(uid);
    }
  });

  it('define every template variable they use, before it is used by another variable', () => {
    for (const d of dashboards) {
      const variables = d.templating.list ?? [];
      const defined = new Set(variables.map((v) => v.name));
      const used = stringsIn({ ...d, templating: undefined }).flatMap(variablesIn).filter((n) => !n.startsWith('__'));
      for (const name of used) expect(defined, `${d.title} uses $${name}`).toContain(name);
      variables.forEach((v, index) => {
        const before = new Set(variables.slice(0, index).map((x) => x.name));
        for (const name of stringsIn(v.query).flatMap(variablesIn)) expect(before, `${d.title}: variable ${v.name} uses $${name}`).toContain(name);
      });
    }
  });

  it('have unique UIDs and panel ids, and describe every panel; value panels have a unit', () => {
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    for (const d of dashboards) {
      const ids = rowsAndPanelsOf(d).map((p) => p.id);
      expect(new Set(ids).size, d.title).toBe(ids.length);
      expect(ids.every((id) => typeof id === 'number' && id > 0), d.title).toBe(true);
      for (const panel of panelsOf(d)) {
        expect(panel.description, `${d.title} / ${panel.title}`).toMatch(/\w{3,}.*\./);
        expect(panel.targets?.length, `${d.title} / ${panel.title}`).toBeGreaterThan(0);
        if (panel.type === 'timeseries' || panel.type === 'stat') expect(panel.fieldConfig?.defaults.unit, `${d.title} / ${panel.title}`).toBeTruthy();
      }
    }
  });

  it('show failure counters as 0, not "No data", before the first failure (tables list what failed and may be empty)', () => {
    // A failure counter or a filter on failures: such series exist only after the first failure.
    const countsFailures = /failed|refused|STATUS_CODE_ERROR|status_code=~"5\.\."|restarts|detected_level=~"error/;
    // `failures or traffic * 0` (0 for every series of the traffic), or `or vector(0)` for a single number.
    const zeroWhenNone = /\bor\b[\s\S]*?(\* 0\b|vector\(0\))/;
    const checked: string[] = [];
    for (const d of dashboards) {
      for (const panel of panelsOf(d).filter((p) => p.type !== 'table' && p.type !== 'logs')) {
        for (const target of (panel.targets ?? []) as { expr?: string }[]) {
          if (!target.expr || !countsFailures.test(target.expr)) continue;
          checked.push(`${d.title} / ${panel.title}`);
          expect(target.expr, `${d.title} / ${panel.title}`).toMatch(zeroWhenNone);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(0);
  });

  it('have expressions that parse, with every variable substituted', () => {
    // Single-valued variables (the Traces dashboard's service) have no "All": they need a value.
    const problems = queryExpressionProblems(queriesOf(dashboards, { fallbacks: { service: 'checkout' } }));
    expect(problems).toEqual([]);
  });
});

describe('the shipped dashboard set', () => {
  it('follows the spec: Logs needs Loki, Kubernetes the Kubernetes telemetry, SLOs a non-empty slos list, all of them Grafana', () => {
    const slos = defineStack({}, { environment: 'local' }).slos;
    const titles = (input: StackInput) => defaultDashboards(defineStack({ slos, ...(input as Record<string, unknown>) }, { environment: 'prod' })).map((d) => d.title);
    expect(titles({})).toEqual(['Service overview', 'Traces', 'Node.js runtime', 'Logs', 'Kubernetes', 'Kubernetes workloads', 'SLOs & error budgets', 'Stack health', 'Alerts & operations']);
    expect(titles({ components: { collector: { kubernetes: { enabled: false } } } })).not.toContain('Kubernetes workloads');
    expect(titles({ components: { loki: { enabled: false } } })).not.toContain('Logs');
    expect(titles({ components: { collector: { kubernetes: { enabled: false } } } })).not.toContain('Kubernetes');
    expect(titles({ slos: [] })).not.toContain('SLOs & error budgets');
    expect(renderStack(defineStack({ components: { grafana: { enabled: false } } })).dashboards.size).toBe(0);
  });

  it('lists what is unhealthy on Kubernetes: the firing workload alerts, and one table per workload alert reading its expression', () => {
    const spec = defineStack({}, { environment: 'prod' });
    const workloads = defaultDashboards(spec).find((d) => d.uid === DASHBOARD_UID.kubernetesWorkloads)!;
    const tables = panelsOf(workloads);
    expect(tables.every((p) => p.type === 'table')).toBe(true);
    const exprs = tables.map((p) => ((p.targets ?? []) as unknown as { expr: string }[]).map((t) => t.expr));
    const alerts = kubernetesAlerts(spec);
    expect(exprs[0]).toEqual([`ALERTS{alertstate="firing", alertname=~"${alerts.map((a) => a.name).join('|')}"}`]);
    expect(exprs.slice(1)).toEqual(alerts.map((a) => a.variants.map((v) => v.expr)));
  });

  it('titles the workload tables\' columns: every label a workload alert keeps, and the firing table\'s alert labels', () => {
    const spec = defineStack({}, { environment: 'prod' });
    const workloads = defaultDashboards(spec).find((d) => d.uid === DASHBOARD_UID.kubernetesWorkloads)!;
    const kept = kubernetesAlerts(spec).flatMap((a) => a.variants.flatMap((v) => [...v.expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()))));
    const labels = [...new Set([...kept, 'alertname', 'severity'])];
    expect(labels.length).toBeGreaterThan(5);
    for (const table of panelsOf(workloads)) {
      const organize = (table.transformations ?? []).find((t) => t.id === 'organize');
      const renamed = (organize?.options as { renameByName?: Record<string, string> } | undefined)?.renameByName ?? {};
      for (const label of labels) expect(renamed[label], `${table.title}: ${label}`).toMatch(/^[A-Z][A-Za-z]+$/);
    }
  });

  it('has one SLO row per SLO of the spec, reading that service', () => {
    const spec = defineStack({ slos: [{ name: 'checkout-latency', service: 'checkout', objective: 99.5, window: '7d', sli: { kind: 'latency', thresholdMs: 250 } }] }, { environment: 'prod' });
    const slo = defaultDashboards(spec).find((d) => d.uid === 'observatory-slo')!;
    const rows = (slo.panels ?? []).filter((p) => p.type === 'row');
    expect(rows.map((r) => r.title)).toEqual(['checkout-latency: 99.5 % of requests of checkout faster than 250 ms over 7d']);
    const exprs = queriesOf([slo]).map((q) => (q.kind === 'traces' ? '' : q.expr));
    expect(exprs.every((e) => e.includes('service_name="checkout"'))).toBe(true);
    expect(exprs.some((e) => e.includes('le="250"') && e.includes('[7d]'))).toBe(true);
  });

  it('fits the dashboards ConfigMap within what `kubectl apply` can annotate (256 KiB)', () => {
    const objects = [...renderedPreset('prod').kubernetes.files.values()].flat();
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMapName('grafana', DASHBOARDS_DIR))!;
    // client-side apply stores the whole object as JSON in the last-applied-configuration annotation.
    expect(JSON.stringify(configMap).length).toBeLessThan(200 * 1024);
  });
});

describe('dashboardQueries', () => {
  const spec = defineStack({}, { environment: 'local' });

  it('lists every panel query and annotation with its dashboard, panel and datasource, variables substituted', () => {
    const queries = dashboardQueries(spec, { variables: { service: 'sample-front' } });
    const kinds = new Set(queries.map((q) => q.kind));
    expect(kinds).toEqual(new Set(['metrics', 'logs', 'traces']));
    const panelCount = defaultDashboards(spec).flatMap(panelsOf).reduce((n, p) => n + (p.targets?.length ?? 0), 0);
    expect(queries.filter((q) => !q.panel.startsWith('annotation: '))).toHaveLength(panelCount);
    expect(queries.some((q) => q.panel === 'annotation: Deployments' && q.kind === 'metrics')).toBe(true);
    const rate = queries.find((q) => q.dashboard === 'Service overview' && q.panel === 'Request rate')!;
    expect(rate).toMatchObject({ datasourceUid: 'victoriametrics', kind: 'metrics', variables: ['service', 'environment'] });
    expect(rate.kind === 'metrics' && rate.resolvedExpr).toBe(
      'sum by (service_name) (rate(traces_span_metrics_calls_total{service_name=~"sample-front", deployment_environment_name=~".*", span_kind="SPAN_KIND_SERVER"}[1m]))',
    );
    const errorTraces = queries.find((q) => q.panel === 'Error traces')!;
    expect(errorTraces.kind === 'traces' && errorTraces.resolvedSearch).toEqual({ service: 'sample-front', tags: 'error=true', limit: 20 });
    for (const q of queries) expect(q.kind === 'traces' ? JSON.stringify(q.resolvedSearch) : q.resolvedExpr, `${q.dashboard} / ${q.panel}`).not.toMatch(/\$/);
  });

  it('reads a counter of time per state for one state: the event loop\'s busy time is its active time, not active + idle (1 s/s)', () => {
    const busy = dashboardQueries(spec).filter((q) => q.kind === 'metrics' && q.expr.includes('nodejs_eventloop_time_seconds_total'));
    expect(busy.map((q) => q.panel)).toEqual(['Event-loop busy time (main-thread CPU)']);
    for (const q of busy) expect(q.kind === 'metrics' && q.expr).toMatch(/nodejs_eventloop_time_seconds_total\{[^}]*nodejs_eventloop_state="active"[^}]*\}/);
  });
});

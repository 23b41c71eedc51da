/**
 * Two faults the gallery showed (docs/DASHBOARDS.md), checked on the dashboards as Grafana is given them, for every
 * environment preset:
 * - "Pod CPU (top 10)" drew 15 pods: PromQL's `topk` ranks at every evaluation step, so a graph over a range draws
 *   every series that was among the ten at some step. The shipped panels rank with MetricsQL's `topk_avg` /
 *   `topk_max`, which pick their series once for the whole range.
 * - A table of several queries showed "Value #A", "Value #B" column headers when every query was empty: Grafana's
 *   Prometheus datasource names a table query's value column `Value` (one query) or `Value #<refId>` (several), with
 *   data or without (Grafana 10.0 and 12.x alike), and only the `organize` transformation's renames title it.
 */
import { describe, expect, it } from 'vitest';
import { dashboardFiles } from '../../dashboards/files.js';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { defineStack } from '../../model/define.js';
import { environments } from '../../model/spec.js';

interface Target {
  refId?: string;
  expr?: string;
  format?: string;
  datasource?: { type?: string };
}
interface Transformation {
  id: string;
  options: { excludeByName?: Record<string, boolean>; renameByName?: Record<string, string> };
}
interface PanelJson {
  type: string;
  title: string;
  targets?: Target[];
  transformations?: Transformation[];
  panels?: PanelJson[];
}

const shipped = environments.flatMap((environment) =>
  [...dashboardFiles(defaultDashboards(defineStack({}, { environment }))).values()].flatMap((json) => {
    const dashboard = JSON.parse(json) as { uid: string; panels: PanelJson[] };
    return dashboard.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p])).map((panel) => ({ environment, uid: dashboard.uid, panel }));
  }),
);
const where = (s: { environment: string; uid: string; panel: PanelJson }) => `${s.environment}: ${s.uid} / ${s.panel.title}`;
const metricsTargets = (p: PanelJson) => (p.targets ?? []).filter((t) => t.datasource?.type === 'prometheus' && t.expr !== undefined);

function panel(uid: string, title: string): PanelJson {
  const found = shipped.find((s) => s.uid === uid && s.panel.title === title);
  if (!found) throw new Error(`no panel "${title}" on ${uid}`);
  return found.panel;
}

describe('top-N panels', () => {
  it('no shipped panel ranks with PromQL\'s per-step topk or bottomk', () => {
    const perStep = shipped.flatMap((s) => metricsTargets(s.panel).filter((t) => /\b(topk|bottomk)\s*\(/.test(t.expr!)).map((t) => `${where(s)}: ${t.expr}`));
    expect(perStep).toEqual([]);
  });

  it('every "(top N)" panel picks N series for the whole range (topk_avg / topk_max), and there are such panels', () => {
    const topPanels = shipped.filter((s) => /\(top \d+\)/.test(s.panel.title));
    expect(new Set(topPanels.map((s) => s.panel.title))).toEqual(new Set(['Pod CPU (top 10)', 'Pod memory working set (top 10)', 'Pod network (top 10)']));
    for (const s of topPanels) {
      const n = /\(top (\d+)\)/.exec(s.panel.title)![1];
      const exprs = metricsTargets(s.panel).map((t) => t.expr!);
      expect(exprs.length, where(s)).toBeGreaterThan(0);
      for (const expr of exprs) expect(expr, where(s)).toMatch(new RegExp(`^topk_(avg|max)\\(${n}, `));
    }
  });

  it('ranks pods by their average CPU and network, by their peak memory; operations once over the range', () => {
    expect(metricsTargets(panel(DASHBOARD_UID.kubernetes, 'Pod CPU (top 10)'))[0]!.expr).toMatch(/^topk_avg\(10, sum by \(k8s_namespace_name, k8s_pod_name\) \(k8s_pod_cpu_usage\{/);
    expect(metricsTargets(panel(DASHBOARD_UID.kubernetes, 'Pod memory working set (top 10)'))[0]!.expr).toMatch(/^topk_max\(10, sum by \(k8s_namespace_name, k8s_pod_name\) \(k8s_pod_memory_working_set_bytes\{/);
    expect(metricsTargets(panel(DASHBOARD_UID.kubernetes, 'Pod network (top 10)'))[0]!.expr).toMatch(/^topk_avg\(10, sum by \(k8s_namespace_name, k8s_pod_name, direction\) \(rate\(/);
    expect(metricsTargets(panel(DASHBOARD_UID.traces, 'Slowest operations'))[0]!.expr).toMatch(/^topk_max\(10, histogram_quantile\(0\.99, /);
    expect(metricsTargets(panel(DASHBOARD_UID.traces, 'Operations with the most errors'))[0]!.expr).toMatch(/^topk_max\(10, sum by \(service_name, span_name\) /);
  });
});

/** The value columns Grafana's Prometheus datasource makes of a table panel's queries, by the rule it has in 10.0 and 12.x. */
function valueColumns(p: PanelJson): string[] {
  const tableTargets = metricsTargets(p).filter((t) => t.format === 'table');
  return tableTargets.length > 1 ? tableTargets.map((t) => `Value #${t.refId}`) : tableTargets.map(() => 'Value');
}

describe('table panels', () => {
  const tables = shipped.filter((s) => s.panel.type === 'table' && valueColumns(s.panel).length > 0);

  it('title every value column, hidden or renamed, so that no header reads "Value" or "Value #A" (also when every query is empty)', () => {
    expect(tables.length).toBeGreaterThan(10);
    expect(tables.some((s) => valueColumns(s.panel).length > 1)).toBe(true);
    const untitled = tables.flatMap((s) => {
      const organize = (s.panel.transformations ?? []).filter((t) => t.id === 'organize');
      const hidden = (name: string) => organize.some((t) => t.options.excludeByName?.[name] === true);
      const title = (name: string) => organize.map((t) => t.options.renameByName?.[name]).find((x) => x !== undefined);
      return valueColumns(s.panel).filter((name) => !hidden(name) && !(title(name)?.trim() && !/^Value\b/.test(title(name)!))).map((name) => `${where(s)}: ${name}`);
    });
    expect(untitled).toEqual([]);
  });

  it('give each value column of a table its own title', () => {
    for (const s of tables) {
      const renames = Object.assign({}, ...(s.panel.transformations ?? []).filter((t) => t.id === 'organize').map((t) => t.options.renameByName ?? {})) as Record<string, string>;
      const titles = valueColumns(s.panel).map((name) => renames[name]).filter((x) => x !== undefined);
      expect(new Set(titles).size, where(s)).toBe(titles.length);
    }
  });

  it('Kubernetes workloads: the tables of several queries title each query\'s column by what it counts', () => {
    const renamesOf = (title: string) => (panel(DASHBOARD_UID.kubernetesWorkloads, title).transformations ?? []).find((t) => t.id === 'organize')!.options.renameByName!;
    expect(renamesOf('Deployments, StatefulSets and DaemonSets short of ready pods')).toMatchObject({
      'Value #A': 'Replicas missing (Deployment)',
      'Value #B': 'Replicas missing (StatefulSet)',
      'Value #C': 'Nodes missing (DaemonSet)',
    });
    expect(renamesOf('Nodes under memory or disk pressure')).toMatchObject({ 'Value #A': 'Memory pressure', 'Value #B': 'Disk pressure' });
    expect(renamesOf('Containers in CrashLoopBackOff')).toMatchObject({ Value: 'In CrashLoopBackOff' });
  });
});

import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { StackSpec } from '../model/spec.js';
import { alertsOperationsDashboard } from './catalog/alerts-operations.js';
import type { DashboardContext } from './catalog/context.js';
import { kubernetesDashboard } from './catalog/kubernetes.js';
import { kubernetesWorkloadsDashboard } from './catalog/kubernetes-workloads.js';
import { logsDashboard } from './catalog/logs.js';
import { nodejsRuntimeDashboard } from './catalog/nodejs-runtime.js';
import { serviceOverviewDashboard } from './catalog/service-overview.js';
import { sloDashboard } from './catalog/slo.js';
import { stackHealthDashboard } from './catalog/stack-health.js';
import { tracesDashboard } from './catalog/traces.js';
import type { DatasourceKind } from './datasource-refs.js';
import { dashboardFiles } from './files.js';

/** The datasources Grafana gets for this spec (see datasourceProvisioning). */
export function provisionedDatasources(spec: StackSpec): ReadonlySet<DatasourceKind> {
  const c = spec.components;
  const kinds: DatasourceKind[] = [];
  if (c.victoriametrics.enabled) kinds.push('metrics');
  if (c.loki.enabled) kinds.push('logs');
  if (c.jaeger.enabled) kinds.push('traces');
  if (c.alertmanager.enabled) kinds.push('alerts');
  return new Set(kinds);
}

/** The dashboards we ship as Grafana provisions them (`<uid>.json` → JSON), none when Grafana is disabled. */
export function defaultDashboardFiles(spec: StackSpec): Map<string, string> {
  return spec.components.grafana.enabled ? dashboardFiles(defaultDashboards(spec)) : new Map<string, string>();
}

/**
 * The dashboards we ship for a spec. Most read VictoriaMetrics and are left out without it; Logs needs
 * Loki; Kubernetes needs the collector's Kubernetes telemetry; the SLO dashboard needs SLOs in the spec.
 */
export function defaultDashboards(spec: StackSpec): Dashboard[] {
  const context: DashboardContext = { spec, datasources: provisionedDatasources(spec) };
  const has = (kind: DatasourceKind) => context.datasources.has(kind);
  const metrics = has('metrics');
  return [
    ...(metrics ? [serviceOverviewDashboard(context), tracesDashboard(context), nodejsRuntimeDashboard()] : []),
    ...(has('logs') ? [logsDashboard()] : []),
    ...(metrics && spec.components.collector.enabled && spec.components.collector.kubernetes.enabled ? [kubernetesDashboard(), kubernetesWorkloadsDashboard(spec)] : []),
    ...(metrics && spec.slos.length > 0 ? [sloDashboard(spec.slos)] : []),
    ...(metrics ? [stackHealthDashboard(), alertsOperationsDashboard()] : []),
  ];
}

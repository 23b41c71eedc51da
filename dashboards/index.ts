/** Dashboards-as-code: the library to build dashboards with, the dashboards we ship, and their queries. */
export { DATASOURCE_UID, datasourceProvisioning } from './datasources.js';
export { DASHBOARDS_DIR, dashboardProvider } from './provider.js';
export { DATASOURCE, type DatasourceKind } from './datasource-refs.js';
export { DASHBOARD_UID, DASHBOARD_TAG } from './uids.js';
export { observatoryDashboard, type DashboardOptions, type DashboardRow } from './dashboard.js';
export {
  timeSeriesPanel,
  statPanel,
  tablePanel,
  logsPanel,
  tracesPanel,
  thresholdsOf,
  type PanelOptions,
  type ValuePanelOptions,
  type TimeSeriesOptions,
  type StatOptions,
  type TableOptions,
  type LogsPanelOptions,
  type TracesPanelOptions,
  type PanelLink,
  type ThresholdStep,
} from './panels.js';
export { metricsQuery, logsQuery, tracesSearch, TracesSearchBuilder, type JaegerSearch, type PanelQuery, type Evaluation } from './queries.js';
export { labelVariable, textVariable, environmentVariable, serviceVariable, type DashboardVariable, type LabelVariableOptions } from './variables.js';
export { redRow, SPAN_METRICS, type RedRowOptions } from './red.js';
export { dashboardUrl, tracesOfServiceLink, logsOfServiceLink } from './links.js';
export { regexValue } from './selectors.js';
export { defaultDashboards, defaultDashboardFiles, provisionedDatasources } from './defaults.js';
export { dashboardFiles } from './files.js';
export {
  dashboardQueries,
  queriesOf,
  substituteVariables,
  variablesIn,
  BUILTIN_VARIABLE_VALUES,
  type DashboardQuery,
  type ExpressionQuery,
  type TraceSearchQuery,
  type DashboardQueriesOptions,
} from './dashboard-queries.js';
export { serviceOverviewDashboard } from './catalog/service-overview.js';
export { logsDashboard } from './catalog/logs.js';
export { tracesDashboard } from './catalog/traces.js';
export { nodejsRuntimeDashboard } from './catalog/nodejs-runtime.js';
export { kubernetesDashboard } from './catalog/kubernetes.js';
export { sloDashboard, sloErrorRatio } from './catalog/slo.js';
export { stackHealthDashboard } from './catalog/stack-health.js';
export { alertsOperationsDashboard, DEPLOYMENT_MARKER_EXPR } from './catalog/alerts-operations.js';
export type { DashboardContext } from './catalog/context.js';

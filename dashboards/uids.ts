/** Fixed UIDs of the dashboards we ship: links between them and `/d/<uid>` URLs stay stable. */
export const DASHBOARD_UID = {
  serviceOverview: 'observatory-service-overview',
  logs: 'observatory-logs',
  traces: 'observatory-traces',
  nodejsRuntime: 'observatory-nodejs-runtime',
  kubernetes: 'observatory-k8s',
  kubernetesWorkloads: 'observatory-k8s-workloads',
  slo: 'observatory-slo',
  stackHealth: 'observatory-stack-health',
  alertsOperations: 'observatory-alerts-operations',
} as const;

/** The tag every shipped dashboard carries; the dashboards' link menu lists the dashboards with it. */
export const DASHBOARD_TAG = 'observatory';

import type { PanelLink } from './panels.js';
import { DASHBOARD_UID } from './uids.js';

/**
 * A link to a dashboard keeping the time range; `variables` become `var-<name>=<value>` and may use
 * Grafana's data-link variables such as `${__field.labels.service_name}`.
 */
export function dashboardUrl(uid: string, variables: Readonly<Record<string, string>> = {}): string {
  const query = Object.entries(variables).map(([name, value]) => `var-${name}=${value}`);
  return `/d/${uid}?${[...query, '${__url_time_range}'].join('&')}`;
}

/** The label that names a series' service in metrics: `service_name`. */
const SERVICE_OF_SERIES = '${__field.labels.service_name}';

/** From a per-service series to its traces (Jaeger searches on the Traces dashboard). */
export const tracesOfServiceLink = (): PanelLink => ({
  title: `Traces of ${SERVICE_OF_SERIES}`,
  url: dashboardUrl(DASHBOARD_UID.traces, { service: SERVICE_OF_SERIES }),
});

/** From a per-service series to its error traces and the logs around them. */
export const logsOfServiceLink = (): PanelLink => ({
  title: `Logs of ${SERVICE_OF_SERIES}`,
  url: dashboardUrl(DASHBOARD_UID.logs, { service: SERVICE_OF_SERIES }),
});

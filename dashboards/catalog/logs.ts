import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { observatoryDashboard } from '../dashboard.js';
import { logsPanel, statPanel, timeSeriesPanel } from '../panels.js';
import { logsQuery, zeroUntilFailure } from '../queries.js';
import { DASHBOARD_UID } from '../uids.js';
import { TRACE_ID_IN_LINE } from '../trace-id-in-line.js';
import { labelVariable, textVariable } from '../variables.js';

/**
 * Loki indexes only `service_name` and `deployment_environment_name`; the level (`detected_level`), the
 * trace and span IDs and the app's fields are structured metadata, filtered after the selector.
 */
const STREAMS = '{service_name=~"$service", deployment_environment_name=~"$environment"}';
const ERRORS = `${STREAMS} | detected_level=~"error|fatal|critical"`;

/** Logs: volume by level and service, errors, and the lines themselves with one-click trace links. */
export function logsDashboard(): Dashboard {
  return observatoryDashboard({
    uid: DASHBOARD_UID.logs,
    title: 'Logs',
    description: 'Log volume by level and service, error lines, and a searchable log stream. Each line links to its trace.',
    tags: ['logs'],
    variables: [
      labelVariable({ name: 'environment', label: 'Environment', description: 'deployment.environment.name of the services', source: { logsLabel: 'deployment_environment_name' }, allValue: '.*' }),
      labelVariable({ name: 'service', label: 'Service', description: 'service.name of the services', source: { logsLabel: 'service_name' } }),
      textVariable({ name: 'search', label: 'Line contains', description: 'Only lines containing this text (case-sensitive); empty for all lines' }),
    ],
    rows: [
      {
        title: 'Volume',
        panels: [
          timeSeriesPanel({
            title: 'Log lines by level',
            description: 'Lines per interval by detected level (from the OTLP severity). A jump in error or warn is the first thing to look at.',
            unit: 'short',
            bars: true,
            stacked: true,
            width: 10,
            queries: [logsQuery(`sum by (detected_level) (count_over_time(${STREAMS} [$__interval]))`, { legend: '{{detected_level}}' })],
          }),
          timeSeriesPanel({
            title: 'Log lines by service',
            description: 'Lines per interval by service. A silent service has stopped logging (or stopped).',
            unit: 'short',
            bars: true,
            stacked: true,
            width: 10,
            queries: [logsQuery(`sum by (service_name) (count_over_time(${STREAMS} [$__interval]))`, { legend: '{{service_name}}' })],
          }),
          statPanel({
            title: 'Error lines',
            description: 'Error, fatal and critical lines over the selected time range. Yellow from 1, red from 100.',
            unit: 'short',
            width: 4,
            thresholds: [{ value: 1, color: 'yellow' }, { value: 100, color: 'red' }],
            queries: [logsQuery(zeroUntilFailure(`sum(count_over_time(${ERRORS} [$__range]))`, 'vector(0)'), { evaluation: 'instant' })],
          }),
        ],
      },
      {
        title: 'Lines',
        panels: [
          logsPanel({
            title: 'Errors',
            description: 'Error lines of the selected services, newest first. Open a line: its trace_id links to the trace in Jaeger.',
            query: logsQuery(`${ERRORS} |= "$search" ${TRACE_ID_IN_LINE}`, { maxLines: 500 }),
          }),
          logsPanel({
            title: 'All lines',
            description: 'Every line of the selected services containing the search text, newest first. Open a line: its trace_id links to the trace in Jaeger.',
            query: logsQuery(`${STREAMS} |= "$search" ${TRACE_ID_IN_LINE}`, { maxLines: 1000 }),
          }),
        ],
      },
    ],
  });
}

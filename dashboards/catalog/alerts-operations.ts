// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import dashboard = require('@grafana/grafana-foundation-sdk/dashboard');
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import AnnotationQueryBuilder = dashboard.AnnotationQueryBuilder;
import { observatoryDashboard } from '../dashboard.js';
import { DATASOURCE } from '../datasource-refs.js';
import { statPanel, tablePanel, timeSeriesPanel } from '../panels.js';
import { metricsQuery } from '../queries.js';
import { SPAN_METRICS } from '../red.js';
import { DASHBOARD_UID } from '../uids.js';
import { componentsUpPanel } from './stack-health.js';

/** vmalert writes the state of its alerts back to VictoriaMetrics as `ALERTS` series. */
const FIRING = 'ALERTS{alertstate="firing"}';

/**
 * Deployment markers. A deployment is a new `service.version` of a service: the first 10 minutes in which
 * span metrics carry a (service, version) pair that was not there 10 minutes before. Every instrumented
 * service reports its version, so this needs nothing more from the app (put the commit in
 * `service.version`, e.g. `1.4.2+3f2a9c1`, to see it on the marker).
 */
export const DEPLOYMENT_MARKER_EXPR =
  `group by (service_name, service_version) (${SPAN_METRICS.calls}) unless group by (service_name, service_version) (${SPAN_METRICS.calls} offset 10m)`;

export function deploymentAnnotation(): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Deployments')
    .datasource(DATASOURCE.metrics)
    .enable(true)
    .iconColor('blue')
    // The classic fields (expr, titleFormat, tagKeys, step) for Grafana 10, the target for newer versions.
    .expr(DEPLOYMENT_MARKER_EXPR)
    .titleFormat('{{service_name}} {{service_version}} deployed')
    .tagKeys('service_name,service_version')
    .step('60s')
    .target(metricsQuery(DEPLOYMENT_MARKER_EXPR).refId('Deployments'));
}

/** Alerts & operations: what is firing, when services were deployed, and whether every component is up. */
export function alertsOperationsDashboard(): Dashboard {
  return observatoryDashboard({
    uid: DASHBOARD_UID.alertsOperations,
    title: 'Alerts & operations',
    description: 'Firing alerts (from vmalert\'s ALERTS series), deployments as annotations (a new service.version in span metrics), and the health of each component.',
    tags: ['alerts', 'operations'],
    from: 'now-6h',
    annotations: [deploymentAnnotation()],
    rows: [
      {
        title: 'Alerts',
        panels: [
          statPanel({
            title: 'Firing alerts',
            description: 'Alerts firing now. Red from 1: see the table and each alert\'s runbook.',
            unit: 'short',
            width: 6,
            thresholds: [{ value: 1, color: 'red' }],
            queries: [metricsQuery(`count(${FIRING}) or vector(0)`)],
          }),
          timeSeriesPanel({
            title: 'Firing alerts over time',
            description: 'Firing alerts by name and severity; the blue markers are deployments.',
            unit: 'short',
            min: 0,
            width: 18,
            legend: 'right',
            stacked: true,
            queries: [metricsQuery(`count by (alertname, severity) (${FIRING})`, { legend: '{{alertname}} ({{severity}})' })],
          }),
          tablePanel({
            title: 'Firing now',
            description: 'Every firing alert with its labels. Silence or inspect them in Grafana\'s Alerting view (Alertmanager datasource).',
            width: 24,
            queries: [metricsQuery(FIRING, { evaluation: 'instant' })],
            hide: ['Time', 'Value', '__name__', 'alertstate'],
          }),
        ],
      },
      {
        title: 'Components',
        panels: [
          componentsUpPanel(),
          timeSeriesPanel({
            title: 'Component availability',
            description: 'Share of scrapes that reached each component over the last 5 minutes. Red below 99 %.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 24,
            legend: 'right',
            thresholds: [{ value: 0, color: 'red' }, { value: 0.99, color: 'green' }],
            queries: [metricsQuery('avg by (service_name) (avg_over_time(up[5m]))', { legend: '{{service_name}}' })],
          }),
        ],
      },
    ],
  });
}

import type { AlertDefinition } from './rule-model.js';
import { HEARTBEAT } from './severity.js';
import { STACK } from './stack-alerts.js';

export const WATCHDOG = 'Watchdog';

/**
 * Always firing, so that its absence means something: vmalert evaluates it, Alertmanager sends it every minute
 * to the heartbeat receiver (`alerting.heartbeat`), and a dead man's switch outside the stack pages when the beats
 * stop. It proves the whole path: VictoriaMetrics answers, vmalert evaluates and reaches Alertmanager, and
 * Alertmanager delivers.
 */
export const watchdog: AlertDefinition = {
  name: WATCHDOG,
  variants: [
    {
      expr: 'vector(1)',
      for: '0s',
      severity: HEARTBEAT,
      labels: { service: STACK, component: 'alertmanager' },
      summary: 'The alerting pipeline is alive',
      description: 'Always firing: each notification is a heartbeat for the dead man\'s switch. Its silence, not its presence, is the alarm.',
    },
  ],
  runbook: {
    meaning:
      'This alert always fires; it is never a problem in itself. Alertmanager sends it every minute to the heartbeat webhook (the credential file ' +
      '`heartbeat-url`), a dead man\'s switch service (healthchecks.io, Cronitor, Dead Man\'s Snitch, or PagerDuty/Opsgenie heartbeats) that pages ' +
      'when the beats stop for longer than its grace period (5 minutes is a good one). When that page comes, one of VictoriaMetrics, vmalert, ' +
      'Alertmanager or the route to the heartbeat service is broken: no other alert can reach you either.',
    investigate: [
      { language: 'MetricsQL', purpose: 'whether vmalert evaluates rules and reaches Alertmanager (notification errors per second)', query: 'sum(rate(vmalert_alerts_send_errors_total[5m]))' },
      { language: 'MetricsQL', purpose: 'whether Alertmanager delivers, by integration', query: 'sum by (integration) (rate(alertmanager_notifications_total[5m])) - sum by (integration) (rate(alertmanager_notifications_failed_total[5m]))' },
      { language: 'Shell', purpose: 'the components of the alerting path (compose; on Kubernetes `kubectl get pods` in the stack\'s namespace)', query: 'docker compose ps victoriametrics vmalert alertmanager' },
      { language: 'Shell', purpose: 'whether Alertmanager holds the Watchdog (it should, always)', query: 'amtool --alertmanager.url=http://127.0.0.1:9093 alert query alertname=Watchdog' },
    ],
    causes: ['VictoriaMetrics, vmalert or Alertmanager is down or restarting.', 'vmalert cannot reach Alertmanager (network policy, address).', 'The heartbeat URL in the secret is wrong or expired, or the machine has no route to it.'],
    mitigation: ['Restart the component that is down; until the beats resume, watch the stack by hand (Grafana, the Alertmanager UI).', 'Fix the `heartbeat-url` credential and reload Alertmanager (`POST /-/reload`).'],
  },
};

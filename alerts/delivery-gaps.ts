import type { StackSpec } from '../model/spec.js';
import { HEARTBEAT_URL_FILE, routesOf } from './alertmanager-config.js';
import { severityRoutes } from './severity.js';

/**
 * Where a spec's alerts would reach nobody: severity routes no receiver of `alerting.receivers` takes, and no
 * heartbeat (then nothing tells anyone when VictoriaMetrics, vmalert or Alertmanager themselves stop). Each gap is
 * one sentence naming the spec key that closes it. Empty when vmalert is off (no alerts, by choice) or nothing is
 * missing. `observatory synth` prints them for every environment but `local`.
 */
export function alertDeliveryGaps(spec: StackSpec): string[] {
  if (!spec.components.vmalert.enabled) return [];
  const gaps: string[] = [];
  const taken = new Set(spec.alerting.receivers.flatMap((receiver) => routesOf(receiver)));
  const untaken = severityRoutes.filter((r) => !taken.has(r.route));
  if (untaken.length === severityRoutes.length) {
    gaps.push('alerting.receivers is empty: alerts fire and show in Alertmanager, but notify nobody (add a webhook, slack, email or pagerduty receiver)');
  } else {
    for (const r of untaken) {
      gaps.push(`no receiver takes the ${r.route} route: ${r.severities.join(' and ')} alerts notify nobody (alerting.receivers[].routes)`);
    }
  }
  if (!spec.alerting.heartbeat) {
    gaps.push(
      `alerting.heartbeat is off: if VictoriaMetrics, vmalert or Alertmanager stop, no alert can say so (turn it on and give a dead man's switch URL as the credential ${HEARTBEAT_URL_FILE})`,
    );
  }
  return gaps;
}

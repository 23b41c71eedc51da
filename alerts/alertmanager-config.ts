import type { AlertDefinition } from './rule-model.js';
import { alertRoutes, type AlertRoute, type Receiver, type StackSpec } from '../model/spec.js';
import { portOfUrl } from '../model/url-port.js';
import { alertDefinitions } from './rule-files.js';
import { HEARTBEAT, severities, severityRoutes } from './severity.js';

/** The root receiver: it sends nothing, and takes what no receiver of the spec takes. */
export const DEFAULT_RECEIVER = 'default';
/** Files mounted from secrets that Alertmanager reads credentials from (never literal in its config). */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** The Secret (Kubernetes) / folder under `secrets/` (compose) holding the receivers' credentials. */
export const ALERTMANAGER_RECEIVERS_SECRET = 'alertmanager-receivers';

/** The receiver of the Watchdog's heartbeats (`alerting.heartbeat`), and its credential file. */
export const HEARTBEAT_RECEIVER = HEARTBEAT;
export const HEARTBEAT_URL_FILE = 'heartbeat-url';

/** The credential files the spec's receivers need: file name → what it must hold. */
export function receiverCredentialFiles(spec: StackSpec): Record<string, string> {
  const files: Record<string, string> = {};
  if (spec.alerting.heartbeat) files[HEARTBEAT_URL_FILE] = 'the URL the Watchdog heartbeat is POSTed to every minute (a dead man\'s switch service)';
  for (const receiver of spec.alerting.receivers) {
    if (receiver.type === 'slack') files[`${receiver.name}-url`] = `the Slack incoming-webhook URL for receiver ${receiver.name}`;
    if (receiver.type === 'pagerduty') files[`${receiver.name}-routing-key`] = `the PagerDuty Events API v2 routing key for receiver ${receiver.name}`;
    if (receiver.type === 'email' && receiver.authUsername) files[`${receiver.name}-smtp-password`] = `the SMTP password of ${receiver.authUsername} for receiver ${receiver.name}`;
  }
  return files;
}

/** A receiver entry of alertmanager.yml; credentials are read from files under ALERTMANAGER_SECRETS_DIR. */
function receiverConfig(receiver: Receiver): Record<string, unknown> {
  switch (receiver.type) {
    case 'webhook':
      return { name: receiver.name, webhook_configs: [{ url: receiver.url, send_resolved: receiver.sendResolved ?? true }] };
    case 'slack':
      return { name: receiver.name, slack_configs: [{ channel: receiver.channel, api_url_file: `${ALERTMANAGER_SECRETS_DIR}/${receiver.name}-url`, send_resolved: true }] };
    case 'email':
      return {
        name: receiver.name,
        email_configs: receiver.to.map((to) => ({
          to,
          from: receiver.from,
          smarthost: receiver.smarthost,
          ...(receiver.authUsername
            ? { auth_username: receiver.authUsername, auth_password_file: `${ALERTMANAGER_SECRETS_DIR}/${receiver.name}-smtp-password` }
            : {}),
          send_resolved: true,
        })),
      };
    case 'pagerduty':
      return { name: receiver.name, pagerduty_configs: [{ routing_key_file: `${ALERTMANAGER_SECRETS_DIR}/${receiver.name}-routing-key` }] };
  }
}

/** The severity routes a receiver takes (all when the spec names none). */
export const routesOf = (receiver: Receiver): readonly AlertRoute[] => receiver.routes ?? alertRoutes;

/** The labels every alert's instances may differ by; each alert adds its own `instanceLabels`. */
const TWIN_LABELS = ['alertname', 'service', 'component', 'slo'];

/**
 * The labels a more severe twin must share with a less severe one to hold it back: the common ones and every
 * alert's `instanceLabels`. One list serves all alerts because Alertmanager counts a label that neither alert has as
 * equal, and twins (one expression at two thresholds) carry the same labels.
 */
function twinLabels(alerts: readonly AlertDefinition[]): string[] {
  const own = new Set(alerts.flatMap((alert) => alert.instanceLabels ?? []));
  return [...TWIN_LABELS, ...[...own].filter((label) => !TWIN_LABELS.includes(label)).sort()];
}

/**
 * Inhibition: a more severe alert holds back its less severe twin (same alert, same labels), and a cause
 * holds back its symptoms (a backend that is down holds back the collector's failures to send to it).
 */
function inhibitRules(spec: StackSpec, userAlerts: readonly AlertDefinition[]): Record<string, unknown>[] {
  const alerts = alertDefinitions(spec, userAlerts);
  const equal = twinLabels(alerts);
  const twins = severities.slice(0, -1).map((severity, index) => ({
    source_matchers: [`severity="${severity}"`],
    target_matchers: [`severity=~"${severities.slice(index + 1).join('|')}"`],
    equal,
  }));
  const bySource = new Map<string, { source: string[]; equal: readonly string[]; targets: string[] }>();
  for (const alert of alerts) {
    for (const cause of alert.symptomOf ?? []) {
      const source = [`alertname="${cause.alert}"`, ...Object.entries(cause.when ?? {}).map(([k, v]) => `${k}="${v}"`)];
      const key = JSON.stringify([source, cause.equal]);
      const entry = bySource.get(key) ?? { source, equal: cause.equal, targets: [] };
      entry.targets.push(alert.name);
      bySource.set(key, entry);
    }
  }
  const symptoms = [...bySource.values()].map((s) => ({
    source_matchers: s.source,
    target_matchers: [`alertname=~"${s.targets.join('|')}"`],
    ...(s.equal.length > 0 ? { equal: s.equal } : {}),
  }));
  return [...twins, ...symptoms];
}

/**
 * The Watchdog's route, first and without `continue`: its heartbeat goes to the heartbeat receiver every minute
 * (`default`, which sends nothing, without `alerting.heartbeat`) and never reaches a person's receiver.
 */
function heartbeatRoute(spec: StackSpec): Record<string, unknown> {
  return {
    matchers: [`severity="${HEARTBEAT}"`],
    receiver: spec.alerting.heartbeat ? HEARTBEAT_RECEIVER : DEFAULT_RECEIVER,
    group_wait: '0s',
    group_interval: '1m',
    repeat_interval: '1m',
  };
}

/**
 * alertmanager.yml: alerts are grouped by alert name and service, then routed by severity (the Watchdog's heartbeat first): `page` (P0, P1),
 * `notify` (P2), `ticket` (P3). Under each route, every receiver of the spec that takes it gets the alert;
 * a route no receiver takes ends at `default`, which sends nothing.
 */
/** Alertmanager's config: routes by severity, the spec's receivers, inhibitions of the shipped and the user's alerts. */
export function alertmanagerConfig(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): Record<string, unknown> {
  const receivers = spec.alerting.receivers;
  return {
    route: {
      receiver: DEFAULT_RECEIVER,
      group_by: ['alertname', 'service'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        heartbeatRoute(spec),
        ...severityRoutes.map((r) => ({
        matchers: [`severity=~"${r.severities.join('|')}"`],
        group_wait: r.groupWait,
        group_interval: r.groupInterval,
        repeat_interval: r.repeatInterval,
        routes: receivers.filter((receiver) => routesOf(receiver).includes(r.route)).map((receiver) => ({ receiver: receiver.name, continue: true })),
        })),
      ],
    },
    inhibit_rules: inhibitRules(spec, userAlerts),
    receivers: [
      { name: DEFAULT_RECEIVER },
      ...(spec.alerting.heartbeat ? [{ name: HEARTBEAT_RECEIVER, webhook_configs: [{ url_file: `${ALERTMANAGER_SECRETS_DIR}/${HEARTBEAT_URL_FILE}`, send_resolved: false }] }] : []),
      ...receivers.map(receiverConfig),
    ],
  };
}

/** The ports the receivers reach outside the cluster: the webhook URLs', HTTPS for Slack, PagerDuty and the heartbeat, the SMTP smarthosts'. */
export function receiverPorts(spec: StackSpec): number[] {
  const ports = spec.alerting.receivers.map((receiver) => {
    switch (receiver.type) {
      case 'webhook':
        return portOfUrl(receiver.url);
      case 'email':
        return Number(receiver.smarthost.slice(receiver.smarthost.lastIndexOf(':') + 1));
      case 'slack':
      case 'pagerduty':
        return 443;
    }
  });
  // The heartbeat URL is a credential the config never sees: HTTPS on 443, as dead man's switch services serve it.
  if (spec.alerting.heartbeat) ports.push(443);
  return [...new Set(ports)].sort((a, b) => a - b);
}

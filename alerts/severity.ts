import type { AlertRoute } from '../model/spec.js';

/**
 * How bad an alert is: P0 an outage, P1 a service failing (more than 10 % errors) or the stack losing data,
 * P2 degradation (1–10 % errors, slow, filling up), P3 something to fix in working hours.
 */
export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

export interface SeverityRoute {
  readonly route: AlertRoute;
  readonly severities: readonly Severity[];
  /** Alertmanager timings of the route: how soon the first notification goes out, how often it repeats. */
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
}

/** P0 and P1 page someone now, P2 notifies the team, P3 becomes a ticket. */
export const severityRoutes: readonly SeverityRoute[] = [
  { route: 'page', severities: ['P0', 'P1'], groupWait: '10s', groupInterval: '5m', repeatInterval: '1h' },
  { route: 'notify', severities: ['P2'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
  { route: 'ticket', severities: ['P3'], groupWait: '5m', groupInterval: '30m', repeatInterval: '24h' },
];

/**
 * Not a severity: the level of the always-firing Watchdog, whose route sends it to the heartbeat receiver and
 * nowhere else (alerts/watchdog.ts).
 */
export const HEARTBEAT = 'heartbeat';
/** What an alert's `severity` label holds: a severity, or the heartbeat. */
export type AlertLevel = Severity | typeof HEARTBEAT;

/** The name of the Alertmanager route an alert of this level takes. */
export const routeNameOf = (level: AlertLevel): string => (level === HEARTBEAT ? HEARTBEAT : routeOf(level).route);

export function routeOf(severity: Severity): SeverityRoute {
  const route = severityRoutes.find((r) => r.severities.includes(severity));
  if (!route) throw new Error(`no route takes severity ${severity}`);
  return route;
}

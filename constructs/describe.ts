import yaml from 'js-yaml';
import type { HealthChecks, Probe, SecretRef, Template } from '../model/component.js';

/** YAML as every config file of the stack is written: stable key order, no anchors, long lines kept. */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { lineWidth: -1, noRefs: true, quotingType: '"' });
}

export const httpProbe = (port: number, path: string): Probe => ({ http: { port, path } });
export const execProbe = (...command: string[]): Probe => ({ exec: command });
export const tcpProbe = (port: number): Probe => ({ tcp: { port } });

/** Ready when the HTTP health endpoint answers; alive while the port accepts connections. */
export function httpHealth(port: number, path: string, startupSeconds = 30): HealthChecks {
  return { readiness: httpProbe(port, path), liveness: tcpProbe(port), startupSeconds };
}

export const secretRef = (secret: string, key: string): { secret: SecretRef } => ({ secret: { secret, key } });

/** `template('postgres://u:{password}@h/db', { password: ref })`. */
export function template(text: string, secrets: Record<string, SecretRef>): Template {
  for (const name of Object.keys(secrets)) {
    if (!text.includes(`{${name}}`)) throw new Error(`template "${text}" has no {${name}} placeholder`);
  }
  return { template: text, secrets };
}

import { COLLECTOR, GRAFANA } from '../constructs/addresses.js';
import { GLITCHTIP } from '../constructs/glitchtip.js';
import type { KubeObject } from '../constructs/schema-check.js';
import { UMAMI } from '../constructs/umami.js';

/** Where people and senders reach the stack: URLs behind the ingress, otherwise in-cluster service URLs. */
export interface StackEndpoints {
  readonly grafanaUrl?: string;
  readonly glitchtipUrl?: string;
  readonly umamiUrl?: string;
  /** Base URL of OTLP/HTTP (`<endpoint>/v1/traces`, ...); behind the ingress it asks for the bearer token. */
  readonly otlpEndpoint?: string;
}

const serviceOf = (url: string) => {
  const { hostname, port } = new URL(url);
  return { service: hostname, port: Number(port) };
};

/** The Service behind each endpoint, and its in-cluster port. */
const TARGETS: Readonly<Record<keyof StackEndpoints, { service: string; port: number }>> = {
  grafanaUrl: { service: GRAFANA.name, port: GRAFANA.port },
  glitchtipUrl: serviceOf(GLITCHTIP.webUrl),
  umamiUrl: { service: UMAMI.name, port: UMAMI.port },
  otlpEndpoint: serviceOf(COLLECTOR.otlpHttpUrl),
};

interface IngressRule {
  host?: string;
  http?: { paths?: { backend?: { service?: { name?: string } } }[] };
}

function publicUrl(objects: readonly KubeObject[], service: string): string | undefined {
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    const spec = ingress['spec'] as { rules?: IngressRule[]; tls?: { hosts?: string[] }[] };
    const rule = spec.rules?.find((r) => r.host && r.http?.paths?.some((p) => p.backend?.service?.name === service));
    if (rule?.host) {
      const tls = spec.tls?.some((t) => t.hosts?.includes(rule.host!)) ?? false;
      return `${tls ? 'https' : 'http'}://${rule.host}`;
    }
  }
  return undefined;
}

/**
 * The endpoints of the rendered stack, read from its objects: an Ingress rule that routes to the Service
 * gives the public URL (https when its host has TLS); without one, the Service's in-cluster URL (reach it with
 * `kubectl port-forward`); a disabled component has none.
 */
export function stackEndpoints(objects: readonly KubeObject[]): StackEndpoints {
  const endpoints: Partial<Record<keyof StackEndpoints, string>> = {};
  for (const [key, { service, port }] of Object.entries(TARGETS) as [keyof StackEndpoints, { service: string; port: number }][]) {
    const object = objects.find((o) => o.kind === 'Service' && o.metadata.name === service);
    if (!object) continue;
    endpoints[key] = publicUrl(objects, service) ?? `http://${service}.${object.metadata.namespace}.svc.cluster.local:${port}`;
  }
  return endpoints;
}

/** Every host an Ingress of the stack serves. */
export function publicHosts(objects: readonly KubeObject[]): string[] {
  const hosts = objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) => ((o['spec'] as { rules?: IngressRule[] }).rules ?? []).flatMap((r) => (r.host ? [r.host] : [])));
  return [...new Set(hosts)].sort();
}

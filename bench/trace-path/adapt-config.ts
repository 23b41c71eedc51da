/**
 * A rendered collector config moved onto 127.0.0.1: the one pure step between what the model renders for a tier
 * and what the trace-path bench runs. Pipelines, processors, connectors, queues and limits stay as rendered; only
 * addresses change, and every change is returned so the bench can print it:
 * - listeners `0.0.0.0:<port>` (receivers, health check) and the telemetry reader's `host`/`port` → 127.0.0.1 on
 *   the local port mapped to the rendered one; `127.0.0.1:<port>` (a self-scrape of the telemetry port) likewise;
 * - next hops named by their in-stack address (`jaeger:4317`, a store's URL) → the local sink, by exact match;
 * - the file queue's folder → a local one;
 * - a `loadbalancing` exporter's `dns` resolver (the samplers' peers name) → a `static` one listing local samplers.
 * Anything still pointing elsewhere afterwards (an unmapped host:port, a URL whose host is not 127.0.0.1) throws.
 */

export interface LocalAddresses {
  /** Rendered listening port → the local port it gets (every `0.0.0.0:<port>` and the telemetry port). */
  readonly ports: Readonly<Record<number, number>>;
  /** Rendered next-hop address or URL (exact string) → local replacement. */
  readonly upstreams: Readonly<Record<string, string>>;
  /** Rendered queue folder → local folder. */
  readonly dirs: Readonly<Record<string, string>>;
  /** `host:port` of each local sampler, for a load-balancing exporter's resolver. */
  readonly loadBalancingBackends?: readonly string[];
}

export interface ConfigChange {
  /** Dotted path in the config, e.g. `receivers.otlp.protocols.grpc.endpoint`. */
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const LISTENER = /^0\.0\.0\.0:(\d+)$/;
const LOOPBACK = /^127\.0\.0\.1:(\d+)$/;
const HOST_PORT = /^[a-z0-9][a-z0-9.-]*:\d+$/;
const URL_HOST = /^https?:\/\/([^/:]+)/;

export function adaptConfig(config: unknown, local: LocalAddresses): { config: Record<string, unknown>; changes: ConfigChange[] } {
  const changes: ConfigChange[] = [];
  const port = (rendered: number, path: string): number => {
    const mapped = local.ports[rendered];
    if (mapped === undefined) throw new Error(`${path}: no local port for the rendered port ${rendered}`);
    return mapped;
  };
  const visit = (value: Json, path: string[]): Json => {
    const at = path.join('.');
    if (typeof value === 'string') {
      const listener = LISTENER.exec(value);
      const loopback = LOOPBACK.exec(value);
      const to = listener
        ? `127.0.0.1:${port(Number(listener[1]), at)}`
        : loopback && local.ports[Number(loopback[1])] !== undefined
          ? `127.0.0.1:${port(Number(loopback[1]), at)}`
          : (local.upstreams[value] ?? local.dirs[value]);
      if (to === undefined || to === value) return value;
      changes.push({ path: at, from: value, to });
      return to;
    }
    if (Array.isArray(value)) return value.map((v, i) => visit(v, [...path, String(i)]));
    if (value === null || typeof value !== 'object') return value;
    if (path.at(-1) === 'resolver' && 'dns' in value && local.loadBalancingBackends) {
      const to = { static: { hostnames: [...local.loadBalancingBackends] } };
      changes.push({ path: at, from: value, to });
      return to;
    }
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) out[key] = visit(v, [...path, key]);
    // The telemetry reader names host and port apart.
    if (out['host'] === '0.0.0.0' && typeof out['port'] === 'number') {
      const to = { host: '127.0.0.1', port: port(out['port'], `${at}.port`) };
      changes.push({ path: at, from: { host: out['host'], port: out['port'] }, to });
      Object.assign(out, to);
    }
    return out;
  };
  const adapted = visit(config as Json, []) as Record<string, unknown>;
  const stray = strayAddresses(adapted);
  if (stray.length > 0) throw new Error(`addresses left pointing off 127.0.0.1: ${stray.join(', ')}`);
  return { config: adapted, changes };
}

/** Every `host:port` or URL in a config whose host is not 127.0.0.1 (with its path). */
export function strayAddresses(config: unknown, path: string[] = []): string[] {
  if (typeof config === 'string') {
    const url = URL_HOST.exec(config);
    const off = url ? url[1] !== '127.0.0.1' : HOST_PORT.test(config) && !LOOPBACK.test(config);
    return off ? [`${path.join('.')}=${config}`] : [];
  }
  if (Array.isArray(config)) return config.flatMap((v, i) => strayAddresses(v, [...path, String(i)]));
  if (config === null || typeof config !== 'object') return [];
  return Object.entries(config).flatMap(([k, v]) => strayAddresses(v, [...path, k]));
}

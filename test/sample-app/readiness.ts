import { connect } from 'node:net';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Whether the collector's OTLP endpoint accepts TCP connections. A plain connect (rather than an HTTP
 * request) keeps readiness probes out of the app's own traces and off the collector's pipelines.
 */
export function checkReachable(endpoint: URL, timeoutMs = 1_000): Promise<Readiness> {
  const port = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const finish = (readiness: Readiness) => {
      socket.destroy();
      resolve(readiness);
    };
    socket.once('connect', () => finish({ ready: true }));
    socket.once('timeout', () => finish({ ready: false, reason: `collector ${host}:${port} did not answer within ${timeoutMs} ms` }));
    socket.once('error', (error) => finish({ ready: false, reason: `collector ${host}:${port} unreachable: ${error.message}` }));
  });
}

import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request as a stand-in backend received it; the body is already decompressed. */
export interface CapturedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  receivedAt: number;
}

export interface CannedResponse {
  status: number;
  body: unknown;
}

/** Answers like the real backend would, so the client under test takes its success path. */
export type Responder = (request: CapturedRequest) => CannedResponse;

export interface CaptureServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  requests: CapturedRequest[];
  /** Resolves with the first captured request (past or future) that matches, or rejects after `timeoutMs`. */
  waitFor(what: string, predicate: (request: CapturedRequest) => boolean, timeoutMs?: number): Promise<CapturedRequest>;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 (random port) that records every request: a stand-in for a backend. */
export async function startCaptureServer(respond: Responder): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const waiters = new Set<(request: CapturedRequest) => void>();

  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', 'http://capture');
      const captured: CapturedRequest = {
        method: incoming.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: incoming.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw,
        receivedAt: Date.now(),
      };
      requests.push(captured);
      for (const notify of waiters) notify(captured);
      const { status, body } = respond(captured);
      outgoing.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    waitFor(what, predicate, timeoutMs = 10_000) {
      const matches = (request: CapturedRequest) => {
        try {
          return predicate(request);
        } catch {
          return false;
        }
      };
      const seen = requests.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${what} within ${timeoutMs} ms; received: ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'nothing'}`));
        }, timeoutMs);
        const check = (request: CapturedRequest) => {
          if (!matches(request)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(request);
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

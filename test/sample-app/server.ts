import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, metrics } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { Logger } from 'pino';
import type { SampleAppConfig } from './config.js';
import type { ErrorReporter } from './error-reporting.js';
import type { Readiness } from './readiness.js';
import { sampleAppRoutes, workRoutes, type WorkResponse, type WorkRoute } from './routes.js';
import { BadRequest, currentTraceId, type WorkHandler } from './work.js';

export interface SampleServerDependencies {
  config: SampleAppConfig;
  logger: Logger;
  prometheus: PrometheusExporter;
  errors: ErrorReporter;
  work: Record<WorkRoute, WorkHandler>;
  readiness: () => Promise<Readiness>;
}

export interface SampleServer {
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Closes the listening socket and idle keep-alive connections; in-flight requests go on. */
  stopAccepting(): void;
  /**
   * Waits for in-flight requests, at most `timeoutMs`, then closes every connection left. Resolves
   * with whether all of them finished in time.
   */
  finishInFlight(timeoutMs: number): Promise<boolean>;
}

export function createSampleServer({ config, logger, prometheus, errors, work, readiness }: SampleServerDependencies): SampleServer {
  const workCounter = metrics.getMeter('sample-app').createCounter('sample_app.work.requests', {
    description: 'Work requests answered, by route and outcome',
  });
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  let closed: Promise<void> = Promise.resolve();

  const server = http.createServer((request, response) => {
    const finished = new Promise<void>((resolve) => response.once('close', resolve));
    inFlight.add(finished);
    void finished.then(() => inFlight.delete(finished));
    route(request, response).catch((error: unknown) => {
      logger.error({ err: error, url: request.url }, 'request handling crashed');
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sample-app');
    if (request.method !== 'GET') return send(response, 405, { error: 'only GET is served' });
    switch (url.pathname) {
      case sampleAppRoutes.health:
        return send(response, 200, { status: 'alive' });
      case sampleAppRoutes.ready: {
        const state = draining ? { ready: false, reason: 'shutting down' } : await readiness();
        return send(response, state.ready ? 200 : 503, state);
      }
      case sampleAppRoutes.metrics:
        return prometheus.getMetricsRequestHandler(request, response);
    }
    if (!workRoutes.has(url.pathname)) return send(response, 404, { error: `no route ${url.pathname}` });
    await serveWork(url, url.pathname as WorkRoute, request, response);
  }

  async function serveWork(url: URL, path: WorkRoute, request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The route, for the HTTP instrumentation: it names the server span `GET <route>` and labels the
    // http.server metrics (and so the spanmetrics RED series) with http.route.
    const rpc = getRPCMetadata(context.active());
    if (rpc?.type === RPCType.HTTP) rpc.route = path;
    const started = performance.now();
    let status: number;
    let body: WorkResponse;
    try {
      body = await work[path]({ url, hostname: (request.headers.host ?? config.service.name).replace(/:\d+$/, '') });
      status = 200;
    } catch (error) {
      status = error instanceof BadRequest ? 400 : 500;
      body = { service: config.service.name, outcome: 'failed', traceId: currentTraceId(), error: (error as Error).message };
      if (status === 500) {
        const eventId = errors.capture(error);
        logger.error({ err: error, path, eventId }, 'request failed');
      }
    }
    workCounter.add(1, { route: path, outcome: status === 200 ? 'ok' : 'failed' });
    logger.info({ method: 'GET', path, status, durationMs: Math.round(performance.now() - started) }, 'request completed');
    send(response, status, body);
  }

  function send(response: ServerResponse, status: number, body: unknown): void {
    // Once draining, a kept-alive connection must not carry another request.
    const headers = { 'content-type': 'application/json', ...(draining ? { connection: 'close' } : {}) };
    response.writeHead(status, headers).end(JSON.stringify(body));
  }

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.listen.port, config.listen.host, () => {
          const { address, port } = server.address() as AddressInfo;
          resolve(`http://${address.includes(':') ? `[${address}]` : address}:${port}`);
        });
      }),
    stopAccepting() {
      draining = true;
      closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
    },
    async finishInFlight(timeoutMs) {
      const finishedInTime = await Promise.race([Promise.all([...inFlight]).then(() => true), sleep(timeoutMs, false, { ref: false })]);
      server.closeAllConnections();
      await closed;
      return finishedInTime;
    },
  };
}

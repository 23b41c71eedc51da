import { createServer, type Server } from 'node:http';

/**
 * The metrics and logs stores of the trace-path bench: an OTLP/HTTP endpoint on 127.0.0.1 that answers every
 * export with success and keeps nothing (span metrics and the collectors' own metrics arrive here; they are not
 * what the bench measures, but the rendered pipelines send them, so something must take them).
 */
export class HttpDrain {
  private server: Server | undefined;
  requests = 0;

  /** Listens on a free port; returns its base URL. */
  async listen(): Promise<string> {
    const server = createServer((request, response) => {
      request.on('data', () => undefined);
      request.on('end', () => {
        this.requests++;
        // An empty protobuf Export*ServiceResponse: nothing partial to report.
        response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
        response.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('http drain: no address');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

import { createServer, constants, type Http2Server, type ServerHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { EMPTY_GRPC_MESSAGE, grpcMessages } from './grpc-frames.js';
import { traceIdsOfRequest } from './otlp-trace-ids.js';

const EXPORT_TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/**
 * The trace store of the trace-path bench: an OTLP/gRPC receiver (HTTP/2 without TLS, as the samplers' exporters
 * speak it with `tls.insecure`) on one port of 127.0.0.1 per sampler, so what arrives is known by sampler. It keeps
 * nothing but, per sampler, the number of spans of each trace ID.
 */
export class TraceSink {
  private readonly servers: Http2Server[] = [];
  private traces: Map<string, number>[] = [];
  private spanCounts: number[] = [];
  /** Requests that could not be read (answered with an error). */
  errors = 0;

  /** Listens on one free port per sampler; returns `host:port` of each. */
  async listen(samplers: number): Promise<string[]> {
    this.traces = Array.from({ length: samplers }, () => new Map<string, number>());
    this.spanCounts = new Array<number>(samplers).fill(0);
    const endpoints: string[] = [];
    for (let index = 0; index < samplers; index++) {
      const server = createServer();
      server.on('stream', (stream, headers) => this.receive(index, stream, headers));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (!address || typeof address !== 'object') throw new Error('trace sink: no address');
      endpoints.push(`127.0.0.1:${address.port}`);
      this.servers.push(server);
    }
    return endpoints;
  }

  /** Per sampler: trace ID → spans received of it. */
  spansByTrace(): ReadonlyMap<string, number>[] {
    return this.traces;
  }

  /** Per sampler: spans received. */
  spans(): readonly number[] {
    return this.spanCounts;
  }

  /** Forgets what arrived so far (between runs). */
  reset(): void {
    this.traces = this.traces.map(() => new Map());
    this.spanCounts = this.spanCounts.map(() => 0);
    this.errors = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private receive(index: number, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      let status = 0;
      let message = '';
      if (headers[constants.HTTP2_HEADER_PATH] !== EXPORT_TRACES) {
        status = 12; // UNIMPLEMENTED
        message = `only ${EXPORT_TRACES}`;
      } else {
        try {
          const encoding = headers['grpc-encoding'];
          for (const request of grpcMessages(Buffer.concat(chunks), typeof encoding === 'string' ? encoding : undefined)) {
            const traces = this.traces[index]!;
            for (const traceId of traceIdsOfRequest(request)) {
              traces.set(traceId, (traces.get(traceId) ?? 0) + 1);
              this.spanCounts[index]!++;
            }
          }
        } catch (error) {
          this.errors++;
          status = 3; // INVALID_ARGUMENT: permanent, the exporter counts it as failed
          message = error instanceof Error ? error.message : String(error);
        }
      }
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(status), ...(message ? { 'grpc-message': encodeURIComponent(message) } : {}) }));
      stream.end(status === 0 ? EMPTY_GRPC_MESSAGE : undefined);
    });
    stream.on('error', () => undefined);
  }
}

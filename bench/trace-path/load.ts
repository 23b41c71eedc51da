import { telemetrygen } from '../../test/harness/telemetrygen.js';

export interface TraceLoad {
  /** The telemetrygen binary. */
  readonly telemetrygen: string;
  /** OTLP gRPC `host:port` of the gateway. */
  readonly endpoint: string;
  /** Spans per second offered, errors included. */
  readonly spansPerSecond: number;
  readonly seconds: number;
  /** Spans per trace: a root and its children. */
  readonly spansPerTrace: number;
  /** Share of traces whose every span has status ERROR (tail sampling keeps them all). */
  readonly errorShare: number;
  /** telemetrygen paces each worker with a timer: at most this many spans/s per worker. */
  readonly perWorker: number;
}

/**
 * Traces of several spans each, a share of them errors: two telemetrygen runs side by side (its status code is
 * per run), each spread over as many workers as its rate needs.
 */
export async function offerTraces(load: TraceLoad): Promise<void> {
  const parts = [
    { statusCode: 'Error' as const, rate: load.spansPerSecond * load.errorShare },
    { statusCode: 'Unset' as const, rate: load.spansPerSecond * (1 - load.errorShare) },
  ].filter((p) => p.rate > 0);
  await Promise.all(
    parts.map((part) => {
      const workers = Math.ceil(part.rate / load.perWorker);
      return telemetrygen(load.telemetrygen, 'traces', {
        endpoint: load.endpoint,
        workers,
        rate: part.rate / workers,
        duration: `${load.seconds}s`,
        statusCode: part.statusCode,
        childSpans: load.spansPerTrace - 1,
        serviceName: 'trace-path-bench',
      });
    }),
  );
}

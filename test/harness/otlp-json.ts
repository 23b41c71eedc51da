import { randomBytes } from 'node:crypto';

/** OTLP/HTTP JSON (opentelemetry-proto's JSON mapping) for single, uniquely identified events. */

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

export type Signal = 'logs' | 'metrics' | 'traces';

export interface TestEvent {
  readonly id: string;
  /** Its place in its stream (metrics: the gauge's value). */
  readonly seq: number;
  /** Milliseconds since the epoch, when it was emitted. */
  readonly emittedAt: number;
  /** traces: the trace ID (32 hex digits). */
  readonly traceId?: string;
}

export function newEvent(signal: Signal, seq: number): TestEvent {
  const id = `${signal}-${seq}-${randomBytes(3).toString('hex')}`;
  return { id, seq, emittedAt: Date.now(), ...(signal === 'traces' ? { traceId: randomBytes(16).toString('hex') } : {}) };
}

/**
 * The request body carrying one event: a log record, an ERROR span, or a point of the gauge `bench.event` whose
 * value is the event's sequence number, one series per stream: a new sample of an existing series, as metrics
 * mostly are (a new series per event would measure series creation instead).
 */
export function otlpBody(signal: Signal, service: string, event: TestEvent): unknown {
  const resource = { attributes: [str('service.name', service)] };
  const scope = { name: 'observatory-bench' };
  const at = nanos(event.emittedAt);
  switch (signal) {
    case 'logs':
      return {
        resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords: [{ timeUnixNano: at, observedTimeUnixNano: at, severityNumber: 9, severityText: 'INFO', body: { stringValue: `bench event ${event.id}` }, attributes: [str('event.id', event.id)] }] }] }],
      };
    case 'metrics':
      return {
        resourceMetrics: [{ resource, scopeMetrics: [{ scope, metrics: [{ name: 'bench.event', gauge: { dataPoints: [{ timeUnixNano: at, asInt: String(event.seq) }] } }] }] }],
      };
    case 'traces':
      return {
        resourceSpans: [
          {
            resource,
            scopeSpans: [
              {
                scope,
                spans: [
                  {
                    traceId: event.traceId,
                    spanId: randomBytes(8).toString('hex'),
                    name: 'bench event',
                    kind: 2,
                    startTimeUnixNano: at,
                    endTimeUnixNano: nanos(event.emittedAt + 1),
                    attributes: [str('event.id', event.id)],
                    // ERROR: the tail sampler keeps every such trace, so every event is expected at the backend.
                    status: { code: 2 },
                  },
                ],
              },
            ],
          },
        ],
      };
  }
}

/**
 * POSTs one event to the collector's OTLP/HTTP endpoint, retrying (as the SDKs do) while the collector is
 * unreachable or answers 429/5xx, for at most `giveUpMs`. Resolves true once the collector accepted it.
 */
export async function sendEvent(baseUrl: string, signal: Signal, service: string, event: TestEvent, giveUpMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + giveUpMs;
  const body = JSON.stringify(otlpBody(signal, service, event));
  for (let delay = 200; Date.now() < deadline; delay = Math.min(delay * 2, 2_000)) {
    try {
      const response = await fetch(`${baseUrl}/v1/${signal}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      if (response.ok) return true;
      if (response.status !== 429 && response.status < 500) throw new Error(`OTLP ${signal}: HTTP ${response.status}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('OTLP')) throw error;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  return false;
}

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adaptConfig, strayAddresses } from '../../bench/trace-path/adapt-config.js';
import { ceiling, cpuPer10k, type TraceCosts } from '../../bench/trace-path/ceiling.js';
import { grpcMessages } from '../../bench/trace-path/grpc-frames.js';
import { traceIdsOfRequest } from '../../bench/trace-path/otlp-trace-ids.js';
import { childrenCpuSecondsFromStat, cpuSecondsFromStat } from '../../bench/trace-path/proc-stat.js';
import { renderedTracePath } from '../../bench/trace-path/rendered-tiers.js';
import { checkSplit, shares, traceCount } from '../../bench/trace-path/trace-split.js';
import { COLLECTOR_PORTS } from '../../collector/pipelines.js';
import { defineStack } from '../../model/define.js';

describe('trace-path bench: the ceiling for N samplers on M cores', () => {
  const costs: TraceCosts = {
    gatewayCpuPerSpan: 0.3e-4, // 0.3 s per 10k spans
    samplerCpuPerSpan: 0.7e-4, // 0.7 s per 10k spans
    imbalance: 1,
    samplerCores: 4,
    numTraces: 100_000,
    decisionWaitSeconds: 5,
    spansPerTrace: 5,
  };

  it('is cores / (gateway + sampler CPU per span) while the cores bind', () => {
    expect(ceiling(costs, 1, 2)).toEqual({ bound: 'cores', spansPerSecond: 20_000 });
    expect(ceiling(costs, 2, 4).spansPerSecond).toBeCloseTo(40_000, 6);
  });

  it('is bound by the busiest sampler at its CPU limit when cores are plenty', () => {
    // One sampler on 16 cores: 4 cores / 0.7e-4 s per span.
    const c = ceiling(costs, 1, 16);
    expect(c.bound).toBe('sampler CPU limit');
    expect(c.spansPerSecond).toBeCloseTo(4 / 0.7e-4, 6);
    // An uneven split lowers it: the busiest of two gets 60 %.
    expect(ceiling({ ...costs, imbalance: 1.2 }, 2, 64).spansPerSecond).toBeCloseTo(4 / (0.7e-4 * 0.6), 6);
    // One sampler takes every span, whatever imbalance two showed.
    expect(ceiling({ ...costs, imbalance: 1.2 }, 1, 64).spansPerSecond).toBeCloseTo(4 / 0.7e-4, 6);
  });

  it('is bound by tail sampling memory: num_traces per decision wait in the busiest sampler', () => {
    const c = ceiling({ ...costs, numTraces: 1_000 }, 2, 16);
    expect(c).toEqual({ bound: 'tail-sampling memory', spansPerSecond: (1_000 * 5) / (5 * 0.5) });
  });

  it('counts CPU seconds per 10k spans and refuses a path without samplers', () => {
    expect(cpuPer10k(1.5, 30_000)).toBeCloseTo(0.5, 9);
    expect(cpuPer10k(1, 0)).toBeNaN();
    expect(() => ceiling(costs, 0, 2)).toThrow(/at least one sampler/);
  });
});

describe('trace-path bench: every trace whole in one sampler', () => {
  const traces = (entries: [string, number][]) => new Map(entries);

  it('passes traces each delivered whole by one sampler', () => {
    const report = checkSplit([traces([['a', 5], ['b', 5]]), traces([['c', 5]])], 5);
    expect(report).toEqual({ traces: 3, perSampler: [2, 1], split: [], short: [], long: [] });
  });

  it('finds a trace seen from two samplers, a short one and one with extra spans', () => {
    const report = checkSplit([traces([['a', 3], ['b', 4]]), traces([['a', 2], ['c', 6]])], 5);
    expect(report.split).toEqual(['a']);
    expect(report.short).toEqual(['b']);
    expect(report.long).toEqual(['c']);
    expect(report.traces).toBe(3);
  });

  it('compares the samplers\' new-trace counts with the spans offered', () => {
    expect(traceCount([40, 60], 500, 5)).toEqual({ counted: 100, missing: 0 });
    // Three traces counted in both samplers, or 15 spans that never arrived: the count alone cannot tell.
    expect(traceCount([41, 62], 500, 5)).toEqual({ counted: 103, missing: 15 });
  });

  it('computes shares', () => {
    expect(shares([1, 3])).toEqual([0.25, 0.75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });
});

/** Protobuf wire format, enough to build an OTLP request by hand. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return out;
};
const len = (field: number, bytes: Uint8Array | number[]): number[] => [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
const u64 = (field: number): number[] => [...varint(field * 8 + 1), 1, 2, 3, 4, 5, 6, 7, 8];
const hex = (h: string): number[] => [...Buffer.from(h, 'hex')];

describe('trace-path bench: reading the sink\'s OTLP requests', () => {
  const span = (traceId: string) => [...len(1, hex(traceId)), ...len(2, hex('0102030405060708')), ...len(5, [...Buffer.from('op')]), ...u64(7), ...varint(6 * 8), ...varint(2)];
  const scopeSpans = (...spans: number[][]) => [...len(1, len(1, [...Buffer.from('scope')])), ...spans.flatMap((s) => len(2, s))];
  const a = 'aa'.repeat(16);
  const b = 'bb'.repeat(16);
  const request = Uint8Array.from([
    ...len(1, [...len(1, len(1, [...Buffer.from('resource')])), ...len(2, scopeSpans(span(a), span(b)))]),
    ...len(1, [...len(2, scopeSpans(span(a))), ...len(3, [...Buffer.from('schema')])]),
  ]);

  it('finds every span\'s trace ID', () => {
    expect(traceIdsOfRequest(request)).toEqual([a, b, a]);
  });

  it('refuses a truncated request', () => {
    expect(() => traceIdsOfRequest(request.subarray(0, request.length - 3))).toThrow(/protobuf/);
  });

  it('unframes gRPC messages, gzip-compressed or not', () => {
    const frame = (compressed: boolean, message: Buffer) => {
      const head = Buffer.alloc(5);
      head[0] = compressed ? 1 : 0;
      head.writeUInt32BE(message.length, 1);
      return Buffer.concat([head, message]);
    };
    const plain = Buffer.from(request);
    const body = Buffer.concat([frame(false, plain), frame(true, gzipSync(plain))]);
    expect(grpcMessages(body, 'gzip')).toEqual([plain, plain]);
    expect(() => grpcMessages(frame(true, plain), undefined)).toThrow(/grpc-encoding/);
  });

  it('reads utime + stime off /proc/<pid>/stat, whatever the command name holds', () => {
    const stat = '4242 (otel (col) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 12 0 100 2000000 3000';
    expect(cpuSecondsFromStat(stat)).toBeCloseTo(18.01, 9);
    expect(childrenCpuSecondsFromStat(stat)).toBe(0);
    expect(childrenCpuSecondsFromStat(stat.replace(' 1234 567 0 0 ', ' 1234 567 250 50 '))).toBeCloseTo(3, 9);
    expect(() => cpuSecondsFromStat('4242 (x) S 1')).toThrow(/unreadable/);
  });
});

describe('trace-path bench: the rendered configs, moved onto 127.0.0.1', () => {
  const rendered = renderedTracePath(defineStack({}, { environment: 'prod' }));
  const ports = Object.fromEntries(Object.values(COLLECTOR_PORTS).map((p, i) => [p, 40_000 + i]));
  const dirs = { [rendered.queueDir]: '/tmp/q' };
  const samplerUpstreams = {
    [rendered.upstreams.traces]: '127.0.0.1:39000',
    [rendered.upstreams.metrics]: 'http://127.0.0.1:39001/v1/metrics',
    [rendered.upstreams.logs]: 'http://127.0.0.1:39001',
  };

  it('keeps the sampler\'s pipelines, processors and connectors and changes addresses only', () => {
    const { config, changes } = adaptConfig(rendered.sampler.config, { ports, upstreams: samplerUpstreams, dirs });
    for (const section of ['processors', 'connectors']) expect(config[section]).toEqual(rendered.sampler.config[section]);
    expect((config['service'] as Record<string, unknown>)['pipelines']).toEqual((rendered.sampler.config['service'] as Record<string, unknown>)['pipelines']);
    expect(changes.map((c) => c.path)).toContain('exporters.otlp_grpc/jaeger.endpoint');
    expect(changes.every((c) => /endpoint|directory|targets|prometheus$/.test(c.path))).toBe(true);
    expect(strayAddresses(config)).toEqual([]);
  });

  it('turns the gateway\'s DNS resolver into the local samplers, nothing else in its exporter', () => {
    const backends = ['127.0.0.1:1', '127.0.0.1:2'];
    const { config } = adaptConfig(rendered.gateway.config, { ports, upstreams: samplerUpstreams, dirs, loadBalancingBackends: backends });
    const exporters = (c: Record<string, unknown>) => c['exporters'] as Record<string, Record<string, unknown>>;
    const [id, exporter] = Object.entries(exporters(config)).find(([, e]) => 'resolver' in e)!;
    expect(exporter['resolver']).toEqual({ static: { hostnames: backends } });
    const { resolver: _r, ...rest } = exporter;
    const { resolver: _d, ...renderedRest } = exporters(rendered.gateway.config)[id]!;
    expect(rest).toEqual(renderedRest);
    expect(rest['routing_key']).toBe('traceID');
  });

  it('refuses to leave a next hop pointing into the stack', () => {
    const { [rendered.upstreams.traces]: _t, ...withoutTraces } = samplerUpstreams;
    expect(() => adaptConfig(rendered.sampler.config, { ports, upstreams: withoutTraces, dirs })).toThrow(/otlp_grpc\/jaeger\.endpoint=jaeger:4317/);
    expect(() => adaptConfig(rendered.sampler.config, { ports: {}, upstreams: samplerUpstreams, dirs })).toThrow(/no local port/);
  });

  it('needs a spec with several samplers', () => {
    expect(() => renderedTracePath(defineStack({}, { environment: 'local' }))).toThrow(/several samplers/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sliErrorRatioExpr } from '../../alerts/slo-rules.js';
import { defineStack, loadSpecFile, resolveSpec } from '../../model/define.js';
import { SpecError } from '../../model/errors.js';
import { deepMerge } from '../../model/merge.js';
import type { Environment } from '../../model/spec.js';
import { renderingProblems } from '../helpers/spec-fuzz-check.js';

/** Bugs the spec fuzz test (spec-fuzz-*.test.ts) found, each pinned by its smallest counterexample. */

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}
const rejected = (input: unknown, environment?: Environment) => problemsOf(() => resolveSpec(input, environment ? { environment } : {}));

const dir = mkdtempSync(join(tmpdir(), 'spec-fuzz-regressions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spec fuzz regressions', () => {
  it('names the path of a value JSON cannot show (BigInt, a cycle) instead of throwing a TypeError', () => {
    expect(rejected({ components: { loki: { storage: 5n } } })).toEqual(['components.loki.storage: expected a memory quantity like "512Mi" or "2Gi", got 5n']);
    expect(rejected(5n)).toEqual(['(root): expected a mapping of stack settings, got 5n']);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(rejected({ components: { loki: { storage: cycle } } })).toEqual(['components.loki.storage: expected a memory quantity like "512Mi" or "2Gi", got a mapping']);
  });

  it('shows a YAML alias bomb briefly instead of serializing its 10^10 leaves', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level++) lines.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
    lines.push('components:', '  loki:', '    storage: *a9');
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, lines.join('\n'));
    const problems = problemsOf(() => loadSpecFile(file));
    expect(problems).toContain('components.loki.storage: expected a memory quantity like "512Mi" or "2Gi", got a list');
    expect(problems.filter((p) => /^a\d: unknown key/.test(p))).toHaveLength(10);
  });

  it('rejects a "__proto__" key as unknown instead of applying the settings inside it', () => {
    const topLevel = rejected(JSON.parse('{"__proto__": {"storageClass": "fast"}}'));
    expect(topLevel).toHaveLength(1);
    expect(topLevel[0]).toMatch(/^__proto__: unknown key/);
    const nested = rejected(JSON.parse('{"ingress": {"__proto__": {"domain": "smuggled.example.com"}}}'));
    expect(nested).toHaveLength(1);
    expect(nested[0]).toMatch(/^ingress\.__proto__: unknown key/);
  });

  it('merges a "__proto__" key as a key, leaving the prototype alone', () => {
    const merged = deepMerge({ a: 1 }, JSON.parse('{"__proto__": {"b": 2}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['a', '__proto__']);
    expect(merged['b']).toBeUndefined();
  });

  it('rejects a Date, Map or boxed string where a mapping belongs instead of reading it as empty (the preset)', () => {
    expect(rejected(new Date(0))).toEqual(['(root): expected a mapping of stack settings, got "1970-01-01T00:00:00.000Z"']);
    expect(rejected({ components: { loki: new Map([['enabled', false]]) } })).toEqual(['components.loki: expected a mapping, a list or a single value, got a Map']);
    expect(rejected({ retention: new String('7d') })).toEqual(['retention: expected a mapping, a list or a single value, got a String']);
    // Where every key is optional, the schema alone would take a Date for an empty mapping.
    expect(rejected({ images: { overrides: new Date(0) } })).toEqual(['images.overrides: expected a mapping, a list or a single value, got a Date']);
  });

  it('rejects a request above its limit (Kubernetes and Docker refuse it), naming the request', () => {
    expect(rejected({ components: { loki: { resources: { limits: { memory: '128Mi' } } } } }, 'prod')).toEqual([
      'components.loki.resources.requests.memory: a memory request cannot be above its limit (128Mi), got "1024Mi"',
    ]);
    expect(rejected({ components: { glitchtip: { postgres: { resources: { limits: { cpu: '0.05' } } } } } })).toEqual([
      'components.glitchtip.postgres.resources.requests.cpu: a CPU request cannot be above its limit (0.05), got "100m"',
    ]);
    expect(() => defineStack({ components: { loki: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } } } } })).not.toThrow();
  });

  it('bounds quantities so they render as plain quantities (no exponent, no 0 from rounding)', () => {
    expect(rejected({ components: { loki: { resources: { limits: { cpu: '9999999999999999999999.5' } } } } })[0]).toMatch(/^components\.loki\.resources\.limits\.cpu: expected a CPU quantity/);
    expect(rejected({ components: { loki: { resources: { limits: { cpu: '0.0001' } } } } })[0]).toMatch(/^components\.loki\.resources\.limits\.cpu: expected a CPU quantity/);
    expect(rejected({ components: { loki: { storage: '9999999999Gi' } } })[0]).toMatch(/^components\.loki\.storage: expected a memory quantity/);
    const large = defineStack({ components: { loki: { resources: { requests: { cpu: '9999.999', memory: '999999999Mi' }, limits: { cpu: '9999999m', memory: '999999999Mi' } } } } });
    expect(large.components.loki.resources.limits.cpu).toBe('9999999m');
  });

  it('bounds durations at 100y (VictoriaMetrics and Go durations end soon after)', () => {
    expect(rejected({ retention: { metrics: '101y' } })).toEqual(['retention.metrics: expected a duration of at most 100y, got "101y"']);
    expect(rejected({ retention: { traces: '9999999999999999999999d' } })).toEqual(['retention.traces: expected a duration of at most 100y, got "9999999999999999999999d"']);
    expect(defineStack({ retention: { metrics: '100y' } }).retention.metrics).toBe('100y');
  });

  it('quotes an SLO service name in its rules and queries, whatever characters it has', () => {
    const service = 'we"ird\\svc\n';
    const [slo] = defineStack({ slos: [{ name: 'weird', service, objective: 99, sli: { kind: 'availability' } }] }).slos;
    expect(sliErrorRatioExpr(slo!, '5m')).toContain('service_name="we\\"ird\\\\svc\\n"');
    expect(sliErrorRatioExpr(slo!, '5m')).not.toContain(`"${service}"`);
  });

  it('accepts only real image references, which compose cannot misread (a "$" is interpolated)', () => {
    expect(rejected({ images: { overrides: { grafana: 'grafana/grafana:$TAG' } } })[0]).toMatch(/^images\.overrides\.grafana: expected an image reference/);
    expect(rejected({ images: { overrides: { grafana: 'grafana/grafana latest' } } })[0]).toMatch(/^images\.overrides\.grafana: expected an image reference/);
    expect(rejected({ images: { registry: '-' } })[0]).toMatch(/^images\.registry: expected a registry/);
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const spec = defineStack({ images: { registry: 'localhost:5000/mirror', overrides: { grafana: `registry.example.com:5000/team/grafana:12.0.0@${digest}` } } });
    expect(spec.images.overrides.grafana).toBe(`registry.example.com:5000/team/grafana:12.0.0@${digest}`);
  });

  it('renders a store Secret whose name starts with a digit into variables compose can interpolate', () => {
    const spec = defineStack({ scale: 'distributed', distributed: { logs: { objectStorage: { endpoint: 'http://aa/', bucket: '0aa', secret: '0loki-object-storage' } } } }, { environment: 'dev' });
    expect(renderingProblems(spec)).toEqual([]);
  });

  it('leaves an endpoint that is no URL to its own problem when checking the store port against it', () => {
    expect(rejected({ scale: 'distributed', distributed: { logs: { objectStorage: { endpoint: '!http://aa/', bucket: '0aa' } } } }, 'dev')).toEqual([
      expect.stringMatching(/^distributed\.logs\.objectStorage\.endpoint: expected an http\(s\) URL/),
    ]);
  });
});

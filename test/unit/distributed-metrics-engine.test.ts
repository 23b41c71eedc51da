/**
 * `distributed.metrics.engine`: a distributed stack on the VictoriaMetrics cluster (the default) or on
 * VictoriaMetrics single-node, with logs, traces and the sampler tier still distributed (docs/DISTRIBUTED.md).
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { renderedProblems } from '../../cli/validate.js';
import { scrapedStackComponents } from '../../alerts/stack-components.js';
import { defineStack } from '../../model/define.js';
import type { Component } from '../../model/component.js';
import { renderedPreset } from '../helpers/render.js';
import { specProblems } from '../helpers/spec-problems.js';

const single = renderStack(defineStack({ distributed: { metrics: { engine: 'single' } } }, { environment: 'prod' }));
const named = (name: string): Component => {
  const component = single.components.find((c) => c.name === name);
  if (!component) throw new Error(`no component ${name}`);
  return component;
};
const args = (name: string) => (named(name).args ?? []).map((a) => (typeof a === 'string' ? a : a.template));
const config = (name: string, file = 'config.yaml') => yaml.load(named(name).configFiles.find((f) => f.name === file)!.content) as any;

describe('distributed.metrics.engine', () => {
  it('is the cluster unless set', () => {
    expect(renderedPreset('prod').spec.distributed.metrics.engine).toBe('cluster');
    expect(renderedPreset('prod').components.map((c) => c.name)).toEqual(expect.arrayContaining(['vminsert', 'vmselect', 'vmstorage']));
  });

  it('refuses an engine it does not know, naming the path and the value', () => {
    expect(specProblems({ scale: 'distributed', distributed: { metrics: { engine: 'sharded' } } })).toEqual([
      'distributed.metrics.engine: expected one of cluster, single, got "sharded"',
    ]);
    expect(specProblems({ distributed: { metrics: { engine: 2 } } })).toEqual(['distributed.metrics.engine: expected one of cluster, single, got 2']);
  });

  it('single: VictoriaMetrics single-node instead of the cluster, the rest still distributed', () => {
    const names = single.components.map((c) => c.name);
    expect(names).toContain('victoriametrics');
    expect(names).not.toEqual(expect.arrayContaining(['vminsert']));
    expect(names.filter((n) => /^vm(insert|select|storage)$/.test(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['loki-write', 'loki-read', 'loki-backend', 'otel-scraper']));
    expect(named('otel-sampler').replicas).toBe(2);
    expect(named('jaeger').replicas).toBe(2);
    expect(named('vmalert').replicas).toBe(2);
    expect(named('victoriametrics')).toMatchObject({ kind: 'stateful', replicas: 1 });
  });

  it('single: the collector tiers write to it, vmalert and Grafana read it, the scraper scrapes it', () => {
    for (const tier of ['otel-collector', 'otel-sampler', 'otel-scraper']) {
      expect(config(tier).exporters['otlp_http/victoriametrics'].metrics_endpoint).toBe('http://victoriametrics:8428/opentelemetry/v1/metrics');
    }
    expect(args('vmalert')).toEqual(
      expect.arrayContaining(['-datasource.url=http://victoriametrics:8428', '-remoteWrite.url=http://victoriametrics:8428', '-remoteRead.url=http://victoriametrics:8428']),
    );
    const datasources = config('grafana', 'datasources.yaml');
    expect(datasources.datasources.find((d: any) => d.type === 'prometheus').url).toBe('http://victoriametrics:8428');
    expect(scrapedStackComponents(single.spec)).toContain('victoriametrics');
    expect(scrapedStackComponents(single.spec)).not.toContain('vminsert');
  });

  it('single: merges the recording-rule results of the vmalert replicas to one sample per evaluation interval', () => {
    expect(args('victoriametrics')).toContain('-dedup.minScrapeInterval=30s');
    const oneVmalert = renderStack(defineStack({ distributed: { metrics: { engine: 'single' }, vmalert: { replicas: 1 } } }, { environment: 'prod' }));
    const vm = oneVmalert.components.find((c) => c.name === 'victoriametrics')!;
    expect((vm.args ?? []).filter((a) => typeof a === 'string' && a.startsWith('-dedup'))).toEqual([]);
  });

  it('single: leaves the cluster sizing unread (a replication factor above vmstorage is not refused)', () => {
    const spec = defineStack({ distributed: { metrics: { engine: 'single', vmstorage: 1, replicationFactor: 3 } } }, { environment: 'prod' });
    expect(spec.distributed.metrics.engine).toBe('single');
    expect(specProblems({ scale: 'distributed', distributed: { metrics: { engine: 'cluster', vmstorage: 1, replicationFactor: 3 } } })).toEqual([
      'distributed.metrics.replicationFactor: the replication factor cannot exceed distributed.metrics.vmstorage (1), got 3',
    ]);
  });

  it('single: renders Kubernetes objects and a compose document that pass their schemas', () => {
    expect(renderedProblems(single)).toEqual([]);
  });

  it('of a single stack changes nothing', () => {
    const plain = renderStack(defineStack({ scale: 'single' }, { environment: 'prod' }));
    const withKey = renderStack(defineStack({ scale: 'single', distributed: { metrics: { engine: 'single' } } }, { environment: 'prod' }));
    expect(withKey.compose.files.get('compose.yaml')).toBe(plain.compose.files.get('compose.yaml'));
  });
});

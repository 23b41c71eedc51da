import { describe, expect, it } from 'vitest';
import { CollectorConfigBuilder, componentTypes, type ComponentKind } from '../../collector/config.js';
import { missingFromDistribution, observatoryDistribution, parseDistribution, versionMismatches } from '../../collector/distribution.js';
import { imageCatalog } from '../../model/catalog.js';
import { allCollectorConfigs } from '../helpers/collector-configs.js';

const distribution = observatoryDistribution();
const configs = allCollectorConfigs();

describe('the collector distribution manifest (collector/distribution/builder-config.yaml)', () => {
  it('is pinned to the catalog collector version in dist.version and every component module', () => {
    expect(versionMismatches(distribution, imageCatalog.collector.tag)).toEqual([]);
  });

  it('contains every component that any generated collector config uses', () => {
    expect(configs.length).toBeGreaterThanOrEqual(12);
    const missing = configs.flatMap((c) => missingFromDistribution(c.merged, distribution, c.name));
    expect(missing).toEqual([]);
  });

  it('contains nothing that no generated config uses', () => {
    const used = new Map<ComponentKind, Set<string>>();
    for (const { merged } of configs) {
      for (const [kind, types] of Object.entries(componentTypes(merged)) as [ComponentKind, string[]][]) {
        for (const type of types) used.set(kind, (used.get(kind) ?? new Set()).add(type));
      }
    }
    const unused = Object.entries(distribution.types).flatMap(([kind, types]) =>
      [...types].filter((t) => !used.get(kind as ComponentKind)?.has(t)).map((t) => `${kind}: ${t}`),
    );
    expect(unused).toEqual([]);
  });

  it('names the component a config uses but the manifest lacks', () => {
    const config = new CollectorConfigBuilder()
      .receiver('otlp')
      .processor('batch')
      .exporter('debug')
      .pipeline('traces', { receivers: ['otlp'], processors: ['batch'], exporters: ['debug'] })
      .build();
    expect(missingFromDistribution(config, distribution, 'my config')).toEqual([
      "my config uses processor 'batch', which collector/distribution/builder-config.yaml does not list",
      "my config uses exporter 'debug', which collector/distribution/builder-config.yaml does not list",
    ]);
  });

  it('refuses a manifest module whose component type it does not know, and one under the wrong kind', () => {
    expect(() => parseDistribution('dist: {version: 0.152.0}\nreceivers:\n  - gomod: example.com/acme/receiver v1.0.0\n')).toThrow(
      /receivers lists example.com\/acme\/receiver, whose component type collector\/distribution.ts does not know/,
    );
    expect(() =>
      parseDistribution('dist: {version: 0.152.0}\nexporters:\n  - gomod: go.opentelemetry.io/collector/receiver/otlpreceiver v0.152.0\n'),
    ).toThrow(/is listed under exporters but is one of the receivers/);
  });

  it('names the OTLP exporters as the pinned version does (renamed in 0.144)', () => {
    const old = parseDistribution('dist: {version: 0.140.0}\nexporters:\n  - gomod: go.opentelemetry.io/collector/exporter/otlpexporter v0.140.0\n');
    expect([...old.types.exporters]).toEqual(['otlp']);
    expect([...distribution.types.exporters].sort()).toEqual(['loadbalancing', 'otlp_grpc', 'otlp_http']);
  });
});

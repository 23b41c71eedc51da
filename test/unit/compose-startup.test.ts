import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../model/duration.js';
import { renderedPreset } from '../helpers/render.js';

interface Service {
  healthcheck?: { interval: string; retries: number; start_interval: string };
  depends_on?: Record<string, { condition: string }>;
}

/**
 * Start-up of the local stack to all healthy (issue 16: ≤ 20 s). On Docker Engine 20.10, which ignores
 * `start_interval`, each level of waits for a health check costs at least one `interval`; the telemetry path
 * waits only where a backend would lose data otherwise (docs/ARCHITECTURE.md).
 */
describe('the local stack starts in few, short health-check levels', () => {
  const rendered = renderedPreset('local');
  const services = (yaml.load(rendered.compose.files.get('compose.yaml')!) as { services: Record<string, Service> }).services;
  const waitsForHealth = (name: string) =>
    Object.entries(services[name]!.depends_on ?? {})
      .filter(([, d]) => d.condition === 'service_healthy')
      .map(([dependency]) => dependency);
  /** How many health checks (or completed one-shot steps) in a row a service waits for before it starts. */
  const levels = (name: string): number =>
    Math.max(0, ...Object.entries(services[name]!.depends_on ?? {}).map(([d, { condition }]) => levels(d) + (condition === 'service_started' ? 0 : 1)));

  it('probes every 5 s (2 s while starting on newer engines) and still needs 30 s of failures to call a service unhealthy', () => {
    const checked = Object.entries(services).filter(([, s]) => s.healthcheck);
    expect(checked.length).toBeGreaterThan(5);
    for (const [name, { healthcheck }] of checked) {
      expect(healthcheck!.interval, name).toBe('5s');
      expect(healthcheck!.start_interval, name).toBe('2s');
      expect(parseDuration(healthcheck!.interval) * healthcheck!.retries, name).toBe(30);
    }
  });

  it('lets the collector tiers start beside the stores they retry against; the gateway waits only for Loki (its pushes before ready answer 500, never retried)', () => {
    expect(waitsForHealth('otel-sampler')).toEqual([]);
    expect(waitsForHealth('otel-collector')).toEqual(['loki']);
    expect(Object.keys(services['otel-collector']!.depends_on!).sort()).toEqual(['loki', 'otel-sampler', 'victoriametrics']);
  });

  it('keeps the observability services one health-check level deep (the GlitchTip apps wait for their migration too)', () => {
    const deep = Object.keys(services).filter((name) => !/^(glitchtip|umami)/.test(name) && levels(name) > 1);
    expect(deep).toEqual([]);
    expect(levels('vmalert')).toBe(1);
  });

  it('has Loki ready as soon as its ingester is active and its query frontend found the scheduler (no 15 s minimum, no 10 s ring poll)', () => {
    const loki = yaml.load(rendered.components.find((c) => c.name === 'loki')!.configFiles[0]!.content) as {
      ingester: { lifecycler?: { min_ready_duration?: string } };
      frontend?: { scheduler_dns_lookup_period?: string };
    };
    expect(loki.ingester.lifecycler?.min_ready_duration).toBe('0s');
    expect(parseDuration(loki.frontend?.scheduler_dns_lookup_period ?? '10s')).toBeLessThanOrEqual(1);
  });
});

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { defineStack } from '../../model/define.js';

const render = (input: Parameters<typeof defineStack>[0]) => renderStack(defineStack(input));
const fileOf = (rendered: ReturnType<typeof render>, component: string, name: string) =>
  rendered.components.find((c) => c.name === component)!.configFiles.find((f) => f.name === name)!.content;

describe('components follow the spec', () => {
  it('disabled components render nothing, and nothing points at them', () => {
    const rendered = render({ components: { jaeger: { enabled: false }, umami: { enabled: false }, glitchtip: { enabled: false } } });
    const names = rendered.components.map((c) => c.name);
    expect(names).not.toContain('jaeger');
    expect(names.filter((n) => n.startsWith('umami') || n.startsWith('glitchtip'))).toEqual([]);
    const collector = yaml.load(fileOf(rendered, 'otel-collector', 'config.yaml')) as any;
    expect(Object.keys(collector.service.pipelines).sort()).toEqual(['logs', 'metrics', 'metrics/self']);
    expect(Object.keys(collector.connectors)).toEqual([]);
    const datasources = yaml.load(fileOf(rendered, 'grafana', 'datasources.yaml')) as any;
    expect(datasources.datasources.map((d: any) => d.uid).sort()).toEqual(['alertmanager', 'loki', 'victoriametrics']);
    expect(JSON.stringify(datasources)).not.toContain('jaeger');
    expect(rendered.compose.variables.join(' ')).not.toMatch(/UMAMI|GLITCHTIP/);
  });

  it('retention reaches every backend in the unit it understands', () => {
    const rendered = render({ retention: { metrics: '2w', logs: '10d', traces: '36h' } });
    const vm = rendered.components.find((c) => c.name === 'victoriametrics')!;
    expect(vm.args).toContain('-retentionPeriod=14d');
    expect((yaml.load(fileOf(rendered, 'loki', 'config.yaml')) as any).limits_config.retention_period).toBe('240h');
    expect((yaml.load(fileOf(rendered, 'jaeger', 'config.yaml')) as any).extensions.jaeger_storage.backends.main.badger.ttl.spans).toBe('36h');
  });

  it('the images catalog honours a mirror registry and per-image overrides', () => {
    const rendered = render({ images: { registry: 'registry.example.com/mirror', overrides: { loki: 'observatory.local/loki:3.7.8' } } });
    const image = (name: string) => rendered.components.find((c) => c.name === name)!.image.ref;
    expect(image('loki')).toBe('observatory.local/loki:3.7.8');
    expect(image('victoriametrics')).toBe('registry.example.com/mirror/victoriametrics/victoria-metrics:v1.150.0');
    expect(image('alertmanager')).toBe('registry.example.com/mirror/prometheus/alertmanager:v0.34.2');
  });

  it('sampling settings become tail-sampling policies', () => {
    const rendered = render({ sampling: { percentage: 25, latencyThreshold: '2s', decisionWait: '10s' } });
    const tail = (yaml.load(fileOf(rendered, 'otel-sampler', 'config.yaml')) as any).processors.tail_sampling;
    expect(tail.decision_wait).toBe('10s');
    expect(tail.policies).toEqual([
      { name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: 'keep-slow', type: 'latency', latency: { threshold_ms: 2000 } },
      { name: 'sample-rest', type: 'probabilistic', probabilistic: { sampling_percentage: 25 } },
    ]);
  });

  it('the ingress domain becomes the public URL of the UIs', () => {
    const rendered = render({ ingress: { enabled: true, domain: 'obs.example.com' } });
    expect(rendered.components.find((c) => c.name === 'grafana')!.env!['GF_SERVER_ROOT_URL']).toBe('https://grafana.obs.example.com');
    expect(rendered.components.find((c) => c.name === 'glitchtip-web')!.env!['GLITCHTIP_DOMAIN']).toBe('https://errors.obs.example.com');
  });
});

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { METRIC_RESOURCE_ATTRIBUTES } from '../../collector/metric-labels.js';
import { allCollectorConfigs } from '../helpers/collector-configs.js';

const allowListStatement = `keep_keys(resource.attributes, [${METRIC_RESOURCE_ATTRIBUTES.map((k) => `"${k}"`).join(', ')}])`;
type Pipelines = Record<string, { readonly receivers: readonly string[]; readonly processors?: readonly string[]; readonly exporters: readonly string[] }>;

/**
 * Services' metrics keep an allow-list of resource attributes as labels; their traces and logs keep all of them.
 */
describe('services\' metrics and span metrics keep only the allow-listed resource attributes as labels', () => {
  const gateways = allCollectorConfigs().filter((c) => c.name.includes(' otel-collector '));

  it('ends every pipeline of OTLP metrics with keep_keys over the allow-list, and no trace or log pipeline', () => {
    expect(gateways.length).toBeGreaterThan(0);
    for (const gateway of gateways) {
      const pipelines = gateway.merged.service.pipelines as Pipelines;
      const processors = gateway.merged.processors as Record<string, { metric_statements?: string[]; trace_statements?: unknown; log_statements?: unknown }>;
      const otlpMetrics = Object.entries(pipelines).filter(([name, p]) => name.startsWith('metrics') && p.receivers.some((r) => r.startsWith('otlp')));
      expect(otlpMetrics.length, gateway.name).toBeGreaterThan(0);
      for (const [name, pipeline] of otlpMetrics) {
        const last = pipeline.processors!.at(-1)!;
        expect(last, `${gateway.name} ${name}`).toMatch(/^transform\//);
        expect(processors[last]!.metric_statements).toEqual([allowListStatement]);
        expect(processors[last]).not.toHaveProperty('trace_statements');
        expect(processors[last]).not.toHaveProperty('log_statements');
      }
      for (const [name, pipeline] of Object.entries(pipelines).filter(([n]) => !n.startsWith('metrics'))) {
        expect(pipeline.processors ?? [], `${gateway.name} ${name}`).not.toContain(otlpMetrics[0]![1].processors!.at(-1));
      }
    }
  });

  it('applies the same allow-list to the sampler\'s span metrics (which copy their spans\' resource), and keys their series by it', () => {
    const samplers = allCollectorConfigs().filter((c) => c.name.includes(' otel-sampler '));
    expect(samplers.length).toBeGreaterThan(0);
    for (const sampler of samplers) {
      const pipelines = sampler.merged.service.pipelines as Pipelines;
      const processors = sampler.merged.processors as Record<string, { metric_statements?: string[] }>;
      const connectors = sampler.merged.connectors as Record<string, { resource_metrics_key_attributes?: string[] }>;
      const spanMetrics = Object.entries(pipelines).filter(([name, p]) => name.startsWith('metrics') && p.receivers.includes('span_metrics'));
      expect(spanMetrics.map(([name]) => name), sampler.name).toEqual(['metrics/spans']);
      const [, pipeline] = spanMetrics[0]!;
      expect(pipeline.receivers, sampler.name).toEqual(['span_metrics']);
      // The allow-list last, but for the label the stack adds itself (a distributed sampler's `collector.instance`).
      expect(pipeline.processors!.filter((p) => p !== 'transform/instance').at(-1), sampler.name).toBe('transform/metric_labels');
      expect(processors['transform/metric_labels']!.metric_statements).toEqual([allowListStatement]);
      expect(connectors['span_metrics']!.resource_metrics_key_attributes).toEqual([...METRIC_RESOURCE_ATTRIBUTES]);
    }
  });

  it('keeps who, which instance and where, and drops per-process details', () => {
    for (const key of ['service.name', 'service.version', 'service.instance.id', 'deployment.environment.name', 'k8s.namespace.name', 'k8s.pod.name', 'k8s.deployment.name']) {
      expect(METRIC_RESOURCE_ATTRIBUTES).toContain(key);
    }
    for (const key of ['process.pid', 'process.command_args', 'process.runtime.version', 'host.arch', 'os.type', 'telemetry.sdk.version', 'k8s.pod.uid']) {
      expect(METRIC_RESOURCE_ATTRIBUTES).not.toContain(key);
    }
  });

  it('is rendered as YAML the collector reads (the OTTL statement quoted once)', () => {
    const content = gateways[0]!.files[0]!.content;
    const parsed = yaml.load(content) as { processors: Record<string, { metric_statements: string[] }> };
    expect(parsed.processors['transform/metric_labels']!.metric_statements[0]).toMatch(/^keep_keys\(resource\.attributes, \["service\.name", /);
  });
});

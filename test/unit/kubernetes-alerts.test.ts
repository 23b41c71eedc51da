import { describe, expect, it } from 'vitest';
import { kubernetesAlerts } from '../../alerts/kubernetes-alerts.js';
import { defineStack } from '../../model/define.js';
import { allCollectorConfigs } from '../helpers/collector-configs.js';

/**
 * The workload alerts read series the collector must be configured to produce: the optional ones of k8s_cluster
 * (off by default at 0.152) must be switched on in the sampler's Kubernetes config.
 */
describe('the Kubernetes workload alerts and the collector config they read', () => {
  // The collector that runs k8s_cluster: the sampler, or the scraper beside several samplers (distributed).
  const samplers = allCollectorConfigs().filter((c) => /otel-(sampler|scraper) \(kubernetes\)/.test(c.name) && 'k8s_cluster' in (c.merged.receivers ?? {}));
  const exprs = kubernetesAlerts(defineStack({})).flatMap((a) => a.variants.map((v) => v.expr)).join('\n');

  it('find k8s_cluster reporting the node conditions, container status reasons and last terminated reasons they read', () => {
    expect(samplers.map((s) => s.name)).toEqual(expect.arrayContaining(['local otel-sampler (kubernetes)', 'prod otel-scraper (kubernetes)']));
    for (const sampler of samplers) {
      const cluster = (sampler.merged.receivers as Record<string, Record<string, unknown>>)['k8s_cluster']!;
      const conditions = cluster['node_conditions_to_report'] as string[];
      for (const [condition, metric] of [['Ready', 'k8s_node_condition_ready'], ['MemoryPressure', 'k8s_node_condition_memory_pressure'], ['DiskPressure', 'k8s_node_condition_disk_pressure']] as const) {
        if (exprs.includes(metric)) expect(conditions, `${sampler.name}: ${metric}`).toContain(condition);
      }
      expect(exprs).toContain('k8s_container_status_reason{');
      expect(cluster['metrics'], sampler.name).toEqual({ 'k8s.container.status.reason': { enabled: true } });
      expect(exprs).toContain('k8s_container_status_last_terminated_reason=');
      expect(cluster['resource_attributes'], sampler.name).toEqual({ 'k8s.container.status.last_terminated_reason': { enabled: true } });
    }
  });

  it('cover every namespace: no alert is limited to the stack\'s own; the claims alert leaves the stack\'s claims to StackVolumeAlmostFull', () => {
    expect(exprs).not.toMatch(/k8s_namespace_name="/);
    expect(exprs).not.toMatch(/[{,]\s*namespace="/);
    expect(exprs.match(/namespace!="[^"]*"/g)).toEqual(Array(7).fill('namespace!="observability"'));
  });
});

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { configOverlay, mergeConfigs } from '../../collector/overlay.js';
import { gatewayConfig, samplerConfig } from '../../collector/pipelines.js';
import { renderStack } from '../../cli/render.js';
import { allObjects } from '../../constructs/manifests.js';
import { defineStack } from '../../model/define.js';
import { objectsOf, renderedPreset, workloads } from '../helpers/render.js';

// The single layout: the sampler runs the cluster-wide receivers (test/unit/distributed.test.ts: the scraper does when distributed).
const rendered = renderStack(defineStack({ scale: 'single' }, { environment: 'prod' }));
const objects = objectsOf(rendered);
const byKind = (kind: string) => objects.filter((o) => o.kind === kind) as any[];

describe('Kubernetes telemetry', () => {
  it('runs one agent per node with its node name and IP from the downward API', () => {
    const [agent, ...others] = byKind('DaemonSet');
    expect(others).toHaveLength(0);
    expect(agent.metadata.name).toBe('otel-agent');
    const env = agent.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(env).toContainEqual({ name: 'K8S_NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } });
  });

  it('gives API access only to the collector tiers and the agent, each exactly what its receivers need', () => {
    const roles = Object.fromEntries(byKind('ClusterRole').map((r) => [r.metadata.name, r.rules]));
    expect(Object.keys(roles).sort()).toEqual(['observability-otel-agent', 'observability-otel-collector', 'observability-otel-sampler']);
    expect(roles['observability-otel-agent']).toEqual([
      { apiGroups: [''], resources: ['nodes/stats', 'nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    ]);
    for (const name of ['observability-otel-collector', 'observability-otel-sampler']) {
      const rules = roles[name] as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
      for (const rule of rules) expect(rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v)), JSON.stringify(rule)).toBe(true);
      expect(rules.flatMap((r) => r.resources)).not.toContain('secrets');
    }
    // Cluster-wide receivers live in the one sampler; the gateway only looks pods up for their metadata.
    const sampler = roles['observability-otel-sampler'] as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    expect(sampler.find((r) => r.apiGroups[0] === 'events.k8s.io')).toEqual({ apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['list', 'watch'] });
    const gateway = roles['observability-otel-collector'] as { apiGroups: string[]; resources: string[] }[];
    expect(gateway.flatMap((r) => r.resources)).not.toContain('events');

    for (const binding of byKind('ClusterRoleBinding')) {
      expect(binding.metadata.namespace).toBeUndefined();
      expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: binding.metadata.name.replace('observability-', ''), namespace: 'observability' }]);
      expect(binding.roleRef.name).toBe(binding.metadata.name);
    }
    for (const { object, pod } of workloads(objects)) {
      const reads = ['otel-collector', 'otel-sampler', 'otel-agent'].includes(object.metadata.name);
      expect(pod['automountServiceAccountToken'], object.metadata.name).toBe(reads);
      if (reads) expect(pod['serviceAccountName']).toBe(object.metadata.name);
    }
  });

  it('adds to the shared collector config through an overlay that merges to the full Kubernetes config', () => {
    const merged = (name: string) => {
      const component = rendered.components.find((c) => c.name === name)!;
      expect(component.kubernetes!.args).toEqual(['--config=/etc/otelcol/kubernetes.yaml']);
      return mergeConfigs(yaml.load(component.configFiles[0]!.content), yaml.load(component.kubernetes!.configFiles![0]!.content)) as any;
    };
    const gateway = merged('otel-collector');
    expect(gateway.service.pipelines.traces.processors).toEqual(['memory_limiter', 'k8s_attributes']);
    expect(gateway.service.pipelines.traces.exporters).toEqual(['otlp_grpc/sampler']);
    const sampler = merged('otel-sampler');
    expect(sampler.service.pipelines.traces.processors).toEqual(['memory_limiter', 'tail_sampling']);
    expect(sampler.service.pipelines['metrics/kubernetes'].receivers).toEqual(['k8s_cluster']);
    expect(sampler.service.pipelines['logs/kubernetes-events'].receivers).toEqual(['k8s_objects/events']);
    const pod = workloads(objects).find((w) => w.object.metadata.name === 'otel-collector')!.pod;
    expect(pod.containers[0]!.args).toEqual(['--config=/etc/otelcol/config.yaml', '--config=/etc/otelcol/kubernetes.yaml']);
  });

  it('scrapes annotated pods of its own node only, and sends node metrics straight to the metrics store', () => {
    const agent = rendered.components.find((c) => c.name === 'otel-agent')!;
    const config = yaml.load(agent.configFiles[0]!.content) as any;
    const pods = config.receivers['prometheus/pods'].config.scrape_configs[0];
    expect(pods.kubernetes_sd_configs[0].selectors).toEqual([{ role: 'pod', field: 'spec.nodeName=${env:K8S_NODE_NAME}' }]);
    // Every series names its node (kubelet stats put it on node metrics only; N agents scrape themselves at
    // 127.0.0.1 and their own series would otherwise be one and the same).
    expect(config.service.pipelines.metrics.processors).toEqual(['memory_limiter', 'transform/node']);
    expect(config.processors['transform/node'].metric_statements).toEqual(['set(resource.attributes["k8s.node.name"], "${env:K8S_NODE_NAME}")']);
    expect(pods.relabel_configs[0]).toEqual({ source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' });
    expect(config.receivers.kubelet_stats.endpoint).toBe('https://${env:K8S_NODE_IP}:10250');
    expect(config.exporters['otlp_http/victoriametrics'].metrics_endpoint).toBe('http://victoriametrics:8428/opentelemetry/v1/metrics');
  });

  it('is absent when turned off, and never in the compose bundle', () => {
    const off = renderStack(defineStack({ scale: 'single', components: { collector: { kubernetes: { enabled: false } } } }, { environment: 'prod' }));
    const kinds = allObjects(off.kubernetes).map((o) => o.kind);
    expect(kinds).not.toContain('DaemonSet');
    expect(kinds).not.toContain('ClusterRole');
    expect(off.components.find((c) => c.name === 'otel-collector')!.kubernetes).toBeUndefined();
    const compose = rendered.compose.files;
    expect(compose.get('compose.yaml')).not.toContain('otel-agent');
    expect([...compose.keys()].filter((f) => f.includes('kubernetes'))).toEqual([]);
  });
});

describe('configOverlay', () => {
  it('holds only what changed, restating changed lists whole', () => {
    const base = { a: { b: 1, list: [1, 2] }, keep: true };
    const full = { a: { b: 1, list: [1, 2, 3], c: 'new' }, keep: true, d: {} };
    const overlay = configOverlay(base, full);
    expect(overlay).toEqual({ a: { list: [1, 2, 3], c: 'new' }, d: {} });
    expect(mergeConfigs(base, overlay)).toEqual(full);
  });

  it('refuses to express a removal, which the collector cannot merge', () => {
    expect(() => configOverlay({ a: { b: 1 } }, { a: {} })).toThrow(/a\.b exists in the base config but not in the full one/);
  });

  it('reproduces the full Kubernetes config of both collector tiers for every backend combination', () => {
    const spec = defineStack({});
    const common = { version: '0.152.0', memoryLimit: '512Mi' };
    for (const backends of [{ traces: 'j:4317' }, { metrics: 'http://vm/m' }, { logs: 'http://l/otlp' }, { traces: 'j:4317', metrics: 'http://vm/m', logs: 'http://l/otlp' }]) {
      const sampler = { ...common, scrapeTargets: [], backends };
      const samplerBase = samplerConfig(spec, sampler);
      const samplerFull = samplerConfig(spec, { ...sampler, kubernetes: true });
      expect(mergeConfigs(samplerBase, configOverlay(samplerBase, samplerFull))).toEqual(samplerFull);
      const { traces, ...storesOnly } = backends as { traces?: string; metrics?: string; logs?: string };
      const gateway = { ...common, backends: { ...(traces ? { sampler: 's:4317' } : {}), ...storesOnly } };
      const gatewayBase = gatewayConfig(spec, gateway);
      const gatewayFull = gatewayConfig(spec, { ...gateway, kubernetes: true });
      expect(mergeConfigs(gatewayBase, configOverlay(gatewayBase, gatewayFull))).toEqual(gatewayFull);
    }
  });
});

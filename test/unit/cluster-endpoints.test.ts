import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { clusterEndpoints, type ClusterEndpoints } from '../../constructs/cluster-endpoints.js';
import { selectorLabels } from '../../constructs/labels.js';
import type { KubeObject } from '../../constructs/schema-check.js';
import { ObservabilityStack } from '../../constructs/stack.js';
import { defineStack } from '../../model/define.js';
import { ObservabilityStack as PulumiStack } from '../../stacks/component.js';
import { NetworkPolicyModel, type Endpoint } from '../helpers/network-policy-evaluator.js';

const app = () => new App({ outdir: '/nonexistent-cdk8s-outdir' });
const addresses: readonly (keyof ClusterEndpoints)[] = ['otlpGrpc', 'otlpHttp', 'grafanaUrl', 'lokiUrl', 'victoriaMetricsUrl', 'jaegerQueryUrl'];

describe('the stack\'s cluster endpoints', () => {
  const stack = new ObservabilityStack(app(), 'observability', { spec: { environment: 'prod', namespace: 'telemetry' } });
  const objects = stack.toJson() as KubeObject[];

  it('are namespace-qualified Service addresses', () => {
    expect({ ...stack.clusterEndpoints }).toEqual({
      otlpGrpc: 'otel-collector.telemetry.svc:4317',
      otlpHttp: 'http://otel-collector.telemetry.svc:4318',
      grafanaUrl: 'http://grafana.telemetry.svc:3000',
      // prod is distributed: queries go to Loki's read target and to vmselect.
      lokiUrl: 'http://loki-read.telemetry.svc:3100',
      victoriaMetricsUrl: 'http://vmselect.telemetry.svc:8481/select/0/prometheus',
      jaegerQueryUrl: 'http://jaeger.telemetry.svc:16686',
      ingestTokenSecret: 'otel-collector-ingest',
    });
  });

  it.each(addresses)('%s names a Service the stack renders, in its namespace, on a port it serves', (key) => {
    const { hostname, port } = new URL(stack.clusterEndpoints[key].includes('://') ? stack.clusterEndpoints[key] : `tcp://${stack.clusterEndpoints[key]}`);
    const [service, namespace, svc] = hostname.split('.');
    expect(svc).toBe('svc');
    const match = objects.find((o) => o.kind === 'Service' && o.metadata.name === service && o.metadata.namespace === namespace);
    expect(match, `${service}.${namespace}`).toBeDefined();
    expect((match as any).spec.ports.map((p: { port: number }) => p.port)).toContain(Number(port));
  });

  it('names the Secret a workload mounts for the ingest token', () => {
    const collector = objects.filter((o) => JSON.stringify(o).includes(`"name":"${stack.clusterEndpoints.ingestTokenSecret}"`));
    expect(collector.map((o) => o.kind)).toContain('StatefulSet');
  });

  it('refuses the address of a disabled component, naming the spec key', () => {
    const endpoints = clusterEndpoints(defineStack({ components: { loki: { enabled: false } } }));
    expect(() => endpoints.lokiUrl).toThrow('components.loki.enabled is false: the stack has no loki to reach');
    expect(endpoints.grafanaUrl).toBe('http://grafana.observability.svc:3000');
  });

  it('are the same on the Pulumi component', async () => {
    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }), call: () => ({}) }, 'observatory', 'test', false);
    const provider = new k8s.Provider('endpoints-cluster', { kubeconfig: 'apiVersion: v1\nkind: Config\n' });
    // prod is distributed: its stores' credentials are Secrets made beside it here.
    const component = new PulumiStack('observability', { provider, spec: { environment: 'prod', namespace: 'telemetry' }, existingSecrets: ['jaeger-opensearch', 'loki-object-storage'] });
    expect({ ...component.clusterEndpoints }).toEqual({ ...stack.clusterEndpoints });
  });
});

describe('allowTelemetryFrom', () => {
  const checkoutIn = (namespace: string, createNamespace = true) => {
    const root = app();
    const stack = new ObservabilityStack(root, 'observability', { spec: { environment: 'prod' }, createNamespace });
    const checkout = new kplus.Deployment(new Chart(root, 'shop', { namespace }), 'checkout', { containers: [{ image: 'registry.example.com/checkout:1', portNumber: 8080 }] });
    const model = () => new NetworkPolicyModel(root.charts.flatMap((c) => c.toJson() as KubeObject[]));
    const pod: Endpoint = { namespace, labels: checkout.matchLabels };
    const collector = stack.components.find((c) => c.ports.some((p) => p.clients === 'cluster'))!;
    const grafana = stack.components.find((c) => c.name === 'grafana')!;
    const podOf = (c: (typeof stack.components)[number]): Endpoint => ({ namespace: stack.spec.namespace, labels: selectorLabels(stack.spec, c) });
    return { stack, checkout, model, pod, collectorPod: podOf(collector), grafanaPod: podOf(grafana) };
  };
  const dns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

  it('opens DNS and the OTLP ports, and nothing else, to a workload in the stack\'s namespace', () => {
    const { stack, checkout, model, pod, collectorPod, grafanaPod } = checkoutIn('observability');
    expect(model().allows(pod, collectorPod, 4317)).toBe(false);
    stack.allowTelemetryFrom(checkout);
    const after = model();
    expect([4317, 4318].map((port) => after.allows(pod, collectorPod, port))).toEqual([true, true]);
    expect(after.allows(pod, dns, 53, 'UDP')).toBe(true);
    expect(after.allows(pod, grafanaPod, 3000)).toBe(false);
    expect(after.allows(pod, { external: true }, 443)).toBe(false);
  });

  it('adds nothing for a workload of another namespace, which reaches the collector already', () => {
    const { stack, checkout, model, pod, collectorPod } = checkoutIn('shop');
    const before = model();
    expect(before.allows(pod, collectorPod, 4317)).toBe(true);
    stack.allowTelemetryFrom(checkout);
    expect(stack.toJson().filter((o: KubeObject) => o.metadata.name.includes('telemetry-from'))).toEqual([]);
  });

  it('adds nothing in a namespace the stack does not own, where its default deny covers only its own pods', () => {
    const { stack, checkout, model, pod, collectorPod } = checkoutIn('observability', false);
    expect(model().allows(pod, collectorPod, 4317)).toBe(true);
    stack.allowTelemetryFrom(checkout);
    expect(model().allows(pod, { external: true }, 443)).toBe(true);
  });
});

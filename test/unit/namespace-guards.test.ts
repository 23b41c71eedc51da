import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Loki } from '../../constructs/loki.js';
import { ObservabilityStack } from '../../constructs/stack.js';
import { defineStack } from '../../model/define.js';
import { ObservabilityStack as PulumiStack } from '../../stacks/component.js';

const app = () => new App({ outdir: '/nonexistent-cdk8s-outdir' });

describe('two stacks in one app', () => {
  it('are refused when they render into the same namespace, naming both', () => {
    const shared = app();
    new ObservabilityStack(shared, 'team-a', { spec: { name: 'team-a' } });
    expect(() => new ObservabilityStack(shared, 'team-b', { spec: { name: 'team-b' } })).toThrow(
      'ObservabilityStack "team-b": namespace "observability" is already rendered into by ObservabilityStack "team-a"; their objects would share names. Give one of them another spec.namespace',
    );
  });

  it('are accepted in different namespaces, with no object in common', () => {
    const shared = app();
    const a = new ObservabilityStack(shared, 'team-a', { spec: { namespace: 'obs-a' } });
    const b = new ObservabilityStack(shared, 'team-b', { spec: { namespace: 'obs-b' } });
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const keysOfA = new Set(a.toJson().map(key));
    expect(b.toJson().map(key).filter((k) => keysOfA.has(k))).toEqual([]);
  });
});

describe('a namespace that cannot take effect', () => {
  it('is refused on the stack: its namespace is spec.namespace', () => {
    // @ts-expect-error the stack's props have no namespace
    expect(() => new ObservabilityStack(app(), 'stack', { namespace: 'monitoring' })).toThrow(
      'ObservabilityStack "stack": props.namespace "monitoring" cannot take effect: the stack renders into spec.namespace ("observability"); set spec.namespace instead',
    );
  });

  it('is refused on a component construct whose chart renders into another namespace than spec.namespace', () => {
    const spec = defineStack({ namespace: 'telemetry' });
    expect(() => new Loki(new Chart(app(), 'mine', { namespace: 'monitoring' }), 'loki', { spec })).toThrow(
      'mine/loki: its chart puts objects in namespace "monitoring" but spec.namespace is "telemetry"; create the chart with { namespace: "telemetry" } or set spec.namespace',
    );
    expect(() => new Loki(new Chart(app(), 'mine'), 'loki', { spec })).toThrow(/its chart puts objects in namespace \(none\)/);
    const loki = new Loki(new Chart(app(), 'mine', { namespace: 'telemetry' }), 'loki', { spec });
    expect(loki.components.map((c) => c.name)).toEqual(['loki']);
  });
});

describe('two Pulumi components on one provider', () => {
  it('are refused in the same namespace, naming both', async () => {
    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }), call: () => ({}) }, 'observatory', 'test', false);
    const provider = new k8s.Provider('cluster', { kubeconfig: 'apiVersion: v1\nkind: Config\n' });
    new PulumiStack('team-a', { provider, spec: { environment: 'dev' } });
    expect(() => new PulumiStack('team-b', { provider, spec: { environment: 'dev' } })).toThrow(
      'ObservabilityStack "team-b": namespace "observability" is already rendered into by ObservabilityStack "team-a"',
    );
    expect(() => new PulumiStack('team-c', { provider, spec: { environment: 'dev', namespace: 'team-c' } })).not.toThrow();
  });
});

/**
 * The rendered NetworkPolicies enforced by a real controller (kube-router, iptables + ipset): probe pods wearing
 * each component's labels (so the policies treat them as that component), a stranger pod in the stack's
 * namespace and a pod of another namespace try TCP connections to every port of every component's real pod,
 * and the outcome of each is compared with test/helpers/network-policy-evaluator.ts, the model the unit test
 * (test/unit/network-policies.test.ts) checks every preset against. Every address tried is a pod of this
 * cluster: nothing is sent outside this machine.
 */
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { selectorLabels } from '../../constructs/labels.js';
import { allObjects } from '../../constructs/manifests.js';
import { runsOn, type Component } from '../../model/component.js';
import { defineStack } from '../../model/define.js';
import { NetworkPolicyModel, type Endpoint } from '../helpers/network-policy-evaluator.js';
import { kubectl, tryKubectl } from './cluster.js';
import { clusterLayout } from './layout.js';
import { clusterStackInput, STACK_NAMESPACE } from './stack-deployment.js';
import { probePodManifest, TEST_NAMESPACE } from './test-workloads.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));
const LISTENER_PORT = 9999;
/** A refused connection is rejected at once or dropped (then it runs into this timeout). */
const CONNECT_TIMEOUT = '3s';

interface Probe {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** What the model calls it. */
  readonly endpoint: Endpoint;
}

interface Attempt {
  readonly from: string;
  readonly target: string;
  readonly open: boolean;
  readonly expected: boolean;
  readonly error: string;
}

/** A ConfigMap that owns the probe pods: a pod with a controller already is never adopted by a workload whose selector it matches. */
const OWNER = 'network-policy-probes';

function probePod(p: Probe, owner: { name: string; uid: string }, args: readonly string[] = ['/bin/sleep', '3600']): object {
  const pod = probePodManifest(p.name, p.namespace, { ...p.labels, 'observatory.test/probe': 'true' }, args, {
    // Never Ready: a probe wearing a component's labels must not become an endpoint of its Service.
    readinessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 60 },
  }) as { metadata: Record<string, unknown> };
  pod.metadata['ownerReferences'] = [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid, controller: true }];
  return pod;
}

describe.skipIf(skipReason !== '')('network policies, enforced by a real controller', () => {
  const rendered = renderStack(defineStack(clusterStackInput));
  const { spec } = rendered;
  const model = new NetworkPolicyModel(allObjects(rendered.kubernetes));
  const components = rendered.components.filter((c) => runsOn(c, 'kubernetes') && c.kind !== 'scheduled');
  const controllerNamespace = spec.ingress.controllerNamespace;
  const componentEndpoint = (c: Component): Endpoint => ({ namespace: spec.namespace, labels: { ...selectorLabels(spec, c), 'app.kubernetes.io/component': c.role } });
  const probes: Probe[] = [
    ...components.map((c) => ({ name: `probe-as-${c.name}`, namespace: STACK_NAMESPACE, labels: componentEndpoint(c).labels!, endpoint: componentEndpoint(c) }) as Probe),
    { name: 'probe-stranger', namespace: STACK_NAMESPACE, labels: { app: 'stranger' }, endpoint: { namespace: STACK_NAMESPACE, labels: { app: 'stranger' } } },
    { name: 'probe-outsider', namespace: TEST_NAMESPACE, labels: { app: 'outsider' }, endpoint: { namespace: TEST_NAMESPACE, labels: { app: 'outsider' } } },
    // A pod of the ingress controller's namespace: the policies admit it to the public ports only.
    { name: 'probe-ingress', namespace: controllerNamespace, labels: { app: 'ingress-probe' }, endpoint: { namespace: controllerNamespace, labels: { app: 'ingress-probe' } } },
  ];
  const listener: Probe = { name: 'listener', namespace: TEST_NAMESPACE, labels: { app: 'listener' }, endpoint: { namespace: TEST_NAMESPACE, labels: { app: 'listener' } } };
  const attempts: Attempt[] = [];

  beforeAll(async () => {
    const owners = Object.fromEntries(
      [STACK_NAMESPACE, TEST_NAMESPACE, controllerNamespace].map((namespace) => {
        kubectl(layout, ['-n', namespace, 'create', 'configmap', OWNER]);
        return [namespace, { name: OWNER, uid: kubectl(layout, ['-n', namespace, 'get', 'configmap', OWNER, '-o', 'jsonpath={.metadata.uid}']) }];
      }),
    );
    const pods = [...probes.map((p) => probePod(p, owners[p.namespace]!)), probePod(listener, owners[TEST_NAMESPACE]!, ['/bin/netprobe', 'listen', `:${LISTENER_PORT}`])];
    kubectl(layout, ['apply', '-f', '-'], pods.map((p) => yaml.dump(p)).join('---\n'));
    for (const p of [...probes, listener]) {
      kubectl(layout, ['-n', p.namespace, 'wait', '--for=jsonpath={.status.phase}=Running', `pod/${p.name}`, '--timeout=120s']);
    }
    // The controller programs its rules for new pods asynchronously.
    await new Promise((r) => setTimeout(r, 5_000));
  }, 300_000);

  afterAll(() => {
    // Deleting the owner deletes its probe pods (garbage collection).
    for (const ns of [STACK_NAMESPACE, TEST_NAMESPACE, controllerNamespace]) tryKubectl(layout, ['-n', ns, 'delete', 'configmap', OWNER, '--wait=false']);
  });

  /** The IP of a running pod with these labels; `real`: not one of the probes wearing them. */
  const podIp = (namespace: string, selector: Record<string, string>, real = true): string => {
    const labels = [...Object.entries(selector).map(([k, v]) => `${k}=${v}`), ...(real ? ['!observatory.test/probe'] : [])].join(',');
    const out = kubectl(layout, ['-n', namespace, 'get', 'pods', '-l', labels, '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].status.podIP}']);
    const ip = out.trim().split(/\s+/).filter(Boolean)[0];
    if (!ip) throw new Error(`no running pod in ${namespace} with ${JSON.stringify(selector)}`);
    return ip;
  };

  it('opens exactly the flows the model allows, from every component, a stranger and another namespace', () => {
    const targets = components.flatMap((c) => {
      const ip = podIp(STACK_NAMESPACE, selectorLabels(spec, c));
      return c.ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ component: c, port: p.port, address: `${ip}:${p.port}` }));
    });
    for (const probe of probes) {
      const mine = targets.filter((t) => `probe-as-${t.component.name}` !== probe.name);
      const out = kubectl(layout, ['-n', probe.namespace, 'exec', probe.name, '--', '/bin/netprobe', 'connect', CONNECT_TIMEOUT, ...mine.map((t) => t.address)]);
      const results = out.trim().split('\n').map((line) => JSON.parse(line) as { target: string; open: boolean; error: string });
      for (const [i, t] of mine.entries()) {
        const r = results[i]!;
        attempts.push({
          from: probe.name.replace(/^probe-(as-)?/, ''),
          target: `${t.component.name}:${t.port}`,
          // kube-router rejects what no policy admits (ICMP port unreachable: "connection refused"), so only a
          // connection made counts as open; every port tried has a listener, or the model's "allowed" fails.
          open: r.open,
          expected: model.allows(probe.endpoint, componentEndpoint(t.component), t.port),
          error: r.error,
        });
      }
    }
    const mismatches = attempts.filter((a) => a.open !== a.expected).map((a) => `${a.from} → ${a.target}: ${a.open ? 'open' : `refused (${a.error})`}, the model says ${a.expected ? 'allowed' : 'refused'}`);
    const open = attempts.filter((a) => a.open).length;
    console.log(`network flows tried: ${attempts.length}; open ${open}, refused ${attempts.length - open}; mismatches with the model: ${mismatches.length}`);
    expect(mismatches).toEqual([]);
    // The declared flows are among them, and the stranger reaches nothing.
    const declared = components.flatMap((c) => (c.connectsTo ?? []).map((t) => `${c.name} → ${t.component}:${t.port}`));
    expect(declared.length).toBeGreaterThan(10);
    for (const flow of declared) expect(attempts.some((a) => `${a.from} → ${a.target}` === flow && a.open), flow).toBe(true);
    expect(attempts.filter((a) => a.from === 'stranger' && a.open)).toEqual([]);
    expect(attempts.filter((a) => a.from === 'outsider' && a.open).map((a) => a.target).sort()).toEqual(['otel-collector:4317', 'otel-collector:4318']);
    expect(attempts.filter((a) => a.from === 'ingress' && a.open).map((a) => a.target).sort()).toEqual(['grafana:3000', 'otel-collector:4317', 'otel-collector:4318', 'otel-collector:4319']);
  }, 600_000);

  it('keeps a stack pod from reaching a listener in another namespace that no policy admits', () => {
    const ip = podIp(TEST_NAMESPACE, listener.labels, false);
    // The listener answers the pod of its own namespace, which no policy isolates: it is up.
    const fromOutsider = JSON.parse(kubectl(layout, ['-n', TEST_NAMESPACE, 'exec', 'probe-outsider', '--', '/bin/netprobe', 'connect', CONNECT_TIMEOUT, `${ip}:${LISTENER_PORT}`])) as { open: boolean };
    expect(fromOutsider.open).toBe(true);
    const refused = probes
      .filter((p) => p.namespace === STACK_NAMESPACE)
      .map((p) => ({ p, r: JSON.parse(kubectl(layout, ['-n', STACK_NAMESPACE, 'exec', p.name, '--', '/bin/netprobe', 'connect', CONNECT_TIMEOUT, `${ip}:${LISTENER_PORT}`])) as { open: boolean } }))
      .filter(({ p, r }) => r.open !== model.allows(p.endpoint, listener.endpoint, LISTENER_PORT));
    expect(refused.map(({ p }) => p.name)).toEqual([]);
  }, 300_000);
});

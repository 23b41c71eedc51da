import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { selectorLabels } from '../../constructs/labels.js';
import { allObjects } from '../../constructs/manifests.js';
import { runsOn, type Component } from '../../model/component.js';
import { defineStack } from '../../model/define.js';
import { NetworkPolicyModel, type Endpoint } from '../helpers/network-policy-evaluator.js';
import { presets, renderedPreset } from '../helpers/render.js';

const withIngress = renderStack(defineStack({ ingress: { enabled: true, domain: 'obs.example.com' } }, { environment: 'prod' }));
const renderings = [...presets.map((p) => ({ name: p, rendered: renderedPreset(p) })), { name: 'prod with ingress', rendered: withIngress }];

const appPod: Endpoint = { namespace: 'shop', labels: { app: 'checkout' } };
const outside: Endpoint = { external: true };

describe.each(renderings)('network policies of $name', ({ rendered }) => {
  const { spec } = rendered;
  const model = new NetworkPolicyModel(allObjects(rendered.kubernetes));
  const components = rendered.components.filter((c) => runsOn(c, 'kubernetes'));
  const pod = (c: Component): Endpoint => ({ namespace: spec.namespace, labels: { ...selectorLabels(spec, c), 'app.kubernetes.io/component': c.role } });
  const controller: Endpoint = { namespace: spec.ingress.controllerNamespace, labels: { 'app.kubernetes.io/name': 'traefik' } };
  const declared = (from: Component, to: Component, port: number) => from.connectsTo?.some((t) => t.component === to.name && t.port === port) ?? false;

  it('allow every connection a component declares', () => {
    const refused = components.flatMap((from) =>
      (from.connectsTo ?? []).flatMap((t) => {
        const to = components.find((c) => c.name === t.component)!;
        return model.allows(pod(from), pod(to), t.port) ? [] : [`${from.name} → ${t.component}:${t.port}`];
      }),
    );
    expect(components.flatMap((c) => c.connectsTo ?? []).length).toBeGreaterThan(10);
    expect(refused).toEqual([]);
  });

  it('refuse every connection between components that none declares', () => {
    const allowed: string[] = [];
    for (const from of components) {
      for (const to of components) {
        for (const port of to.ports) {
          if (from === to || declared(from, to, port.port) || port.clients === 'cluster') continue;
          if (model.allows(pod(from), pod(to), port.port)) allowed.push(`${from.name} → ${to.name}:${port.port}`);
        }
      }
    }
    expect(allowed).toEqual([]);
  });

  it('let workloads of any namespace send OTLP to the collector, and reach nothing else', () => {
    const collector = components.find((c) => c.name === 'otel-collector')!;
    expect(model.allows(appPod, pod(collector), 4317)).toBe(true);
    expect(model.allows(appPod, pod(collector), 4318)).toBe(true);
    const reachable = components.flatMap((c) =>
      c.ports.filter((p) => p.clients !== 'cluster' && model.allows(appPod, pod(c), p.port)).map((p) => `${c.name}:${p.port}`),
    );
    expect(reachable).toEqual([]);
  });

  it('let the ingress controller reach exactly the public ports, and only with the ingress on', () => {
    const reachable = components.flatMap((c) =>
      c.ports.filter((p) => p.clients !== 'cluster' && model.allows(controller, pod(c), p.port)).map((p) => `${c.name}:${p.port}`),
    );
    const publicPorts = spec.ingress.enabled ? components.flatMap((c) => c.ports.filter((p) => p.ingress).map((p) => `${c.name}:${p.port}`)) : [];
    expect(reachable.sort()).toEqual(publicPorts.sort());
    if (spec.ingress.enabled) expect(publicPorts).toEqual(expect.arrayContaining(['grafana:3000', 'otel-collector:4319']));
  });

  it('let every pod resolve names, and nothing reach the outside unless it declares so', () => {
    const dns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    for (const c of components) {
      expect(model.allows(pod(c), dns, 53, 'UDP'), c.name).toBe(true);
      const needsOutside = Boolean(c.kubernetes?.clusterAccess?.length || c.kubernetes?.egress?.length);
      const declaredPorts = (c.kubernetes?.egress ?? []).flatMap((e) => ('ports' in e ? e.ports : []));
      const reachesOutside = [443, 6443, 10250, 25, 587, ...declaredPorts].some((port) => model.allows(pod(c), outside, port));
      expect(reachesOutside, c.name).toBe(needsOutside);
    }
  });

  it('deny by default: a pod the stack does not know is cut off', () => {
    const stranger: Endpoint = { namespace: spec.namespace, labels: { app: 'stranger' } };
    const grafana = components.find((c) => c.name === 'grafana')!;
    expect(model.allows(stranger, pod(grafana), 3000)).toBe(false);
    expect(model.allows(stranger, outside, 443)).toBe(false);
  });
});

describe('declared connections match the configs', () => {
  it.each(presets)('every <component>:<port> a component names in its env, args or config files is declared (%s)', (environment) => {
    const components = renderedPreset(environment).components;
    const names = components.map((c) => c.name).sort((a, b) => b.length - a.length);
    const undeclared: string[] = [];
    for (const c of components) {
      const text = [
        ...Object.values(c.env ?? {}).map((v) => (typeof v === 'string' ? v : 'template' in v ? v.template : '')),
        ...(c.args ?? []).map((a) => (typeof a === 'string' ? a : a.template)),
        ...c.configFiles.map((f) => f.content),
        ...(c.kubernetes?.configFiles ?? []).map((f) => f.content),
        ...(c.health ? [JSON.stringify(c.health)] : []),
      ].join('\n');
      // A component by its name, its peers name (`<name>-headless`) or one replica's (`<name>-<i>.<name>-headless`).
      for (const match of text.matchAll(new RegExp(`(?<![-\\w.])(${names.join('|')})(?:-\\d+\\.\\1-headless|-headless)?:(\\d+)`, 'g'))) {
        const [, target, port] = match;
        if (target === c.name) continue;
        if (!c.connectsTo?.some((t) => t.component === target && t.port === Number(port))) undeclared.push(`${c.name} → ${target}:${port}`);
      }
    }
    expect([...new Set(undeclared)]).toEqual([]);
  });
});

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { isReplicated } from '../../constructs/availability.js';
import { allObjects } from '../../constructs/manifests.js';
import type { KubeObject } from '../../constructs/schema-check.js';
import { defineStack } from '../../model/define.js';
import { presets, renderedPreset, workloads } from '../helpers/render.js';

const renderings = [
  ...presets.map((p) => ({ name: p, rendered: renderedPreset(p) })),
  { name: 'prod with ingress', rendered: renderStack(defineStack({ ingress: { enabled: true, domain: 'obs.example.com' } }, { environment: 'prod' })) },
  { name: 'dev with ingress, no TLS', rendered: renderStack(defineStack({ ingress: { enabled: true, domain: 'dev.example.com', tls: false } }, { environment: 'dev' })) },
];

/** Components whose every request is authenticated by themselves: the only ones an Ingress may route to. */
const AUTHENTICATING = new Set(['grafana', 'glitchtip-web', 'umami', 'otel-collector']);
/** Stores and internal UIs with no authentication of their own. */
const NEVER_PUBLIC = ['victoriametrics', 'vmalert', 'loki', 'jaeger', 'alertmanager', 'glitchtip-postgres', 'glitchtip-valkey', 'umami-postgres'];

const envOf = (objects: readonly KubeObject[], workload: string) => {
  const pod = workloads(objects).find((w) => w.object.metadata.name === workload)!.pod;
  return Object.fromEntries((pod.containers[0]!.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
};

describe.each(renderings)('security and resilience policy: $name', ({ rendered }) => {
  const { spec } = rendered;
  const objects = allObjects(rendered.kubernetes);
  const kinds = (kind: string) => objects.filter((o) => o.kind === kind);

  it('label the namespace Pod Security "restricted" (enforce, audit, warn)', () => {
    const labels = kinds('Namespace')[0]!.metadata.labels ?? {};
    for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
  });

  it('use no host namespaces, host paths or host ports, and no image without a pinned tag', () => {
    const failures: string[] = [];
    for (const { object, pod } of workloads(objects)) {
      const name = object.metadata.name;
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) failures.push(`${name}: ${field}`);
      for (const volume of pod.volumes ?? []) if ('hostPath' in volume) failures.push(`${name}: hostPath volume ${String(volume['name'])}`);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        if ((c.ports ?? []).some((p) => 'hostPort' in p)) failures.push(`${name}/${c.name}: hostPort`);
        const tag = /^[^@]+:([^:/@]+)$/.exec(c.image)?.[1];
        if (!tag || tag === 'latest') failures.push(`${name}/${c.name}: image ${c.image} has no pinned tag`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('mount a service account token only into pods that read the Kubernetes API', () => {
    for (const { object, pod } of workloads(objects)) {
      const component = rendered.components.find((c) => c.name === object.metadata.name)!;
      expect(pod['automountServiceAccountToken'], object.metadata.name).toBe(Boolean(component.kubernetes?.clusterAccess?.length));
    }
  });

  it('give every replicated workload a disruption budget and spread it over nodes and zones; singletons neither', () => {
    const budgets = new Map(kinds('PodDisruptionBudget').map((p) => [p.metadata.name, p['spec'] as { maxUnavailable?: number }]));
    for (const { object, pod } of workloads(objects)) {
      const component = rendered.components.find((c) => c.name === object.metadata.name)!;
      const spread = (pod['topologySpreadConstraints'] as { topologyKey: string }[] | undefined)?.map((t) => t.topologyKey) ?? [];
      if (isReplicated(component)) {
        expect(budgets.get(component.name)?.maxUnavailable, component.name).toBe(1);
        expect(spread, component.name).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      } else {
        expect(budgets.has(component.name), component.name).toBe(false);
        expect(spread, component.name).toEqual([]);
      }
    }
    if (spec.environment === 'prod') expect(budgets.size).toBeGreaterThanOrEqual(2);
  });

  it('route Ingresses only to components that authenticate every request, over TLS when it is on', () => {
    const ingresses = kinds('Ingress');
    expect(ingresses.length).toBe(spec.ingress.enabled ? 4 : 0);
    for (const ingress of ingresses) {
      const body = ingress['spec'] as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[]; tls?: unknown[] };
      for (const path of body.rules.flatMap((r) => r.http.paths)) expect(AUTHENTICATING.has(path.backend.service.name), path.backend.service.name).toBe(true);
      expect(Boolean(body.tls?.length), ingress.metadata.name).toBe(spec.ingress.tls);
    }
    const routed = ingresses.flatMap((i) => (i['spec'] as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] }).rules);
    for (const name of NEVER_PUBLIC) expect(JSON.stringify(routed)).not.toContain(`"name":"${name}"`);
  });

  it('accept OTLP from outside the cluster only with a bearer token the collector checks', () => {
    const collector = rendered.components.find((c) => c.name === 'otel-collector')!;
    const config = yaml.load(collector.configFiles[0]!.content) as any;
    const publicPort = collector.ports.find((p) => p.ingress)!;
    const [receiverId, receiver] = Object.entries<any>(config.receivers).find(([, r]) => r.protocols?.http?.endpoint?.endsWith(`:${publicPort.port}`))!;
    expect(receiver.protocols.grpc).toBeUndefined();
    const authenticator = receiver.protocols.http.auth.authenticator as string;
    expect(authenticator).toMatch(/^bearertokenauth(\/|$)/);
    expect(config.extensions[authenticator].token).toBe('${env:OTLP_INGEST_TOKEN}');
    expect(config.service.pipelines.traces.receivers).toContain(receiverId);
    expect(envOf(objects, 'otel-collector')['OTLP_INGEST_TOKEN']).toEqual({ secretKeyRef: { name: 'otel-collector-ingest', key: 'token' } });
  });

  it('keep Grafana closed: admin password from a Secret, no anonymous access, no sign-up; GlitchTip registration off', () => {
    const grafana = envOf(objects, 'grafana');
    expect(grafana['GF_AUTH_ANONYMOUS_ENABLED']).toBe('false');
    expect(grafana['GF_USERS_ALLOW_SIGN_UP']).toBe('false');
    expect(grafana['GF_SECURITY_ADMIN_PASSWORD']).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'password' } });
    expect(envOf(objects, 'glitchtip-web')['ENABLE_USER_REGISTRATION']).toBe('false');
  });
});

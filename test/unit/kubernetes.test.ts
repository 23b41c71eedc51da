import { describe, expect, it } from 'vitest';
import { kubernetesSchemaProblems } from '../../constructs/schema-check.js';
import { objectsOf, presets, renderedPreset, workloads } from '../helpers/render.js';

describe.each(presets)('Kubernetes manifests of the %s preset', (environment) => {
  const rendered = renderedPreset(environment);
  const objects = objectsOf(rendered);

  it('pass the Kubernetes 1.28 schemas, every object', () => {
    expect(objects.length).toBeGreaterThan(30);
    expect(kubernetesSchemaProblems(objects)).toEqual([]);
  });

  it('hold a workload for every component, vmalert, Postgres and Valkey', () => {
    const names = workloads(objects).map((w) => w.object.metadata.name);
    const stores = rendered.spec.scale === 'distributed' ? ['vminsert', 'vmselect', 'vmstorage', 'loki-write', 'loki-read', 'loki-backend', 'otel-sampler', 'otel-scraper', 'grafana-postgres'] : ['victoriametrics', 'loki'];
    for (const name of ['otel-collector', ...stores, 'vmalert', 'jaeger', 'grafana', 'alertmanager', 'glitchtip-web', 'glitchtip-worker', 'glitchtip-migrate', 'glitchtip-postgres', 'glitchtip-valkey', 'umami', 'umami-postgres']) {
      expect(names).toContain(name);
    }
  });

  it('put every namespaced object in the namespace, none on cluster-scoped ones, and label them all', () => {
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
    for (const o of objects) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(clusterScoped.has(o.kind) ? undefined : rendered.spec.namespace);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('observatory');
    }
    for (const { object } of workloads(objects)) {
      for (const label of ['name', 'instance', 'component', 'managed-by', 'version']) {
        expect(object.metadata.labels?.[`app.kubernetes.io/${label}`], `${object.metadata.name} ${label}`).toBeTruthy();
      }
    }
  });

  it('run every container restricted, with requests, limits and (except Jobs and CronJobs) probes', () => {
    const failures: string[] = [];
    for (const { object, pod } of workloads(objects)) {
      if (pod.securityContext?.['runAsNonRoot'] !== true) failures.push(`${object.metadata.name}: pod runAsNonRoot`);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const where = `${object.metadata.name}/${c.name}`;
        const sc = c.securityContext ?? {};
        if (sc['runAsNonRoot'] !== true) failures.push(`${where}: runAsNonRoot`);
        if (!(typeof sc['runAsUser'] === 'number' && sc['runAsUser'] > 0)) failures.push(`${where}: runAsUser`);
        if (sc['allowPrivilegeEscalation'] !== false) failures.push(`${where}: allowPrivilegeEscalation`);
        if (JSON.stringify(sc['capabilities']?.drop) !== '["ALL"]') failures.push(`${where}: capabilities.drop ALL`);
        if (sc['seccompProfile']?.type !== 'RuntimeDefault') failures.push(`${where}: seccomp RuntimeDefault`);
        if (sc['readOnlyRootFilesystem'] !== true) failures.push(`${where}: readOnlyRootFilesystem`);
        for (const kind of ['requests', 'limits'] as const) {
          if (!c.resources?.[kind]?.['cpu'] || !c.resources?.[kind]?.['memory']) failures.push(`${where}: resources.${kind}`);
        }
        if (object.kind !== 'Job' && object.kind !== 'CronJob' && !c.readinessProbe) failures.push(`${where}: readiness probe`);
        if (object.kind !== 'Job' && object.kind !== 'CronJob' && (c.ports ?? []).length > 0 && !c.livenessProbe) failures.push(`${where}: liveness probe`);
        const handler = (p: any) => JSON.stringify(p && { exec: p.exec, httpGet: p.httpGet, tcpSocket: p.tcpSocket });
        if (c.livenessProbe && handler(c.livenessProbe) === handler(c.readinessProbe)) failures.push(`${where}: liveness checks what readiness checks`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('read every credential from a Secret, never from a literal', () => {
    for (const { object, pod } of workloads(objects)) {
      for (const c of pod.containers) {
        for (const variable of c.env ?? []) {
          if (/PASSWORD|SECRET/.test(variable.name)) {
            expect(variable.valueFrom, `${object.metadata.name} ${variable.name}`).toMatchObject({ secretKeyRef: { name: expect.any(String), key: expect.any(String) } });
          }
          if (variable.name === 'DATABASE_URL' || variable.name === 'VALKEY_URL') expect(variable.value).toMatch(/\$\([A-Z_]+\)/);
        }
      }
    }
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('give stateful components a volume claim per persistent volume', () => {
    const statefulSets = objects.filter((o) => o.kind === 'StatefulSet');
    const stores = rendered.spec.scale === 'distributed' ? ['vmstorage', 'loki-write', 'loki-backend', 'otel-sampler', 'grafana-postgres'] : ['victoriametrics', 'loki', 'jaeger', 'grafana'];
    for (const name of [...stores, 'alertmanager', 'glitchtip-postgres', 'otel-collector']) {
      const set = statefulSets.find((s) => s.metadata.name === name) as any;
      expect(set, name).toBeDefined();
      const claims = set.spec.volumeClaimTemplates.map((t: any) => t.metadata.name);
      const mounts = set.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.name);
      for (const claim of claims) expect(mounts).toContain(claim);
    }
  });
});

import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Loki } from '../../constructs/loki.js';
import { allObjects, kubernetesManifests } from '../../constructs/manifests.js';
import { kubernetesSchemaProblems, type KubeObject } from '../../constructs/schema-check.js';
import { defineStack } from '../../model/define.js';
import { specProblems } from '../helpers/spec-problems.js';

/** Every pod template of the rendered stack, by workload. */
function podTemplates(objects: readonly KubeObject[]): Map<string, any> {
  const templates = new Map<string, any>();
  for (const o of objects as any[]) {
    const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
    if (template?.spec?.containers) templates.set(`${o.kind}/${o.metadata.name}`, template);
  }
  return templates;
}

const pods = {
  nodeSelector: { 'node-pool': 'observability' },
  tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'observability', effect: 'NoSchedule' as const }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } } },
  priorityClassName: 'observability',
  imagePullSecrets: ['mirror-pull'],
  annotations: { 'example.com/owner': 'platform' },
  labels: { team: 'platform' },
  components: { loki: { nodeSelector: { 'node-pool': 'storage' }, labels: { tier: 'logs' } } },
};

describe('the spec\'s pods settings', () => {
  const spec = defineStack({ environment: 'prod', pods });
  const objects = allObjects(kubernetesManifests(spec));
  const templates = podTemplates(objects);

  it('reach every pod template of the stack', () => {
    expect(templates.size).toBeGreaterThan(10);
    for (const [workload, template] of templates) {
      expect(template.spec.tolerations, workload).toEqual(pods.tolerations);
      expect(template.spec.affinity, workload).toEqual(pods.affinity);
      expect(template.spec.priorityClassName, workload).toBe('observability');
      expect(template.spec.imagePullSecrets, workload).toEqual([{ name: 'mirror-pull' }]);
      expect(template.metadata.annotations, workload).toMatchObject(pods.annotations);
      expect(template.metadata.labels, workload).toMatchObject(pods.labels);
    }
  });

  it('per component replace the field they set and add labels', () => {
    // prod is distributed: every Loki target takes Loki's settings.
    for (const target of ['loki-write', 'loki-read', 'loki-backend']) {
      const loki = templates.get(`StatefulSet/${target}`);
      expect(loki.spec.nodeSelector, target).toEqual({ 'node-pool': 'storage' });
      expect(loki.metadata.labels, target).toMatchObject({ team: 'platform', tier: 'logs' });
    }
    expect(templates.get('Deployment/vmalert').spec.nodeSelector).toEqual({ 'node-pool': 'observability' });
    expect(templates.get('Deployment/vmalert').metadata.labels.tier).toBeUndefined();
  });

  it('reach a component construct used on its own', () => {
    const chart = new Chart(new App({ outdir: '/nonexistent-cdk8s-outdir' }), 'mine', { namespace: spec.namespace });
    new Loki(chart, 'loki', { spec });
    expect(podTemplates(chart.toJson()).get('StatefulSet/loki-write').spec.nodeSelector).toEqual({ 'node-pool': 'storage' });
  });

  it('leave the objects valid Kubernetes 1.28 objects', () => {
    expect(kubernetesSchemaProblems(objects)).toEqual([]);
  });

  it('refuse the stack\'s own labels and unknown components, naming the path', () => {
    expect(specProblems({ pods: { labels: { 'app.kubernetes.io/name': 'x' }, components: {} } })).toEqual([
      'pods.labels: app.kubernetes.io/ labels are the stack\'s own (its selectors use them), got "app.kubernetes.io/name"',
    ]);
    expect(specProblems({ pods: { components: { lokii: {} } } })[0]).toMatch(/^pods\.components\.lokii: unknown key/);
  });
});

/**
 * Admission for real: every preset's manifests (and the prod stack with its ingress on) pass the running API
 * server's own validation, defaulting and admission (Pod Security included) with a server-side dry run, and
 * Pod Security "restricted" on the stack's namespace refuses a privileged pod.
 */
import * as path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { kubectl, tryKubectl } from './cluster.js';
import { clusterLayout } from './layout.js';
import { synthToFolder } from '../helpers/synth-cli.js';
import { manifestObjects, STACK_NAMESPACE } from './stack-deployment.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));

const renderings: { name: string; env: string; spec: object }[] = [
  { name: 'local', env: 'local', spec: {} },
  { name: 'dev', env: 'dev', spec: {} },
  { name: 'staging', env: 'staging', spec: {} },
  { name: 'prod', env: 'prod', spec: {} },
  { name: 'prod with ingress', env: 'prod', spec: { ingress: { enabled: true, domain: 'obs.example.com' } } },
];

describe.skipIf(skipReason !== '')('admission by the real API server', () => {
  it.each(renderings)('accepts every object of $name (kubectl apply --server-side --dry-run=server)', ({ name, env, spec }) => {
    // A namespace of its own: dry-running one preset over another's StatefulSets would be refused as an update
    // of their immutable volumeClaimTemplates, which is not what this test asks.
    const namespace = `admission-${name.replace(/\W+/g, '-')}`;
    const out = synthToFolder({ ...spec, namespace }, env, ['--generate-secrets']);
    const k8s = path.join(out, 'k8s');
    const objects = manifestObjects(k8s);
    try {
      kubectl(layout, ['apply', '--server-side', '-f', path.join(k8s, '00-namespace.yaml')]);
      const dryRun = (file: string) =>
        tryKubectl(layout, ['apply', '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=observatory-admission-test', '-f', file]);
      const results = [dryRun(path.join(out, 'k8s-secrets.yaml')), dryRun(k8s)];
      const failures = results.filter((r) => r.code !== 0).map((r) => r.stderr.trim());
      expect(failures).toEqual([]);
      const applied = results.map((r) => r.stdout.split('\n').filter((l) => /\(server dry run\)/.test(l)).length).reduce((a, b) => a + b, 0);
      expect(applied).toBeGreaterThanOrEqual(objects.length);
      // Pod Security warns (without refusing) when a workload's pods would not be admitted: none may.
      expect(results.map((r) => r.stderr).join('\n')).not.toMatch(/would violate PodSecurity/);
      console.log(`${name}: ${applied} objects accepted by the API server's dry run`);
    } finally {
      tryKubectl(layout, ['delete', 'namespace', namespace, '--wait=false']);
    }
  }, 120_000);

  it('refuses a privileged pod in the stack namespace (Pod Security "restricted")', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'privileged-probe', namespace: STACK_NAMESPACE },
      spec: { containers: [{ name: 'c', image: 'observatory.local/cluster-probe:1.0.0', securityContext: { privileged: true } }] },
    };
    const result = tryKubectl(layout, ['apply', '-f', '-'], JSON.stringify(pod));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/violates PodSecurity "restricted:(latest|v[\d.]+)": privileged/);
  });
});

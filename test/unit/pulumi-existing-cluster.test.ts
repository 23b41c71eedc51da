import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../constructs/schema-check.js';
import { ObservabilityStack as Chart } from '../../constructs/stack.js';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { dashboardFiles } from '../../dashboards/files.js';
import { defineStack } from '../../model/define.js';
import { secretsOf } from '../../model/secrets.js';
import { ObservabilityStack } from '../../stacks/component.js';
import { objectKey } from '../../stacks/objects.js';
import { componentNamed, dependencyClosure, expectDependencies, expectEveryObjectOnce, expectGeneratedSecrets, kubernetesChildren } from '../helpers/pulumi-checks.js';
import { isSecretInput, resolved, runProgram, unwrapSecret, type ProgramRun } from '../helpers/pulumi-mocks.js';
import program from '../pulumi/existing-cluster/index.js';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\n# the platform team\'s cluster\n';

/** What the consumer's spec renders, with the namespace left to the consumer. */
function expectedObjects() {
  const spec = defineStack(
    { namespace: 'telemetry', storageClass: 'standard', components: { glitchtip: { enabled: false }, umami: { enabled: false } } },
    { environment: 'staging' },
  );
  const chart = new Chart(new App({ outdir: '/nonexistent-cdk8s-outdir' }), spec.name, { spec, dashboards: dashboardFiles(defaultDashboards(spec)), createNamespace: false });
  return { objects: chart.toJson() as KubeObject[], components: chart.components };
}

describe('test/pulumi/existing-cluster: another program adds the ObservabilityStack component to its own cluster', () => {
  const expected = expectedObjects();
  let run: ProgramRun;
  let component: pulumi.Resource;
  let provider: pulumi.Resource;
  let namespace: pulumi.Resource;

  beforeAll(async () => {
    run = await runProgram(program, { stack: 'test', project: 'existing-cluster', config: { 'existing-cluster:kubeconfig': KUBECONFIG }, secretKeys: ['existing-cluster:kubeconfig'] });
    component = componentNamed(run, ObservabilityStack.type, 'observability');
    provider = componentNamed(run, 'pulumi:providers:kubernetes', 'platform-cluster');
    namespace = componentNamed(run, 'kubernetes:core/v1:Namespace', 'telemetry');
  });

  it('creates no cloud resources, only Kubernetes objects through the program\'s own provider (kubeconfig kept secret)', () => {
    expect(run.registered.filter((r) => !r.type.startsWith('kubernetes:') && !r.type.startsWith('pulumi:') && !r.type.startsWith('random:') && !r.type.startsWith('observatory:'))).toEqual([]);
    const [providerInputs] = run.registered.filter((r) => r.type === 'pulumi:providers:kubernetes').map((r) => r.inputs);
    expect(isSecretInput(providerInputs!['kubeconfig'])).toBe(true);
    expect(unwrapSecret(providerInputs!['kubeconfig'])).toBe(KUBECONFIG);
  });

  it('applies every rendered object once as a child of the component, without a Namespace of its own', () => {
    expect(expected.objects.some((o) => o.kind === 'Namespace')).toBe(false);
    expectEveryObjectOnce(run, component, expected.objects, secretsOf(expected.components).map((s) => s.name), provider);
    expect([...kubernetesChildren(run, component).keys()].filter((key) => !key.startsWith('ClusterRole')).every((key) => key.split('/')[1] === 'telemetry')).toBe(true);
    expectGeneratedSecrets(run, component, expected.components);
  });

  it('holds every child back until the namespace the program made exists (the component\'s dependsOn)', () => {
    const closure = dependencyClosure(run);
    for (const [key, [child]] of kubernetesChildren(run, component)) expect(closure(child!.constructed.resource).has(namespace), key).toBe(true);
    expectDependencies(run, component, { external: new Map([[objectKey({ kind: 'Namespace', metadata: { name: 'telemetry' } }), namespace]]) });
  });

  it('registers its outputs, and hands Grafana\'s password over as a secret', async () => {
    expect(run.componentOutputs.get('observability')).toMatchObject({
      namespace: 'telemetry',
      grafanaUrl: 'http://grafana.telemetry.svc.cluster.local:3000',
      objectCount: expected.objects.length,
    });
    expect(run.componentOutputs.get('observability')).not.toHaveProperty('glitchtipUrl');
    const password = await resolved(run.outputs['grafanaPassword']);
    expect(password.secret).toBe(true);
    expect(password.value).toHaveLength(32);
  });
});

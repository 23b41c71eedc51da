import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAFANA } from '../../constructs/grafana.js';
import { stackComponents } from '../../constructs/components.js';
import { secretsOf } from '../../model/secrets.js';
import { ObservabilityStack } from '../../stacks/component.js';
import program from '../../stacks/main.js';
import { componentNamed, kubernetesChildren } from '../helpers/pulumi-checks.js';
import { configProblems } from '../helpers/pulumi-config-problems.js';
import { isSecretInput, resolved, runProgram, unwrapSecret, type ProgramRun } from '../helpers/pulumi-mocks.js';
import { mockConfig, PULUMI_TEST_NAMESPACE, SECRET_CONFIG_KEYS, testStackConfig } from '../pulumi/stack-config.js';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\n# the test cluster\n';
const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';

const runWith = (config: Record<string, unknown>) => runProgram(program, { stack: 'pulumi-test', config, secretKeys: [...SECRET_CONFIG_KEYS] });

describe('the config npm run test:pulumi deploys: every Secret given, so no random provider is needed (mocks)', () => {
  const stack = testStackConfig(KUBECONFIG);
  const generated = secretsOf(stackComponents({ spec: stack.spec }));
  let run: ProgramRun;
  let component: pulumi.Resource;

  beforeAll(async () => {
    run = await runWith(mockConfig(stack));
    component = componentNamed(run, ObservabilityStack.type, 'observatory');
  });

  it('gives a value for every Secret the stack would generate (the check below is not vacuous)', () => {
    expect(generated.map((s) => s.name)).toContain(GRAFANA.adminSecret);
    expect(Object.keys(stack.secretValues).sort()).toEqual(generated.map((s) => s.name).sort());
  });

  it('registers no random: resource, and no cloud resource: only Kubernetes objects through the existing cluster\'s provider', () => {
    expect(run.registered.filter((r) => r.type.startsWith('random:'))).toEqual([]);
    expect(run.registered.filter((r) => !r.type.startsWith('kubernetes:') && !r.type.startsWith('pulumi:') && !r.type.startsWith('observatory:'))).toEqual([]);
    expect(run.registered.filter((r) => r.type === 'pulumi:providers:kubernetes').map((r) => r.name)).toEqual(['existing-cluster']);
  });

  it('writes the given values into the Secrets, as secrets, in the test namespace', () => {
    const children = kubernetesChildren(run, component);
    for (const secret of generated) {
      const [applied] = children.get(`Secret/${PULUMI_TEST_NAMESPACE}/${secret.name}`) ?? [];
      expect(applied, secret.name).toBeDefined();
      const stringData = applied!.registered.inputs['stringData'];
      expect(isSecretInput(stringData), `${secret.name} stringData is secret`).toBe(true);
      expect(unwrapSecret(stringData)).toEqual(stack.secretValues[secret.name]);
    }
  });

  it("hands Grafana's given password out as the stack's secret output", async () => {
    expect(await resolved(run.outputs['grafanaAdminPassword'])).toEqual({ value: stack.secretValues[GRAFANA.adminSecret]!['password'], secret: true });
    expect((await resolved(run.outputs['grafanaUrl'])).value).toBe(`http://grafana.${PULUMI_TEST_NAMESPACE}.svc.cluster.local:3000`);
  });

  it('generates the Secrets again when none is given (one RandomPassword per key)', async () => {
    const { 'observatory:secrets': _given, ...withoutSecrets } = mockConfig(stack);
    const plain = await runWith(withoutSecrets);
    const keys = generated.reduce((n, s) => n + Object.keys(s.keys).length, 0);
    expect(plain.registered.filter((r) => r.type === RANDOM_PASSWORD)).toHaveLength(keys);
  });

  it('refuses a Secret given in part, a Secret it does not generate, and values in plain text, by config key', () => {
    const { [GRAFANA.adminSecret]: _grafana, ...others } = stack.secretValues;
    const partial = { ...others, [GRAFANA.adminSecret]: { pasword: 'x' }, 'alertmanager-receivers': { 'ops-url': 'https://example.org' } };
    expect(configProblems({ ...mockConfig(stack), 'observatory:secrets': partial }, SECRET_CONFIG_KEYS)).toEqual([
      `observatory:secrets.${GRAFANA.adminSecret}.password: missing: a value (32 URL-safe characters are generated otherwise); give every key of the Secret or none`,
      `observatory:secrets.${GRAFANA.adminSecret}.pasword: unknown key (expected password)`,
      'observatory:secrets.alertmanager-receivers: not a Secret this stack reads (receiver credentials go in alertCredentials)',
    ]);
    expect(configProblems(mockConfig(stack), ['observatory:kubeconfig'])).toEqual([
      "observatory:secrets: must be a secret (pulumi config set --secret --path 'secrets.<secret>.<key>' <value>)",
    ]);
  });
});

describe('the ObservabilityStack component with values for its generated Secrets (mocks)', () => {
  const spec = { environment: 'dev', components: { glitchtip: { enabled: false }, umami: { enabled: false } } } as const;
  const construct = (providedSecrets: Record<string, Record<string, string>>) => () =>
    new ObservabilityStack('observatory', { provider: new k8s.Provider('cluster', { kubeconfig: KUBECONFIG }), spec, providedSecrets });

  beforeAll(async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}_id`, state: a.inputs }), call: () => ({}) }, 'observatory', 'component', false);
  });

  it('refuses a Secret given without every key, or with keys it does not have', () => {
    expect(construct({ [GRAFANA.adminSecret]: { passwd: 'x' } })).toThrow(
      `values for Secret ${GRAFANA.adminSecret}:\n` +
        `  - providedSecrets.${GRAFANA.adminSecret}.password: missing (a value of 32 URL-safe characters, or leave the whole Secret out to generate it)\n` +
        `  - providedSecrets.${GRAFANA.adminSecret}.passwd: unknown key (expected password)`,
    );
    expect(construct({ [GRAFANA.adminSecret]: {} })).toThrow(`providedSecrets.${GRAFANA.adminSecret}.password: missing`);
  });

  it('refuses values for a Secret the stack does not write (a typo would leave the real one random)', () => {
    expect(construct({ 'grafana-admn': { password: 'x' } })).toThrow(/^providedSecrets: grafana-admn: no Secret of this stack to write \(it writes .*grafana-admin/);
  });
});

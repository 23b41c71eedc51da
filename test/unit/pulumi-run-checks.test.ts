import { describe, expect, it } from 'vitest';
import { expectedStack, outputProblems, stateProblems } from '../pulumi/checks.js';
import { testStackConfig } from '../pulumi/stack-config.js';

const stack = testStackConfig('apiVersion: v1\nkind: Config\n');
const expected = expectedStack(stack);
const password = stack.secretValues['grafana-admin']!['password']!;
const goodOutputs = { ...expected.endpoints, kubeconfig: 'apiVersion: v1\nkind: Config', grafanaAdminPassword: password };
const resource = (type: string, name: string) => ({ type, urn: `urn:pulumi:pulumi-test::observatory::${type}::${name}` });
const goodState = {
  deployment: {
    resources: [
      resource('pulumi:pulumi:Stack', 'observatory-pulumi-test'),
      resource('pulumi:providers:kubernetes', 'existing-cluster'),
      ...expected.secretNames.map((s) => resource('kubernetes:core/v1:Secret', `observatory:Secret/observatory-pulumi/${s}`)),
      ...Array.from({ length: expected.kubernetesResources - expected.secretNames.length }, (_, i) => resource('kubernetes:core/v1:ConfigMap', `c${i}`)),
    ],
  },
};

describe('what npm run test:pulumi checks after pulumi up', () => {
  it('accepts the outputs and state the program should leave (kubeconfig as config set stores it)', () => {
    expect(expected.endpoints.grafanaUrl).toBe('http://grafana.observatory-pulumi.svc.cluster.local:3000');
    expect(outputProblems(goodOutputs, expected)).toEqual([]);
    expect(stateProblems(goodState, expected)).toEqual([]);
  });

  it('names a wrong or missing output without printing secret values, and an output that should not be there', () => {
    const { grafanaUrl: _url, ...noUrl } = goodOutputs;
    expect(outputProblems({ ...noUrl, grafanaAdminPassword: 'other', loadBalancerIp: '203.0.113.1' }, expected)).toEqual([
      'output grafanaUrl: expected "http://grafana.observatory-pulumi.svc.cluster.local:3000", got none',
      'output grafanaAdminPassword: differs from the configured value',
      'output loadBalancerIp: not expected (no ingress; GlitchTip and Umami off), got "203.0.113.1"',
    ]);
  });

  it('finds random resources, a missing Secret and a wrong object count in the state', () => {
    const resources = goodState.deployment.resources.filter((r) => !r.urn.endsWith('/grafana-admin'));
    expect(stateProblems({ deployment: { resources: [...resources, resource('random:index/randomPassword:RandomPassword', 'p')] } }, expected)).toEqual([
      'random resources in the state: urn:pulumi:pulumi-test::observatory::random:index/randomPassword:RandomPassword::p',
      `${expected.kubernetesResources - 1} Kubernetes resources in the state, expected ${expected.kubernetesResources} (the rendered objects and Secrets)`,
      'Secret grafana-admin: not in the state',
    ]);
  });
});

import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { ObservabilityStack } from '../../stacks/component.js';
import { componentNamed, kubernetesChildren } from '../helpers/pulumi-checks.js';
import { isSecretInput, runProgram } from '../helpers/pulumi-mocks.js';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\n';
const spec = { environment: 'prod', namespace: 'telemetry', distributed: { traces: { opensearch: { endpoint: 'https://search.example.com:9200' } } } } as const;
const stores = {
  'jaeger-opensearch': { username: 'jaeger', password: 'opensearch-password' },
  'loki-object-storage': { 'access-key-id': 'AKIAEXAMPLE', 'secret-access-key': 'bucket-secret', endpoint: 's3.example.com', bucket: 'logs' },
};

/** The component on a cluster of yours, with a distributed spec whose stores (OpenSearch, a bucket) are yours too. */
async function deploy(providedSecrets: Record<string, Record<string, string>>) {
  return runProgram(
    async () => {
      new ObservabilityStack('observability', { provider: new k8s.Provider('cluster', { kubeconfig: KUBECONFIG }), spec, providedSecrets });
      return {};
    },
    { stack: 'test', config: {} },
  );
}

describe('the credentials of a distributed stack\'s own stores, on a cluster of yours', () => {
  it('are written as the Secrets Jaeger and Loki read, from the values you give, as secrets', async () => {
    const run = await deploy(stores);
    const children = kubernetesChildren(run, componentNamed(run, ObservabilityStack.type, 'observability') as pulumi.Resource);
    for (const [name, values] of Object.entries(stores)) {
      const [secret] = children.get(`Secret/telemetry/${name}`) ?? [];
      expect(secret, name).toBeDefined();
      const stringData = secret!.registered.inputs['stringData'];
      expect(isSecretInput(stringData)).toBe(true);
      expect(stringData.value).toEqual(values);
    }
  });

  it('are refused when a key is missing, naming it and what it holds', async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}_id`, state: a.inputs }), call: () => ({}) }, 'observatory', 'component', false);
    const construct = (providedSecrets: Record<string, Record<string, string>>) => () =>
      new ObservabilityStack('observability', { provider: new k8s.Provider('cluster', { kubeconfig: KUBECONFIG }), spec, providedSecrets });
    const partial = construct({ ...stores, 'loki-object-storage': { 'access-key-id': 'AKIAEXAMPLE', 'secret-access-key': 'bucket-secret' } });
    expect(partial).toThrow('providedSecrets.loki-object-storage.bucket: missing (the bucket name)');
    expect(partial).toThrow('providedSecrets.loki-object-storage.endpoint: missing (the S3 endpoint as host[:port], reached over HTTPS');
  });
});

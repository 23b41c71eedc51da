import type * as pulumi from '@pulumi/pulumi';
import { expect } from 'vitest';
import type { StackSpec } from '../../model/spec.js';
import { OPENSEARCH_CA_DIR } from '../../constructs/opensearch.js';
import { OPENSEARCH_SIZE } from '../../stacks/managed-stores.js';
import { kubernetesChildren, ofType } from './pulumi-checks.js';
import { isSecretInput, MANAGED_OPENSEARCH, type ProgramRun } from './pulumi-mocks.js';

/** The Secret the component applied, its stringData (a secret input) unwrapped. */
function appliedSecret(run: ProgramRun, component: pulumi.Resource, namespace: string, name: string): Record<string, string> {
  const [applied] = kubernetesChildren(run, component).get(`Secret/${namespace}/${name}`) ?? [];
  expect(applied, `Secret ${name}`).toBeDefined();
  const stringData = applied!.registered.inputs['stringData'];
  expect(isSecretInput(stringData), `${name} stringData is secret`).toBe(true);
  return stringData.value;
}

/**
 * A distributed stack on a cluster the program creates: Managed OpenSearch in the cluster's VPC behind a firewall
 * that admits only the cluster, a private Spaces bucket made with the Spaces keys from secret config, and the
 * Secrets Jaeger and Loki read, filled from them (secret values, nothing literal in the rendered objects).
 */
export function expectManagedStores(run: ProgramRun, component: pulumi.Resource, spec: StackSpec, spaces: { accessKeyId: string; secretAccessKey: string }, region: string) {
  const [vpc] = ofType(run, 'digitalocean:index/vpc:Vpc');
  const [cluster] = ofType(run, 'digitalocean:index/kubernetesCluster:KubernetesCluster');
  const openSearch = ofType(run, 'digitalocean:index/databaseCluster:DatabaseCluster');
  expect(openSearch).toHaveLength(1);
  expect(openSearch[0]!.registered.inputs).toMatchObject({ engine: 'opensearch', size: OPENSEARCH_SIZE, nodeCount: 3, region, privateNetworkUuid: `${vpc!.registered.name}_id` });
  const firewalls = ofType(run, 'digitalocean:index/databaseFirewall:DatabaseFirewall');
  expect(firewalls.map((f) => f.registered.inputs['rules'])).toEqual([[{ type: 'k8s', value: `${cluster!.registered.name}_id` }]]);

  const buckets = ofType(run, 'digitalocean:index/spacesBucket:SpacesBucket');
  expect(buckets).toHaveLength(1);
  expect(buckets[0]!.registered.inputs).toMatchObject({ region, acl: 'private' });
  const [spacesProvider] = ofType(run, 'pulumi:providers:digitalocean');
  expect(isSecretInput(spacesProvider!.registered.inputs['spacesSecretKey'])).toBe(true);

  const traces = spec.distributed.traces.opensearch;
  expect(appliedSecret(run, component, spec.namespace, traces.secret)).toEqual({
    username: 'doadmin',
    password: MANAGED_OPENSEARCH.password,
    endpoint: `https://${MANAGED_OPENSEARCH.privateHost}:${MANAGED_OPENSEARCH.port}`,
    'ca.crt': MANAGED_OPENSEARCH.ca,
  });
  // The cluster's CA is trusted (beside the system's) by Jaeger and its index cleaner, read from that key only.
  const children = kubernetesChildren(run, component);
  for (const key of [`Deployment/${spec.namespace}/jaeger`, `CronJob/${spec.namespace}/jaeger-index-cleaner`]) {
    const [workload] = children.get(key) ?? [];
    expect(workload, key).toBeDefined();
    const inputs = workload!.registered.inputs as any;
    const pod = key.startsWith('CronJob') ? inputs.spec.jobTemplate.spec.template.spec : inputs.spec.template.spec;
    const container = pod.containers[0];
    expect(container.env, key).toContainEqual({ name: 'SSL_CERT_DIR', value: OPENSEARCH_CA_DIR });
    const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === OPENSEARCH_CA_DIR);
    expect(mount, `${key} mounts ${OPENSEARCH_CA_DIR}`).toBeDefined();
    const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume.secret, key).toEqual({ secretName: traces.secret, items: [{ key: 'ca.crt', path: 'ca.crt' }] });
  }
  expect(appliedSecret(run, component, spec.namespace, spec.distributed.logs.objectStorage.secret)).toEqual({
    'access-key-id': spaces.accessKeyId,
    'secret-access-key': spaces.secretAccessKey,
    endpoint: `${region}.digitaloceanspaces.com`,
    bucket: buckets[0]!.registered.inputs['name'],
  });
}

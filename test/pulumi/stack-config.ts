/**
 * The Pulumi stack config `npm run test:pulumi` deploys with: the program of stacks/ in `cluster.mode: existing`
 * on the test cluster, with what the cluster tests deploy (test/cluster/stack-deployment.ts: the local factory's
 * images with pull policy Never, GlitchTip and Umami disabled for want of images), no ingress, the cluster's
 * StorageClass, and a value for every Secret so that the program makes no `random` resource (the random provider
 * cannot be built here). test/unit/pulumi-offline-stack.test.ts runs the program with this config under mocks.
 */
import { stackComponents } from '../../constructs/components.js';
import { defineStack } from '../../model/define.js';
import { generateSecretValues, secretsOf, type SecretValues } from '../../model/secrets.js';
import type { StackSpec } from '../../model/spec.js';
import { DEFAULT_STORAGE_CLASS } from '../cluster/addons.js';
import { clusterStackInput } from '../cluster/stack-deployment.js';

/** Its own namespace, beside the cluster tests' `observability` (cluster-wide names carry the namespace). */
export const PULUMI_TEST_NAMESPACE = 'observatory-pulumi';
export const PULUMI_TEST_ENVIRONMENT = 'dev';

/** Config keys stored as secrets. */
export const SECRET_CONFIG_KEYS = ['observatory:kubeconfig', 'observatory:secrets'] as const;

export interface TestStackConfig {
  /** Plain config by full key, as written into the stack file (`Pulumi.<stack>.yaml`). */
  readonly plain: Readonly<Record<string, unknown>>;
  /** The cluster's kubeconfig: secret config `observatory:kubeconfig`. */
  readonly kubeconfig: string;
  /** A value for every Secret the stack would generate: secret config `observatory:secrets`. */
  readonly secretValues: SecretValues;
  /** The spec the program resolves from `plain` (to know what it must create). */
  readonly spec: StackSpec;
}

export function testStackConfig(kubeconfig: string, namespace = PULUMI_TEST_NAMESPACE): TestStackConfig {
  const specConfig = { namespace, components: clusterStackInput.components, images: clusterStackInput.images };
  const plain = {
    'observatory:environment': PULUMI_TEST_ENVIRONMENT,
    'observatory:cluster': { mode: 'existing' },
    'observatory:storageClass': DEFAULT_STORAGE_CLASS,
    'observatory:ingress': { enabled: false },
    'observatory:spec': specConfig,
  };
  // What readDeploymentConfig resolves from that config (stacks/config.ts).
  const spec = defineStack(
    { ...specConfig, environment: PULUMI_TEST_ENVIRONMENT, storageClass: DEFAULT_STORAGE_CLASS, ingress: { enabled: false } },
    { environment: PULUMI_TEST_ENVIRONMENT },
  );
  return { plain, kubeconfig, secretValues: generateSecretValues(secretsOf(stackComponents({ spec }))), spec };
}

/** The whole config as Pulumi's mocks take it (`runProgram`), secrets included. */
export function mockConfig(config: TestStackConfig): Record<string, unknown> {
  return { ...config.plain, 'observatory:kubeconfig': config.kubeconfig, 'observatory:secrets': config.secretValues };
}

import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
// A program of another infra repo would import this from 'observatory/pulumi'; the test runs it from the sources.
import { ObservabilityStack } from '../../../stacks/component.js';

/**
 * Another team's Pulumi program: it already has a cluster (kubeconfig in its config) and a namespace of its
 * own, and adds Observatory to it without GlitchTip and Umami.
 */
export default async function program(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const provider = new k8s.Provider('platform-cluster', { kubeconfig: config.requireSecret('kubeconfig') });
  const namespace = new k8s.core.v1.Namespace('telemetry', { metadata: { name: 'telemetry' } }, { provider });
  const observability = new ObservabilityStack(
    'observability',
    {
      provider,
      environment: 'staging',
      spec: { namespace: 'telemetry', storageClass: 'standard', components: { glitchtip: { enabled: false }, umami: { enabled: false } } },
      createNamespace: false,
    },
    { dependsOn: [namespace] },
  );
  return { grafanaUrl: observability.endpoints.grafanaUrl, grafanaPassword: observability.grafanaAdminPassword };
}

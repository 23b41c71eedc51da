// An infra repo's Pulumi program adding the stack to its own cluster (compiled only; no engine runs here).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ObservabilityStack } from 'observatory/pulumi';

const config = new pulumi.Config();
const provider = new k8s.Provider('platform', { kubeconfig: config.requireSecret('kubeconfig') });
const observability = new ObservabilityStack('observability', {
  provider,
  spec: { environment: 'prod', namespace: 'telemetry', components: { umami: { enabled: false } } },
  existingSecrets: ['grafana-admin'],
});

export const namespace: string = observability.namespace;
export const grafanaAdminPassword = observability.grafanaAdminPassword;

import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { doksCluster } from './cluster.js';
import { ObservabilityStack } from './component.js';
import { readDeploymentConfig } from './config.js';
import { dnsRecords, IngressController } from './ingress-controller.js';

/**
 * The Pulumi program (Pulumi.yaml `main`, compiled to dist/stacks/main.js): the stack's config, a DOKS cluster
 * or an existing one, the ingress controller and certificates when the ingress is on, the observability stack,
 * and DNS records when a DigitalOcean zone is configured. Its return value is the stack's outputs.
 */
export default async function program(): Promise<Record<string, unknown>> {
  const config = readDeploymentConfig();
  const { spec } = config;
  const clusterName = config.cluster.mode === 'create' ? config.cluster.name : `observatory-${pulumi.getStack()}`;

  const target =
    config.cluster.mode === 'create'
      ? doksCluster(config.cluster, ['observatory', `observatory-${config.environment}`])
      : { kubeconfig: config.cluster.kubeconfig, provider: new k8s.Provider('existing-cluster', { kubeconfig: config.cluster.kubeconfig }) };

  const ingress = config.ingress.enabled && config.ingress.controller === 'traefik'
    ? new IngressController('ingress', { spec, ingress: config.ingress, provider: target.provider, loadBalancerName: `${clusterName}-ingress` })
    : undefined;

  const stack = new ObservabilityStack('observatory', {
    provider: target.provider,
    spec,
    providedSecrets: config.providedSecrets,
    ...(ingress ? { ingressDependencies: [ingress.controller, ingress.clusterIssuer] } : {}),
  });

  if (ingress && config.ingress.dnsZone) dnsRecords(config.ingress.dnsZone, stack.publicHosts, ingress.loadBalancerIp);

  const outputs = {
    grafanaUrl: stack.endpoints.grafanaUrl,
    otlpEndpoint: stack.endpoints.otlpEndpoint,
    glitchtipUrl: stack.endpoints.glitchtipUrl,
    umamiUrl: stack.endpoints.umamiUrl,
    kubeconfig: pulumi.secret(target.kubeconfig),
    grafanaAdminPassword: stack.grafanaAdminPassword,
    otlpIngestToken: stack.otlpIngestToken,
    loadBalancerIp: ingress?.loadBalancerIp,
  };
  // An output the stack does not have (no ingress: no load balancer) is left out rather than shown empty.
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

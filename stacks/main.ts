import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { doksCluster } from './cluster.js';
import { ObservabilityStack } from './component.js';
import { readDeploymentConfig } from './config.js';
import { dnsRecords, IngressController } from './ingress-controller.js';
import { managedStores, openSearchManagedSpec } from './managed-stores.js';

/**
 * The Pulumi program (Pulumi.yaml `main`, compiled to dist/stacks/main.js): the stack's config, a DOKS cluster
 * or an existing one, the ingress controller and certificates when the ingress is on, the observability stack,
 * and DNS records when a DigitalOcean zone is configured. Its return value is the stack's outputs.
 */
export default async function program(): Promise<Record<string, unknown>> {
  const config = readDeploymentConfig();
  const clusterName = config.cluster.mode === 'create' ? config.cluster.name : `observatory-${pulumi.getStack()}`;

  const tags = ['observatory', `observatory-${config.environment}`];
  const doks = config.cluster.mode === 'create' ? doksCluster(config.cluster, tags) : undefined;
  const target =
    config.cluster.mode === 'create'
      ? doks!
      : { kubeconfig: config.cluster.kubeconfig, provider: new k8s.Provider('existing-cluster', { kubeconfig: config.cluster.kubeconfig }) };

  // Distributed on DigitalOcean: OpenSearch and a Spaces bucket beside the cluster, their credentials as Secrets.
  // On an existing cluster, those Secrets are yours to create (docs/DISTRIBUTED.md).
  const stores =
    doks && config.cluster.mode === 'create' && config.spec.scale === 'distributed'
      ? managedStores({ name: clusterName, region: config.cluster.region, vpc: doks.vpc, cluster: doks.cluster, spec: config.spec, tags, ...(config.spaces ? { spaces: config.spaces } : {}) })
      : undefined;
  const spec = stores?.opensearch ? openSearchManagedSpec(config.spec) : config.spec;

  const ingress = config.ingress.enabled && config.ingress.controller === 'traefik'
    ? new IngressController('ingress', { spec, ingress: config.ingress, provider: target.provider, loadBalancerName: `${clusterName}-ingress` })
    : undefined;

  const stack = new ObservabilityStack('observatory', {
    provider: target.provider,
    spec,
    providedSecrets: { ...config.providedSecrets, ...(stores?.secrets ?? {}) },
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

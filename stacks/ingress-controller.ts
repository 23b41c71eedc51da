import * as digitalocean from '@pulumi/digitalocean';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackSpec } from '../model/spec.js';
import type { IngressConfig } from './config.js';
import { TRAEFIK_NAME, traefikValues } from './traefik-values.js';

/**
 * Pinned charts. Traefik chart 41.5.0 ships Traefik v3.7.13 (traefik/traefik-helm-chart#1997); it replaced
 * ingress-nginx, which the Kubernetes project retired in March 2026 (docs/PULUMI.md).
 */
export const CHARTS = {
  traefik: { chart: 'traefik', version: '41.5.0', repo: 'https://traefik.github.io/charts' },
  certManager: { chart: 'cert-manager', version: 'v1.21.2', repo: 'https://charts.jetstack.io' },
} as const;

const ACME_SERVERS: Record<IngressConfig['acmeServer'], string> = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
};

export interface IngressControllerArgs {
  readonly spec: StackSpec;
  readonly ingress: IngressConfig;
  readonly provider: k8s.Provider;
  /** Name of the DigitalOcean load balancer the controller's Service gets. */
  readonly loadBalancerName: string;
}

/**
 * What the chart's Ingresses need on the cluster: Traefik behind a DigitalOcean load balancer, cert-manager,
 * and a Let's Encrypt ClusterIssuer answering HTTP-01 challenges through Traefik.
 */
export class IngressController extends pulumi.ComponentResource {
  static readonly type = 'observatory:index:IngressController';

  readonly controller: k8s.helm.v3.Release;
  readonly certManager: k8s.helm.v3.Release;
  readonly clusterIssuer: k8s.apiextensions.CustomResource;
  /** The public IPv4 address of the controller's load balancer. */
  readonly loadBalancerIp: pulumi.Output<string>;

  constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(IngressController.type, name, {}, opts);
    const { spec, provider } = args;
    const { className, clusterIssuer, controllerNamespace } = spec.ingress;
    const replicas = spec.environment === 'prod' ? 2 : 1;

    this.controller = new k8s.helm.v3.Release(
      `${name}:${TRAEFIK_NAME}`,
      {
        name: TRAEFIK_NAME,
        chart: CHARTS.traefik.chart,
        version: CHARTS.traefik.version,
        repositoryOpts: { repo: CHARTS.traefik.repo },
        namespace: controllerNamespace,
        createNamespace: true,
        values: traefikValues({ className, replicas, loadBalancerName: args.loadBalancerName }),
      },
      { parent: this, provider },
    );

    this.certManager = new k8s.helm.v3.Release(
      `${name}:cert-manager`,
      {
        name: 'cert-manager',
        chart: CHARTS.certManager.chart,
        version: CHARTS.certManager.version,
        repositoryOpts: { repo: CHARTS.certManager.repo },
        namespace: 'cert-manager',
        createNamespace: true,
        values: { crds: { enabled: true, keep: true } },
      },
      { parent: this, provider },
    );

    this.clusterIssuer = new k8s.apiextensions.CustomResource(
      `${name}:ClusterIssuer/${clusterIssuer}`,
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: clusterIssuer },
        spec: {
          acme: {
            email: args.ingress.acmeEmail,
            server: ACME_SERVERS[args.ingress.acmeServer],
            privateKeySecretRef: { name: `${clusterIssuer}-account-key` },
            solvers: [{ http01: { ingress: { ingressClassName: className } } }],
          },
        },
      },
      // The issuer's webhook must answer before the issuer is created, and its challenges go through the controller.
      { parent: this, provider, dependsOn: [this.certManager, this.controller] },
    );

    const service = k8s.core.v1.Service.get(`${name}:controller-service`, pulumi.interpolate`${this.controller.status.namespace}/${TRAEFIK_NAME}`, {
      parent: this,
      provider,
    });
    this.loadBalancerIp = service.status.loadBalancer.ingress.apply((ingress) => {
      const ip = ingress?.[0]?.ip;
      if (!ip) throw new pulumi.RunError('the ingress controller Service has no load balancer address yet');
      return ip;
    });
    this.registerOutputs({ loadBalancerIp: this.loadBalancerIp });
  }
}

/** An A record in a DigitalOcean DNS zone for every public host, pointing at the load balancer. */
export function dnsRecords(zone: string, hosts: readonly string[], ip: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): digitalocean.DnsRecord[] {
  return hosts.map(
    (host) =>
      new digitalocean.DnsRecord(
        `dns:${host}`,
        { domain: zone, type: 'A', name: host === zone ? '@' : host.slice(0, -(zone.length + 1)), value: ip, ttl: 300 },
        opts,
      ),
  );
}

/** The Helm values the program installs Traefik with (stacks/ingress-controller.ts). */

/** Name of the Traefik release, its objects (`fullnameOverride`) and so of the Service behind the load balancer. */
export const TRAEFIK_NAME = 'traefik';

/** What the Traefik release is configured by. */
export interface TraefikValuesArgs {
  /** The IngressClass Traefik creates and serves (the chart's Ingresses name it). */
  readonly className: string;
  readonly replicas: number;
  /** Name of the DigitalOcean load balancer DOKS creates for Traefik's Service. */
  readonly loadBalancerName: string;
}

/** Helm values of the Traefik chart (41.x): keys as in its values.yaml. */
export function traefikValues(args: TraefikValuesArgs): Record<string, unknown> {
  return {
    fullnameOverride: TRAEFIK_NAME,
    deployment: { replicas: args.replicas },
    // Not the cluster's default class: only Ingresses that name it are Traefik's.
    ingressClass: { enabled: true, isDefaultClass: false, name: args.className },
    service: { annotations: { 'service.beta.kubernetes.io/do-loadbalancer-name': args.loadBalancerName } },
    // Every router on `web` (port 80) redirects to `websecure` (443), so the Ingresses need no annotation for it.
    // HTTP-01 challenges follow the redirect: Let's Encrypt and cert-manager's self-check accept the
    // default certificate there.
    ports: { web: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
  };
}

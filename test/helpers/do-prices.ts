/**
 * DigitalOcean list prices (USD per month, 28-day cap) behind docs/PULUMI.md's cost table.
 * Sources, read 2026-11-23: Basic Droplet prices since the July 2022 change (DigitalOcean's price-change notice,
 * as tabulated in gist.github.com/colinwilson/cd31bde012f6727b24b2fc4ebee749c0; DOKS nodes cost what Droplets
 * cost per docs.digitalocean.com/products/kubernetes/details/pricing/), HA control plane $40/month (same page),
 * volumes $0.10/GiB-month, one regional load balancer node $12/month (digitalocean.com/pricing).
 */
export const DO_PRICES = {
  nodes: { 's-1vcpu-2gb': 12, 's-2vcpu-2gb': 18, 's-2vcpu-4gb': 24, 's-4vcpu-8gb': 48, 's-8vcpu-16gb': 96 } as Record<string, number>,
  haControlPlane: 40,
  volumePerGiB: 0.1,
  loadBalancer: 12,
} as const;

export interface MonthlyCost {
  readonly nodes: number;
  readonly haControlPlane: number;
  readonly volumes: number;
  readonly loadBalancer: number;
  readonly total: number;
}

export function monthlyCost(items: { size: string; nodes: number; ha: boolean; volumeGiB: number; loadBalancers: number }): MonthlyCost {
  const perNode = DO_PRICES.nodes[items.size];
  if (perNode === undefined) throw new Error(`no list price for ${items.size} in test/helpers/do-prices.ts`);
  const cost = {
    nodes: perNode * items.nodes,
    haControlPlane: items.ha ? DO_PRICES.haControlPlane : 0,
    volumes: Math.round(items.volumeGiB * DO_PRICES.volumePerGiB * 100) / 100,
    loadBalancer: DO_PRICES.loadBalancer * items.loadBalancers,
  };
  return { ...cost, total: Math.round((cost.nodes + cost.haControlPlane + cost.volumes + cost.loadBalancer) * 100) / 100 };
}

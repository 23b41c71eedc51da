/**
 * DigitalOcean list prices (USD per month, 28-day cap) behind docs/PULUMI.md's cost table.
 * Sources, read 2026-11-23: Basic Droplet prices since the July 2022 change (DigitalOcean's price-change notice,
 * as tabulated in gist.github.com/colinwilson/cd31bde012f6727b24b2fc4ebee749c0; DOKS nodes cost what Droplets
 * cost per docs.digitalocean.com/products/kubernetes/details/pricing/), HA control plane $40/month (same page),
 * volumes $0.10/GiB-month, one regional load balancer node $12/month (digitalocean.com/pricing).
 * Distributed stacks (issue 17): Spaces $5/month, 250 GiB stored and 1 TiB outbound included (digitalocean.com/pricing,
 * Spaces Object Storage). Managed OpenSearch per node of db-s-1vcpu-2gb: DigitalOcean's OpenSearch price list could
 * not be read from this machine (no stored copy); $30 is the same plan's Managed PostgreSQL price (1 vCPU, 2 GiB),
 * an estimate to check against digitalocean.com/pricing/managed-databases before relying on the total.
 */
export const DO_PRICES = {
  nodes: { 's-1vcpu-2gb': 12, 's-2vcpu-2gb': 18, 's-2vcpu-4gb': 24, 's-4vcpu-8gb': 48, 's-8vcpu-16gb': 96 } as Record<string, number>,
  haControlPlane: 40,
  volumePerGiB: 0.1,
  loadBalancer: 12,
  spacesSubscription: 5,
  openSearchNode: { 'db-s-1vcpu-2gb': 30 } as Record<string, number>,
} as const;

export interface MonthlyCost {
  readonly nodes: number;
  readonly haControlPlane: number;
  readonly volumes: number;
  readonly loadBalancer: number;
  readonly managedStores: number;
  readonly total: number;
}

/** Managed stores a distributed stack adds: OpenSearch nodes of a size, and whether a Spaces bucket is billed. */
export interface ManagedStoreItems {
  readonly openSearch?: { readonly size: string; readonly nodes: number };
  readonly spaces?: boolean;
}

export function monthlyCost(items: { size: string; nodes: number; ha: boolean; volumeGiB: number; loadBalancers: number; stores?: ManagedStoreItems }): MonthlyCost {
  const perNode = DO_PRICES.nodes[items.size];
  if (perNode === undefined) throw new Error(`no list price for ${items.size} in test/helpers/do-prices.ts`);
  const cost = {
    nodes: perNode * items.nodes,
    haControlPlane: items.ha ? DO_PRICES.haControlPlane : 0,
    volumes: Math.round(items.volumeGiB * DO_PRICES.volumePerGiB * 100) / 100,
    loadBalancer: DO_PRICES.loadBalancer * items.loadBalancers,
    managedStores: managedStoresCost(items.stores ?? {}),
  };
  return { ...cost, total: Math.round((cost.nodes + cost.haControlPlane + cost.volumes + cost.loadBalancer + cost.managedStores) * 100) / 100 };
}

function managedStoresCost(stores: ManagedStoreItems): number {
  let total = stores.spaces ? DO_PRICES.spacesSubscription : 0;
  if (stores.openSearch) {
    const perNode = DO_PRICES.openSearchNode[stores.openSearch.size];
    if (perNode === undefined) throw new Error(`no list price for OpenSearch ${stores.openSearch.size} in test/helpers/do-prices.ts`);
    total += perNode * stores.openSearch.nodes;
  }
  return total;
}

/** What a Droplet size offers (digitalocean.com/pricing, Basic Droplets): millicores and MiB. */
export const DO_NODE_SIZES: Record<string, { readonly cpuMillis: number; readonly memoryMiB: number }> = {
  's-1vcpu-2gb': { cpuMillis: 1000, memoryMiB: 2048 },
  's-2vcpu-2gb': { cpuMillis: 2000, memoryMiB: 2048 },
  's-2vcpu-4gb': { cpuMillis: 2000, memoryMiB: 4096 },
  's-4vcpu-8gb': { cpuMillis: 4000, memoryMiB: 8192 },
  's-8vcpu-16gb': { cpuMillis: 8000, memoryMiB: 16384 },
};

/** DOKS's kubelet reservations and system pods per node: an estimate (docs/PULUMI.md), not measured here. */
export const DOKS_NODE_RESERVED = { cpuMillis: 200, memoryMiB: 1024 } as const;

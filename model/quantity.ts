/**
 * Kubernetes resource quantities, restricted to the forms the spec accepts. Bounded: a core has at most 3
 * decimals (Kubernetes' precision; a finer one rounds to 0 millicores, which compose reads as "no limit"),
 * and so few digits that the renderers' arithmetic stays exact and prints without an exponent.
 */
export const CPU_PATTERN = /^(\d{1,7}m|\d{1,4}(\.\d{1,3})?)$/;
export const MEMORY_PATTERN = /^\d{1,9}(Ki|Mi|Gi|Ti)$/;

const MEMORY_FACTOR = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 } as const;

/** A memory quantity (`512Mi`, `2Gi`) in MiB. */
export function memoryMiB(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`expected a memory quantity like "512Mi", got ${JSON.stringify(quantity)}`);
  return Number(match[1]) * MEMORY_FACTOR[match[2] as keyof typeof MEMORY_FACTOR];
}

/** A CPU quantity (`250m`, `1`, `1.5`) in millicores. */
export function cpuMillis(quantity: string): number {
  if (!CPU_PATTERN.test(quantity)) throw new Error(`expected a CPU quantity like "250m", got ${JSON.stringify(quantity)}`);
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

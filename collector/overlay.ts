import { isDeepStrictEqual } from 'node:util';

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The smallest config that, given to the collector after `base` (`--config base --config overlay`), yields `full`.
 * The collector merges maps key by key and replaces lists whole, so a changed list is restated in full.
 * Keys of `base` missing from `full` cannot be removed by an overlay, which is reported.
 */
export function configOverlay(base: unknown, full: unknown, path = ''): Tree {
  if (!isTree(base) || !isTree(full)) throw new Error(`config overlay: ${path || '(root)'} must be a mapping on both sides`);
  const overlay: Tree = {};
  for (const key of Object.keys(base)) {
    if (!(key in full)) throw new Error(`config overlay: ${path}${key} exists in the base config but not in the full one; an overlay can only add or change`);
  }
  for (const [key, value] of Object.entries(full)) {
    const before = base[key];
    if (isDeepStrictEqual(before, value)) continue;
    overlay[key] = isTree(before) && isTree(value) ? configOverlay(before, value, `${path}${key}.`) : value;
  }
  return overlay;
}

/** The collector's merge of config files: maps merged key by key, everything else (lists included) replaced. */
export function mergeConfigs(base: unknown, overlay: unknown): unknown {
  if (!isTree(base) || !isTree(overlay)) return structuredClone(overlay);
  const merged: Tree = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) merged[key] = key in merged ? mergeConfigs(merged[key], value) : structuredClone(value);
  return merged;
}

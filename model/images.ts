import { imageCatalog, type ImageKey } from './catalog.js';
import type { ResolvedImage } from './component.js';
import type { StackSpec } from './spec.js';

/**
 * The reference to run for a catalog image: a per-image override wins, then `images.registry`
 * (which replaces the upstream registry host), then the upstream reference.
 */
export function resolveImage(spec: StackSpec, key: ImageKey): ResolvedImage {
  const facts = imageCatalog[key];
  const override = spec.images.overrides[key];
  if (override) return { key, ref: override, facts };
  const registry = spec.images.registry ?? facts.registry;
  return { key, ref: `${registry}/${facts.repository}:${facts.tag}`, facts };
}

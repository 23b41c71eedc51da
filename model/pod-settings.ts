import type { Component } from './component.js';
import type { PodSettings, StackSpec } from './spec.js';

/**
 * The pod settings of a component group (a key of `spec.components`): the stack-wide ones, each field the group
 * sets replacing the stack's, labels and annotations added to the stack's.
 */
export function podSettingsOf(spec: StackSpec, group: keyof StackSpec['components']): PodSettings {
  const { components, ...stackWide } = spec.pods;
  const own = components[group] ?? {};
  const merged: PodSettings = { ...stackWide, ...own };
  const labels = { ...stackWide.labels, ...own.labels };
  const annotations = { ...stackWide.annotations, ...own.annotations };
  return {
    ...merged,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** A group's components carrying its pod settings (`kubernetes.pod`), for the workload renderer; unchanged without any. */
export function withPodSettings(spec: StackSpec, group: keyof StackSpec['components'], components: readonly Component[]): Component[] {
  const pod = podSettingsOf(spec, group);
  if (Object.keys(pod).length === 0) return [...components];
  return components.map((c) => ({ ...c, kubernetes: { ...c.kubernetes, pod } }));
}

import type { Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';

/** The recommended `app.kubernetes.io/*` labels of a component's objects. */
export function componentLabels(spec: StackSpec, component: Component): Record<string, string> {
  const version = component.image.ref.split(':').pop() ?? '';
  return {
    'app.kubernetes.io/name': component.name,
    'app.kubernetes.io/instance': spec.name,
    'app.kubernetes.io/component': component.role,
    'app.kubernetes.io/part-of': 'observatory',
    'app.kubernetes.io/managed-by': 'observatory',
    // Label values allow at most 63 characters of [-A-Za-z0-9_.].
    ...(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(version) ? { 'app.kubernetes.io/version': version } : {}),
  };
}

/** The stable subset used as selectors (must never change for a running workload). */
export function selectorLabels(spec: StackSpec, component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': component.name, 'app.kubernetes.io/instance': spec.name };
}

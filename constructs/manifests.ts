import { ApiObject, App } from 'cdk8s';
import type { StackSpec } from '../model/spec.js';
import type { KubeObject } from './schema-check.js';
import type { DashboardFiles } from './grafana.js';
import { ObservabilityStack } from './stack.js';

/** The stack's Kubernetes objects, by the file they are written to (`00-namespace.yaml`, `loki.yaml`, ...). */
export interface KubernetesManifests {
  readonly stack: ObservabilityStack;
  readonly files: ReadonlyMap<string, KubeObject[]>;
}

const objectsUnder = (scope: { node: { findAll(): unknown[] } }): KubeObject[] =>
  scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson() as KubeObject);

/** Synthesizes the ObservabilityStack in memory (nothing is written). */
export function kubernetesManifests(spec: StackSpec, dashboards?: DashboardFiles): KubernetesManifests {
  const app = new App({ outdir: '/nonexistent-cdk8s-outdir' });
  const stack = new ObservabilityStack(app, spec.name, { spec, ...(dashboards ? { dashboards } : {}) });
  const files = new Map<string, KubeObject[]>();
  const namespace = stack.node.tryFindChild('namespace');
  if (namespace) files.set('00-namespace.yaml', objectsUnder(namespace));
  for (const [name, group] of Object.entries(stack.groups)) files.set(`${name}.yaml`, objectsUnder(group));
  return { stack, files };
}

export const allObjects = (manifests: KubernetesManifests): KubeObject[] => [...manifests.files.values()].flat();

// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import ApiObject = cdk8s.ApiObject;
import App = cdk8s.App;
import { defaultDashboardFiles } from '../dashboards/defaults.js';
import type { StackSpec } from '../model/spec.js';
import { componentGroups as buildComponentGroups, type ComponentGroups } from './components.js';
import type { KubeObject } from './schema-check.js';
import { ObservabilityStack } from './stack.js';

/** The stack's Kubernetes objects, by the file they are written to (`00-namespace.yaml`, `loki.yaml`, ...). */
export interface KubernetesManifests {
  readonly stack: ObservabilityStack;
  readonly files: ReadonlyMap<string, KubeObject[]>;
}

const objectsUnder = (scope: { node: { findAll(): unknown[] } }): KubeObject[] =>
  scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson() as KubeObject);

/**
 * Synthesizes the ObservabilityStack in memory (nothing is written) from the components given, by default the
 * spec's with the dashboards we ship.
 */
export function kubernetesManifests(
  spec: StackSpec,
  componentGroups: ComponentGroups = buildComponentGroups({ spec, dashboards: defaultDashboardFiles(spec) }),
): KubernetesManifests {
  const app = new App({ outdir: '/nonexistent-cdk8s-outdir' });
  const stack = new ObservabilityStack(app, spec.name, { spec, componentGroups });
  const files = new Map<string, KubeObject[]>();
  // One file per child of the chart (a product's group, the network policies, ...); the namespace sorts first.
  for (const child of stack.node.children) {
    const objects = objectsUnder(child);
    if (objects.length > 0) files.set(child.node.id === 'namespace' ? '00-namespace.yaml' : `${child.node.id}.yaml`, objects);
  }
  return { stack, files };
}

export const allObjects = (manifests: KubernetesManifests): KubeObject[] => [...manifests.files.values()].flat();

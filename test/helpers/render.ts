import { renderStack, type RenderedStack } from '../../cli/render.js';
import { allObjects } from '../../constructs/manifests.js';
import type { KubeObject } from '../../constructs/schema-check.js';
import { defineStack } from '../../model/define.js';
import { environments, type Environment } from '../../model/spec.js';

const cache = new Map<Environment, RenderedStack>();

/** The rendered stack of a preset (rendered once per test file). */
export function renderedPreset(environment: Environment): RenderedStack {
  if (!cache.has(environment)) cache.set(environment, renderStack(defineStack({}, { environment })));
  return cache.get(environment)!;
}

export const presets = environments;

export const objectsOf = (rendered: RenderedStack): KubeObject[] => allObjects(rendered.kubernetes);

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'DaemonSet', 'CronJob']);

export interface PodSpecLike {
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
  securityContext?: Record<string, unknown>;
  volumes?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface ContainerLike {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext?: Record<string, any>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  ports?: { containerPort: number; name?: string }[];
  args?: string[];
  command?: string[];
  volumeMounts?: { name: string; mountPath: string }[];
}

/** Every workload with its pod spec. */
export function workloads(objects: readonly KubeObject[]): { object: KubeObject; pod: PodSpecLike }[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((object) => {
      const spec = object['spec'] as any;
      const pod = object.kind === 'CronJob' ? spec.jobTemplate.spec.template.spec : spec.template.spec;
      return { object, pod: pod as PodSpecLike };
    });
}

import { composeSchemaProblems } from '../compose/schema-check.js';
import { renderCompose, type ComposeBundle } from '../compose/render.js';
import { allObjects, kubernetesManifests, type KubernetesManifests } from '../constructs/manifests.js';
import { kubernetesSchemaProblems } from '../constructs/schema-check.js';
import type { Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import yaml from 'js-yaml';

export interface RenderedStack {
  readonly spec: StackSpec;
  readonly components: readonly Component[];
  readonly kubernetes: KubernetesManifests;
  readonly compose: ComposeBundle;
}

/** Renders the spec both ways, in memory. */
export function renderStack(spec: StackSpec): RenderedStack {
  const kubernetes = kubernetesManifests(spec);
  const components = kubernetes.stack.components;
  return { spec, components, kubernetes, compose: renderCompose(spec, components) };
}

/** Schema problems of everything rendered: Kubernetes 1.28 objects and the compose document. */
export function renderedProblems(rendered: RenderedStack): string[] {
  const compose = yaml.load(rendered.compose.files.get('compose.yaml')!);
  return [...kubernetesSchemaProblems(allObjects(rendered.kubernetes)), ...composeSchemaProblems(compose)];
}

import { renderCompose, type ComposeBundle } from '../compose/render.js';
import { componentGroups, componentsOf } from '../constructs/components.js';
import { kubernetesManifests, type KubernetesManifests } from '../constructs/manifests.js';
import { runbookFiles } from '../alerts/runbooks.js';
import { defaultDashboardFiles } from '../dashboards/defaults.js';
import type { Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';

export interface RenderedStack {
  readonly spec: StackSpec;
  readonly components: readonly Component[];
  readonly kubernetes: KubernetesManifests;
  readonly compose: ComposeBundle;
  /** The dashboards Grafana provisions (`<uid>.json` → JSON), also written to `<out>/dashboards/`. */
  readonly dashboards: ReadonlyMap<string, string>;
  /** One Markdown runbook per alert (`<alert>.md`), written to `<out>/runbooks/`; alerts' `runbook_url` points there. */
  readonly runbooks: ReadonlyMap<string, string>;
}

/** Renders the spec both ways, in memory, with the dashboards we ship provisioned in Grafana. */
export function renderStack(spec: StackSpec): RenderedStack {
  const dashboards = defaultDashboardFiles(spec);
  // The runtime-neutral component list, built once: both renderers take this one.
  const groups = componentGroups({ spec, dashboards });
  const components = componentsOf(groups);
  const kubernetes = kubernetesManifests(spec, groups);
  const runbooks = spec.components.vmalert.enabled ? runbookFiles(spec) : new Map<string, string>();
  return { spec, components, kubernetes, compose: renderCompose(spec, components), dashboards, runbooks };
}

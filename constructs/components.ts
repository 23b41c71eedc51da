import type { AlertDefinition } from '../alerts/rule-model.js';
import type { Component } from '../model/component.js';
import { withPodSettings } from '../model/pod-settings.js';
import type { StackSpec } from '../model/spec.js';
import { alertmanagerComponents } from './alertmanager.js';
import { collectorComponents, scrapeTargetsOf } from './collector.js';
import { glitchtipComponents } from './glitchtip.js';
import { grafanaComponents, type DashboardFiles } from './grafana.js';
import { jaegerComponents } from './jaeger.js';
import { lokiComponents } from './loki.js';
import { umamiComponents } from './umami.js';
import { victoriaMetricsComponents } from './victoriametrics.js';
import { vmalertComponents } from './vmalert.js';

export interface StackParts {
  readonly spec: StackSpec;
  readonly dashboards?: DashboardFiles;
  /** The user's own alerts, in vmalert's `custom.yml`. */
  readonly alerts?: readonly AlertDefinition[];
}

/** The stack's enabled components by product group (`victoriametrics`, `vmalert`, ...), the collector last. */
export type ComponentGroups = Record<string, Component[]>;

/**
 * Every enabled component of the stack, grouped by product, the collector last (it scrapes the others): the one list
 * the renderers take, built once per render by whoever renders (the CLI, the cdk8s construct, the Pulumi component).
 */
export function componentGroups({ spec, dashboards, alerts }: StackParts): ComponentGroups {
  const groups: ComponentGroups = {
    victoriametrics: victoriaMetricsComponents(spec),
    vmalert: vmalertComponents(spec, alerts),
    jaeger: jaegerComponents(spec),
    loki: lokiComponents(spec),
    grafana: grafanaComponents(spec, dashboards),
    alertmanager: alertmanagerComponents(spec, alerts),
    glitchtip: glitchtipComponents(spec),
    umami: umamiComponents(spec),
  };
  groups['collector'] = collectorComponents(spec, scrapeTargetsOf(Object.values(groups).flat()));
  for (const [group, components] of Object.entries(groups)) groups[group] = withPodSettings(spec, group as keyof StackSpec['components'], components);
  const seen = new Set<string>();
  for (const c of Object.values(groups).flat()) {
    if (seen.has(c.name)) throw new Error(`two components are named "${c.name}"`);
    seen.add(c.name);
  }
  return groups;
}

export const componentsOf = (groups: ComponentGroups): Component[] => Object.values(groups).flat();

export const stackComponents = (parts: StackParts): Component[] => componentsOf(componentGroups(parts));

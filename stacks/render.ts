// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import App = cdk8s.App;
import type { AlertDefinition } from '../alerts/rule-model.js';
import type { DashboardFiles } from '../constructs/grafana.js';
import type { KubeObject } from '../constructs/schema-check.js';
import { ObservabilityStack } from '../constructs/stack.js';
import type { Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';

export interface RenderedChart {
  readonly objects: readonly KubeObject[];
  readonly components: readonly Component[];
}

/**
 * The cdk8s chart's objects in memory, exactly as `observatory synth` renders them (same chart, same default
 * dashboards), for the Pulumi component to apply.
 */
export function renderChart(spec: StackSpec, options: { dashboards?: DashboardFiles; alerts?: readonly AlertDefinition[]; createNamespace: boolean }): RenderedChart {
  const app = new App({ outdir: '/nonexistent-cdk8s-outdir' });
  const chart = new ObservabilityStack(app, spec.name, {
    spec,
    createNamespace: options.createNamespace,
    ...(options.dashboards ? { dashboards: options.dashboards } : {}),
    ...(options.alerts ? { alerts: options.alerts } : {}),
  });
  return { objects: chart.toJson() as KubeObject[], components: chart.components };
}

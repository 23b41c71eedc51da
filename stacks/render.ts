// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import App = cdk8s.App;
import type { ComponentGroups } from '../constructs/components.js';
import type { KubeObject } from '../constructs/schema-check.js';
import { ObservabilityStack } from '../constructs/stack.js';
import type { StackSpec } from '../model/spec.js';

/**
 * The cdk8s chart's objects in memory, exactly as `observatory synth` renders them for the same components, for the
 * Pulumi component to apply.
 */
export function renderChart(spec: StackSpec, componentGroups: ComponentGroups, options: { createNamespace: boolean }): KubeObject[] {
  const app = new App({ outdir: '/nonexistent-cdk8s-outdir' });
  const chart = new ObservabilityStack(app, spec.name, { spec, componentGroups, createNamespace: options.createNamespace });
  return chart.toJson() as KubeObject[];
}

import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { componentGroups } from '../../constructs/components.js';
import { ObservabilityStack } from '../../constructs/stack.js';
import { defaultDashboardFiles } from '../../dashboards/defaults.js';
import { defineStack } from '../../model/define.js';

/**
 * The runtime-neutral component list is built once, outside the chart (constructs/components.ts), and every
 * renderer takes that one: the chart, compose and the Pulumi component (stacks/component.ts).
 */
describe('one component list for every renderer', () => {
  it('synth hands the chart the very components compose renders', () => {
    const rendered = renderStack(defineStack({}, { environment: 'prod' }));
    const chartComponents = rendered.kubernetes.stack.components;
    expect(chartComponents).toHaveLength(rendered.components.length);
    chartComponents.forEach((component, i) => expect(component, component.name).toBe(rendered.components[i]));
  });

  it('the chart renders the component groups it is given, as given', () => {
    const spec = defineStack({});
    const groups = componentGroups({ spec, dashboards: defaultDashboardFiles(spec) });
    const loki = groups['loki']![0]!;
    groups['loki'] = [{ ...loki, image: { ...loki.image, ref: 'mirror.example.com/loki:patched' } }];
    const chart = new ObservabilityStack(new App({ outdir: '/nonexistent-cdk8s-outdir' }), 'observatory', { spec, componentGroups: groups });
    const images = JSON.stringify(chart.toJson()).match(/mirror\.example\.com\/loki:patched/g);
    expect(images).not.toBeNull();
    expect(chart.components).toContain(groups['loki'][0]);
  });

  it.each(['dashboards', 'alerts'] as const)('refuses %s beside component groups, which already hold them', (part) => {
    const spec = defineStack({});
    const props = { spec, componentGroups: componentGroups({ spec }), [part]: part === 'dashboards' ? new Map<string, string>() : [] };
    expect(() => new ObservabilityStack(new App({ outdir: '/nonexistent-cdk8s-outdir' }), 'observatory', props)).toThrow(
      `ObservabilityStack "observatory": props.${part} cannot take effect beside props.componentGroups`,
    );
  });
});

import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import type { KubeObject } from '../../constructs/schema-check.js';
import { ObservabilityStack } from '../../constructs/stack.js';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { dashboardFiles } from '../../dashboards/files.js';
import { defineStack } from '../../model/define.js';

const app = () => new App({ outdir: '/nonexistent-cdk8s-outdir' });
/** The dashboard files Grafana's dashboards ConfigMap carries. */
const provisioned = (objects: readonly KubeObject[]) =>
  (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('grafana-dashboards')) as { data?: Record<string, string> } | undefined)?.data ?? {};

describe('the construct\'s dashboards', () => {
  const spec = defineStack({ environment: 'staging' });

  it('are the shipped ones by default, exactly what synth provisions', () => {
    const stack = new ObservabilityStack(app(), 'observability', { spec });
    const fromSynth = Object.fromEntries(renderStack(spec).dashboards);
    expect(Object.keys(fromSynth).length).toBeGreaterThan(5);
    expect(provisioned(stack.toJson())).toEqual(fromSynth);
  });

  it('are the given ones when dashboards says so: the shipped ones minus one, plus another', () => {
    const ours = defaultDashboards(spec);
    const kept = ours.filter((d) => d.uid !== ours[0]!.uid);
    const stack = new ObservabilityStack(app(), 'observability', { spec, dashboards: dashboardFiles(kept) });
    expect(Object.keys(provisioned(stack.toJson())).sort()).toEqual([...dashboardFiles(kept).keys()].sort());
    expect(Object.keys(provisioned(stack.toJson()))).toHaveLength(ours.length - 1);
  });

  it('are none without Grafana', () => {
    const stack = new ObservabilityStack(app(), 'observability', { spec: { environment: 'staging', components: { grafana: { enabled: false } } } });
    expect(provisioned(stack.toJson())).toEqual({});
  });
});

/**
 * The Kubernetes rendering of `scale: distributed` as the test cluster ran it (test/cluster/distributed.test.ts):
 * what running it on a real node showed, kept here as rules every preset's rendering must follow.
 */
import { describe, expect, it } from 'vitest';
import { objectsOf, presets, renderedPreset, workloads } from '../helpers/render.js';

const prod = renderedPreset('prod');
const prodObjects = objectsOf(prod);

describe('the distributed stack on Kubernetes', () => {
  it.each(presets)('starts every StatefulSet replica at once (%s): no component needs them in order', (environment) => {
    const sets = objectsOf(renderedPreset(environment)).filter((o) => o.kind === 'StatefulSet') as any[];
    expect(sets.length).toBeGreaterThan(3);
    expect(sets.filter((s) => s.spec.podManagementPolicy !== 'Parallel').map((s) => s.metadata.name)).toEqual([]);
  });

  it('spreads replicas over nodes and zones as a preference, so that the prod sizing schedules on one node', () => {
    const replicated = workloads(prodObjects).filter(({ object }) => ((object as any).spec.replicas ?? 1) > 1 || object.kind === 'StatefulSet');
    const required: string[] = [];
    for (const { object, pod } of replicated) {
      const affinity = (pod as any).affinity ?? {};
      if (affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution) required.push(`${object.metadata.name}: required pod anti-affinity`);
      for (const spread of ((pod as any).topologySpreadConstraints ?? []) as { whenUnsatisfiable: string; topologyKey: string }[]) {
        if (spread.whenUnsatisfiable !== 'ScheduleAnyway') required.push(`${object.metadata.name}: ${spread.topologyKey} ${spread.whenUnsatisfiable}`);
      }
    }
    expect(required).toEqual([]);
    const lokiWrite = workloads(prodObjects).find(({ object }) => object.metadata.name === 'loki-write')!;
    expect(((lokiWrite.pod as any).topologySpreadConstraints as { topologyKey: string }[]).map((s) => s.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
  });
});

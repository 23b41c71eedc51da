import { ApiObject, JsonPatch } from 'cdk8s';
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';
import type { Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { componentLabels, selectorLabels } from './labels.js';

/** Long-running components with more than one replica: the ones a node drain or a zone loss must not take down at once. */
export const isReplicated = (component: Component): boolean =>
  (component.kind === 'service' || component.kind === 'stateful') && component.replicas > 1;

/**
 * Keeps a replicated component serving through voluntary disruptions and node loss: a PodDisruptionBudget
 * (at most one replica down at a time), and replicas spread across nodes and zones. Spreading is
 * `ScheduleAnyway`: a small cluster (one zone, fewer nodes than replicas) still schedules every replica.
 * Singletons get neither: a budget on one replica would block every node drain.
 */
export class ReplicaAvailability extends Construct {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec; readonly component: Component; readonly workload: Construct }) {
    super(scope, id);
    const { spec, component } = props;
    if (!isReplicated(component)) return;
    const selector = { matchLabels: selectorLabels(spec, component) };
    new KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: component.name, labels: componentLabels(spec, component) },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector },
    });
    const spread = (topologyKey: string) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector });
    ApiObject.of(props.workload).addJsonPatch(
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [spread('kubernetes.io/hostname'), spread('topology.kubernetes.io/zone')]),
    );
  }
}

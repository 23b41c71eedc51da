// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import k8s = require('cdk8s-plus-28/lib/imports/k8s.js');
import constructs = require('constructs');
import ApiObject = cdk8s.ApiObject;
import JsonPatch = cdk8s.JsonPatch;
import IntOrString = k8s.IntOrString;
import KubeHorizontalPodAutoscalerV2 = k8s.KubeHorizontalPodAutoscalerV2;
import KubePodDisruptionBudget = k8s.KubePodDisruptionBudget;
import Construct = constructs.Construct;
import type { Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { componentLabels, selectorLabels } from './labels.js';

/**
 * Long-running components that run (or may scale to) more than one replica: the ones a node drain or a zone loss
 * must not take down at once.
 */
export const isReplicated = (component: Component): boolean =>
  (component.kind === 'service' || component.kind === 'stateful') && Math.max(component.replicas, component.autoscaling?.maxReplicas ?? 0) > 1;

/**
 * Keeps a replicated component serving through voluntary disruptions and node loss: a PodDisruptionBudget
 * (at most one replica down at a time), replicas spread across nodes and zones, and its autoscaler if it has one. Spreading is
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
    const workload = ApiObject.of(props.workload);
    workload.addJsonPatch(
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [spread('kubernetes.io/hostname'), spread('topology.kubernetes.io/zone')]),
    );
    const autoscaling = component.autoscaling;
    if (autoscaling && autoscaling.maxReplicas > component.replicas) {
      new KubeHorizontalPodAutoscalerV2(this, 'hpa', {
        metadata: { name: component.name, labels: componentLabels(spec, component) },
        spec: {
          scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name },
          minReplicas: component.replicas,
          maxReplicas: autoscaling.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpuPercent } } }],
          // Scale in slowly: a replica that leaves hands its clients' connections to the others.
          behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] } },
        },
      });
      // The autoscaler owns the replica count: a re-apply must not reset it to the minimum.
      workload.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    }
  }
}

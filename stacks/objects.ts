import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../constructs/schema-check.js';

// A rendered object is its resource's args as they are: the typed args mirror the Kubernetes JSON the chart emits.
type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The typed @pulumi/kubernetes resource for every apiVersion/kind the chart renders. Typed classes (rather than
 * one generic resource) give each object the provider's own readiness checks (a Deployment waits for its
 * rollout, a Job for completion). A kind missing here fails the program by name instead of being skipped.
 */
const RESOURCE_CLASSES: Readonly<Record<string, ResourceClass>> = {
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/PersistentVolumeClaim': k8s.core.v1.PersistentVolumeClaim,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'apps/v1/StatefulSet': k8s.apps.v1.StatefulSet,
  'apps/v1/DaemonSet': k8s.apps.v1.DaemonSet,
  'batch/v1/Job': k8s.batch.v1.Job,
  'batch/v1/CronJob': k8s.batch.v1.CronJob,
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s.rbac.v1.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s.rbac.v1.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'networking.k8s.io/v1/Ingress': k8s.networking.v1.Ingress,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
};

/**
 * When an object is applied, relative to the others: the namespace first, then (after the generated Secrets)
 * everything workloads read or need (config, services, RBAC, volumes, network policies), then the workloads;
 * Ingresses once their Services exist and the ingress controller and certificate issuer are ready.
 */
export type Stage = 'namespace' | 'config' | 'workload' | 'exposure';

const STAGE_OF_KIND: Readonly<Record<string, Stage>> = {
  Namespace: 'namespace',
  Deployment: 'workload',
  StatefulSet: 'workload',
  DaemonSet: 'workload',
  Job: 'workload',
  CronJob: 'workload',
  Ingress: 'exposure',
};

export const stageOf = (object: KubeObject): Stage => STAGE_OF_KIND[object.kind] ?? 'config';

/** `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object: unique within a cluster. */
export function objectKey(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${object.kind}/${namespace}/${name}` : `${object.kind}/${name}`;
}

export function resourceClassOf(object: KubeObject): ResourceClass {
  const resourceClass = RESOURCE_CLASSES[`${object.apiVersion}/${object.kind}`];
  if (!resourceClass) {
    throw new Error(
      `${objectKey(object)}: no @pulumi/kubernetes resource type for ${object.apiVersion}/${object.kind}; add it to RESOURCE_CLASSES in stacks/objects.ts`,
    );
  }
  return resourceClass;
}

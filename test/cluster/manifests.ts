/** The shapes the cluster's own add-ons and the tests' workloads share: one-replica Deployments and cluster RBAC. */

export type Labels = Record<string, string>;

/**
 * A one-replica Deployment of `podSpec`, its pods labelled `selector`. `labels` go on the Deployment itself
 * (none when omitted).
 */
export function oneReplicaDeployment(name: string, namespace: string, selector: Labels, podSpec: object, labels?: Labels): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { replicas: 1, selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: podSpec } },
  };
}

export interface RbacSubject {
  readonly kind: 'ServiceAccount' | 'User';
  readonly name: string;
  readonly namespace?: string;
}

/** A ClusterRole with `rules` and the ClusterRoleBinding granting it to `subject` (named `bindingName`, else like the role). */
export function clusterRoleFor(roleName: string, rules: readonly object[], subject: RbacSubject, bindingName = roleName): object[] {
  const rbac = 'rbac.authorization.k8s.io';
  return [
    { apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: roleName }, rules },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: bindingName },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: roleName },
      subjects: [subject.kind === 'User' ? { kind: 'User', name: subject.name, apiGroup: rbac } : { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace }],
    },
  ];
}

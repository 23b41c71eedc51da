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

/** A namespace whose pods Pod Security "restricted" admits, and nothing else. */
export const restrictedNamespace = (name: string): object => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
});

/** A container security context that Pod Security "restricted" admits. */
export const restrictedContainer = (uid: number) => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  seccompProfile: { type: 'RuntimeDefault' },
});

/** The one container of a small server pod (restrictedServerPod). */
export interface ServerContainer {
  readonly name: string;
  /** A locally imported image (never pulled). */
  readonly image: string;
  readonly uid: number;
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  /** Polled every 2 s. */
  readonly ready: { readonly path: string; readonly port: number };
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
}

/**
 * The pod spec of a small server from a locally imported image, as Pod Security "restricted" admits it: runs as
 * `uid` on a read-only root with an emptyDir at /tmp. `pod` adds pod-level fields (service account, token mount).
 */
export function restrictedServerPod({ name, image, uid, ports, ready, args, env }: ServerContainer, pod: Record<string, unknown> = {}): object {
  return {
    ...pod,
    containers: [
      {
        name,
        image,
        imagePullPolicy: 'Never',
        ...(args ? { args } : {}),
        ...(env ? { env } : {}),
        ports,
        readinessProbe: { httpGet: ready, periodSeconds: 2 },
        securityContext: restrictedContainer(uid),
        resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}

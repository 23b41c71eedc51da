/**
 * Traefik on the test cluster, the ingress controller the Pulumi program installs on DOKS (Helm chart 41.5.0,
 * stacks/ingress-controller.ts), here from the factory's build of the same version: its Kubernetes Ingress
 * provider for the stack's ingress class, in the namespace the stack's network policies admit it from. No load
 * balancer and no TLS here: the test reaches its `web` entrypoint through a port-forward.
 */
import { TRAEFIK_IMAGE } from './cluster-images.js';
import { clusterRoleFor, oneReplicaDeployment, restrictedNamespace, restrictedServerPod } from './manifests.js';

export interface TraefikOptions {
  /** The ingress class it serves (the spec's `ingress.className`). */
  readonly className: string;
  /** Its namespace (the spec's `ingress.controllerNamespace`). */
  readonly namespace: string;
}

export const TRAEFIK_WEB_PORT = 8000;

export function traefikManifests({ className, namespace }: TraefikOptions): object[] {
  const labels = { 'app.kubernetes.io/name': 'traefik' };
  const name = 'traefik';
  return [
    restrictedNamespace(namespace),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    // What Traefik's chart grants its Kubernetes Ingress provider.
    ...clusterRoleFor(
      `observatory-test:${name}`,
      [
        { apiGroups: [''], resources: ['services', 'secrets', 'nodes', 'configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      ],
      { kind: 'ServiceAccount', name, namespace },
    ),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: className }, spec: { controller: 'traefik.io/ingress-controller' } },
    oneReplicaDeployment(
      name,
      namespace,
      labels,
      restrictedServerPod(
        {
          name,
          image: TRAEFIK_IMAGE,
          uid: 65532,
          args: [
            `--entryPoints.web.address=:${TRAEFIK_WEB_PORT}`,
            '--entryPoints.traefik.address=:8080',
            '--ping=true',
            '--providers.kubernetesingress=true',
            `--providers.kubernetesingress.ingressclass=${className}`,
            '--log.level=INFO',
          ],
          ports: [{ name: 'web', containerPort: TRAEFIK_WEB_PORT }],
          ready: { path: '/ping', port: 8080 },
        },
        { serviceAccountName: name },
      ),
      labels,
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: 'web', port: 80, targetPort: TRAEFIK_WEB_PORT }] },
    },
  ];
}

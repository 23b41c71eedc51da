/**
 * Traefik on the test cluster, the ingress controller the Pulumi program installs on DOKS (Helm chart 41.5.0,
 * stacks/ingress-controller.ts), here from the factory's build of the same version: its Kubernetes Ingress
 * provider for the stack's ingress class, in the namespace the stack's network policies admit it from. No load
 * balancer and no TLS here: the test reaches its `web` entrypoint through a port-forward.
 */
import { TRAEFIK_IMAGE } from './cluster-images.js';
import { clusterRoleFor, oneReplicaDeployment } from './manifests.js';
import { restrictedContainer } from './test-workloads.js';

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
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
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
      {
        serviceAccountName: name,
        containers: [
          {
            name,
            image: TRAEFIK_IMAGE,
            imagePullPolicy: 'Never',
            args: [
              `--entryPoints.web.address=:${TRAEFIK_WEB_PORT}`,
              '--entryPoints.traefik.address=:8080',
              '--ping=true',
              '--providers.kubernetesingress=true',
              `--providers.kubernetesingress.ingressclass=${className}`,
              '--log.level=INFO',
            ],
            ports: [{ name: 'web', containerPort: TRAEFIK_WEB_PORT }],
            readinessProbe: { httpGet: { path: '/ping', port: 8080 }, periodSeconds: 2 },
            securityContext: restrictedContainer(65532),
            resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      },
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

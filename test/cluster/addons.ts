/**
 * What the node runs as pods once it is up: CoreDNS (cluster DNS, no upstream: nothing leaves this machine),
 * the RBAC of kube-router (the NetworkPolicy controller, a host process), and Rancher's local-path-provisioner
 * behind the default StorageClass, so the stack's PersistentVolumeClaims bind.
 */
import yaml from 'js-yaml';
import { paths, type ClusterLayout } from './layout.js';
import { COREDNS_IMAGE, LOCAL_PATH_IMAGE, PROBE_IMAGE } from './cluster-images.js';
import { clusterRoleFor, oneReplicaDeployment } from './manifests.js';

export const DEFAULT_STORAGE_CLASS = 'local-path';

const corefile = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    cache 30
    loadbalance
}
`;

function coredns(l: ClusterLayout): object[] {
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    ...clusterRoleFor(
      'system:coredns',
      [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
      { kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' },
    ),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } },
    oneReplicaDeployment(
      'coredns',
      'kube-system',
      labels,
      {
        serviceAccountName: 'coredns',
        dnsPolicy: 'Default',
        priorityClassName: 'system-cluster-critical',
        // Port 53 as a non-root user: a namespaced, "safe" sysctl rather than root or file capabilities.
        securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '53' }] },
        containers: [
          {
            name: 'coredns',
            image: COREDNS_IMAGE,
            imagePullPolicy: 'Never',
            args: ['-conf', '/etc/coredns/Corefile'],
            volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
            ports: [
              { containerPort: 53, name: 'dns', protocol: 'UDP' },
              { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
            ],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
            livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 10 },
            readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
      },
      labels,
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: {
        clusterIP: l.dnsServiceIp,
        selector: labels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    },
  ];
}

const kubeRouterRbac: object[] = clusterRoleFor(
  'observatory-test:kube-router',
  [
    {
      apiGroups: ['', 'networking.k8s.io', 'discovery.k8s.io'],
      resources: ['namespaces', 'pods', 'services', 'nodes', 'endpoints', 'endpointslices', 'networkpolicies'],
      verbs: ['get', 'list', 'watch'],
    },
    { apiGroups: [''], resources: ['nodes'], verbs: ['patch', 'update'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  ],
  { kind: 'User', name: 'kube-router' },
);

const volumeScript = (action: string): string => `#!/bin/sh
set -eu
while getopts "m:s:p:" opt; do
  case $opt in
    p) absolutePath=$OPTARG ;;
    s) sizeInBytes=$OPTARG ;;
    m) volMode=$OPTARG ;;
  esac
done
${action}
`;

function localPathProvisioner(l: ClusterLayout): object[] {
  const ns = 'local-path-storage';
  const sa = 'local-path-provisioner-service-account';
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } },
    ...clusterRoleFor(
      'local-path-provisioner-role',
      [
        { apiGroups: [''], resources: ['nodes', 'persistentvolumeclaims', 'configmaps', 'pods/log'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['endpoints', 'persistentvolumes', 'pods'], verbs: ['*'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
      ],
      { kind: 'ServiceAccount', name: sa, namespace: ns },
      'local-path-provisioner-bind',
    ),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'local-path-config', namespace: ns },
      data: {
        'config.json': JSON.stringify({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [paths(l).localVolumes] }] }),
        setup: volumeScript('mkdir -m 0777 -p "$absolutePath"'),
        teardown: volumeScript('rm -rf "$absolutePath"'),
        'helperPod.yaml': yaml.dump({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'helper-pod' },
          spec: { containers: [{ name: 'helper-pod', image: PROBE_IMAGE, imagePullPolicy: 'Never', securityContext: { runAsUser: 0 } }] },
        }),
      },
    },
    oneReplicaDeployment('local-path-provisioner', ns, { app: 'local-path-provisioner' }, {
      serviceAccountName: sa,
      containers: [
        {
          name: 'local-path-provisioner',
          image: LOCAL_PATH_IMAGE,
          imagePullPolicy: 'Never',
          command: ['local-path-provisioner', '--debug', 'start', '--config', '/etc/config/config.json', '--service-account-name', sa],
          volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config/' }],
          env: [
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'CONFIG_MOUNT_PATH', value: '/etc/config/' },
          ],
        },
      ],
      volumes: [{ name: 'config-volume', configMap: { name: 'local-path-config' } }],
    }),
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
    },
  ];
}

/** The add-ons as one multi-document YAML for `kubectl apply -f -`. */
export function addonManifests(l: ClusterLayout): string {
  return [...coredns(l), ...kubeRouterRbac, ...localPathProvisioner(l)].map((o) => yaml.dump(o)).join('---\n');
}

/**
 * Where the test cluster lives on this machine and which addresses it uses. Everything it creates is under
 * `dir` (certificates, etcd data, its own containerd, the kubelet's root, logs, pid files), so tearing it down
 * is removing what is listed here; the addresses are private ranges that exist only inside this machine.
 */
import * as path from 'node:path';
import { binaryDir, binaryPath } from '../images/binaries.js';

export interface ClusterLayout {
  /** Root of everything the cluster writes. @default /tmp/observatory-cluster (OBSERVATORY_CLUSTER_DIR) */
  readonly dir: string;
  readonly nodeName: string;
  /** The node's address: on a veth of our own (this kernel has no dummy interfaces; loopback cannot be advertised). */
  readonly nodeIp: string;
  readonly hostInterface: string;
  readonly podCidr: string;
  /** The node's pod subnet (the controller manager allocates the first /24 of podCidr to the only node). */
  readonly nodePodSubnet: string;
  readonly bridge: string;
  readonly serviceCidr: string;
  readonly apiServerServiceIp: string;
  readonly dnsServiceIp: string;
  readonly apiServerPort: number;
  /** Our iptables chain appended to FORWARD: the Docker engine sets FORWARD's policy to DROP. */
  readonly forwardChain: string;
}

export function clusterLayout(dir = process.env.OBSERVATORY_CLUSTER_DIR ?? '/tmp/observatory-cluster'): ClusterLayout {
  return {
    dir,
    nodeName: 'observatory-node',
    nodeIp: '10.99.0.1',
    hostInterface: 'obsnode0',
    podCidr: '10.244.0.0/16',
    nodePodSubnet: '10.244.0.0/24',
    bridge: 'obsbr0',
    serviceCidr: '10.96.0.0/16',
    apiServerServiceIp: '10.96.0.1',
    dnsServiceIp: '10.96.0.10',
    apiServerPort: 6443,
    forwardChain: 'OBSERVATORY-FWD',
  };
}

export const paths = (l: ClusterLayout) => ({
  pki: path.join(l.dir, 'pki'),
  conf: path.join(l.dir, 'conf'),
  logs: path.join(l.dir, 'logs'),
  run: path.join(l.dir, 'run'),
  etcdData: path.join(l.dir, 'etcd'),
  containerd: path.join(l.dir, 'containerd'),
  containerdSocket: path.join(l.dir, 'containerd', 'containerd.sock'),
  kubeletRoot: path.join(l.dir, 'kubelet'),
  podLogs: path.join(l.dir, 'pod-logs'),
  cniConf: path.join(l.dir, 'cni', 'net.d'),
  /** host-local IPAM's allocations (by default /var/lib/cni/networks/<name>, which outlived the cluster: see down()). */
  cniIpam: path.join(l.dir, 'cni', 'ipam'),
  localVolumes: path.join(l.dir, 'local-volumes'),
  images: path.join(l.dir, 'images'),
  adminKubeconfig: path.join(l.dir, 'pki', 'admin.kubeconfig'),
  createdHostPaths: path.join(l.dir, 'run', 'created-host-paths'),
});

/** A binary of the cluster, from the image factory's cache (test/cluster/recipes.ts). */
export const clusterBinary = (name: string): string => binaryPath(name);
export const kubernetesBinDir = (): string => binaryDir('kubernetes');

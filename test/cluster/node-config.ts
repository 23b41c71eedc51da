/**
 * Configuration files of the node's daemons: our own containerd (own socket, root and state, beside the
 * Docker engine's), the bridge CNI network, the kubelet (cgroupfs, cgroup v1) and kube-proxy (iptables).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { paths, type ClusterLayout } from './layout.js';
import { PAUSE_IMAGE } from './cluster-images.js';

const CNI_BIN_DIR = '/usr/lib/cni';

function containerdToml(l: ClusterLayout): string {
  const p = paths(l);
  const c = p.containerd;
  return `# The test cluster's own containerd: nothing shared with the Docker engine's.
version = 2
root = "${c}/root"
state = "${c}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "${p.containerdSocket}"
[ttrpc]
  address = "${c}/containerd-ttrpc.sock"
[debug]
  address = ""
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "${c}/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "${PAUSE_IMAGE}"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    netns_mounts_under_state_dir = true
    # Root here lacks CAP_SYS_RESOURCE: runc cannot set the negative oom_score_adj of sandboxes without this.
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
          Root = "${c}/runc"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "${CNI_BIN_DIR}"
      conf_dir = "${p.cniConf}"
      max_conf_num = 1
`;
}

function cniConflist(l: ClusterLayout): string {
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'observatory',
      plugins: [
        {
          type: 'bridge',
          bridge: l.bridge,
          isGateway: true,
          // No masquerading: pods talk to the node and to each other, never to anything outside this machine.
          ipMasq: false,
          hairpinMode: true,
          // Routes to the pod and Service networks and the node (kubelet, API server), no default route: a pod
          // cannot even address anything outside this machine.
          // Allocations in the cluster's folder: down() kills the pods' containers without a CNI DEL, and in
          // /var/lib/cni/networks their addresses stayed taken across clusters until the /24 ran out.
          ipam: { type: 'host-local', dataDir: paths(l).cniIpam, ranges: [[{ subnet: l.nodePodSubnet }]], routes: [{ dst: l.podCidr }, { dst: l.serviceCidr }, { dst: `${l.nodeIp}/32` }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

function kubeletConfig(l: ClusterLayout): string {
  const p = paths(l);
  return yaml.dump({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: path.join(p.pki, 'ca.crt') } },
    authorization: { mode: 'Webhook' },
    cgroupDriver: 'cgroupfs',
    // Kubernetes v1.34 is the last kubelet that still runs on cgroup v1, and only when told to.
    failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    clusterDNS: [l.dnsServiceIp],
    clusterDomain: 'cluster.local',
    // No upstream DNS: pods resolve cluster names only.
    resolvConf: path.join(p.conf, 'resolv.conf'),
    failSwapOn: false,
    readOnlyPort: 0,
    address: l.nodeIp,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    tlsCertFile: path.join(p.pki, 'kubelet-serving.crt'),
    tlsPrivateKeyFile: path.join(p.pki, 'kubelet-serving.key'),
    podLogsDir: p.podLogs,
    serializeImagePulls: false,
    imageGCHighThresholdPercent: 100,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    cgroupsPerQOS: true,
    enforceNodeAllocatable: ['pods'],
    maxPods: 110,
  });
}

function kubeProxyConfig(l: ClusterLayout): string {
  return yaml.dump({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clusterCIDR: l.podCidr,
    hostnameOverride: l.nodeName,
    bindAddress: l.nodeIp,
    metricsBindAddress: '127.0.0.1:10249',
    healthzBindAddress: '127.0.0.1:10256',
    clientConnection: { kubeconfig: path.join(paths(l).pki, 'kube-proxy.kubeconfig') },
    // Leave the host's conntrack sysctls alone (read-only in this sandbox).
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    iptables: { localhostNodePorts: false, masqueradeAll: false },
    nodePortAddresses: [`${l.nodeIp}/32`],
  });
}

export interface NodeConfigFiles {
  readonly containerd: string;
  readonly kubelet: string;
  readonly kubeProxy: string;
}

export function writeNodeConfig(l: ClusterLayout): NodeConfigFiles {
  const p = paths(l);
  for (const dir of [p.conf, p.cniConf, p.logs, p.run, p.podLogs, p.localVolumes]) fs.mkdirSync(dir, { recursive: true });
  const files = {
    containerd: path.join(p.conf, 'containerd.toml'),
    kubelet: path.join(p.conf, 'kubelet.yaml'),
    kubeProxy: path.join(p.conf, 'kube-proxy.yaml'),
  };
  fs.writeFileSync(files.containerd, containerdToml(l));
  fs.writeFileSync(files.kubelet, kubeletConfig(l));
  fs.writeFileSync(files.kubeProxy, kubeProxyConfig(l));
  fs.writeFileSync(path.join(p.cniConf, '10-observatory.conflist'), cniConflist(l));
  fs.writeFileSync(path.join(p.conf, 'resolv.conf'), '');
  return files;
}

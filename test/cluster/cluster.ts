/**
 * A single-node Kubernetes v1.34 built from source, for the tests: etcd, the control plane, our own containerd
 * beside the Docker engine's, the kubelet (cgroupfs), kube-proxy (iptables), CoreDNS, kube-router enforcing
 * NetworkPolicies, and a default StorageClass. Pod Security admission is the API server's own.
 *
 *   node dist/test/cluster/cluster.js up      # builds what is missing (cached by version), starts, waits for Ready
 *   node dist/test/cluster/cluster.js down    # stops every process it started, removes what it created
 *   node dist/test/cluster/cluster.js status
 *
 * Everything lives under OBSERVATORY_CLUSTER_DIR (default /tmp/observatory-cluster); addresses are private
 * ranges inside this machine (layout.ts). Needs root, cgroup v1 or v2, and Debian's containerd, runc, the CNI
 * plugins, iptables, ipset and conntrack (test/prepare.sh installs them).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureComponentBinaries } from '../images/binaries.js';
import { addonManifests } from './addons.js';
import { ensureClusterImages, importImages } from './cluster-images.js';
import { ClusterError, logTail, pidOf, startDaemon, stopDaemon, waitFor } from './daemons.js';
import { clusterBinary, clusterLayout, paths, type ClusterLayout } from './layout.js';
import { writeNodeConfig } from './node-config.js';
import { ensurePki } from './pki.js';
import { clusterComponents } from './recipes.js';

export type Log = (line: string) => void;

const daemonsInStartOrder = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'containerd', 'kubelet', 'kube-proxy', 'kube-router'] as const;

/** kubectl of the cluster's build, as the cluster admin. Throws with kubectl's stderr on failure. */
export function kubectl(l: ClusterLayout, args: readonly string[], input?: string): string {
  const result = tryKubectl(l, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** kubectl that returns the exit code and output instead of throwing. */
export function tryKubectl(l: ClusterLayout, args: readonly string[], input?: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(clusterBinary('kubectl'), ['--kubeconfig', paths(l).adminKubeconfig, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * kubectl without blocking the event loop (a test that streams requests meanwhile keeps its pace); resolves with its
 * stdout, rejects with its stderr.
 */
export function kubectlAsync(l: ClusterLayout, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(clusterBinary('kubectl'), ['--kubeconfig', paths(l).adminKubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`kubectl ${args.join(' ')} failed (exit ${code}): ${(stderr || stdout).trim()}`))));
  });
}

const sh = (cmd: string, args: readonly string[]): { code: number; out: string } => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
};

/** What the cluster needs from this machine that no build provides; empty when all is there. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (the kubelet, containerd and iptables need it)');
  for (const bin of ['containerd', 'runc', 'ctr', 'iptables', 'ipset', 'conntrack', 'openssl', 'ip', 'docker']) {
    if (sh('sh', ['-c', `command -v ${bin}`]).code !== 0) missing.push(bin);
  }
  for (const plugin of ['bridge', 'host-local', 'loopback', 'portmap']) if (!fs.existsSync(`/usr/lib/cni/${plugin}`)) missing.push(`/usr/lib/cni/${plugin} (containernetworking-plugins)`);
  return missing;
}

/** Builds the cluster's binaries that are missing (Kubernetes: ~25 min cold on 2 cores), printing progress. */
export async function ensureClusterBinaries(log: Log): Promise<void> {
  for (const component of clusterComponents) {
    const result = await ensureComponentBinaries(component, { log: (line) => log(`${component}: ${line.trim()}`) });
    if (!result.cached) log(`${component}: built in ${result.seconds.toFixed(0)} s`);
  }
}

function setUpHostNetwork(l: ClusterLayout): void {
  if (sh('ip', ['link', 'show', l.hostInterface]).code !== 0) {
    // The node address sits on a veth of ours: this kernel has no dummy interfaces.
    execFileSync('ip', ['link', 'add', l.hostInterface, 'type', 'veth', 'peer', 'name', `${l.hostInterface}p`]);
    execFileSync('ip', ['addr', 'add', `${l.nodeIp}/32`, 'dev', l.hostInterface]);
    execFileSync('ip', ['link', 'set', `${l.hostInterface}p`, 'up']);
    execFileSync('ip', ['link', 'set', l.hostInterface, 'up']);
  }
  execFileSync('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  sh('modprobe', ['br_netfilter']);
  execFileSync('sysctl', ['-qw', 'net.bridge.bridge-nf-call-iptables=1']);
  // The Docker engine sets FORWARD's policy to DROP: accept our pod network's traffic, after everything else
  // in FORWARD (kube-router's policy chains come first, so policies still apply).
  sh('iptables', ['-N', l.forwardChain]);
  for (const dir of ['-s', '-d']) {
    if (sh('iptables', ['-C', l.forwardChain, dir, l.podCidr, '-j', 'ACCEPT']).code !== 0) execFileSync('iptables', ['-A', l.forwardChain, dir, l.podCidr, '-j', 'ACCEPT']);
  }
  if (sh('iptables', ['-C', 'FORWARD', '-j', l.forwardChain]).code !== 0) execFileSync('iptables', ['-A', 'FORWARD', '-j', l.forwardChain]);
}

function recordHostPaths(l: ClusterLayout): void {
  // The kubelet hard-codes these; remove them on the way down only if we created them.
  const created = ['/var/log/containers', '/var/log/pods', '/var/lib/kubelet'].filter((d) => !fs.existsSync(d));
  if (created.length > 0) fs.appendFileSync(paths(l).createdHostPaths, `${created.join('\n')}\n`);
}

async function httpOk(url: string): Promise<boolean> {
  const r = sh('curl', ['-sfk', '--max-time', '2', url]);
  return r.code === 0;
}

export interface UpResult {
  readonly seconds: number;
  readonly kubeconfig: string;
}

/** Brings the node up (building what is missing) and waits for it, CoreDNS and the provisioner to be Ready. */
export async function up(l: ClusterLayout = clusterLayout(), log: Log = console.log): Promise<UpResult> {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new ClusterError('prerequisites', `missing: ${missing.join(', ')} (test/prepare.sh installs them)`);
  await ensureClusterBinaries(log);
  const images = await ensureClusterImages(log);
  const started = Date.now();
  const step = (line: string): void => log(`[cluster +${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  const p = paths(l);
  fs.mkdirSync(p.run, { recursive: true });
  recordHostPaths(l);
  setUpHostNetwork(l);
  if (ensurePki(l)) step(`certificates and kubeconfigs written to ${p.pki}`);
  const conf = writeNodeConfig(l);
  const k8s = (name: string): string => clusterBinary(name);
  const pki = (f: string): string => path.join(p.pki, f);

  startDaemon(l, 'etcd', clusterBinary('etcd'), [
    '--name=observatory', `--data-dir=${p.etcdData}`,
    '--listen-client-urls=https://127.0.0.1:2379', '--advertise-client-urls=https://127.0.0.1:2379',
    '--listen-peer-urls=http://127.0.0.1:2380', '--initial-advertise-peer-urls=http://127.0.0.1:2380',
    '--initial-cluster=observatory=http://127.0.0.1:2380', '--listen-metrics-urls=http://127.0.0.1:2381',
    `--cert-file=${pki('etcd-server.crt')}`, `--key-file=${pki('etcd-server.key')}`, '--client-cert-auth', `--trusted-ca-file=${pki('ca.crt')}`,
  ]);
  await waitFor(l, 'etcd', 'healthy', 60_000, () => httpOk('http://127.0.0.1:2381/health'), 'etcd');
  step('etcd healthy');

  startDaemon(l, 'kube-apiserver', k8s('kube-apiserver'), [
    `--advertise-address=${l.nodeIp}`, '--bind-address=0.0.0.0', `--secure-port=${l.apiServerPort}`,
    '--etcd-servers=https://127.0.0.1:2379', `--etcd-cafile=${pki('ca.crt')}`, `--etcd-certfile=${pki('apiserver-etcd-client.crt')}`, `--etcd-keyfile=${pki('apiserver-etcd-client.key')}`,
    `--service-cluster-ip-range=${l.serviceCidr}`, '--allow-privileged=true',
    `--client-ca-file=${pki('ca.crt')}`, `--tls-cert-file=${pki('apiserver.crt')}`, `--tls-private-key-file=${pki('apiserver.key')}`,
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`, `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    `--kubelet-certificate-authority=${pki('ca.crt')}`, '--kubelet-preferred-address-types=InternalIP',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local', `--service-account-key-file=${pki('sa.pub')}`, `--service-account-signing-key-file=${pki('sa.key')}`,
    '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--profiling=false',
  ]);
  await waitFor(l, 'kube-apiserver', 'ready', 120_000, () => httpOk(`https://127.0.0.1:${l.apiServerPort}/readyz`), 'kube-apiserver');
  step('kube-apiserver ready');

  const cm = pki('controller-manager.kubeconfig');
  startDaemon(l, 'kube-controller-manager', k8s('kube-controller-manager'), [
    `--kubeconfig=${cm}`, `--authentication-kubeconfig=${cm}`, `--authorization-kubeconfig=${cm}`,
    '--bind-address=127.0.0.1', '--leader-elect=false', '--use-service-account-credentials=true',
    `--cluster-signing-cert-file=${pki('ca.crt')}`, `--cluster-signing-key-file=${pki('ca.key')}`, `--root-ca-file=${pki('ca.crt')}`,
    `--service-account-private-key-file=${pki('sa.key')}`, '--allocate-node-cidrs=true', `--cluster-cidr=${l.podCidr}`,
    '--node-cidr-mask-size=24', `--service-cluster-ip-range=${l.serviceCidr}`, '--profiling=false',
  ]);
  const sched = pki('scheduler.kubeconfig');
  startDaemon(l, 'kube-scheduler', k8s('kube-scheduler'), [
    `--kubeconfig=${sched}`, `--authentication-kubeconfig=${sched}`, `--authorization-kubeconfig=${sched}`,
    '--bind-address=127.0.0.1', '--leader-elect=false', '--profiling=false',
  ]);

  startDaemon(l, 'containerd', 'containerd', ['--config', conf.containerd]);
  await waitFor(l, 'containerd', 'answering', 30_000, () => sh('ctr', ['--address', p.containerdSocket, 'version']).code === 0, 'containerd');
  step('containerd answering');
  await importImages(p.containerdSocket, images, path.join(p.run, 'imported-images.json'), step);

  startDaemon(l, 'kubelet', k8s('kubelet'), [
    `--config=${conf.kubelet}`, `--kubeconfig=${pki('kubelet.kubeconfig')}`, `--root-dir=${p.kubeletRoot}`,
    `--hostname-override=${l.nodeName}`, `--node-ip=${l.nodeIp}`, '--v=1',
  ]);
  startDaemon(l, 'kube-proxy', k8s('kube-proxy'), [`--config=${conf.kubeProxy}`]);
  kubectl(l, ['apply', '--server-side', '--force-conflicts', '-f', '-'], addonManifests(l));
  const ready = (args: string[]) => () => tryKubectl(l, ['wait', '--timeout=1s', ...args]).code === 0;
  await waitFor(l, 'kubelet', 'node Ready', 180_000, ready(['--for=condition=Ready', `node/${l.nodeName}`]), 'kubelet');
  step('node Ready');
  // kube-router looks its node up once at start and exits if the kubelet has not registered it yet.
  startDaemon(l, 'kube-router', clusterBinary('kube-router'), [
    `--kubeconfig=${pki('kube-router.kubeconfig')}`, `--hostname-override=${l.nodeName}`,
    '--run-firewall=true', '--run-router=false', '--run-service-proxy=false', '--enable-cni=false',
    `--service-cluster-ip-range=${l.serviceCidr}`, '--health-port=20244', '--metrics-port=0',
  ]);
  const rolledOut = (namespace: string, name: string) => async () => {
    const r = tryKubectl(l, ['-n', namespace, 'rollout', 'status', `deploy/${name}`, '--timeout=1s']);
    if (r.code === 0) return true;
    const restarts = tryKubectl(l, ['-n', namespace, 'get', 'pods', '-l', name === 'coredns' ? 'k8s-app=kube-dns' : `app=${name}`, '-o', 'jsonpath={.items[*].status.containerStatuses[*].restartCount}']);
    if (restarts.stdout.split(' ').some((n) => Number(n) >= 2)) {
      const logs = tryKubectl(l, ['-n', namespace, 'logs', `deploy/${name}`, '--tail=20', '--previous']);
      throw new ClusterError(name, 'is crash-looping', `${logs.stdout}${logs.stderr}`);
    }
    return false;
  };
  await waitFor(l, 'coredns', 'rolled out', 180_000, rolledOut('kube-system', 'coredns'));
  await waitFor(l, 'local-path-provisioner', 'rolled out', 180_000, rolledOut('local-path-storage', 'local-path-provisioner'));
  for (const daemon of daemonsInStartOrder) {
    if (!pidOf(l, daemon)) throw new ClusterError(daemon, 'is not running', logTail(l, daemon));
  }
  step('CoreDNS and the volume provisioner Available; cluster up');
  return { seconds: (Date.now() - started) / 1000, kubeconfig: p.adminKubeconfig };
}

/** Deletes iptables chains and ipsets named like Kubernetes' (KUBE-*, CNI-*): only ours exist on this machine. */
function removeKubernetesFirewall(): void {
  for (const table of ['filter', 'nat', 'mangle']) {
    const rules = sh('iptables-save', ['-t', table]).out.split('\n');
    const chains = rules.filter((r) => /^:(KUBE-|CNI-)/.test(r)).map((r) => r.slice(1).split(' ')[0]!);
    for (const rule of rules.filter((r) => r.startsWith('-A ') && chains.some((c) => new RegExp(`-j ${c}( |$)`).test(r)))) {
      sh('iptables', ['-t', table, '-D', ...rule.slice(3).match(/(?:[^\s"]+|"[^"]*")+/g)!.map((a) => a.replace(/^"|"$/g, ''))]);
    }
    for (const chain of chains) sh('iptables', ['-t', table, '-F', chain]);
    for (const chain of chains) sh('iptables', ['-t', table, '-X', chain]);
  }
  for (const set of sh('ipset', ['list', '-n']).out.split('\n').filter((s) => /^(KUBE-|kube-router)/.test(s))) sh('ipset', ['destroy', set]);
}

/** Stops everything `up` started (by PID), removes pods' containers, mounts, firewall rules and links it made. */
export async function down(l: ClusterLayout = clusterLayout(), log: Log = console.log, options: { keepData?: boolean } = {}): Promise<void> {
  const p = paths(l);
  for (const daemon of ['kube-router', 'kube-proxy', 'kubelet', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd']) {
    if (await stopDaemon(l, daemon)) log(`stopped ${daemon}`);
  }
  if (pidOf(l, 'containerd')) {
    const ctr = (...args: string[]) => sh('ctr', ['--address', p.containerdSocket, '-n', 'k8s.io', ...args]);
    const tasks = ctr('tasks', 'ls', '-q').out.split('\n').filter(Boolean);
    for (const t of tasks) ctr('tasks', 'kill', '-s', 'KILL', t);
    await new Promise((r) => setTimeout(r, 1000));
    for (const t of tasks) ctr('tasks', 'delete', '-f', t);
    for (const c of ctr('containers', 'ls', '-q').out.split('\n').filter(Boolean)) ctr('containers', 'delete', c);
    await stopDaemon(l, 'containerd');
    log(`stopped containerd (${tasks.length} containers removed)`);
  }
  for (const pid of sh('pgrep', ['-f', `containerd-shim-runc-v2 .*-address ${p.containerdSocket}`]).out.split('\n').filter(Boolean)) {
    sh('kill', ['-9', pid]);
  }
  const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((m) => m.split(' ')[1] ?? '').filter((m) => m.startsWith(`${l.dir}/`) || m.startsWith('/var/lib/kubelet/'));
  for (const m of mounts.sort().reverse()) sh('umount', ['-l', m]);
  sh('iptables', ['-D', 'FORWARD', '-j', l.forwardChain]);
  sh('iptables', ['-F', l.forwardChain]);
  sh('iptables', ['-X', l.forwardChain]);
  removeKubernetesFirewall();
  sh('ip', ['link', 'del', l.bridge]);
  sh('ip', ['link', 'del', l.hostInterface]);
  if (fs.existsSync(p.createdHostPaths)) {
    for (const dir of new Set(fs.readFileSync(p.createdHostPaths, 'utf8').split('\n').filter(Boolean))) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(p.createdHostPaths);
  }
  if (!options.keepData) {
    for (const dir of [p.etcdData, p.containerd, p.kubeletRoot, p.localVolumes, p.podLogs, p.run, p.cniConf, p.cniIpam]) fs.rmSync(dir, { recursive: true, force: true });
  }
  log('cluster down');
}

export function status(l: ClusterLayout = clusterLayout()): Record<string, number | undefined> {
  return Object.fromEntries(daemonsInStartOrder.map((d) => [d, pidOf(l, d)]));
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const command = process.argv[2];
  const run = async (): Promise<void> => {
    if (command === 'up') {
      const r = await up();
      console.log(`ready in ${r.seconds.toFixed(1)} s; kubeconfig: ${r.kubeconfig}`);
    } else if (command === 'down') await down();
    else if (command === 'status') console.log(status());
    else {
      console.error('usage: node dist/test/cluster/cluster.js up|down|status');
      process.exitCode = 2;
    }
  };
  run().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}

/**
 * The test cluster as `npm run test:pulumi` sees it: a kubeconfig (OBSERVATORY_KUBECONFIG, default the one
 * `node dist/test/cluster/cluster.js up` writes) and kubectl (the cluster's own build, or one on PATH). What must be
 * there before `pulumi up`, and what must be gone after `pulumi destroy`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { binaryPath, cachedBuild } from '../images/binaries.js';
import { clusterLayout, paths } from '../cluster/layout.js';

export interface ClusterAccess {
  readonly kubeconfig: string;
  readonly kubectl: string;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const defaultKubeconfig = (): string => process.env.OBSERVATORY_KUBECONFIG ?? paths(clusterLayout()).adminKubeconfig;

function findKubectl(): string | undefined {
  if (cachedBuild('kubernetes')) return binaryPath('kubectl');
  const onPath = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  return onPath.status === 0 ? onPath.stdout.trim() : undefined;
}

export function kubectl(access: ClusterAccess, args: readonly string[]): KubectlResult {
  const r = spawnSync(access.kubectl, ['--kubeconfig', access.kubeconfig, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The cluster, or the problems that keep the test from reaching it (each says what to run). */
export function reachCluster(kubeconfig = defaultKubeconfig()): { access?: ClusterAccess; problems: string[] } {
  const up = 'bring the test cluster up: node dist/test/cluster/cluster.js up (or set OBSERVATORY_KUBECONFIG)';
  if (!fs.existsSync(kubeconfig)) return { problems: [`no kubeconfig at ${kubeconfig}: ${up}`] };
  const tool = findKubectl();
  if (!tool) return { problems: ['no kubectl: build the cluster binaries (node dist/test/images/build.js kubernetes) or put kubectl on PATH'] };
  const access = { kubeconfig, kubectl: tool };
  const ready = kubectl(access, ['get', '--raw', '/readyz', '--request-timeout=10s']);
  if (ready.code !== 0) return { problems: [`the cluster of ${kubeconfig} does not answer (${(ready.stderr || ready.stdout).trim().split('\n')[0]}): ${up}`] };
  return { access, problems: [] };
}

interface NodeList {
  items: { metadata: { name: string }; status?: { images?: { names?: string[] }[] } }[];
}

/** Images (pull policy Never) that no node has: the pods using them could never start. */
export function missingImages(access: ClusterAccess, images: readonly string[]): string[] {
  const nodes = JSON.parse(kubectl(access, ['get', 'nodes', '-o', 'json']).stdout) as NodeList;
  const present = new Set(nodes.items.flatMap((n) => (n.status?.images ?? []).flatMap((i) => i.names ?? [])));
  // A node reports at most 50 images (the kubelet's nodeStatusMaxImages): a longer list may be cut short.
  if (nodes.items.some((n) => (n.status?.images?.length ?? 0) >= 50)) return [];
  return images.filter((image) => !present.has(image) && !present.has(`docker.io/${image}`));
}

/** What is left of the stack after `pulumi destroy`: objects in its namespace, the namespace, cluster-wide objects, volumes. */
export function leftovers(access: ClusterAccess, namespace: string): string[] {
  const left: string[] = [];
  const inNamespace = kubectl(access, ['get', 'all,secrets,configmaps,pvc,networkpolicies,serviceaccounts,roles,rolebindings', '-n', namespace, '-o', 'name']);
  // serviceaccount/default and configmap/kube-root-ca.crt come with every namespace, but go with it.
  left.push(...inNamespace.stdout.split('\n').filter(Boolean).map((o) => `${namespace}: ${o}`));
  const ns = kubectl(access, ['get', 'namespace', namespace, '-o', 'name']);
  if (ns.code === 0) left.push(`namespace/${namespace}`);
  else if (!/NotFound/.test(ns.stderr)) left.push(`namespace/${namespace}: could not tell (${ns.stderr.trim()})`);
  const clusterWide = kubectl(access, ['get', 'clusterroles,clusterrolebindings', '-o', 'name']);
  left.push(...clusterWide.stdout.split('\n').filter((o) => o.split('/')[1]?.startsWith(`${namespace}-`)));
  const volumes = kubectl(access, ['get', 'pv', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.claimRef.namespace}{"\\n"}{end}']);
  left.push(...volumes.stdout.split('\n').filter((l) => l.split(' ')[1] === namespace).map((l) => `persistentvolume/${l.split(' ')[0]} (claimed in ${namespace})`));
  return left;
}

interface WorkloadList {
  items: {
    kind: string;
    metadata: { name: string };
    spec?: { replicas?: number };
    status?: { readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number };
  }[];
}

/** Deployments, StatefulSets and DaemonSets of the namespace that are not fully Ready (`Kind/name ready/wanted`). */
export function unreadyWorkloads(access: ClusterAccess, namespace: string): string[] {
  const list = JSON.parse(kubectl(access, ['get', 'deployments,statefulsets,daemonsets', '-n', namespace, '-o', 'json']).stdout) as WorkloadList;
  return list.items.flatMap((w) => {
    const wanted = w.kind === 'DaemonSet' ? (w.status?.desiredNumberScheduled ?? 0) : (w.spec?.replicas ?? 1);
    const ready = w.kind === 'DaemonSet' ? (w.status?.numberReady ?? 0) : (w.status?.readyReplicas ?? 0);
    return ready < wanted || wanted === 0 ? [`${w.kind}/${w.metadata.name} ${ready}/${wanted} ready`] : [];
  });
}

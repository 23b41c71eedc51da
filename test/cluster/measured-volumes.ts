/**
 * Claims whose volumes the kubelet measures, for the volume alerts' test (volume-alerts.test.ts). The cluster's
 * StorageClass (local-path) provisions `hostPath` volumes, and the kubelet's hostPath plugin measures nothing
 * (`volume.MetricsNil`): no `kubelet_volume_stats_*` for the stack's own claims here. A `local` volume is measured
 * (statfs of the mounted path), so each claim here is bound to a `local` PersistentVolume on a tmpfs of its own, of
 * a known size, that its pod fills to a known share at start. Deployed by the global setup right after the stack and
 * the sample app, so the kubelet, the agent and vmalert have usually had minutes to see them when the test runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { kubectl } from './cluster.js';
import type { ClusterLayout } from './layout.js';
import { STACK_NAMESPACE } from './stack-deployment.js';
import { probePodManifest, SAMPLE_NAMESPACE } from './test-workloads.js';

export interface MeasuredClaim {
  readonly namespace: string;
  readonly claim: string;
  readonly pod: string;
  /** KiB the pod writes at start, of the volume's MEASURED_VOLUME_KIB. */
  readonly fillKiB: number;
}

/** Each volume's size: a tmpfs of 16 MiB, filled in a fraction of a second. */
export const MEASURED_VOLUME_KIB = 16 * 1024;

export const MEASURED_CLAIMS = {
  /** A workload's claim in another namespace, 97.7 % full: KubePersistentVolumeFillingUp (below 3 % free). */
  sample: { namespace: SAMPLE_NAMESPACE, claim: 'data-volume-probe-0', pod: 'volume-probe-0', fillKiB: 16_000 },
  /**
   * A claim in the stack's namespace, named as a StatefulSet's (`data-<workload>-<ordinal>`), 87.5 % full:
   * StackVolumeAlmostFull (above 80 %, pending for its 15 minutes), not KubePersistentVolumeFillingUp.
   */
  stack: { namespace: STACK_NAMESPACE, claim: 'data-volume-probe-0', pod: 'volume-probe-0', fillKiB: 14 * 1024 },
} as const satisfies Record<string, MeasuredClaim>;

const volumeDir = (l: ClusterLayout, c: MeasuredClaim) => path.join(l.dir, 'measured-volumes', `${c.namespace}.${c.claim}`);
const volumeName = (c: MeasuredClaim) => `observatory-test-${c.namespace}-${c.claim}`;

/** Mounts a tmpfs of MEASURED_VOLUME_KIB at the claim's host folder (under the cluster folder: `down` unmounts it). */
function mountVolume(l: ClusterLayout, c: MeasuredClaim): string {
  const dir = volumeDir(l, c);
  fs.mkdirSync(dir, { recursive: true });
  const mounted = fs.readFileSync('/proc/mounts', 'utf8').split('\n').some((line) => line.split(' ')[1] === dir);
  if (!mounted) {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${MEASURED_VOLUME_KIB}k,mode=1777`, 'observatory-measured', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount tmpfs at ${dir}: ${r.stderr.trim()}`);
  }
  return dir;
}

function manifests(l: ClusterLayout, c: MeasuredClaim, hostPath: string): object[] {
  const size = `${MEASURED_VOLUME_KIB}Ki`;
  const pod = probePodManifest(c.pod, c.namespace, { app: 'volume-probe' }, ['/bin/sh', '-c', `dd if=/dev/zero of=/data/fill bs=1024 count=${c.fillKiB} && exec sleep 86400`], {
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
  }) as { spec: Record<string, unknown> };
  pod.spec['volumes'] = [{ name: 'data', persistentVolumeClaim: { claimName: c.claim } }];
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volumeName(c) },
      spec: {
        capacity: { storage: size },
        accessModes: ['ReadWriteOnce'],
        // No provisioner deletes it: the cluster's teardown unmounts the tmpfs.
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        claimRef: { namespace: c.namespace, name: c.claim },
        local: { path: hostPath },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [l.nodeName] }] }] } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: c.claim, namespace: c.namespace },
      // No class: bound to its own volume, not provisioned by local-path.
      spec: { storageClassName: '', volumeName: volumeName(c), accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    },
    pod,
  ];
}

/** Mounts, binds and starts every measured claim's pod (their namespaces exist), and waits for the pods to run. */
export function deployMeasuredClaims(l: ClusterLayout): void {
  const claims = Object.values(MEASURED_CLAIMS);
  const objects = claims.flatMap((c) => manifests(l, c, mountVolume(l, c)));
  kubectl(l, ['apply', '--server-side', '-f', '-'], objects.map((o) => yaml.dump(o)).join('---\n'));
  for (const c of claims) kubectl(l, ['-n', c.namespace, 'wait', '--for=condition=Ready', `pod/${c.pod}`, '--timeout=120s']);
}

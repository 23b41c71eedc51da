/**
 * `scale: distributed` on the test cluster, as a platform engineer deploys it on a cluster that is not DigitalOcean:
 * the stores outside the stack exist first (here test fixtures in a namespace of their own: gofakes3 for Loki's
 * bucket, OpenSearch 2.19 for Jaeger, the factory's images the compose e2e runs), their credentials are written as the
 * Secrets the spec names (docs/DISTRIBUTED.md, "Credentials of the stores outside the stack"), the spec points at
 * their in-cluster URLs, then `observatory validate` and `observatory synth --generate-secrets` and
 * `kubectl apply --server-side` of what synth wrote. It runs beside the dev stack the other cluster tests share, in
 * namespaces of its own, sized small (docs/DISTRIBUTED.md "Tested with real engines"), and is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { defineStack } from '../../model/define.js';
import type { StackSpec } from '../../model/spec.js';
import { observatoryBin } from '../helpers/cli-bin.js';
import { synthToFolder } from '../helpers/synth-cli.js';
import { imageTag } from '../images/build.js';
import { OPENSEARCH_HOME } from '../images/engines.js';
import { LOKI_BUCKET, testDistributedSizing } from '../e2e/support/distributed-sizing.js';
import { kubectl, tryKubectl, type Log } from './cluster.js';
import { importImages } from './cluster-images.js';
import { paths, type ClusterLayout } from './layout.js';
import { restrictedNamespace } from './manifests.js';
import { clusterStackInput, manifestObjects, readyBoundSeconds, waitWorkloadsReady, workloadKinds } from './stack-deployment.js';
import { otlpHttpInCluster, sampleAppManifests } from './test-workloads.js';

export const DIST_NAMESPACE = 'observability-dist';
/** The stores outside the stack (test fixtures). */
export const STORES_NAMESPACE = 'observatory-stores';
/** The sample app sending to the distributed stack's gateway. */
export const DIST_SAMPLE_NAMESPACE = 'observatory-sample-dist';
const NAMESPACES = [DIST_NAMESPACE, STORES_NAMESPACE, DIST_SAMPLE_NAMESPACE] as const;

const S3_PORT = 9000;
const OPENSEARCH_PORT = 9200;
const storeUrl = (name: string, port: number) => `http://${name}.${STORES_NAMESPACE}.svc.cluster.local:${port}`;
export const storeUrls = { s3: storeUrl('s3', S3_PORT), opensearch: storeUrl('opensearch', OPENSEARCH_PORT) } as const;

/** The images the distributed stack needs beyond the dev stack's (imported by the global setup): Grafana's Postgres. */
const EXTRA_STACK_IMAGES = ['postgres'] as const;
const STORE_IMAGES = ['gofakes3', 'opensearch'] as const;
/** Every image this deployment imports beyond the dev stack's. */
export const DISTRIBUTED_EXTRA_IMAGES = [...STORE_IMAGES, ...EXTRA_STACK_IMAGES] as const;

/** Requests small enough that both stacks fit the node's 2 CPUs beside each other (limits stay the dev preset's). */
const small = { resources: { requests: { cpu: '20m' } } } as const;

/**
 * The spec: the tests' distributed sizing (2 Loki writers, 2 Jaeger replicas, 2 samplers, metrics single-node), on
 * the in-cluster stores, with an Alertmanager cluster of 2 (the compose e2e runs one), the dev stack's images, no
 * Ingress (the dev stack's hosts are taken) and small CPU requests. vmalert stays one: with two, VictoriaMetrics
 * deduplicates every series to one sample per evaluation interval (docs/DISTRIBUTED.md), and the fault's count of
 * the app's 2 s metric exports would read the dropped copies as lost exports.
 */
export const distributedClusterInput = {
  environment: 'dev',
  namespace: DIST_NAMESPACE,
  scale: 'distributed',
  components: {
    glitchtip: { enabled: false },
    umami: { enabled: false },
    collector: { ...small, sampler: small, kubernetes: { agent: small } },
    victoriametrics: small,
    vmalert: small,
    jaeger: small,
    loki: small,
    grafana: { ...small, postgres: small },
    alertmanager: small,
  },
  images: {
    overrides: { ...clusterStackInput.images.overrides, ...Object.fromEntries(EXTRA_STACK_IMAGES.map((c) => [c, imageTag(c)])) },
    pullPolicy: 'Never',
  },
  ingress: { enabled: false },
  distributed: { ...testDistributedSizing(storeUrls), alertmanager: { replicas: 2 } },
} as const;

/** A pod-level security context Pod Security "restricted" admits, for a store running as `uid`. */
const restrictedPod = (uid: number) => ({ runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } });
const noPrivileges = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

interface StoreSpec {
  readonly name: string;
  readonly image: string;
  readonly uid: number;
  readonly port: number;
  readonly ready: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly dataDir: string;
  readonly readOnlyRoot: boolean;
  readonly resources: object;
}

/** One store: a one-replica Deployment on emptyDirs (the test's data lives as long as the test) and its Service. */
function store(s: StoreSpec): object[] {
  const labels = { app: s.name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: s.name, namespace: STORES_NAMESPACE, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPod(s.uid),
            containers: [
              {
                name: s.name,
                image: s.image,
                imagePullPolicy: 'Never',
                ...(s.args ? { args: s.args } : {}),
                env: Object.entries(s.env ?? {}).map(([name, value]) => ({ name, value })),
                ports: [{ name: 'http', containerPort: s.port }],
                readinessProbe: { httpGet: { path: s.ready, port: s.port }, periodSeconds: 2, failureThreshold: 3 },
                securityContext: { ...noPrivileges, readOnlyRootFilesystem: s.readOnlyRoot },
                resources: s.resources,
                volumeMounts: [
                  { name: 'data', mountPath: s.dataDir },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.name, namespace: STORES_NAMESPACE, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: s.port, targetPort: s.port }] },
    },
  ];
}

/** The S3 server and OpenSearch, run as the compose e2e runs them (test/e2e/support/distributed-stack.ts). */
export function storeManifests(): object[] {
  return [
    restrictedNamespace(STORES_NAMESPACE),
    ...store({
      name: 's3',
      image: imageTag('gofakes3'),
      // Upstream's image runs as root; nothing in it needs to: any user may own the emptyDir it writes.
      uid: 65532,
      port: S3_PORT,
      ready: '/',
      args: ['-backend', 'fs', '-fs.path', '/data', '-fs.create', '-initialbucket', LOKI_BUCKET, '-host', `:${S3_PORT}`],
      dataDir: '/data',
      readOnlyRoot: true,
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    }),
    ...store({
      name: 'opensearch',
      image: imageTag('opensearch'),
      uid: 1000,
      port: OPENSEARCH_PORT,
      ready: '/_cluster/health?wait_for_status=yellow&timeout=1s',
      // As Jaeger's own compose example runs it: one node, no security plugin, a small heap.
      env: { 'discovery.type': 'single-node', 'plugins.security.disabled': 'true', OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m' },
      dataDir: `${OPENSEARCH_HOME}/data`,
      // The JVM writes its GC log under logs/ (and its temporary files under /tmp, an emptyDir).
      readOnlyRoot: false,
      resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '2', memory: '1536Mi' } },
    }),
  ];
}

/** The stores' credentials as the Secrets the spec names, in the stack's namespace (neither test store checks them). */
export function storeSecrets(spec: StackSpec): { manifests: object[]; s3: { accessKeyId: string; secretAccessKey: string } } {
  const s3 = { accessKeyId: 'observatory', secretAccessKey: randomBytes(18).toString('base64url') };
  const secret = (name: string, stringData: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: DIST_NAMESPACE }, type: 'Opaque', stringData });
  return {
    s3,
    manifests: [
      secret(spec.distributed.traces.opensearch.secret, { username: 'observatory', password: randomBytes(18).toString('base64url') }),
      secret(spec.distributed.logs.objectStorage.secret, { 'access-key-id': s3.accessKeyId, 'secret-access-key': s3.secretAccessKey }),
    ],
  };
}

export interface DistributedDeployment {
  readonly out: string;
  readonly workloads: readonly string[];
  /** Seconds from applying the stack to every workload Ready, and the bound its probes give. */
  readonly readySeconds: number;
  readonly boundSeconds: number;
  /** Seconds from applying the stores to both Ready. */
  readonly storesReadySeconds: number;
  readonly s3Credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The cluster-scoped objects synth wrote (ClusterRoles and their bindings), removed with the namespaces. */
  readonly clusterScoped: readonly string[];
}

const dump = (objects: readonly object[]) => objects.map((o) => yaml.dump(o)).join('---\n');

/** Removes what a deployment left (namespaces and its cluster-scoped objects); with `wait`, until they are gone. */
export function removeDistributedStack(l: ClusterLayout, clusterScoped: readonly string[], wait: boolean): void {
  const present = NAMESPACES.filter((ns) => tryKubectl(l, ['get', 'namespace', ns]).code === 0);
  if (present.length > 0) tryKubectl(l, ['delete', 'namespace', ...present, `--wait=${wait}`, '--timeout=180s']);
  if (clusterScoped.length > 0) tryKubectl(l, ['delete', ...clusterScoped, '--ignore-not-found', `--wait=${wait}`]);
}

/** `observatory validate` of the spec file synth was given: the CLI's own checks must accept what is deployed. */
function validateSpec(specFile: string): string {
  const result = spawnSync(process.execPath, [observatoryBin(), 'validate', '--spec', specFile], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`observatory validate exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

/** Validates, synthesizes and applies the stores, their Secrets, the stack and its sample app; waits for all Ready. */
export async function deployDistributedStack(l: ClusterLayout, log: Log): Promise<DistributedDeployment> {
  const out = synthToFolder(distributedClusterInput, undefined, ['--generate-secrets']);
  log(validateSpec(path.join(path.dirname(out), 'spec.yaml')));
  const k8s = path.join(out, 'k8s');
  const objects = manifestObjects(k8s);
  const clusterScoped = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding').map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`);
  // Left over by an interrupted run: start clean.
  removeDistributedStack(l, clusterScoped, true);

  const record = path.join(paths(l).run, 'imported-images.json');
  await importImages(paths(l).containerdSocket, STORE_IMAGES.map(imageTag), record, log);
  const storesStarted = Date.now();
  kubectl(l, ['apply', '--server-side', '-f', '-'], dump(storeManifests()));
  await importImages(paths(l).containerdSocket, EXTRA_STACK_IMAGES.map(imageTag), record, log);
  // The stores come first, as outside the test: Jaeger creates its index templates when it starts.
  await waitWorkloadsReady(l, STORES_NAMESPACE, ['Deployment/s3', 'Deployment/opensearch'], 180_000, log);
  const storesReadySeconds = (Date.now() - storesStarted) / 1000;
  log(`stores Ready in ${storesReadySeconds.toFixed(1)} s (S3 server and OpenSearch, ${STORES_NAMESPACE})`);

  const workloads = objects.filter((o) => (workloadKinds as readonly string[]).includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
  const bound = readyBoundSeconds(objects);
  const secrets = storeSecrets(defineStack(distributedClusterInput));
  const started = Date.now();
  kubectl(l, ['apply', '--server-side', '-f', path.join(k8s, '00-namespace.yaml')]);
  kubectl(l, ['apply', '--server-side', '-f', path.join(out, 'k8s-secrets.yaml')]);
  kubectl(l, ['apply', '--server-side', '-f', '-'], dump(secrets.manifests));
  kubectl(l, ['apply', '--server-side', '-f', k8s]);
  kubectl(l, ['apply', '--server-side', '-f', '-'], dump(sampleAppManifests(DIST_SAMPLE_NAMESPACE, otlpHttpInCluster(DIST_NAMESPACE))));
  log(`distributed stack applied (${objects.length} objects, ${workloads.length} workloads); waiting for all Ready (bound ${bound.seconds} s: 60 s + ${bound.slowest}'s probe allowance)`);
  await waitWorkloadsReady(l, DIST_NAMESPACE, workloads, bound.seconds * 1000, log);
  const readySeconds = (Date.now() - started) / 1000;
  log(`distributed stack Ready in ${readySeconds.toFixed(1)} s`);
  await waitWorkloadsReady(l, DIST_SAMPLE_NAMESPACE, ['Deployment/sample-back', 'Deployment/sample-front'], 120_000, log);
  return { out, workloads, readySeconds, boundSeconds: bound.seconds, storesReadySeconds, s3Credentials: secrets.s3, clusterScoped };
}

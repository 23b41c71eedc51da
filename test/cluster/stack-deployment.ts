/**
 * The rendered stack on the test cluster, as a platform engineer deploys it: `observatory synth --env dev
 * --generate-secrets`, then `kubectl apply --server-side` of what it wrote. Images point at the local factory's
 * (pull policy Never: nothing is pulled); GlitchTip and Umami are disabled because no registry here serves their
 * images (test/e2e/apps.test.ts covers them where they exist).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { synthToFolder } from '../helpers/synth-cli.js';
import { imageTag } from '../images/build.js';
import { kubectl, tryKubectl, type Log } from './cluster.js';
import { paths, type ClusterLayout } from './layout.js';
import { importImages } from './cluster-images.js';
import { defineStack } from '../../model/define.js';
import { traefikManifests } from './traefik.js';
import { sampleAppManifests, SAMPLE_NAMESPACE, webhookSinkManifests, TEST_NAMESPACE, WEBHOOK_URL } from './test-workloads.js';

export const STACK_NAMESPACE = 'observability';
/** A name under the reserved `.test` top-level domain: nothing resolves it, the test sends it as the Host header. */
export const INGRESS_DOMAIN = 'observatory.test';
export const stackImages = ['collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager', 'grafana'] as const;
export const DISABLED_FOR_WANT_OF_IMAGES = ['glitchtip', 'umami'] as const;

export const clusterStackInput = {
  environment: 'dev',
  components: Object.fromEntries(DISABLED_FOR_WANT_OF_IMAGES.map((c) => [c, { enabled: false }])),
  images: { overrides: Object.fromEntries(stackImages.map((c) => [c, imageTag(c)])), pullPolicy: 'Never' },
  alerting: {
    receivers: [{ name: 'cluster-webhook', type: 'webhook', url: WEBHOOK_URL }],
    // A user's tuning (alerting.overrides), here so the crash-loop alert fires within the test's minutes, not 15.
    overrides: { KubeContainerCrashLooping: { for: '1m' } },
  },
  // Public through Traefik (test/cluster/traefik.ts) as on DOKS, without TLS: no cert-manager or ACME here.
  ingress: { enabled: true, domain: INGRESS_DOMAIN, tls: false },
  // The sample app's SLOs (the local preset's examples) so the stack alerts on the app as on compose.
  slos: [{ name: 'sample-front-availability', service: 'sample-front', objective: 99.9, window: '30d', sli: { kind: 'availability' } }],
} as const;

export interface DeployOptions {
  /**
   * The Grafana image instead of the factory's backend-only one: `npm run screenshots -- --kubernetes` deploys the
   * UI variant (test/images/grafana-ui-image.ts), imported into the cluster's containerd like the others.
   */
  readonly grafanaImage?: string;
}

/** The cluster's stack spec, with Grafana's image replaced when asked. */
export function clusterStackInputFor(options: DeployOptions = {}) {
  if (!options.grafanaImage) return clusterStackInput;
  const images = { ...clusterStackInput.images, overrides: { ...clusterStackInput.images.overrides, grafana: options.grafanaImage } };
  return { ...clusterStackInput, images };
}

/** A value of a Secret `observatory synth --generate-secrets` wrote to `<out>/k8s-secrets.yaml`. */
export function secretValue(out: string, name: string, key: string): string {
  const docs = yaml.loadAll(fs.readFileSync(path.join(out, 'k8s-secrets.yaml'), 'utf8')) as { metadata: { name: string }; stringData: Record<string, string> }[];
  const value = docs.find((d) => d?.metadata.name === name)?.stringData[key];
  if (!value) throw new Error(`Secret ${name} has no ${key} in k8s-secrets.yaml`);
  return value;
}

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } };
}
interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}
interface PodSpec {
  containers: { readinessProbe?: Probe; startupProbe?: Probe }[];
}

export function manifestObjects(k8sDir: string): K8sObject[] {
  return fs
    .readdirSync(k8sDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(k8sDir, f), 'utf8')) as K8sObject[])
    .filter(Boolean);
}

/**
 * The bound for every workload to turn Ready: 60 s to schedule, bind and provision volumes and start containers
 * from local images on this 2-core node, plus the slowest readiness (startup) probe's own allowance:
 * initialDelaySeconds + periodSeconds × failureThreshold, Kubernetes' defaults where unset (0, 10 s, 3).
 */
export function readyBoundSeconds(objects: readonly K8sObject[]): { seconds: number; slowest: string } {
  let worst = { seconds: 0, slowest: 'none' };
  for (const o of objects) {
    for (const c of o.spec?.template?.spec?.containers ?? []) {
      for (const p of [c.readinessProbe, c.startupProbe]) {
        if (!p) continue;
        const s = (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
        if (s > worst.seconds) worst = { seconds: s, slowest: `${o.kind}/${o.metadata.name}` };
      }
    }
  }
  return { seconds: 60 + worst.seconds, slowest: worst.slowest };
}

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export interface Deployed {
  readonly out: string;
  readonly objects: readonly K8sObject[];
  readonly readySeconds: number;
  readonly boundSeconds: number;
  readonly slowestProbe: string;
  readonly workloads: readonly string[];
}

/**
 * Waits for every workload (`Kind/name`) in `namespace` to have all replicas Ready, within `timeoutMs`; with `log`,
 * prints what it is still waiting for every 10 s.
 */
export async function waitWorkloadsReady(l: ClusterLayout, namespace: string, workloads: readonly string[], timeoutMs: number, log?: Log): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const pending = new Set(workloads);
  let lastReport = started;
  while (pending.size > 0) {
    for (const w of [...pending]) {
      const r = tryKubectl(l, ['-n', namespace, 'rollout', 'status', w.toLowerCase(), '--timeout=1s']);
      if (r.code === 0) pending.delete(w);
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      const pods = tryKubectl(l, ['-n', namespace, 'get', 'pods', '-o', 'wide']).stdout;
      const events = tryKubectl(l, ['-n', namespace, 'get', 'events', '--sort-by=.lastTimestamp']).stdout.split('\n').slice(-25).join('\n');
      throw new Error(`not Ready within ${timeoutMs / 1000} s: ${[...pending].join(', ')}\n${pods}\n${events}`);
    }
    if (log && Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      log(`${namespace}: ${((Date.now() - started) / 1000).toFixed(0)} s, waiting for ${pending.size} of ${workloads.length} to be Ready: ${[...pending].join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Synthesizes the stack, applies it (namespace, generated Secrets, the rest) and waits for every workload. */
export async function deployStack(l: ClusterLayout, log: Log, options: DeployOptions = {}): Promise<Deployed> {
  const input = clusterStackInputFor(options);
  const out = synthToFolder(input, undefined, ['--generate-secrets']);
  const k8s = path.join(out, 'k8s');
  const objects = manifestObjects(k8s);
  const workloads = objects.filter((o) => (workloadKinds as readonly string[]).includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
  const bound = readyBoundSeconds(objects);
  const tags = [...stackImages, 'webhook-sink' as const].map((c) => (c === 'grafana' && options.grafanaImage ? options.grafanaImage : imageTag(c)));
  await importImages(paths(l).containerdSocket, tags, path.join(paths(l).run, 'imported-images.json'), log);
  // The cluster's own images (Traefik among them) were imported by up().
  const started = Date.now();
  kubectl(l, ['apply', '--server-side', '-f', path.join(k8s, '00-namespace.yaml')]);
  kubectl(l, ['apply', '--server-side', '-f', path.join(out, 'k8s-secrets.yaml')]);
  kubectl(l, ['apply', '--server-side', '-f', k8s]);
  const spec = defineStack(input);
  const controller = traefikManifests({ className: spec.ingress.className, namespace: spec.ingress.controllerNamespace });
  kubectl(l, ['apply', '--server-side', '-f', '-'], [...webhookSinkManifests(), ...sampleAppManifests(), ...controller].map((o) => yaml.dump(o)).join('---\n'));
  log(`stack applied (${objects.length} objects, ${workloads.length} workloads); waiting for all Ready (bound ${bound.seconds} s: 60 s + ${bound.slowest}'s probe allowance)`);
  await waitWorkloadsReady(l, STACK_NAMESPACE, workloads, bound.seconds * 1000, log);
  const readySeconds = (Date.now() - started) / 1000;
  log(`stack Ready in ${readySeconds.toFixed(1)} s`);
  await waitWorkloadsReady(l, TEST_NAMESPACE, ['Deployment/webhook-sink'], 120_000);
  await waitWorkloadsReady(l, SAMPLE_NAMESPACE, ['Deployment/sample-back', 'Deployment/sample-front'], 120_000);
  await waitWorkloadsReady(l, spec.ingress.controllerNamespace, ['Deployment/traefik'], 120_000);
  return { out, objects, readySeconds, boundSeconds: bound.seconds, slowestProbe: bound.slowest, workloads };
}

import { defaultSizing } from './scale-spec.js';
import type { Environment, Resources, StackSpec } from './spec.js';

const res = (requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string): Resources => ({
  requests: { cpu: requestCpu, memory: requestMemory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

/** How big each environment is: replicas and resources scale with it, storage and retention too. */
interface Size {
  readonly scale: 1 | 2 | 4;
  readonly replicas: 1 | 2;
  readonly storage: (gi: number) => string;
  readonly retention: StackSpec['retention'];
}

const sizes: Record<Environment, Size> = {
  local: { scale: 1, replicas: 1, storage: (gi) => `${gi}Gi`, retention: { metrics: '7d', logs: '3d', traces: '2d', errors: '14d', backups: '3d' } },
  dev: { scale: 1, replicas: 1, storage: (gi) => `${gi * 2}Gi`, retention: { metrics: '14d', logs: '7d', traces: '3d', errors: '30d', backups: '7d' } },
  staging: { scale: 2, replicas: 1, storage: (gi) => `${gi * 4}Gi`, retention: { metrics: '30d', logs: '14d', traces: '7d', errors: '30d', backups: '14d' } },
  prod: { scale: 4, replicas: 2, storage: (gi) => `${gi * 10}Gi`, retention: { metrics: '90d', logs: '30d', traces: '14d', errors: '90d', backups: '30d' } },
};

/** The most gateway replicas the autoscaler may run (the local stack has no autoscaler). */
const gatewayMaxReplicas: Record<Environment, number> = { local: 1, dev: 2, staging: 3, prod: 6 };

/** Resources of a component at scale 1, multiplied for bigger environments. */
function scaled(scale: number, cpuMillis: number, memoryMi: number, limitCpuMillis: number, limitMemoryMi: number): Resources {
  return res(`${cpuMillis * scale}m`, `${memoryMi * scale}Mi`, `${limitCpuMillis * scale}m`, `${limitMemoryMi * scale}Mi`);
}

/**
 * The sample app's SLOs (test/sample-app), an example to copy: 99.9 % of `sample-front`'s requests
 * succeed, 99 % are faster than 500 ms, and 99.5 % of its work requests are answered `ok` by its own counter
 * (a good/total ratio), over 30 days. Only the local preset carries them (the stack a
 * developer runs the sample app against); other environments start with none. A spec's own `slos` list
 * replaces them.
 */
function exampleSlos(): StackSpec['slos'] {
  return [
    { name: 'sample-front-availability', service: 'sample-front', objective: 99.9, window: '30d', sli: { kind: 'availability' } },
    { name: 'sample-front-latency', service: 'sample-front', objective: 99, window: '30d', sli: { kind: 'latency', thresholdMs: 500 } },
    {
      // From the app's own counter rather than its spans: any service's good/total counters work the same way.
      name: 'sample-front-work-success',
      service: 'sample-front',
      objective: 99.5,
      window: '30d',
      sli: {
        kind: 'ratio',
        good: 'sample_app_work_requests_total{service_name="sample-front", outcome="ok"}',
        total: 'sample_app_work_requests_total{service_name="sample-front"}',
      },
    },
  ];
}

export function preset(environment: Environment): StackSpec {
  const { scale, replicas, storage, retention } = sizes[environment];
  const r = (cpu: number, mem: number, limCpu: number, limMem: number) => scaled(scale, cpu, mem, limCpu, limMem);
  return {
    name: 'observatory',
    environment,
    namespace: 'observability',
    // Prod is where one node's loss must not stop a signal; the other environments stay one process per store.
    scale: environment === 'prod' ? 'distributed' : 'single',
    distributed: defaultSizing(),
    components: {
      collector: {
        enabled: true,
        replicas,
        autoscaling: { maxReplicas: gatewayMaxReplicas[environment], targetCpuPercent: 70 },
        resources: r(100, 256, 1000, 512),
        sampler: { resources: r(100, 256, 1000, 1024) },
        kubernetes: { enabled: true, agent: { resources: r(25, 64, 250, 256) } },
      },
      victoriametrics: { enabled: true, resources: r(100, 256, 1000, 1024), storage: storage(5) },
      vmalert: { enabled: true, resources: r(25, 64, 250, 256), evaluationInterval: '30s' },
      jaeger: { enabled: true, resources: r(100, 256, 1000, 1024), storage: storage(5) },
      loki: { enabled: true, resources: r(100, 256, 1000, 1024), storage: storage(5) },
      grafana: { enabled: true, resources: r(50, 128, 500, 512), storage: storage(1), postgres: { resources: r(50, 128, 500, 512), storage: storage(2) } },
      alertmanager: { enabled: true, resources: r(25, 64, 250, 256), storage: storage(1) },
      glitchtip: {
        enabled: true,
        web: { replicas, resources: r(100, 256, 1000, 768) },
        worker: { replicas: 1, resources: r(100, 256, 1000, 768) },
        postgres: { resources: r(100, 256, 1000, 1024), storage: storage(5) },
        valkey: { resources: r(25, 64, 250, 256), storage: storage(1) },
        openRegistration: false,
      },
      umami: { enabled: true, replicas, resources: r(50, 256, 500, 512), postgres: { resources: r(50, 128, 500, 512), storage: storage(2) } },
    },
    // Tags can be moved: on a cluster every pod start asks the registry what the tag names now (and checks the
    // node may pull it); the local stack runs images already on the machine.
    images: { overrides: {}, pullPolicy: environment === 'local' ? 'IfNotPresent' : 'Always' },
    retention,
    // 03:17: daily, in the quiet hours, off the full hour that every other cron job picks.
    backups: { schedule: '17 3 * * *' },
    sampling: { decisionWait: '5s', keepErrors: true, latencyThreshold: '500ms', percentage: 10 },
    // Traefik: the controller the Pulumi program installs (ingress-nginx was retired upstream in March 2026).
    ingress: { enabled: false, className: 'traefik', tls: true, clusterIssuer: 'letsencrypt', controllerNamespace: 'traefik' },
    pods: { components: {} },
    scrapeTargets: [],
    compose: { bindAddress: '127.0.0.1' },
    alerting: { receivers: [], minBadEvents: 3, heartbeat: false, overrides: {} },
    slos: environment === 'local' ? exampleSlos() : [],
  };
}

import type { Construct } from 'constructs';
import { AGENT_SELF_SERVICE, agentConfig } from '../collector/agent.js';
import {
  AGENT_NODE_IP,
  AGENT_NODE_NAME,
  annotatedPodsAccess,
  k8sAttributesAccess,
  k8sClusterAccess,
  k8sEventsAccess,
  kubeletMetricsAccess,
  kubeletStatsAccess,
} from '../collector/kubernetes.js';
import { configOverlay } from '../collector/overlay.js';
import type { CollectorConfig } from '../collector/config.js';
import { COLLECTOR_PORTS, gatewayConfig, memorySettings, QUEUE_DIR, SAMPLER_SELF_SERVICE, samplerConfig, type ScrapeTarget } from '../collector/pipelines.js';
import { mergeAccessRules } from '../model/access.js';
import type { AccessRule, Component, Connection, ResolvedImage } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { Resources, StackSpec } from '../model/spec.js';
import { httpHealth, secretRef, toYaml } from './describe.js';
import { COLLECTOR, JAEGER, logsEndpoints, metricsEndpoints, type Endpoint } from './addresses.js';
import { ComponentGroup } from './workload.js';
import { withPodSettings } from '../model/pod-settings.js';

export { COLLECTOR } from './addresses.js';

const INGEST_TOKEN_ENV = 'OTLP_INGEST_TOKEN';

/** The Kubernetes-only overlay of the collector config, merged over config.yaml by the collector. */
const KUBERNETES_OVERLAY = 'kubernetes.yaml';

const CONFIG_DIR = '/etc/otelcol';

/** Prometheus endpoints of the other components, scraped by the collector into the metrics store. */
export function scrapeTargetsOf(components: readonly Component[]): ScrapeTarget[] {
  return components.flatMap((c) => (c.metrics ? [{ job: c.name, target: `${c.name}:${c.metrics.port}`, path: c.metrics.path }] : []));
}

/** A scrape target as a connection: its job is the component's name, its target `<name>:<port>`. */
const scrapeConnection = (t: ScrapeTarget): Connection => ({ component: t.job, port: Number(t.target.slice(t.target.lastIndexOf(':') + 1)) });

/** The Kubernetes-only overlay of a collector config (nothing when the two are equal). */
function kubernetesConfigFiles(base: CollectorConfig, onKubernetes: CollectorConfig): { name: string; dir: string; content: string }[] {
  const overlay = configOverlay(base, onKubernetes);
  return Object.keys(overlay).length > 0 ? [{ name: KUBERNETES_OVERLAY, dir: CONFIG_DIR, content: toYaml(overlay) }] : [];
}

/**
 * The collector in two tiers: the gateway (`otel-collector`), the OTLP intake every service sends to, scaled
 * horizontally; and the sampler (`otel-sampler`), one instance holding what must happen once (tail sampling,
 * span metrics, the stack's scrape, cluster-wide receivers). Plus, on Kubernetes, the per-node agent.
 */
export function collectorComponents(spec: StackSpec, scrapeTargets: readonly ScrapeTarget[] = []): Component[] {
  const settings = spec.components.collector;
  if (!settings.enabled) return [];
  const c = spec.components;
  const samplers = spec.scale === 'distributed' && c.jaeger.enabled ? spec.distributed.collector.samplers : 1;
  if (samplers > 1) {
    // Traces spread over N samplers by trace ID; what must run once (the scrape, cluster receivers) in a scraper.
    const scraper = c.victoriametrics.enabled ? samplerComponent(spec, scrapeTargets, { kind: 'scraper' }) : undefined;
    return [
      gatewayComponent(spec, 'many'),
      samplerComponent(spec, scrapeTargets, { kind: 'one-of-many', replicas: samplers }),
      ...(scraper ? [scraper] : []),
      ...(settings.kubernetes.enabled && c.victoriametrics.enabled ? [agentComponent(spec)] : []),
    ];
  }
  const sampler = c.jaeger.enabled || c.victoriametrics.enabled ? samplerComponent(spec, scrapeTargets, { kind: 'only' }) : undefined;
  return [
    gatewayComponent(spec, sampler !== undefined && c.jaeger.enabled ? 'one' : 'none'),
    ...(sampler ? [sampler] : []),
    ...(settings.kubernetes.enabled && c.victoriametrics.enabled ? [agentComponent(spec)] : []),
  ];
}

/**
 * Which sampler a collector process is: `only` (traces, span metrics, the scrape and cluster receivers in one
 * instance), `one-of-many` (traces and span metrics, routed to it by trace ID), or `scraper` (the scrape and
 * cluster receivers once, beside several samplers).
 */
type SamplerRole = { readonly kind: 'only' | 'scraper' } | { readonly kind: 'one-of-many'; readonly replicas: number };

const connection = ({ component, port }: Endpoint): Connection => ({ component, port });

/**
 * What a collector tier waits for before it starts (compose; Kubernetes starts everything at once). Its exporters
 * retry without a deadline from a persisted queue, so a backend that refuses connections while it starts loses
 * nothing: started is enough. Loki is the exception: before its ingester joins the ring it answers pushes with
 * HTTP 500, which the OTLP/HTTP exporter does not retry (only 429, 502, 503, 504), so the gateway waits for it.
 */
const started = (names: readonly string[]) => names.map((name) => ({ name, condition: 'started' as const }));
const healthy = (names: readonly string[]) => names.map((name) => ({ name, condition: 'healthy' as const }));

interface TierSettings {
  readonly image: ResolvedImage;
  readonly resources: Resources;
  /** The config both runtimes share, and the full one on Kubernetes (its difference becomes the overlay). */
  readonly config: CollectorConfig;
  readonly kubernetesConfig?: CollectorConfig;
  readonly clusterAccess: readonly AccessRule[];
}

/**
 * What both collector tiers are alike in: the image and its config files (the Kubernetes overlay included), memory
 * settings from the limit, the sending queues' file storage on a volume, the health check, the time to drain.
 */
function collectorTier(tier: TierSettings) {
  return {
    image: tier.image,
    kind: 'stateful' as const,
    args: [`--config=${CONFIG_DIR}/config.yaml`],
    env: { GOMEMLIMIT: `${memorySettings(tier.resources.limits.memory).goMemLimitMiB}MiB` },
    configFiles: [{ name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(tier.config) }],
    ...(tier.kubernetesConfig
      ? {
          kubernetes: {
            configFiles: kubernetesConfigFiles(tier.config, tier.kubernetesConfig),
            args: [`--config=${CONFIG_DIR}/${KUBERNETES_OVERLAY}`],
            clusterAccess: tier.clusterAccess,
          },
        }
      : {}),
    volumes: [{ name: 'queue', mountPath: QUEUE_DIR, kind: 'persistent' as const, size: '2Gi' }],
    health: httpHealth(COLLECTOR_PORTS.health, '/'),
    resources: tier.resources,
    readOnlyRootFilesystem: true,
    // Time to drain the sending queues to disk and flush in-flight batches.
    terminationGraceSeconds: 60,
  };
}

/** Where the gateway sends spans: nowhere, the one sampler, or many samplers by trace ID. */
type SamplerTarget = 'none' | 'one' | 'many';

function gatewayComponent(spec: StackSpec, samplers: SamplerTarget): Component {
  const tracesToSampler = samplers !== 'none';
  const settings = spec.components.collector;
  const image = resolveImage(spec, 'collector');
  const c = spec.components;
  const options = {
    version: image.facts.tag,
    memoryLimit: settings.resources.limits.memory,
    publicIngest: { tokenEnv: INGEST_TOKEN_ENV },
    backends: {
      ...(samplers === 'one' ? { sampler: COLLECTOR.samplerEndpoint } : {}),
      ...(samplers === 'many' ? { samplers: COLLECTOR.samplerPeers } : {}),
      ...(c.victoriametrics.enabled ? { metrics: metricsEndpoints(spec).otlp.url } : {}),
      ...(c.loki.enabled ? { logs: logsEndpoints(spec).otlp.url } : {}),
    },
  };
  const tier = collectorTier({
    image,
    resources: settings.resources,
    config: gatewayConfig(spec, options),
    ...(settings.kubernetes.enabled ? { kubernetesConfig: gatewayConfig(spec, { ...options, kubernetes: true }) } : {}),
    clusterAccess: k8sAttributesAccess,
  });
  const { maxReplicas, targetCpuPercent } = settings.autoscaling;
  return {
    ...tier,
    name: COLLECTOR.name,
    role: 'telemetry-gateway',
    replicas: settings.replicas,
    ...(maxReplicas > settings.replicas ? { autoscaling: { maxReplicas, targetCpuPercent } } : {}),
    env: { ...tier.env, [INGEST_TOKEN_ENV]: secretRef(COLLECTOR.ingestSecret, 'token') },
    ports: [
      { name: 'otlp-grpc', port: COLLECTOR_PORTS.otlpGrpc, publish: true, clients: 'cluster' },
      { name: 'otlp-http', port: COLLECTOR_PORTS.otlpHttp, publish: true, clients: 'cluster' },
      { name: 'otlp-public', port: COLLECTOR_PORTS.otlpHttpPublic, publish: true, ingress: { host: COLLECTOR.publicHost } },
      { name: 'health', port: COLLECTOR_PORTS.health },
      { name: 'metrics', port: COLLECTOR_PORTS.metrics },
    ],
    secrets: [{ name: COLLECTOR.ingestSecret, keys: { token: { length: 40 } } }],
    connectsTo: [
      ...(tracesToSampler ? [{ component: COLLECTOR.samplerName, port: COLLECTOR_PORTS.otlpGrpc }] : []),
      ...(c.victoriametrics.enabled ? [connection(metricsEndpoints(spec).otlp)] : []),
      ...(c.loki.enabled ? [connection(logsEndpoints(spec).otlp)] : []),
    ],
    dependsOn: [
      ...started([...(tracesToSampler ? [COLLECTOR.samplerName] : []), ...(c.victoriametrics.enabled ? [metricsEndpoints(spec).otlp.component] : [])]),
      ...healthy(c.loki.enabled ? [logsEndpoints(spec).otlp.component] : []),
    ],
  };
}

function samplerComponent(spec: StackSpec, ownTargets: readonly ScrapeTarget[], role: SamplerRole): Component {
  const settings = spec.components.collector;
  const { resources } = settings.sampler;
  const image = resolveImage(spec, 'collector');
  const c = spec.components;
  const traces = c.jaeger.enabled && role.kind !== 'scraper';
  const singletons = role.kind !== 'one-of-many';
  const scrapeTargets = singletons ? ownTargets : [];
  const name = role.kind === 'scraper' ? COLLECTOR.scraperName : COLLECTOR.samplerName;
  const options = {
    version: image.facts.tag,
    memoryLimit: resources.limits.memory,
    scrapeTargets: [...scrapeTargets, ...spec.scrapeTargets],
    selfService: name,
    oneOfMany: !singletons,
    backends: {
      ...(traces ? { traces: JAEGER.otlpGrpcEndpoint } : {}),
      ...(c.victoriametrics.enabled ? { metrics: metricsEndpoints(spec).otlp.url } : {}),
      ...(c.loki.enabled ? { logs: logsEndpoints(spec).otlp.url } : {}),
    },
  };
  const onKubernetes = settings.kubernetes.enabled;
  const taken = spec.scrapeTargets.find((t) => ownTargets.some((own) => own.job === t.job));
  if (taken) throw new Error(`scrapeTargets: job "${taken.job}" is the stack's own scrape of that component; pick another name`);
  const tier = collectorTier({
    image,
    resources,
    config: samplerConfig(spec, options),
    // One of many samplers runs no Kubernetes receivers: its config is the same on every runtime.
    ...(onKubernetes && singletons ? { kubernetesConfig: samplerConfig(spec, { ...options, kubernetes: true }) } : {}),
    clusterAccess: singletons ? mergeAccessRules([...(c.victoriametrics.enabled ? k8sClusterAccess : []), ...(c.loki.enabled ? k8sEventsAccess : [])]) : [],
  });
  const userPorts = singletons ? [...new Set(spec.scrapeTargets.map((t) => Number(t.target.slice(t.target.lastIndexOf(':') + 1))))] : [];
  return {
    ...tier,
    ...(userPorts.length > 0 ? { kubernetes: { ...tier.kubernetes, egress: [{ kind: 'anywhere' as const, ports: userPorts }] } } : {}),
    name,
    role: role.kind === 'scraper' ? 'telemetry-scraper' : 'telemetry-sampler',
    // One sampler holds every trace, or N samplers each hold the traces routed to them by trace ID; the scrape
    // and cluster receivers run in exactly one instance, or their series would duplicate.
    replicas: role.kind === 'one-of-many' ? role.replicas : 1,
    ports: [
      ...(traces ? [{ name: 'otlp-grpc', port: COLLECTOR_PORTS.otlpGrpc }] : []),
      { name: 'health', port: COLLECTOR_PORTS.health },
      { name: 'metrics', port: COLLECTOR_PORTS.metrics },
    ],
    connectsTo: [
      ...(traces ? [{ component: JAEGER.name, port: JAEGER.otlpGrpcPort }] : []),
      ...(c.victoriametrics.enabled ? [connection(metricsEndpoints(spec).otlp)] : []),
      ...(c.loki.enabled && onKubernetes && singletons ? [connection(logsEndpoints(spec).otlp)] : []),
      ...scrapeTargets.map(scrapeConnection),
    ],
    dependsOn: started([...(traces ? [JAEGER.name] : []), ...(c.victoriametrics.enabled ? [metricsEndpoints(spec).otlp.component] : [])]),
  };
}

/** One collector per node for what only a node can see: its kubelet's stats and its annotated pods. */
function agentComponent(spec: StackSpec): Component {
  const image = resolveImage(spec, 'collector');
  const { resources } = spec.components.collector.kubernetes.agent;
  const config = agentConfig({ version: image.facts.tag, memoryLimit: resources.limits.memory, metricsUrl: metricsEndpoints(spec).otlp.url });
  return {
    name: COLLECTOR.agentName,
    role: 'telemetry-agent',
    image,
    kind: 'per-node',
    runtimes: ['kubernetes'],
    replicas: 1,
    args: [`--config=${CONFIG_DIR}/config.yaml`],
    env: { GOMEMLIMIT: `${memorySettings(resources.limits.memory).goMemLimitMiB}MiB` },
    ports: [],
    configFiles: [{ name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(config) }],
    volumes: [],
    health: httpHealth(COLLECTOR_PORTS.health, '/'),
    resources,
    readOnlyRootFilesystem: true,
    connectsTo: [connection(metricsEndpoints(spec).otlp)],
    kubernetes: {
      podFields: { [AGENT_NODE_NAME]: 'nodeName', [AGENT_NODE_IP]: 'hostIP' },
      clusterAccess: mergeAccessRules([...kubeletStatsAccess, ...kubeletMetricsAccess, ...annotatedPodsAccess]),
      egress: [{ kind: 'kubelet' }, { kind: 'any-pod' }],
    },
  };
}

/** The OpenTelemetry Collector: the single ingestion point for traces, metrics and logs. */
export class OtelCollector extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec; readonly scrapeTargets?: readonly ScrapeTarget[] }) {
    super(scope, id, withPodSettings(props.spec, 'collector', collectorComponents(props.spec, props.scrapeTargets)), props.spec);
  }
}

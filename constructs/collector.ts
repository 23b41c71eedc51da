import type { Construct } from 'constructs';
import { AGENT_SELF_SERVICE, agentConfig } from '../collector/agent.js';
import {
  AGENT_NODE_IP,
  AGENT_NODE_NAME,
  annotatedPodsAccess,
  k8sAttributesAccess,
  k8sClusterAccess,
  k8sEventsAccess,
  kubeletStatsAccess,
} from '../collector/kubernetes.js';
import { configOverlay } from '../collector/overlay.js';
import { COLLECTOR_PORTS, collectorConfig, memorySettings, QUEUE_DIR, type ScrapeTarget } from '../collector/pipelines.js';
import { mergeAccessRules } from '../model/access.js';
import type { Component, Connection } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { httpHealth, secretRef, toYaml } from './describe.js';
import { JAEGER } from './jaeger.js';
import { LOKI } from './loki.js';
import { VICTORIAMETRICS } from './victoriametrics.js';
import { ComponentGroup } from './workload.js';

export const COLLECTOR = {
  name: 'otel-collector',
  otlpGrpcEndpoint: 'otel-collector:4317',
  otlpHttpUrl: 'http://otel-collector:4318',
  agentName: AGENT_SELF_SERVICE,
  /** Host of the authenticated OTLP/HTTP endpoint behind the ingress. */
  publicHost: 'otlp',
  /** Secret (key `token`) holding the bearer token senders outside the cluster present. */
  ingestSecret: 'otel-collector-ingest',
} as const;

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

export function collectorComponents(spec: StackSpec, scrapeTargets: readonly ScrapeTarget[] = []): Component[] {
  const settings = spec.components.collector;
  if (!settings.enabled) return [];
  const image = resolveImage(spec, 'collector');
  const c = spec.components;
  const options = {
    version: image.facts.tag,
    memoryLimit: settings.resources.limits.memory,
    scrapeTargets,
    publicIngest: { tokenEnv: INGEST_TOKEN_ENV },
    backends: {
      ...(c.jaeger.enabled ? { traces: JAEGER.otlpGrpcEndpoint } : {}),
      ...(c.victoriametrics.enabled ? { metrics: VICTORIAMETRICS.otlpMetricsUrl } : {}),
      ...(c.loki.enabled ? { logs: LOKI.otlpUrl } : {}),
    },
  };
  const config = collectorConfig(spec, options);
  const onKubernetes = settings.kubernetes.enabled;
  const kubernetesOverlay = onKubernetes ? configOverlay(config, collectorConfig(spec, { ...options, kubernetes: true })) : undefined;
  const backendsReady = [
    ...(c.jaeger.enabled ? [JAEGER.name] : []),
    ...(c.victoriametrics.enabled ? [VICTORIAMETRICS.name] : []),
    ...(c.loki.enabled ? [LOKI.name] : []),
  ].map((name) => ({ name, condition: 'healthy' as const }));
  return [
    {
      name: COLLECTOR.name,
      role: 'telemetry-gateway',
      image,
      kind: 'stateful',
      replicas: settings.replicas,
      args: [`--config=${CONFIG_DIR}/config.yaml`],
      env: {
        GOMEMLIMIT: `${memorySettings(settings.resources.limits.memory).goMemLimitMiB}MiB`,
        [INGEST_TOKEN_ENV]: secretRef(COLLECTOR.ingestSecret, 'token'),
      },
      ports: [
        { name: 'otlp-grpc', port: COLLECTOR_PORTS.otlpGrpc, publish: true, clients: 'cluster' },
        { name: 'otlp-http', port: COLLECTOR_PORTS.otlpHttp, publish: true, clients: 'cluster' },
        { name: 'otlp-public', port: COLLECTOR_PORTS.otlpHttpPublic, publish: true, ingress: { host: COLLECTOR.publicHost } },
        { name: 'health', port: COLLECTOR_PORTS.health },
        { name: 'metrics', port: COLLECTOR_PORTS.metrics },
      ],
      secrets: [{ name: COLLECTOR.ingestSecret, keys: { token: { length: 40 } } }],
      connectsTo: [
        ...(c.jaeger.enabled ? [{ component: JAEGER.name, port: JAEGER.otlpGrpcPort }] : []),
        ...(c.victoriametrics.enabled ? [{ component: VICTORIAMETRICS.name, port: VICTORIAMETRICS.port }] : []),
        ...(c.loki.enabled ? [{ component: LOKI.name, port: LOKI.port }] : []),
        ...scrapeTargets.map(scrapeConnection),
      ],
      configFiles: [{ name: 'config.yaml', dir: CONFIG_DIR, content: toYaml(config) }],
      ...(kubernetesOverlay
        ? {
            kubernetes: {
              configFiles: [{ name: KUBERNETES_OVERLAY, dir: CONFIG_DIR, content: toYaml(kubernetesOverlay) }],
              args: [`--config=${CONFIG_DIR}/${KUBERNETES_OVERLAY}`],
              clusterAccess: mergeAccessRules([
                ...k8sAttributesAccess,
                ...(c.victoriametrics.enabled ? k8sClusterAccess : []),
                ...(c.loki.enabled ? k8sEventsAccess : []),
              ]),
            },
          }
        : {}),
      volumes: [{ name: 'queue', mountPath: QUEUE_DIR, kind: 'persistent', size: '2Gi' }],
      health: httpHealth(COLLECTOR_PORTS.health, '/'),
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      dependsOn: backendsReady,
      // Time to drain the sending queues to disk and flush in-flight batches.
      terminationGraceSeconds: 60,
    },
    ...(onKubernetes && c.victoriametrics.enabled ? [agentComponent(spec)] : []),
  ];
}

/** One collector per node for what only a node can see: its kubelet's stats and its annotated pods. */
function agentComponent(spec: StackSpec): Component {
  const image = resolveImage(spec, 'collector');
  const { resources } = spec.components.collector.kubernetes.agent;
  const config = agentConfig({ version: image.facts.tag, memoryLimit: resources.limits.memory, metricsUrl: VICTORIAMETRICS.otlpMetricsUrl });
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
    connectsTo: [{ component: VICTORIAMETRICS.name, port: VICTORIAMETRICS.port }],
    kubernetes: {
      podFields: { [AGENT_NODE_NAME]: 'nodeName', [AGENT_NODE_IP]: 'hostIP' },
      clusterAccess: mergeAccessRules([...kubeletStatsAccess, ...annotatedPodsAccess]),
      egress: [{ kind: 'kubelet' }, { kind: 'any-pod' }],
    },
  };
}

/** The OpenTelemetry Collector: the single ingestion point for traces, metrics and logs. */
export class OtelCollector extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec; readonly scrapeTargets?: readonly ScrapeTarget[] }) {
    super(scope, id, collectorComponents(props.spec, props.scrapeTargets), props.spec);
  }
}

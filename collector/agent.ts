import { CollectorConfigBuilder, type CollectorConfig } from './config.js';
import { AGENT_NODE_NAME, annotatedPodsScrapeConfig, kubeletStatsReceiver, kubeletVolumeStatsScrapeConfig } from './kubernetes.js';
import { typeNames } from './names.js';
import { COLLECTOR_PORTS, RETRY_WITHOUT_DEADLINE, memoryLimiter, selfTelemetry } from './pipelines.js';

/** The agent's name for itself: its self-scrape job and telemetry resource (and its workload's name). */
export const AGENT_SELF_SERVICE = 'otel-agent';

export interface AgentOptions {
  readonly version: string;
  /** The container's memory limit; memory_limiter is derived from it. */
  readonly memoryLimit: string;
  /** OTLP/HTTP metrics URL of the metrics store. */
  readonly metricsUrl: string;
}

const NODE_ATTRIBUTE = 'transform/node';
/** The receiver of the kubelet's own metrics (its claims' volume stats). */
export const KUBELET_RECEIVER = 'prometheus/kubelet';

/**
 * `k8s.node.name` on every series the agent sends: kubelet stats carry it on node metrics only, and the
 * dashboards and alerts select pods, containers and volumes by node too (found on the test cluster: the
 * Kubernetes dashboard's pod panels showed nothing).
 */
function nodeAttribute(): Record<string, unknown> {
  return { error_mode: 'ignore', metric_statements: [`set(resource.attributes["k8s.node.name"], "\${env:${AGENT_NODE_NAME}}")`] };
}

/**
 * The per-node agent: its node's kubelet stats, its kubelet's claim volume stats and the annotated pods on its
 * node, straight to the metrics store. Not through the gateway: the gateway's k8sattributes would take the agent for the pod that sent them.
 * Its queue lives in memory: a file-backed queue would need a hostPath, which Pod Security "restricted"
 * forbids; what it holds during a restart is at most one scrape interval of node metrics.
 */
export function agentConfig(options: AgentOptions): CollectorConfig {
  const names = typeNames(options.version);
  const exporter = `${names.otlpHttp}/victoriametrics`;
  return new CollectorConfigBuilder()
    .extension('health_check', { endpoint: `0.0.0.0:${COLLECTOR_PORTS.health}` })
    .receiver(names.kubeletStats, kubeletStatsReceiver())
    .receiver('prometheus/pods', {
      config: {
        scrape_configs: [
          annotatedPodsScrapeConfig(),
          // Every agent scrapes itself at the same address: its node (NODE_ATTRIBUTE) tells their series apart.
          { job_name: AGENT_SELF_SERVICE, scrape_interval: '30s', static_configs: [{ targets: [`127.0.0.1:${COLLECTOR_PORTS.metrics}`] }] },
        ],
      },
    })
    // Its own node's kubelet `/metrics`, kept to the claims' volume stats: a receiver of its own, so that its
    // job and the pods' scrapes fail and recover apart.
    .receiver(KUBELET_RECEIVER, { config: { scrape_configs: [kubeletVolumeStatsScrapeConfig()] } })
    .processor('memory_limiter', memoryLimiter(options.memoryLimit))
    .processor(NODE_ATTRIBUTE, nodeAttribute())
    .exporter(exporter, {
      metrics_endpoint: options.metricsUrl,
      compression: 'gzip',
      timeout: '10s',
      retry_on_failure: RETRY_WITHOUT_DEADLINE,
      sending_queue: { enabled: true, num_consumers: 2, sizer: 'requests', queue_size: 1_000 },
    })
    .pipeline('metrics', { receivers: [names.kubeletStats, 'prometheus/pods', KUBELET_RECEIVER], processors: ['memory_limiter', NODE_ATTRIBUTE], exporters: [exporter] })
    .withTelemetry(selfTelemetry(AGENT_SELF_SERVICE, 'normal'))
    .build();
}

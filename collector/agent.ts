import { CollectorConfigBuilder, type CollectorConfig } from './config.js';
import { AGENT_NODE_NAME, annotatedPodsScrapeConfig, kubeletStatsReceiver } from './kubernetes.js';
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

/**
 * The per-node agent: its node's kubelet stats and the annotated pods on its node, straight to the metrics
 * store. Not through the gateway: the gateway's k8sattributes would take the agent for the pod that sent them.
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
          {
            job_name: AGENT_SELF_SERVICE,
            scrape_interval: '30s',
            // Every agent scrapes itself at the same address: its node tells their series apart.
            static_configs: [{ targets: [`127.0.0.1:${COLLECTOR_PORTS.metrics}`], labels: { k8s_node_name: `\${env:${AGENT_NODE_NAME}}` } }],
          },
        ],
      },
    })
    .processor('memory_limiter', memoryLimiter(options.memoryLimit))
    .exporter(exporter, {
      metrics_endpoint: options.metricsUrl,
      compression: 'gzip',
      timeout: '10s',
      retry_on_failure: RETRY_WITHOUT_DEADLINE,
      sending_queue: { enabled: true, num_consumers: 2, sizer: 'requests', queue_size: 1_000 },
    })
    .pipeline('metrics', { receivers: [names.kubeletStats, 'prometheus/pods'], processors: ['memory_limiter'], exporters: [exporter] })
    .withTelemetry(selfTelemetry(AGENT_SELF_SERVICE, 'normal'))
    .build();
}

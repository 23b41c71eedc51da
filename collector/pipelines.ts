import { memoryMiB } from '../model/quantity.js';
import { parseDuration, toGoDuration } from '../model/duration.js';
import type { StackSpec } from '../model/spec.js';
import { CollectorConfigBuilder, type CollectorConfig, type ComponentId } from './config.js';
import { k8sAttributesProcessor, k8sClusterReceiver, k8sEventsReceiver } from './kubernetes.js';
import { METRIC_RESOURCE_ATTRIBUTES, metricLabelsProcessor } from './metric-labels.js';
import { typeNames } from './names.js';

/** The processor that keeps only the allow-listed resource attributes on services' metrics (gateway) and span metrics (sampler). */
const METRIC_LABELS = 'transform/metric_labels';

/** Where the gateway sends each signal; a signal with nowhere to go is not received. */
export interface GatewayBackends {
  /** OTLP gRPC `host:port` of the sampler, which takes every span. */
  readonly sampler?: string;
  /**
   * Several samplers instead of one: a DNS name that resolves to every sampler's address (the headless Service
   * of their StatefulSet; compose gives each replica that alias) and their OTLP gRPC port. The gateway's
   * `loadbalancing` exporter routes each span by its trace ID, so a trace's spans still meet in one sampler.
   */
  readonly samplers?: { readonly hostname: string; readonly port: number };
  /** OTLP/HTTP metrics URL (full path). */
  readonly metrics?: string;
  /** OTLP/HTTP base URL for logs (the exporter appends `/v1/logs`). */
  readonly logs?: string;
}

/** Where the sampler sends what it keeps and computes. */
export interface SamplerBackends {
  /** OTLP gRPC `host:port` of the trace store. */
  readonly traces?: string;
  /** OTLP/HTTP metrics URL (full path): span metrics, the stack's scraped metrics, cluster metrics. */
  readonly metrics?: string;
  /** OTLP/HTTP base URL for logs: Kubernetes events. */
  readonly logs?: string;
}

export interface ScrapeTarget {
  readonly job: string;
  /** `host:port`. */
  readonly target: string;
  readonly path: string;
}

interface TierOptions {
  readonly version: string;
  /** The container's memory limit; memory_limiter and GOMEMLIMIT are derived from it. */
  readonly memoryLimit: string;
  /** Running on Kubernetes: the gateway adds pod metadata; the sampler collects cluster metrics and events. */
  readonly kubernetes?: boolean;
}

export interface SamplerOptions extends TierOptions {
  readonly backends: SamplerBackends;
  /** Prometheus endpoints scraped into the metrics backend (the stack's own components). */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Its name for itself (self-scrape job, telemetry resource). Default SAMPLER_SELF_SERVICE. */
  readonly selfService?: string;
  /**
   * One of several samplers: it receives traces only; the scrape and the cluster receivers run once, elsewhere
   * (a sampler config without traces: the scraper), and its span metrics carry `collector.instance` (its host
   * name) so that N samplers' counters of the same service stay apart series.
   */
  readonly oneOfMany?: boolean;
}

export interface GatewayOptions extends TierOptions {
  readonly backends: GatewayBackends;
  /**
   * OTLP/HTTP for senders outside the cluster: its own port, every request must carry
   * `Authorization: Bearer <token>`, the token read from this environment variable.
   */
  readonly publicIngest?: { readonly tokenEnv: string };
}

export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, otlpHttpPublic: 4319, health: 13133, metrics: 8888 } as const;
export const QUEUE_DIR = '/var/lib/otelcol/file_storage';

/**
 * The collector's name for itself: its self-scrape job and its telemetry resource. Its own series in the metrics
 * store carry it as `service_name` (measured in the e2e stack); alerts and dashboards select them by it.
 */
export const COLLECTOR_SELF_SERVICE = 'otel-collector';
/** The sampler's name for itself, likewise. */
export const SAMPLER_SELF_SERVICE = 'otel-sampler';
/** With several samplers, the one instance that scrapes the stack and runs the cluster receivers. */
export const SCRAPER_SELF_SERVICE = 'otel-scraper';

/** The processor that marks a sampler's span metrics with the instance that computed them. */
const SPAN_METRICS_INSTANCE = 'transform/instance';
/** The resource attribute (label `collector_instance`) that tells N samplers' span metrics apart. */
export const SPAN_METRICS_INSTANCE_ATTRIBUTE = 'collector.instance';

/** memory_limiter hard limit at 80 % of the container limit, soft limit 25 % below it; GOMEMLIMIT at 70 %. */
export function memorySettings(memoryLimit: string): { limitMiB: number; spikeLimitMiB: number; goMemLimitMiB: number } {
  const container = memoryMiB(memoryLimit);
  const limitMiB = Math.floor(container * 0.8);
  return { limitMiB, spikeLimitMiB: Math.floor(limitMiB * 0.25), goMemLimitMiB: Math.floor(container * 0.7) };
}

/** memory_limiter settings for a container memory limit (see memorySettings). */
export function memoryLimiter(memoryLimit: string): Record<string, unknown> {
  const memory = memorySettings(memoryLimit);
  return { check_interval: '1s', limit_mib: memory.limitMiB, spike_limit_mib: memory.spikeLimitMiB };
}

/** Retries that never give up: an item is only dropped once delivered (or when a full queue refuses new data). */
export const RETRY_WITHOUT_DEADLINE = { enabled: true, initial_interval: '1s', max_interval: '15s', max_elapsed_time: '0s' } as const;

/** The collector's own telemetry: metrics pulled on COLLECTOR_PORTS.metrics, JSON logs. */
export function selfTelemetry(serviceName: string, metricsLevel: 'normal' | 'detailed'): Record<string, unknown> {
  return {
    resource: { 'service.name': serviceName },
    metrics: { level: metricsLevel, readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: COLLECTOR_PORTS.metrics } } } }] },
    logs: { level: 'info', encoding: 'json' },
  };
}

/**
 * Exporter settings that lose nothing while a backend is away: retry without a deadline, and a
 * queue persisted in file_storage that batches on the way out (instead of a batch processor,
 * which drops what it holds when an export fails or the process dies).
 */
function reliableDelivery(): Record<string, unknown> {
  return {
    timeout: '10s',
    retry_on_failure: RETRY_WITHOUT_DEADLINE,
    sending_queue: {
      enabled: true,
      storage: 'file_storage',
      num_consumers: 4,
      sizer: 'requests',
      queue_size: 20_000,
      // A short flush timeout keeps arrival lag low when traffic is light; under load min_size fills first.
      batch: { flush_timeout: '200ms', min_size: 1_000, max_size: 10_000, sizer: 'items' },
    },
  };
}

/** OTLP/HTTP to the metrics store (its full metrics URL), gzip, delivered reliably. */
const metricsExporter = (url: string) => ({ metrics_endpoint: url, compression: 'gzip', ...reliableDelivery() });
/** OTLP/HTTP to the log store (its base URL: the exporter appends `/v1/logs`), delivered reliably. */
const logsExporter = (url: string) => ({ endpoint: url, ...reliableDelivery() });

/** The collector's own extensions: health check, and the file storage its sending queues persist in. */
function baseBuilder(): CollectorConfigBuilder {
  return new CollectorConfigBuilder()
    .extension('health_check', { endpoint: `0.0.0.0:${COLLECTOR_PORTS.health}` })
    .extension('file_storage', {
      directory: QUEUE_DIR,
      create_directory: true,
      timeout: '2s',
      compaction: { on_start: true, on_rebound: true, directory: QUEUE_DIR },
    });
}

/**
 * A self-scrape job. Replicas scrape themselves at the same address, so the series carry the process's host name
 * (the pod's name on Kubernetes) to stay apart.
 */
const selfScrape = (job: string) => ({
  job_name: job,
  scrape_interval: '15s',
  static_configs: [{ targets: [`127.0.0.1:${COLLECTOR_PORTS.metrics}`], labels: { collector_instance: '${env:HOSTNAME}' } }],
});

/**
 * The gateway: the stack's OTLP intake, any number of replicas (it keeps no state across requests). It guards its
 * memory, adds pod metadata on Kubernetes, and sends metrics and logs to their stores and every span to the
 * sampler, which must see all spans of a trace.
 */
export function gatewayConfig(spec: StackSpec, options: GatewayOptions): CollectorConfig {
  const { backends } = options;
  const names = typeNames(options.version);
  const builder = baseBuilder()
    .receiver('otlp', {
      protocols: {
        grpc: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpGrpc}` },
        http: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpHttp}` },
      },
    })
    .receiver('prometheus/self', { config: { scrape_configs: [selfScrape(COLLECTOR_SELF_SERVICE)] } })
    .processor('memory_limiter', memoryLimiter(options.memoryLimit));
  const otlpReceivers: ComponentId[] = ['otlp'];
  if (options.publicIngest) {
    builder
      .extension('bearertokenauth/ingest', { token: `\${env:${options.publicIngest.tokenEnv}}` })
      .receiver('otlp/public', {
        protocols: { http: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpHttpPublic}`, auth: { authenticator: 'bearertokenauth/ingest' } } },
      });
    otlpReceivers.push('otlp/public');
  }

  const guard: ComponentId[] = ['memory_limiter'];
  if (options.kubernetes) {
    builder.processor(names.k8sAttributes, k8sAttributesProcessor());
    guard.push(names.k8sAttributes);
  }

  if (backends.samplers) {
    const exporter = `${names.loadBalancing}/samplers`;
    builder
      .exporter(exporter, {
        routing_key: 'traceID',
        // The persistent queue and retries wrap the whole exporter: a span waits for a sampler, whichever one its
        // trace maps to then. The per-sampler exporters send synchronously: an in-memory queue of theirs would
        // acknowledge (and so delete from the file queue) spans that a crash then loses.
        ...reliableDelivery(),
        protocol: { otlp: { tls: { insecure: true }, timeout: '10s', sending_queue: { enabled: false }, retry_on_failure: { enabled: false } } },
        resolver: { dns: { hostname: backends.samplers.hostname, port: String(backends.samplers.port), interval: '5s', timeout: '1s' } },
      })
      .pipeline('traces', { receivers: otlpReceivers, processors: guard, exporters: [exporter] });
  } else if (backends.sampler) {
    builder
      .exporter(`${names.otlpGrpc}/sampler`, { endpoint: backends.sampler, tls: { insecure: true }, ...reliableDelivery() })
      .pipeline('traces', { receivers: otlpReceivers, processors: guard, exporters: [`${names.otlpGrpc}/sampler`] });
  }
  if (backends.metrics) {
    // Services' metrics keep only the allow-listed resource attributes as labels; the gateway's own keep theirs.
    builder
      .processor(METRIC_LABELS, metricLabelsProcessor())
      .exporter(`${names.otlpHttp}/victoriametrics`, metricsExporter(backends.metrics))
      .pipeline('metrics', { receivers: otlpReceivers, processors: [...guard, METRIC_LABELS], exporters: [`${names.otlpHttp}/victoriametrics`] })
      .pipeline('metrics/self', { receivers: ['prometheus/self'], processors: ['memory_limiter'], exporters: [`${names.otlpHttp}/victoriametrics`] });
  }
  if (backends.logs) {
    builder
      .exporter(`${names.otlpHttp}/loki`, logsExporter(backends.logs))
      .pipeline('logs', { receivers: otlpReceivers, processors: guard, exporters: [`${names.otlpHttp}/loki`] });
  }
  return builder.withTelemetry(selfTelemetry(COLLECTOR_SELF_SERVICE, 'detailed')).build();
}

/** Tail-sampling policies from the spec: errors and slow traces kept whole, a share of the rest. */
function tailSampling(spec: StackSpec): Record<string, unknown> {
  const sampling = spec.sampling;
  const policies: Record<string, unknown>[] = [];
  if (sampling.keepErrors) policies.push({ name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } });
  policies.push({ name: 'keep-slow', type: 'latency', latency: { threshold_ms: Math.round(parseDuration(sampling.latencyThreshold) * 1000) } });
  policies.push({ name: 'sample-rest', type: 'probabilistic', probabilistic: { sampling_percentage: sampling.percentage } });
  return {
    decision_wait: toGoDuration(sampling.decisionWait),
    num_traces: 100_000,
    expected_new_traces_per_sec: 1_000,
    // Late spans of an already decided trace follow the decision instead of starting a new one.
    decision_cache: { sampled_cache_size: 200_000, non_sampled_cache_size: 200_000 },
    policies,
  };
}

/**
 * The sampler: what must happen in exactly one place. Tail sampling (every span of a trace meets here), RED
 * metrics from every span before sampling drops any, the scrape of the stack's own components, and on
 * Kubernetes the cluster-wide receivers (cluster metrics, events), which would duplicate in a scaled gateway.
 */
export function samplerConfig(spec: StackSpec, options: SamplerOptions): CollectorConfig {
  const { backends } = options;
  const names = typeNames(options.version);
  const self = options.selfService ?? SAMPLER_SELF_SERVICE;
  const singletons = !options.oneOfMany;
  const builder = baseBuilder()
    .processor('memory_limiter', memoryLimiter(options.memoryLimit));
  const guard: ComponentId[] = ['memory_limiter'];

  if (backends.traces) {
    builder
      .receiver('otlp', { protocols: { grpc: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpGrpc}` } } })
      .processor('tail_sampling', tailSampling(spec))
      .exporter(`${names.otlpGrpc}/jaeger`, { endpoint: backends.traces, tls: { insecure: true }, ...reliableDelivery() })
      .pipeline('traces', { receivers: ['otlp'], processors: [...guard, 'tail_sampling'], exporters: [`${names.otlpGrpc}/jaeger`] });
  }

  if (backends.metrics) {
    const metricsExporterId = `${names.otlpHttp}/victoriametrics`;
    builder.exporter(metricsExporterId, metricsExporter(backends.metrics));
    if (backends.traces) {
      // Span metrics carry the resource attributes of their spans (process.pid, ...): the same allow-list as the
      // gateway's, and one series per allow-listed identity (a restarted process continues its service's counters).
      builder
        .connector(names.spanMetrics, {
          histogram: { explicit: { buckets: ['5ms', '10ms', '25ms', '50ms', '100ms', '250ms', '500ms', '1s', '2500ms', '5s', '10s'] } },
          dimensions: [{ name: 'http.request.method' }, { name: 'http.route' }, { name: 'http.response.status_code' }],
          resource_metrics_key_attributes: [...METRIC_RESOURCE_ATTRIBUTES],
          metrics_flush_interval: '15s',
          metrics_expiration: '5m',
        })
        .processor(METRIC_LABELS, metricLabelsProcessor())
        .pipeline('traces/spanmetrics', { receivers: ['otlp'], processors: guard, exporters: [names.spanMetrics] });
      if (!singletons) {
        // Every sampler counts the same services: its own series, which dashboards and alerts sum over. Set after
        // the allow-list, which would drop it.
        builder.processor(SPAN_METRICS_INSTANCE, {
          error_mode: 'ignore',
          metric_statements: [`set(resource.attributes["${SPAN_METRICS_INSTANCE_ATTRIBUTE}"], "\${env:HOSTNAME}")`],
        });
      }
      builder.pipeline('metrics/spans', {
        receivers: [names.spanMetrics],
        processors: [...guard, METRIC_LABELS, ...(singletons ? [] : [SPAN_METRICS_INSTANCE])],
        exporters: [metricsExporterId],
      });
    }
    builder.receiver('prometheus/stack', {
      config: {
        scrape_configs: [
          selfScrape(self),
          ...(singletons ? options.scrapeTargets : []).map((t) => ({
            job_name: t.job,
            scrape_interval: '15s',
            metrics_path: t.path,
            static_configs: [{ targets: [t.target] }],
          })),
        ],
      },
    });
    builder.pipeline('metrics', { receivers: ['prometheus/stack'], processors: guard, exporters: [metricsExporterId] });
    if (options.kubernetes && singletons) {
      builder
        .receiver('k8s_cluster', k8sClusterReceiver())
        .pipeline('metrics/kubernetes', { receivers: ['k8s_cluster'], processors: guard, exporters: [metricsExporterId] });
    }
  }

  if (backends.logs && options.kubernetes && singletons) {
    builder
      .receiver(`${names.k8sObjects}/events`, k8sEventsReceiver())
      .exporter(`${names.otlpHttp}/loki`, logsExporter(backends.logs))
      .pipeline('logs/kubernetes-events', { receivers: [`${names.k8sObjects}/events`], processors: guard, exporters: [`${names.otlpHttp}/loki`] });
  }

  return builder.withTelemetry(selfTelemetry(self, 'detailed')).build();
}

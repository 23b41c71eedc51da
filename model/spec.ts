import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { shown } from './errors.js';
import { CPU_PATTERN, cpuMillis, MEMORY_PATTERN, memoryMiB } from './quantity.js';
import { cronProblem } from './cron.js';
import { imageKeys, type ImageKey } from './catalog.js';
import { IMAGE_REFERENCE, IMAGE_REGISTRY } from './image-reference.js';
import { SPAN_DURATION_BUCKETS_MS } from './span-metrics.js';
import { LONGEST_BURN_WINDOW, burnFactor, unreachableWindow } from './burn-rate-windows.js';
import { distributedProblems, distributedSchema, scales } from './scale-spec.js';

const got = shown;

/** A five-field cron schedule (model/cron.ts). */
const cron = z
  .string({ error: (i) => `expected a cron schedule like "17 3 * * *", got ${got(i.input)}` })
  .superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `expected a cron schedule like "17 3 * * *" (${problem}), got ${got(text)}` });
  });

export const environments = ['local', 'dev', 'staging', 'prod'] as const;
export type Environment = (typeof environments)[number];

/**
 * Longest duration: VictoriaMetrics refuses a retention of 1200 (31-day) months or more, Go durations (Loki,
 * Jaeger) end at 292y, and past 1e21 a number prints with an exponent. No setting needs more.
 */
const MAX_DURATION = '100y';

export const duration = z
  .string({ error: (i) => `expected a duration like "7d", got ${got(i.input)}` })
  .regex(DURATION_PATTERN, { error: (i) => `expected a duration like "7d", got ${got(i.input)}` })
  .refine((text) => !DURATION_PATTERN.test(text) || parseDuration(text) <= parseDuration(MAX_DURATION), {
    error: (i) => `expected a duration of at most ${MAX_DURATION}, got ${got(i.input)}`,
  });

const cpu = z
  .string({ error: (i) => `expected a CPU quantity like "250m" or "1", got ${got(i.input)}` })
  .regex(CPU_PATTERN, { error: (i) => `expected a CPU quantity like "250m" or "1", got ${got(i.input)}` });

const memory = z
  .string({ error: (i) => `expected a memory quantity like "512Mi" or "2Gi", got ${got(i.input)}` })
  .regex(MEMORY_PATTERN, { error: (i) => `expected a memory quantity like "512Mi" or "2Gi", got ${got(i.input)}` });

const dnsLabel = z
  .string({ error: (i) => `expected a DNS label (lowercase letters, digits, "-"), got ${got(i.input)}` })
  .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    error: (i) => `expected a DNS label (lowercase letters, digits, "-", at most 63), got ${got(i.input)}`,
  });

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, {
    error: (i) => `expected a DNS name like "observability.example.com", got ${got(i.input)}`,
  });

/** The name of a Kubernetes object (a StorageClass, IngressClass, ClusterIssuer): a DNS subdomain. */
const objectName = z
  .string({ error: (i) => `expected a Kubernetes object name (lowercase letters, digits, "-", "."), got ${shown(i.input)}` })
  .regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: (i) => `expected a Kubernetes object name (lowercase letters, digits, "-", "."), got ${shown(i.input)}`,
  });

const replicas = z.int({ error: (i) => `expected a whole number of replicas, got ${got(i.input)}` }).min(1).max(50);

/** Whether a request is above its limit, comparing only quantities that parsed. */
const aboveLimit = (request: unknown, limit: unknown, pattern: RegExp, amount: (quantity: string) => number) =>
  typeof request === 'string' && typeof limit === 'string' && pattern.test(request) && pattern.test(limit) && amount(request) > amount(limit);

/** CPU and memory of one container; a request above its limit is refused. */
const quantities = {
  /** CPU, e.g. `250m` or `1`. @default the component's preset value, scaled by the environment */
  cpu,
  /** Memory, e.g. `512Mi` or `2Gi`. @default the component's preset value, scaled by the environment */
  memory,
};

export const resourcesSchema = z
  .strictObject({
    /** What the scheduler reserves for the container. @default the component's preset, ×1 local and dev, ×2 staging, ×4 prod */
    requests: z.strictObject(quantities),
    /** The most the container may use. @default the component's preset, ×1 local and dev, ×2 staging, ×4 prod */
    limits: z.strictObject(quantities),
  })
  .superRefine(({ requests, limits }, ctx) => {
    // Kubernetes refuses such a container, and Docker a memory reservation above the limit.
    if (aboveLimit(requests?.cpu, limits?.cpu, CPU_PATTERN, cpuMillis)) {
      ctx.addIssue({ code: 'custom', path: ['requests', 'cpu'], message: `a CPU request cannot be above its limit (${limits.cpu}), got "${requests.cpu}"` });
    }
    if (aboveLimit(requests?.memory, limits?.memory, MEMORY_PATTERN, memoryMiB)) {
      ctx.addIssue({ code: 'custom', path: ['requests', 'memory'], message: `a memory request cannot be above its limit (${limits.memory}), got "${requests.memory}"` });
    }
  });

const storage = memory;
const withResources = {
  /** Deploy this component. @default true */
  enabled: z.boolean(),
  /** Requests and limits of its container. @default the component's preset, ×1 local and dev, ×2 staging, ×4 prod (model/presets.ts) */
  resources: resourcesSchema,
};
const withStorage = {
  /** Size of its persistent volume (PVC on Kubernetes). @default the component's preset (e.g. 5Gi), ×1 local, ×2 dev, ×4 staging, ×10 prod */
  storage,
};
const withReplicas = {
  /** How many replicas run. @default 1; 2 on prod */
  replicas,
};

const postgresSchema = z.strictObject({
  /** Requests and limits of the database container. @default 100m/256Mi requests, 1000m/1024Mi limits (Umami: 50m/128Mi, 500m/512Mi), scaled by the environment */
  resources: resourcesSchema,
  ...withStorage,
});

export const componentsSchema = z.strictObject({
  /** The OpenTelemetry Collector: the gateway (OTLP intake), the sampler and, on Kubernetes, the per-node agents. */
  collector: z.strictObject({
    ...withResources,
    /** Gateway replicas (the OTLP intake), the least the autoscaler keeps. @default 1; 2 on prod */
    replicas,
    /** The gateway's horizontal autoscaler (Kubernetes): up to `maxReplicas` at this average CPU use of the requests. */
    autoscaling: z.strictObject({
      /** The most gateway replicas. @default 1 local, 2 dev, 3 staging, 6 prod */
      maxReplicas: replicas,
      /** Average CPU use, in percent of the requests, the autoscaler keeps. @default 70 */
      targetCpuPercent: z.int({ error: (i) => `expected a whole percentage, got ${got(i.input)}` }).min(10).max(100),
    }),
    /** The sampler: tail sampling, span metrics, the stack's scrape and cluster receivers, in exactly one place. */
    sampler: z.strictObject({
      /** @default 100m/256Mi requests, 1000m/1024Mi limits, scaled by the environment */
      resources: resourcesSchema,
    }),
    /**
     * Kubernetes telemetry (Kubernetes renderer only): pod metadata on incoming telemetry, cluster and
     * kubelet metrics, Kubernetes events as logs, and scraping of pods annotated `prometheus.io/scrape`.
     */
    kubernetes: z.strictObject({
      /** @default true */
      enabled: z.boolean(),
      /** The per-node agent (DaemonSet) that reads its node's kubelet and scrapes its node's pods. */
      agent: z.strictObject({
        /** @default 25m/64Mi requests, 250m/256Mi limits, scaled by the environment */
        resources: resourcesSchema,
      }),
    }),
  }),
  /** VictoriaMetrics: the metrics store. */
  victoriametrics: z.strictObject({ ...withResources, ...withStorage }),
  /** vmalert: evaluates the alert and recording rules against VictoriaMetrics. */
  vmalert: z.strictObject({
    ...withResources,
    /** How often the rules are evaluated. @default 30s */
    evaluationInterval: duration,
  }),
  /** Jaeger v2: the trace store and UI. */
  jaeger: z.strictObject({ ...withResources, ...withStorage }),
  /** Loki: the log store. */
  loki: z.strictObject({ ...withResources, ...withStorage }),
  /** Grafana, with the datasources and dashboards provisioned. */
  grafana: z.strictObject({
    ...withResources,
    ...withStorage,
    /** Grafana's Postgres, which its replicas share; only with `scale: distributed` (single: SQLite on its volume). */
    postgres: postgresSchema,
  }),
  /** Alertmanager: routes vmalert's alerts to `alerting.receivers`. */
  alertmanager: z.strictObject({ ...withResources, ...withStorage }),
  /** GlitchTip (Sentry-compatible errors) with its Postgres and Valkey. */
  glitchtip: z.strictObject({
    /** Deploy GlitchTip. @default true */
    enabled: z.boolean(),
    /** The web server (the Sentry API and UI). */
    web: z.strictObject({
      ...withReplicas,
      /** @default 100m/256Mi requests, 1000m/768Mi limits, scaled by the environment */
      resources: resourcesSchema,
    }),
    /** The background worker. */
    worker: z.strictObject({
      /** @default 1 */
      replicas,
      /** @default 100m/256Mi requests, 1000m/768Mi limits, scaled by the environment */
      resources: resourcesSchema,
    }),
    /** GlitchTip's Postgres. */
    postgres: postgresSchema,
    /** GlitchTip's Valkey (its queue and cache). */
    valkey: z.strictObject({
      /** @default 25m/64Mi requests, 250m/256Mi limits, scaled by the environment */
      resources: resourcesSchema,
      ...withStorage,
    }),
    /** Let anyone sign up on GlitchTip's page. @default false */
    openRegistration: z.boolean(),
  }),
  /** Umami: privacy-first web analytics, with its Postgres. */
  umami: z.strictObject({
    ...withResources,
    ...withReplicas,
    /** Umami's Postgres. */
    postgres: postgresSchema,
  }),
});

const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
  error: (i) => `expected a label key like "team" or "example.com/team", got ${got(i.input)}`,
});
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
  error: (i) => `expected a label value (at most 63 letters, digits, "-", "_", "."), got ${got(i.input)}`,
});
/** A raw Kubernetes object (affinity terms), checked against the Kubernetes schemas by `observatory validate`. */
const kubernetesFields = z.record(z.string(), z.unknown());

/** Where and how the stack's pods run on Kubernetes (the compose bundle ignores it). */
const podSettingsSchema = z.strictObject({
  /** Node labels a pod's node must carry. @default none */
  nodeSelector: z.record(labelKey, labelValue).optional(),
  /** Taints the pods tolerate, as in a pod spec (`key`, `operator`, `value`, `effect`, `tolerationSeconds`). @default none */
  tolerations: z
    .array(
      z.strictObject({
        /** The taint's key. @default none (with `Exists`: every taint) */
        key: z.string().optional(),
        /** @default Equal */
        operator: z.enum(['Exists', 'Equal']).optional(),
        /** The taint's value, with `Equal`. @default none */
        value: z.string().optional(),
        /** The taint effect tolerated. @default none (every effect) */
        effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
        /** With `NoExecute`: how long the pod stays after the taint appears. @default none (forever) */
        tolerationSeconds: z.int().optional(),
      }),
    )
    .optional(),
  /** Pod affinity rules, as in a pod spec (`nodeAffinity`, `podAffinity`, `podAntiAffinity`). @default none */
  affinity: z
    .strictObject({
      /** `requiredDuringSchedulingIgnoredDuringExecution` / `preferred...` node terms. @default none */
      nodeAffinity: kubernetesFields.optional(),
      /** Pod affinity terms. @default none */
      podAffinity: kubernetesFields.optional(),
      /** Pod anti-affinity terms. @default none */
      podAntiAffinity: kubernetesFields.optional(),
    })
    .optional(),
  /** PriorityClass of the pods. @default none (the cluster's default priority) */
  priorityClassName: objectName.optional(),
  /** Secrets (type `kubernetes.io/dockerconfigjson`) to pull images with, e.g. for `images.registry`. @default none */
  imagePullSecrets: z.array(objectName).optional(),
  /** Extra pod annotations. @default none */
  annotations: z.record(labelKey, z.string()).optional(),
  /** Extra pod labels; `app.kubernetes.io/` keys are the stack's own and refused. @default none */
  labels: z
    .record(labelKey, labelValue)
    .refine((labels) => !Object.keys(labels).some((key) => key.startsWith('app.kubernetes.io/')), {
      error: (i) => `app.kubernetes.io/ labels are the stack's own (its selectors use them), got ${got(Object.keys(i.input as object).find((k) => k.startsWith('app.kubernetes.io/')))}`,
    })
    .optional(),
});
export type PodSettings = z.infer<typeof podSettingsSchema>;

/** Pod settings for every pod of the stack, and per component, whose fields replace the stack-wide ones they set. */
const podsSchema = podSettingsSchema.extend({
  /** Per component (a key of `components`): fields set here replace the stack-wide ones; labels and annotations are added. @default {} */
  components: z.strictObject(
    Object.fromEntries(Object.keys(componentsSchema.shape).map((key) => [key, podSettingsSchema.optional()])) as Record<
      keyof typeof componentsSchema.shape,
      z.ZodOptional<typeof podSettingsSchema>
    >,
  ),
});

/** Alertmanager's severity routes: `page` takes P0 and P1, `notify` P2, `ticket` P3. */
export const alertRoutes = ['page', 'notify', 'ticket'] as const;
export type AlertRoute = (typeof alertRoutes)[number];
/** Which severity routes a receiver takes; default all of them. */
const receiverRoutes = z
  .array(z.enum(alertRoutes, { error: (i) => `expected one of ${alertRoutes.join(', ')}, got ${got(i.input)}` }))
  .min(1, { error: 'expected at least one route (page, notify, ticket); leave the key out to take them all' })
  .optional();

const receiverBase = {
  /** The receiver's name in Alertmanager and in its credential files (`<name>-url`...); not `default`. No default: required. */
  name: dnsLabel,
  /** Which severity routes it takes. @default all of them: page, notify and ticket */
  routes: receiverRoutes,
};
const webhookReceiver = z.strictObject({
  ...receiverBase,
  /** The receiver's kind. No default: required. */
  type: z.literal('webhook'),
  /** Where Alertmanager posts its webhook payload. No default: required. */
  url: z.url({ error: (i) => `expected an http(s) URL, got ${got(i.input)}` }),
  /** Also send a notification when the alert resolves. @default true (Alertmanager's default) */
  sendResolved: z.boolean().optional(),
});
const slackReceiver = z.strictObject({
  ...receiverBase,
  /** The receiver's kind. No default: required. */
  type: z.literal('slack'),
  /** The channel to post to; the webhook URL is a credential file (`<name>-url`), never in the spec. No default: required. */
  channel: z.string().regex(/^#?[a-z0-9][-_a-z0-9]*$/, { error: (i) => `expected a Slack channel like "#alerts", got ${got(i.input)}` }),
});
const emailReceiver = z.strictObject({
  ...receiverBase,
  /** The receiver's kind. No default: required. */
  type: z.literal('email'),
  /** Recipients. No default: required. */
  to: z.array(z.email({ error: (i) => `expected an email address, got ${got(i.input)}` })).min(1),
  /** Sender address. No default: required. */
  from: z.email(),
  /** SMTP server as `host:port`. No default: required. */
  smarthost: z
    .string()
    .regex(/^[^\s:]+:\d+$/, { error: (i) => `expected host:port, got ${got(i.input)}` })
    // The port becomes a NetworkPolicy egress port: a TCP port number.
    .refine((v) => !/^[^\s:]+:\d+$/.test(v) || (Number(v.slice(v.lastIndexOf(':') + 1)) >= 1 && Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535), {
      error: (i) => `expected host:port with a port from 1 to 65535, got ${got(i.input)}`,
    }),
  /** SMTP AUTH user; its password is a credential file (`<name>-smtp-password`), never in the spec. @default none (no AUTH) */
  authUsername: z.string().min(1, { error: 'expected an SMTP user name; leave the key out for a server without AUTH' }).optional(),
});
/** PagerDuty Events API v2; the routing key is a credential file (`<name>-routing-key`). */
const pagerdutyReceiver = z.strictObject({
  ...receiverBase,
  /** The receiver's kind. No default: required. */
  type: z.literal('pagerduty'),
});

export const receiverSchema = z.discriminatedUnion('type', [webhookReceiver, slackReceiver, emailReceiver, pagerdutyReceiver], {
  error: (i) => `expected a receiver type of webhook, slack, email or pagerduty, got ${got(i.input)}`,
});
export type Receiver = z.infer<typeof receiverSchema>;

const availabilitySli = z.strictObject({
  /** The SLI's kind. No default: required. */
  kind: z.literal('availability'),
});
const latencySli = z.strictObject({
  /** The SLI's kind. No default: required. */
  kind: z.literal('latency'),
  /** Requests faster than this count as good; one of the span duration histogram's bucket bounds. No default: required. */
  thresholdMs: z.number({ error: (i) => `expected a latency threshold in milliseconds, got ${got(i.input)}` }).positive({
    error: (i) => `expected a latency threshold in milliseconds above 0, got ${got(i.input)}`,
  }),
});

/** `name="value"`, `name!="value"`, `name=~"regex"` or `name!~"regex"`. */
const MATCHER = String.raw`[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"`;
/** A counter selector: a metric name and optional label matchers, e.g. `http_requests_total{code!~"5.."}`. */
const COUNTER_SELECTOR = new RegExp(String.raw`^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{\s*(?:${MATCHER}(?:\s*,\s*${MATCHER})*\s*,?)?\s*\})?$`);
const counterSelector = z
  .string({ error: (i) => `expected a counter selector like http_requests_total{code!~"5.."}, got ${got(i.input)}` })
  .regex(COUNTER_SELECTOR, { error: (i) => `expected a counter selector like http_requests_total{code!~"5.."}, got ${got(i.input)}` });
/** Any service's own counters: good events over all events (e.g. requests answered below 500 over all requests). */
const ratioSli = z.strictObject({
  /** The SLI's kind. No default: required. */
  kind: z.literal('ratio'),
  /** The counter of good events, e.g. `http_requests_total{code!~"5.."}`. No default: required. */
  good: counterSelector,
  /** The counter of all events, e.g. `http_requests_total`. No default: required. */
  total: counterSelector,
});

export const sloSchema = z.strictObject({
  /** Name of the SLO: part of its recording rules, alerts and runbooks. No default: required. */
  name: dnsLabel,
  /** The `service.name` of the service it is about (the `service_name` label of its span metrics). No default: required. */
  service: z.string({ error: (i) => `expected a service name, got ${got(i.input)}` }).min(1, { error: 'expected a service name, got ""' }),
  /** Share of good requests promised over the window, in percent (e.g. 99.9). No default: required. */
  objective: z
    .number({ error: (i) => `expected an objective in percent like 99.9, got ${got(i.input)}` })
    .gt(0, { error: (i) => `expected an objective in percent between 0 and 100 (exclusive), got ${got(i.input)}` })
    .lt(100, { error: (i) => `expected an objective in percent between 0 and 100 (exclusive), got ${got(i.input)}` }),
  /** The period the objective holds over (the error budget's period), at least 3d. @default 30d */
  window: duration.default('30d'),
  /**
   * What counts as a good request: a server span without error status, one faster than a threshold, or the
   * events a `good` counter counts out of a `total` counter. No default: required.
   */
  sli: z.discriminatedUnion('kind', [availabilitySli, latencySli, ratioSli], {
    error: (i) => `expected an SLI kind of availability, latency or ratio, got ${got(i.input)}`,
  }),
});
export type Slo = z.infer<typeof sloSchema>;

const imageReference = z
  .string({ error: (i) => `expected an image reference like "registry.example.com/grafana/grafana:12.0.0", got ${got(i.input)}` })
  .regex(IMAGE_REFERENCE, { error: (i) => `expected an image reference like "registry.example.com/grafana/grafana:12.0.0", got ${got(i.input)}` });
const imageOverrides = z.strictObject(
  Object.fromEntries(imageKeys.map((key) => [key, imageReference.optional()])) as Record<ImageKey, z.ZodOptional<typeof imageReference>>,
);

export const stackSpecSchema = z
  .strictObject({
    /** Name of the stack: the `app.kubernetes.io/instance` label and the compose project name. @default observatory */
    name: dnsLabel,
    /** The preset the rest of the spec is merged over: sizes, replicas, retention. @default local (or the `environment` option) */
    environment: z.enum(environments, {
      error: (i) => `expected one of ${environments.join(', ')}, got ${got(i.input)}`,
    }),
    /** Kubernetes namespace the stack lives in. @default observability */
    namespace: dnsLabel,
    /**
     * `single`: one process per store (VictoriaMetrics single-node, Loki single binary, Jaeger on Badger, one
     * sampler). `distributed`: the stores' own distributed modes, sized by `distributed` (docs/DISTRIBUTED.md).
     * @default single; distributed on prod
     */
    scale: z.enum(scales, { error: (i) => `expected one of ${scales.join(', ')}, got ${got(i.input)}` }),
    /** Replicas, shards and replication factors of a `scale: distributed` stack; ignored when single. */
    distributed: distributedSchema,
    /** Each component's switch, size and storage. */
    components: componentsSchema,
    /** Where images come from (the pinned catalog, model/catalog.ts). */
    images: z.strictObject({
      /** Registry (and optional path prefix) that replaces every upstream registry, for mirrors and air-gapped installs. @default none (upstream registries) */
      registry: z.string().regex(IMAGE_REGISTRY, {
        error: (i) => `expected a registry like "registry.example.com/mirror", got ${got(i.input)}`,
      }).optional(),
      /** Full image references that replace one catalog entry each. @default {} (the catalog's pinned images) */
      overrides: imageOverrides,
      /** Kubernetes `imagePullPolicy` (compose: `pull_policy`). @default IfNotPresent on local, Always elsewhere */
      pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']),
    }),
    /** How long each kind of data is kept. */
    retention: z.strictObject({
      /** VictoriaMetrics' retention, at least 1d. @default 7d local, 14d dev, 30d staging, 90d prod */
      metrics: duration,
      /** Loki's retention, whole days. @default 3d local, 7d dev, 14d staging, 30d prod */
      logs: duration,
      /** Jaeger's retention, at least 1h. @default 2d local, 3d dev, 7d staging, 14d prod */
      traces: duration,
      /** GlitchTip's event retention. @default 14d local, 30d dev and staging, 90d prod */
      errors: duration,
      /** How long database dumps are kept before the backup job deletes them. @default 3d local, 7d dev, 14d staging, 30d prod */
      backups: duration,
    }),
    /** Database backups (GlitchTip's and Umami's Postgres), docs/BACKUP.md. */
    backups: z.strictObject({
      /** When the backup jobs run, a five-field cron schedule in UTC. @default "17 3 * * *" (03:17 daily) */
      schedule: cron,
    }),
    /** Tail sampling in the collector's sampler. */
    sampling: z.strictObject({
      /** How long the collector waits for a trace's spans before deciding. @default 5s */
      decisionWait: duration,
      /** Keep every trace that has an error span. @default true */
      keepErrors: z.boolean(),
      /** Keep every trace slower than this. @default 500ms */
      latencyThreshold: duration,
      /** Share of the remaining traces kept, in percent. @default 10 */
      percentage: z.number().min(0).max(100),
    }),
    /** Public URLs: Ingresses for Grafana, GlitchTip, Umami and authenticated OTLP/HTTP. */
    ingress: z.strictObject({
      /** Render the Ingresses (needs `domain`). @default false */
      enabled: z.boolean(),
      /**
       * Ingress class of the Ingresses; its controller's annotations come with it (constructs/ingress.ts).
       * @default 'traefik' (the controller the Pulumi program installs)
       */
      className: objectName,
      /** Parent domain of the hosts (`grafana.<domain>`, `errors.<domain>`, `analytics.<domain>`, `otlp.<domain>`). @default none */
      domain: hostname.optional(),
      /** TLS with a certificate from cert-manager's `clusterIssuer`. @default true */
      tls: z.boolean(),
      /** cert-manager ClusterIssuer for the certificates. @default letsencrypt */
      clusterIssuer: objectName,
      /**
       * Namespace of the ingress controller's pods: the network policies admit traffic to the public ports from it.
       * @default 'traefik'
       */
      controllerNamespace: dnsLabel,
    }),
    /** Kubernetes pod settings (scheduling, pull secrets, extra labels and annotations), for all components and per component. */
    pods: podsSchema,
    /** StorageClass of every PersistentVolumeClaim. @default none (the cluster's default class) */
    storageClass: objectName.optional(),
    /** The docker-compose bundle. */
    compose: z.strictObject({
      /** Host address the local stack publishes its ports on. @default 127.0.0.1 */
      bindAddress: z.ipv4({ error: (i) => `expected an IPv4 address like "127.0.0.1", got ${got(i.input)}` }),
    }),
    /** Where alerts go. */
    alerting: z.strictObject({
      /** Alertmanager's receivers: webhook, Slack, email or PagerDuty. @default [] (alerts are shown, not sent) */
      receivers: z.array(receiverSchema),
      /**
       * Where the runbooks that synth writes to `<out>/runbooks/` are published (e.g. a repository's web view);
       * every alert's `runbook_url` is `<runbookBaseUrl>/<alert>.md`. Unset: `runbooks/<alert>.md`, relative to
       * the synth output folder, which only a reader of that folder can follow.
       * @default none (relative `runbooks/<alert>.md`)
       */
      runbookBaseUrl: z
        .url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL like "https://git.example.com/ops/runbooks", got ${got(i.input)}` })
        .optional(),
      /**
       * Bad events an error alert needs in its window before it fires (SLO burn rates and the error-rate
       * thresholds): one failed request out of six in an hour is a 16 % error ratio, not an incident. 3 lets a
       * full outage of a service answering a request every 5 minutes page within 20 minutes (docs/ALERTS.md).
       * @default 3
       */
      minBadEvents: z
        .number({ error: (i) => `expected a whole number of bad events like 3, got ${got(i.input)}` })
        .int({ error: (i) => `expected a whole number of bad events like 3, got ${got(i.input)}` })
        .min(1, { error: (i) => `expected at least 1 bad event, got ${got(i.input)}` }),
      /**
       * A heartbeat: the always-firing `Watchdog` alert goes, every minute, to a webhook whose URL is the
       * credential file `heartbeat-url` (a dead man's switch service such as healthchecks.io pages when the beats
       * stop). Off: the Watchdog still fires and is sent nowhere.
       * @default false
       */
      heartbeat: z.boolean({ error: (i) => `expected true or false, got ${got(i.input)}` }),
      /**
       * Per-alert tuning, keyed by alert name (kube-prometheus-stack's `customRules` and `defaultRules.disabled`):
       * `for` replaces how long every rule of that alert must hold before it fires, `disabled: true` leaves the
       * alert out (its rules, runbook and inhibitions). An unknown name is refused with the known ones listed.
       * @default {} (every alert as shipped)
       */
      overrides: z.record(
        z.string().regex(/^[A-Z][A-Za-z0-9]*$/, { error: (i) => `expected an alert name in PascalCase like "KubeContainerCrashLooping", got ${got(i.input)}` }),
        z.strictObject({
          /** How long the alert's condition must hold before it fires, e.g. "5m". @default the alert's own */
          for: duration.optional(),
          /** Leave the alert out. @default false */
          disabled: z.boolean({ error: (i) => `expected true or false, got ${got(i.input)}` }).optional(),
        }),
      ),
    }),
    /** Prometheus endpoints outside the stack the collector's sampler scrapes into VictoriaMetrics, besides annotated pods. @default [] */
    scrapeTargets: z.array(
      z.strictObject({
        /** The scrape job's name (the `job` label of its series). No default: required. */
        job: dnsLabel,
        /** `host:port`, e.g. `payments.shop.svc:9090` or `10.0.4.17:9100`. No default: required. */
        target: z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:\d{1,5}$/, { error: (i) => `expected host:port like "payments.shop.svc:9090", got ${got(i.input)}` }),
        /** The metrics path. @default /metrics */
        path: z.string().regex(/^\//, { error: (i) => `expected a path starting with "/", got ${got(i.input)}` }).default('/metrics'),
      }),
    ),
    /** Service level objectives: each becomes recording rules and multi-window burn-rate alerts. @default [] (local: the sample app's three examples) */
    slos: z.array(sloSchema, { error: (i) => `expected a list of SLOs ({ name, service, objective, sli }), got ${got(i.input)}` }),
  })
  .superRefine((spec, ctx) => {
    // Runs even when fields failed their own checks: only compare values that parsed.
    const seconds = (text: string) => (DURATION_PATTERN.test(text) ? parseDuration(text) : Number.NaN);
    const c = spec.components;
    const needs = (on: boolean, dependency: boolean, path: string[], message: string) => {
      if (on && !dependency) ctx.addIssue({ code: 'custom', path, message });
    };
    needs(c.vmalert.enabled, c.victoriametrics.enabled, ['components', 'vmalert', 'enabled'], 'vmalert needs components.victoriametrics.enabled: true');
    if (spec.scale === 'distributed' && spec.distributed) for (const issue of distributedProblems(spec.distributed)) ctx.addIssue({ code: 'custom', ...issue });
    if (seconds(spec.retention.logs) % 86_400 > 0) {
      ctx.addIssue({ code: 'custom', path: ['retention', 'logs'], message: `Loki retention must be a whole number of days (its index period is 24h), got "${spec.retention.logs}"` });
    }
    if (seconds(spec.retention.metrics) < 86_400) {
      ctx.addIssue({ code: 'custom', path: ['retention', 'metrics'], message: `VictoriaMetrics keeps data for at least 1d, got "${spec.retention.metrics}"` });
    }
    if (seconds(spec.retention.traces) < 3600) {
      ctx.addIssue({ code: 'custom', path: ['retention', 'traces'], message: `trace retention below 1h is not supported, got "${spec.retention.traces}"` });
    }
    // The backup job deletes dumps older than whole minutes (`find -mmin`); below an hour it could delete a dump
    // a slow run of the previous schedule just wrote.
    if (seconds(spec.retention.backups) < 3600 || seconds(spec.retention.backups) % 60 > 0) {
      ctx.addIssue({ code: 'custom', path: ['retention', 'backups'], message: `backup retention must be a whole number of minutes and at least 1h, got "${spec.retention.backups}"` });
    }
    if (seconds(spec.sampling.decisionWait) > 120) {
      ctx.addIssue({ code: 'custom', path: ['sampling', 'decisionWait'], message: `decisionWait above 2m holds too many spans in memory, got "${spec.sampling.decisionWait}"` });
    }
    if (spec.ingress.enabled && !spec.ingress.domain) {
      ctx.addIssue({ code: 'custom', path: ['ingress', 'domain'], message: 'ingress.enabled needs a domain, e.g. "observability.example.com"' });
    }
    if (c.collector.enabled && !c.jaeger.enabled && !c.victoriametrics.enabled && !c.loki.enabled) {
      ctx.addIssue({ code: 'custom', path: ['components', 'collector', 'enabled'], message: 'the collector needs at least one backend: enable jaeger, victoriametrics or loki' });
    }
    const maxReplicas: unknown = c.collector?.autoscaling?.maxReplicas;
    if (typeof maxReplicas === 'number' && typeof c.collector.replicas === 'number' && maxReplicas < c.collector.replicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['components', 'collector', 'autoscaling', 'maxReplicas'],
        message: `the autoscaler's maximum cannot be below components.collector.replicas (${c.collector.replicas}), got ${maxReplicas}`,
      });
    }
    const reserved: Record<string, string> = { default: '"default" is reserved for the receiver that sends nothing' };
    if (spec.alerting.heartbeat) reserved['heartbeat'] = '"heartbeat" is reserved for the Watchdog\'s receiver while alerting.heartbeat is on';
    const names = new Set<string>(Object.keys(reserved));
    spec.alerting.receivers.forEach((receiver, index) => {
      if (names.has(receiver.name)) {
        ctx.addIssue({ code: 'custom', path: ['alerting', 'receivers', index, 'name'], message: reserved[receiver.name] ?? `duplicate receiver name "${receiver.name}"` });
      }
      names.add(receiver.name);
    });
    const jobs = new Set<string>();
    spec.scrapeTargets.forEach((target, index) => {
      if (jobs.has(target.job)) ctx.addIssue({ code: 'custom', path: ['scrapeTargets', index, 'job'], message: `duplicate scrape job "${target.job}"` });
      jobs.add(target.job);
    });
    const sloNames = new Set<string>();
    spec.slos.forEach((slo, index) => {
      if (sloNames.has(slo.name)) ctx.addIssue({ code: 'custom', path: ['slos', index, 'name'], message: `duplicate SLO name "${slo.name}"` });
      sloNames.add(slo.name);
      if (seconds(slo.window) < seconds(LONGEST_BURN_WINDOW)) {
        ctx.addIssue({ code: 'custom', path: ['slos', index, 'window'], message: `an SLO window must be at least ${LONGEST_BURN_WINDOW} (its slowest burn-rate alert looks back ${LONGEST_BURN_WINDOW}), got "${slo.window}"` });
      } else if (seconds(slo.window) > 0 && slo.objective > 0 && slo.objective < 100) {
        const unreachable = unreachableWindow(slo.objective, slo.window);
        if (unreachable) {
          const factor = burnFactor(unreachable, slo.window);
          ctx.addIssue({
            code: 'custom',
            path: ['slos', index, 'objective'],
            message: `over a ${slo.window} window the ${unreachable.long} burn-rate alert fires above ${factor} × the error budget, more than 100 % errors for an objective of ${slo.objective} %: choose an objective above ${Number((100 - 100 / factor).toFixed(4))} % or a shorter window, got ${slo.objective}`,
          });
        }
      }
      const threshold = slo.sli.kind === 'latency' ? slo.sli.thresholdMs : undefined;
      if (threshold !== undefined && threshold > 0 && !(SPAN_DURATION_BUCKETS_MS as readonly number[]).includes(threshold)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slos', index, 'sli', 'thresholdMs'],
          message: `a latency threshold must be a bucket bound of the span duration histogram (${SPAN_DURATION_BUCKETS_MS.join(', ')} ms), got ${threshold}`,
        });
      }
    });
  });

export type StackSpec = z.infer<typeof stackSpecSchema>;
export type Resources = z.infer<typeof resourcesSchema>;

/**
 * The shape a user writes: zod's input type (fields with a schema default are optional, as in `slos[].window`)
 * with every field optional, since a spec is merged over its environment's preset. A list is written whole, so
 * its items are not partial.
 */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
export type StackInput = DeepPartial<z.input<typeof stackSpecSchema>>;

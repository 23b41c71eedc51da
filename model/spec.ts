import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { shown } from './errors.js';
import { CPU_PATTERN, cpuMillis, MEMORY_PATTERN, memoryMiB } from './quantity.js';
import { cronProblem } from './cron.js';
import { imageKeys, type ImageKey } from './catalog.js';
import { IMAGE_REFERENCE, IMAGE_REGISTRY } from './image-reference.js';
import { SPAN_DURATION_BUCKETS_MS } from './span-metrics.js';
import { LONGEST_BURN_WINDOW, burnFactor, unreachableWindow } from './burn-rate-windows.js';

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

export const resourcesSchema = z
  .strictObject({
    requests: z.strictObject({ cpu, memory }),
    limits: z.strictObject({ cpu, memory }),
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

const withResources = { enabled: z.boolean(), resources: resourcesSchema };
const storage = memory;

const postgresSchema = z.strictObject({ resources: resourcesSchema, storage });

export const componentsSchema = z.strictObject({
  collector: z.strictObject({
    ...withResources,
    /** Gateway replicas (the OTLP intake), the least the autoscaler keeps. */
    replicas,
    /** The gateway's horizontal autoscaler (Kubernetes): up to `maxReplicas` at this average CPU use of the requests. */
    autoscaling: z.strictObject({
      maxReplicas: replicas,
      targetCpuPercent: z.int({ error: (i) => `expected a whole percentage, got ${got(i.input)}` }).min(10).max(100),
    }),
    /** The sampler: tail sampling, span metrics, the stack's scrape and cluster receivers, in exactly one place. */
    sampler: z.strictObject({ resources: resourcesSchema }),
    /**
     * Kubernetes telemetry (Kubernetes renderer only): pod metadata on incoming telemetry, cluster and
     * kubelet metrics, Kubernetes events as logs, and scraping of pods annotated `prometheus.io/scrape`.
     */
    kubernetes: z.strictObject({
      enabled: z.boolean(),
      /** The per-node agent (DaemonSet) that reads its node's kubelet and scrapes its node's pods. */
      agent: z.strictObject({ resources: resourcesSchema }),
    }),
  }),
  victoriametrics: z.strictObject({ ...withResources, storage }),
  vmalert: z.strictObject({ ...withResources, evaluationInterval: duration }),
  jaeger: z.strictObject({ ...withResources, storage }),
  loki: z.strictObject({ ...withResources, storage }),
  grafana: z.strictObject({ ...withResources, storage }),
  alertmanager: z.strictObject({ ...withResources, storage }),
  glitchtip: z.strictObject({
    enabled: z.boolean(),
    web: z.strictObject({ replicas, resources: resourcesSchema }),
    worker: z.strictObject({ replicas, resources: resourcesSchema }),
    postgres: postgresSchema,
    valkey: z.strictObject({ resources: resourcesSchema, storage }),
    openRegistration: z.boolean(),
  }),
  umami: z.strictObject({ ...withResources, replicas, postgres: postgresSchema }),
});

/** Alertmanager's severity routes: `page` takes P0 and P1, `notify` P2, `ticket` P3. */
export const alertRoutes = ['page', 'notify', 'ticket'] as const;
export type AlertRoute = (typeof alertRoutes)[number];
/** Which severity routes a receiver takes; default all of them. */
const receiverRoutes = z
  .array(z.enum(alertRoutes, { error: (i) => `expected one of ${alertRoutes.join(', ')}, got ${got(i.input)}` }))
  .min(1, { error: 'expected at least one route (page, notify, ticket); leave the key out to take them all' })
  .optional();

const webhookReceiver = z.strictObject({
  name: dnsLabel,
  routes: receiverRoutes,
  type: z.literal('webhook'),
  url: z.url({ error: (i) => `expected an http(s) URL, got ${got(i.input)}` }),
  sendResolved: z.boolean().optional(),
});
const slackReceiver = z.strictObject({
  name: dnsLabel,
  routes: receiverRoutes,
  type: z.literal('slack'),
  channel: z.string().regex(/^#?[a-z0-9][-_a-z0-9]*$/, { error: (i) => `expected a Slack channel like "#alerts", got ${got(i.input)}` }),
});
const emailReceiver = z.strictObject({
  name: dnsLabel,
  routes: receiverRoutes,
  type: z.literal('email'),
  to: z.array(z.email({ error: (i) => `expected an email address, got ${got(i.input)}` })).min(1),
  from: z.email(),
  smarthost: z.string().regex(/^[^\s:]+:\d+$/, { error: (i) => `expected host:port, got ${got(i.input)}` }),
  /** SMTP AUTH user; its password is a credential file (`<name>-smtp-password`), never in the spec. */
  authUsername: z.string().min(1, { error: 'expected an SMTP user name; leave the key out for a server without AUTH' }).optional(),
});
const pagerdutyReceiver = z.strictObject({ name: dnsLabel, routes: receiverRoutes, type: z.literal('pagerduty') });

export const receiverSchema = z.discriminatedUnion('type', [webhookReceiver, slackReceiver, emailReceiver, pagerdutyReceiver], {
  error: (i) => `expected a receiver type of webhook, slack, email or pagerduty, got ${got(i.input)}`,
});
export type Receiver = z.infer<typeof receiverSchema>;

const availabilitySli = z.strictObject({ kind: z.literal('availability') });
const latencySli = z.strictObject({
  kind: z.literal('latency'),
  /** Requests faster than this count as good; one of the span duration histogram's bucket bounds. */
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
const ratioSli = z.strictObject({ kind: z.literal('ratio'), good: counterSelector, total: counterSelector });

export const sloSchema = z.strictObject({
  /** Name of the SLO: part of its recording rules, alerts and runbooks. */
  name: dnsLabel,
  /** The `service.name` of the service it is about (the `service_name` label of its span metrics). */
  service: z.string({ error: (i) => `expected a service name, got ${got(i.input)}` }).min(1, { error: 'expected a service name, got ""' }),
  /** Share of good requests promised over the window, in percent (e.g. 99.9). */
  objective: z
    .number({ error: (i) => `expected an objective in percent like 99.9, got ${got(i.input)}` })
    .gt(0, { error: (i) => `expected an objective in percent between 0 and 100 (exclusive), got ${got(i.input)}` })
    .lt(100, { error: (i) => `expected an objective in percent between 0 and 100 (exclusive), got ${got(i.input)}` }),
  /** The period the objective holds over (the error budget's period). Default `30d`. */
  window: duration.default('30d'),
  /**
   * What counts as a good request: a server span without error status, one faster than a threshold, or the
   * events a `good` counter counts out of a `total` counter.
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
    /** Name of the stack: the `app.kubernetes.io/instance` label and the compose project name. */
    name: dnsLabel,
    environment: z.enum(environments, {
      error: (i) => `expected one of ${environments.join(', ')}, got ${got(i.input)}`,
    }),
    /** Kubernetes namespace the stack lives in. */
    namespace: dnsLabel,
    components: componentsSchema,
    images: z.strictObject({
      /** Registry (and optional path prefix) that replaces every upstream registry, for mirrors and air-gapped installs. */
      registry: z.string().regex(IMAGE_REGISTRY, {
        error: (i) => `expected a registry like "registry.example.com/mirror", got ${got(i.input)}`,
      }).optional(),
      /** Full image references that replace one catalog entry each. */
      overrides: imageOverrides,
      pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']),
    }),
    /** How long each kind of data is kept; `backups`: how long database dumps are kept before the backup job deletes them. */
    retention: z.strictObject({ metrics: duration, logs: duration, traces: duration, errors: duration, backups: duration }),
    /** Database backups (GlitchTip's and Umami's Postgres): when the backup jobs run, in UTC (docs/BACKUP.md). */
    backups: z.strictObject({ schedule: cron }),
    sampling: z.strictObject({
      /** How long the collector waits for a trace's spans before deciding. */
      decisionWait: duration,
      /** Keep every trace that has an error span. */
      keepErrors: z.boolean(),
      /** Keep every trace slower than this. */
      latencyThreshold: duration,
      /** Share of the remaining traces kept, in percent. */
      percentage: z.number().min(0).max(100),
    }),
    ingress: z.strictObject({
      enabled: z.boolean(),
      /**
       * Ingress class of the Ingresses; its controller's annotations come with it (constructs/ingress.ts).
       * @default 'traefik' (the controller the Pulumi program installs)
       */
      className: objectName,
      domain: hostname.optional(),
      tls: z.boolean(),
      clusterIssuer: objectName,
      /**
       * Namespace of the ingress controller's pods: the network policies admit traffic to the public ports from it.
       * @default 'traefik'
       */
      controllerNamespace: dnsLabel,
    }),
    storageClass: objectName.optional(),
    compose: z.strictObject({
      /** Host address the local stack publishes its ports on. */
      bindAddress: z.ipv4({ error: (i) => `expected an IPv4 address like "127.0.0.1", got ${got(i.input)}` }),
    }),
    alerting: z.strictObject({
      receivers: z.array(receiverSchema),
      /**
       * Where the runbooks that synth writes to `<out>/runbooks/` are published (e.g. a repository's web view);
       * every alert's `runbook_url` is `<runbookBaseUrl>/<alert>.md`. Unset: `runbooks/<alert>.md`, relative to
       * the synth output folder, which only a reader of that folder can follow.
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
    }),
    /** Service level objectives: each becomes recording rules and multi-window burn-rate alerts. */
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

/** The shape a user writes: every field optional, merged over the environment preset. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
export type StackInput = DeepPartial<StackSpec>;

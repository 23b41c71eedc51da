import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { ALERTMANAGER_RECEIVERS_SECRET, receiverCredentialFiles } from '../alerts/alertmanager-config.js';
import { defineStack } from '../model/define.js';
import { describeIssues, SpecError } from '../model/errors.js';
import type { StackSpec } from '../model/spec.js';
import { SECRET_VALUES_KEY, secretValuesFromConfig } from './secret-config.js';

const got = (input: unknown) => JSON.stringify(input) ?? String(input);

/** The environments a Pulumi stack deploys (`local` is the docker compose preset). */
export const deployEnvironments = ['dev', 'staging', 'prod'] as const;
export type DeployEnvironment = (typeof deployEnvironments)[number];

const dnsName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, {
  error: (i) => `expected a DNS name like "observability.example.com", got ${got(i.input)}`,
});
const count = (what: string) => z.int({ error: (i) => `expected a whole number of ${what}, got ${got(i.input)}` }).min(1).max(100);
const weekdays = ['any', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const createCluster = z.strictObject({
  mode: z.literal('create'),
  /** Name of the DOKS cluster (and prefix of its VPC and node pool). Default `observatory-<stack>`. */
  name: z.string().regex(/^[a-z][-a-z0-9]{1,38}[a-z0-9]$/, { error: (i) => `expected a cluster name (lowercase letters, digits, "-"), got ${got(i.input)}` }).optional(),
  /** DigitalOcean region slug, e.g. `fra1`. */
  region: z.string().regex(/^[a-z]{3}[0-9]$/, { error: (i) => `expected a DigitalOcean region slug like "fra1", got ${got(i.input)}` }),
  /** `"1.36"`: the newest DOKS patch of that minor; or an exact DOKS version like `"1.36.1-do.0"`. */
  kubernetesVersion: z.string({ error: (i) => `expected a version string like "1.36" (quote it in YAML), got ${got(i.input)}` }).regex(/^1\.\d{2}(\.\d+-do\.\d+)?$/, {
    error: (i) => `expected a Kubernetes minor like "1.36" or a DOKS version like "1.36.1-do.0", got ${got(i.input)}`,
  }),
  nodePool: z
    .strictObject({
      /** Droplet size slug of every node, e.g. `s-2vcpu-4gb`. */
      size: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, { error: (i) => `expected a Droplet size slug like "s-2vcpu-4gb", got ${got(i.input)}` }),
      /** Nodes at creation; the cluster autoscaler moves between `autoscale.min` and `autoscale.max` afterwards. */
      count: count('nodes'),
      autoscale: z.strictObject({ min: count('nodes'), max: count('nodes') }),
    })
    .superRefine((pool, ctx) => {
      const { min, max } = pool.autoscale ?? {};
      if (typeof min === 'number' && typeof max === 'number' && min > max) {
        ctx.addIssue({ code: 'custom', path: ['autoscale', 'max'], message: `autoscale.max must be at least autoscale.min (${min}), got ${max}` });
      }
      if (typeof pool.count === 'number' && typeof min === 'number' && typeof max === 'number' && (pool.count < min || pool.count > max)) {
        ctx.addIssue({ code: 'custom', path: ['count'], message: `count must lie between autoscale.min (${min}) and autoscale.max (${max}), got ${pool.count}` });
      }
    }),
  /** The highly available control plane (DigitalOcean's 99.95 % SLA, $40/month). */
  haControlPlane: z.boolean({ error: (i) => `expected true or false, got ${got(i.input)}` }),
  /** When DigitalOcean may upgrade patch versions and do maintenance (UTC). */
  maintenance: z.strictObject({
    day: z.enum(weekdays, { error: (i) => `expected one of ${weekdays.join(', ')}, got ${got(i.input)}` }),
    startTime: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: (i) => `expected a UTC time like "03:00", got ${got(i.input)}` }),
  }),
  /** Private range of the cluster's VPC. Default: one DigitalOcean picks. */
  vpcIpRange: z.cidrv4({ error: (i) => `expected an IPv4 range like "10.110.0.0/20", got ${got(i.input)}` }).optional(),
});

const existingCluster = z.strictObject({ mode: z.literal('existing') });

const clusterSchema = z.discriminatedUnion('mode', [createCluster, existingCluster], {
  error: (i) => `expected mode "create" (a new DOKS cluster) or "existing" (kubeconfig from observatory:kubeconfig), got ${got(i.input)}`,
});

/** Ingress controllers the program can install, or `none` for one of your own. */
const ingressControllers = ['traefik', 'none'] as const;
/** The controller the program installed before Traefik: refused with the reason, not as an unknown value. */
const RETIRED_CONTROLLER = 'ingress-nginx';

const ingressSchema = z
  .strictObject({
    enabled: z.boolean({ error: (i) => `expected true or false, got ${got(i.input)}` }),
    /** Hosts are `<name>.<domain>` (grafana, errors, analytics, otlp). */
    domain: dnsName.optional(),
    /**
     * `traefik`: the program installs Traefik, cert-manager and a Let's Encrypt ClusterIssuer.
     * `none`: you run an Ingress controller and a cert-manager ClusterIssuer yourself (name them below).
     * @default 'traefik'
     */
    controller: z
      .enum(ingressControllers, {
        error: (i) =>
          i.input === RETIRED_CONTROLLER
            ? `expected "traefik" (the default) or "none" (bring your own controller), got "${RETIRED_CONTROLLER}": it was retired upstream in March 2026 and the program no longer installs it`
            : `expected "traefik" or "none", got ${got(i.input)}`,
      })
      .default('traefik'),
    /** Ingress class, ClusterIssuer and controller namespace the chart's Ingresses and network policies name. Default: the preset's. */
    className: z.string().min(1).optional(),
    clusterIssuer: z.string().min(1).optional(),
    controllerNamespace: z.string().min(1).optional(),
    /** Let's Encrypt account email (expiry notices). */
    acmeEmail: z.email({ error: (i) => `expected an email address for Let's Encrypt, got ${got(i.input)}` }).optional(),
    /** `staging` issues untrusted certificates without production's rate limits: for trying the setup. */
    acmeServer: z.enum(['production', 'staging']).default('production'),
    /** A domain managed in DigitalOcean DNS: A records for every public host, pointing at the load balancer. */
    dnsZone: dnsName.optional(),
  })
  .superRefine((ingress, ctx) => {
    if (!ingress.enabled) return;
    if (!ingress.domain) ctx.addIssue({ code: 'custom', path: ['domain'], message: 'ingress.enabled needs a domain, e.g. "observability.example.com"' });
    if (ingress.controller !== 'none' && !ingress.acmeEmail) {
      ctx.addIssue({ code: 'custom', path: ['acmeEmail'], message: "ingress.enabled needs an email for the Let's Encrypt account" });
    }
    if (ingress.dnsZone && ingress.controller === 'none') {
      ctx.addIssue({ code: 'custom', path: ['dnsZone'], message: 'DNS records point at the load balancer of the ingress controller this program installs; with controller "none" there is none' });
    }
    if (ingress.dnsZone && ingress.domain && ingress.domain !== ingress.dnsZone && !ingress.domain.endsWith(`.${ingress.dnsZone}`)) {
      ctx.addIssue({ code: 'custom', path: ['dnsZone'], message: `the domain "${ingress.domain}" is not inside the DNS zone "${ingress.dnsZone}"` });
    }
  });

/** Keys of the stack spec that have config keys of their own. */
const OWN_KEYS = ['environment', 'ingress', 'retention', 'alerting', 'storageClass'] as const;

const configSchema = z.strictObject({
  environment: z.enum(deployEnvironments, { error: (i) => `expected one of ${deployEnvironments.join(', ')}, got ${got(i.input)}` }),
  cluster: clusterSchema,
  /** Storage class of every volume; DOKS's block storage by default. */
  storageClass: z.string().min(1).default('do-block-storage'),
  ingress: ingressSchema.default({ enabled: false, acmeServer: 'production', controller: 'traefik' }),
  /** Merged into the spec's `retention` (validated there). */
  retention: z.record(z.string(), z.unknown()).optional(),
  /** Merged into the spec's `alerting`: receivers (validated there). */
  alerting: z.record(z.string(), z.unknown()).optional(),
  /** Any other stack spec setting (component sizes, sampling, SLOs, images), merged over the environment preset. */
  spec: z
    .record(z.string(), z.unknown())
    .superRefine((spec, ctx) => {
      for (const key of OWN_KEYS.filter((k) => k in spec)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `set it as observatory:${key}, not inside observatory:spec` });
      }
    })
    .optional(),
});

/** Keys read as secrets, outside the schema. */
const SECRET_KEYS = ['kubeconfig', 'alertCredentials', SECRET_VALUES_KEY, 'spacesAccessKeyId', 'spacesSecretAccessKey'] as const;
/** Keys whose value is text, not JSON. */
const TEXT_KEYS = new Set(['environment', 'storageClass']);

export type CreateClusterConfig = z.infer<typeof createCluster>;
export type IngressConfig = z.infer<typeof ingressSchema>;

export interface DeploymentConfig {
  readonly environment: DeployEnvironment;
  readonly cluster: (CreateClusterConfig & { readonly name: string }) | { readonly mode: 'existing'; readonly kubeconfig: pulumi.Output<string> };
  readonly ingress: IngressConfig;
  /** The resolved stack spec. */
  readonly spec: StackSpec;
  /** Credentials only the user has, and values given for generated Secrets, by Secret name and key (secret outputs). */
  readonly providedSecrets: Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;
  /**
   * Spaces keys (secret config `spacesAccessKeyId`, `spacesSecretAccessKey`): a distributed stack on a cluster this
   * program creates keeps Loki's data in a Spaces bucket it creates with them.
   */
  readonly spaces?: { readonly accessKeyId: pulumi.Output<string>; readonly secretAccessKey: pulumi.Output<string> };
}

/** A stack's Pulumi config that cannot be deployed; `problems` holds one line per problem, each starting with its config key. */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid Pulumi config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Where a problem of the resolved spec was set: its own config key, or inside `observatory:spec`. */
function specProblemKey(problem: string): string {
  const ownKey = OWN_KEYS.find((key) => problem.startsWith(`${key}:`) || problem.startsWith(`${key}.`) || problem.startsWith(`${key}[`));
  return ownKey ? problem : `spec.${problem}`;
}

/** The example shape unknown-key suggestions are drawn from. */
const REFERENCE = {
  environment: 'dev',
  cluster: { mode: 'create', name: '', region: '', kubernetesVersion: '', nodePool: { size: '', count: 0, autoscale: { min: 0, max: 0 } }, haControlPlane: false, maintenance: { day: '', startTime: '' }, vpcIpRange: '' },
  storageClass: '',
  ingress: { enabled: false, domain: '', controller: '', className: '', clusterIssuer: '', controllerNamespace: '', acmeEmail: '', acmeServer: '', dnsZone: '' },
  retention: {},
  alerting: {},
  spec: {},
  kubeconfig: '',
  alertCredentials: {},
  secrets: {},
  spacesAccessKeyId: '',
  spacesSecretAccessKey: '',
};

function rawConfig(namespace: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    if ((SECRET_KEYS as readonly string[]).includes(key)) continue;
    if (TEXT_KEYS.has(key)) raw[key] = value;
    else {
      try {
        raw[key] = JSON.parse(value);
      } catch {
        raw[key] = value;
      }
    }
  }
  return raw;
}

/** Whether a config key holds a secret (pulumi config set --secret); undefined when this SDK cannot tell. */
function storedAsSecret(fullKey: string): boolean | undefined {
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  return isConfigSecret ? isConfigSecret(fullKey) : undefined;
}

/**
 * Reads and validates the stack's config (namespace `observatory`, the project name) and resolves the stack
 * spec from it. Throws a `ConfigError` listing every problem with its config key; nothing is created then.
 */
export function readDeploymentConfig(config: pulumi.Config = new pulumi.Config()): DeploymentConfig {
  const ns = config.name;
  const problems: string[] = [];
  const parsed = configSchema.safeParse(rawConfig(ns), { reportInput: true });
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, REFERENCE).map((p) => `${ns}:${p}`));

  const kubeconfigSet = config.get('kubeconfig') !== undefined;
  let spec: StackSpec | undefined;
  if (parsed.success) {
    const { environment, ingress, retention, alerting, storageClass } = parsed.data;
    try {
      spec = defineStack(
        {
          ...parsed.data.spec,
          environment,
          storageClass,
          ingress: {
            enabled: ingress.enabled,
            ...(ingress.domain ? { domain: ingress.domain } : {}),
            ...(ingress.className ? { className: ingress.className } : {}),
            ...(ingress.clusterIssuer ? { clusterIssuer: ingress.clusterIssuer } : {}),
            ...(ingress.controllerNamespace ? { controllerNamespace: ingress.controllerNamespace } : {}),
          },
          ...(retention ? { retention } : {}),
          ...(alerting ? { alerting } : {}),
        },
        { environment },
      );
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems.map((p) => `${ns}:${specProblemKey(p)}`));
    }
    if (parsed.data.cluster.mode === 'existing' && !kubeconfigSet) {
      problems.push(`${ns}:kubeconfig: cluster.mode "existing" needs the cluster's kubeconfig (pulumi config set --secret kubeconfig < kubeconfig.yaml)`);
    }
    if (parsed.data.cluster.mode === 'create' && kubeconfigSet) {
      problems.push(`${ns}:kubeconfig: only read when cluster.mode is "existing"; this stack creates its cluster`);
    }
  }

  const credentials = config.getObject<unknown>('alertCredentials');
  const providedSecrets: Record<string, Record<string, pulumi.Output<string>>> = {};
  if (credentials !== undefined && (typeof credentials !== 'object' || credentials === null || Array.isArray(credentials))) {
    problems.push(`${ns}:alertCredentials: expected a mapping of credential name to value, got ${got(credentials)}`);
  } else if (spec) {
    const expected = receiverCredentialFiles(spec);
    const given = (credentials ?? {}) as Record<string, unknown>;
    if (Object.keys(given).length > 0 && storedAsSecret(`${ns}:alertCredentials`) === false) {
      problems.push(`${ns}:alertCredentials: must be a secret (pulumi config set --secret --path 'alertCredentials.<name>' <value>)`);
    }
    for (const [file, what] of Object.entries(expected)) {
      if (typeof given[file] !== 'string' || given[file] === '') problems.push(`${ns}:alertCredentials.${file}: missing: ${what}`);
    }
    for (const file of Object.keys(given).filter((f) => !(f in expected))) {
      problems.push(`${ns}:alertCredentials.${file}: no receiver reads it (expected ${Object.keys(expected).join(', ') || 'none'})`);
    }
    if (Object.keys(expected).length > 0) {
      providedSecrets[ALERTMANAGER_RECEIVERS_SECRET] = Object.fromEntries(Object.keys(expected).map((file) => [file, pulumi.secret(String(given[file]))]));
    }
  }

  if (spec) {
    const given = secretValuesFromConfig(config, spec, storedAsSecret(`${ns}:${SECRET_VALUES_KEY}`));
    problems.push(...given.problems);
    Object.assign(providedSecrets, given.values);
  }

  const needsSpaces = spec?.scale === 'distributed' && spec.components.loki.enabled && parsed.success && parsed.data.cluster.mode === 'create';
  for (const key of ['spacesAccessKeyId', 'spacesSecretAccessKey']) {
    const set = config.get(key) !== undefined;
    if (needsSpaces && !set) problems.push(`${ns}:${key}: a distributed stack keeps its logs in a Spaces bucket this program creates: pulumi config set --secret ${key} <value> (a Spaces access key)`);
    if (set && storedAsSecret(`${ns}:${key}`) === false) problems.push(`${ns}:${key}: must be a secret (pulumi config set --secret ${key} <value>)`);
  }

  if (problems.length > 0 || !parsed.success || !spec) throw new ConfigError(problems);
  const { environment, cluster, ingress } = parsed.data;
  return {
    environment,
    cluster: cluster.mode === 'create' ? { ...cluster, name: cluster.name ?? `observatory-${pulumi.getStack()}` } : { mode: 'existing', kubeconfig: config.requireSecret('kubeconfig') },
    ingress,
    spec,
    providedSecrets,
    ...(needsSpaces ? { spaces: { accessKeyId: config.requireSecret('spacesAccessKeyId'), secretAccessKey: config.requireSecret('spacesSecretAccessKey') } } : {}),
  };
}

import type { CatalogImage, ImageKey } from './catalog.js';
import type { PodSettings, Resources } from './spec.js';

/** A key of a secret that a component reads. */
export interface SecretRef {
  readonly secret: string;
  readonly key: string;
}

/** A value assembled from literal text and secret keys, e.g. a database URL with its password. */
export interface Template {
  /** Text with `{name}` placeholders, each filled from `secrets[name]`. */
  readonly template: string;
  readonly secrets: Readonly<Record<string, SecretRef>>;
}

/** An environment value: literal text, one secret key, or a template over secret keys. */
export type Value = string | { readonly secret: SecretRef } | Template;

/** A secret a component owns: renderers never put its values in workloads, only references. */
export interface SecretSpec {
  readonly name: string;
  /** Key → how to generate a value (random characters from a URL-safe alphabet). */
  readonly keys: Readonly<Record<string, { readonly length: number }>>;
}

/**
 * Credentials only the user has (a Slack webhook URL, a PagerDuty key): never generated, never literal. The
 * process reads them as files: on Kubernetes from a Secret of that name (its keys are the file names), in
 * compose from files the user puts beside the bundle (`secrets/<secret>/<file>`).
 */
export interface ProvidedSecretFiles {
  readonly secret: string;
  /** Directory the files appear in inside the container. */
  readonly dir: string;
  /** File name (= Secret key) → what it must hold. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Credentials of a service outside the stack (an object storage bucket, an OpenSearch cluster), read from
 * environment variables: never generated, never literal. On Kubernetes a Secret of that name that you (or the
 * Pulumi program) create; in compose the `.env` variables named after it (`<SECRET>_<KEY>`).
 */
export interface ExternalSecret {
  readonly secret: string;
  /** Key → what it must hold. */
  readonly keys: Readonly<Record<string, string>>;
  /**
   * Keys the process reads as files (a CA certificate), each at `<dir>/<key>`: on Kubernetes those keys of the
   * Secret mounted read-only, in compose a secret made from the same `.env` variable.
   * @default none: every key only as an environment variable
   */
  readonly files?: { readonly dir: string; readonly keys: readonly string[] };
}

export interface Port {
  /** IANA service name (at most 15 characters), used for Kubernetes port names. */
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
  /** Publish on the local machine in the compose bundle, on this host port (default: the same port). */
  readonly publish?: boolean | { readonly hostPort: number };
  /**
   * Who may connect (Kubernetes network policies): `stack` (default) only the components that declare a
   * connection to this port; `cluster` any pod of any namespace (telemetry intake from the workloads).
   */
  readonly clients?: 'stack' | 'cluster';
  /**
   * Served outside the cluster through the ingress, at `https://<host>.<domain>`. Only for ports whose every
   * request the component authenticates itself (a login, a bearer token, a project key).
   */
  readonly ingress?: { readonly host: string };
}

/** A flow a component opens to a port of another component of the stack; network policies allow exactly these. */
export interface Connection {
  readonly component: string;
  readonly port: number;
}

/** The port every node's kubelet serves its API on (stats, `/metrics`). */
export const KUBELET_PORT = 10250;

/**
 * A destination outside the stack a component opens connections to (Kubernetes network policies):
 * the nodes' kubelets (KUBELET_PORT), every pod of the cluster (scraping annotated pods), or addresses outside
 * the cluster on some ports (notification services). The Kubernetes API follows from `clusterAccess`.
 */
export type ExternalDestination =
  | { readonly kind: 'kubelet' }
  | { readonly kind: 'any-pod' }
  | { readonly kind: 'internet'; readonly ports: readonly number[] }
  /** Any pod of the cluster or address outside it, on these ports (the user's scrape targets). */
  | { readonly kind: 'anywhere'; readonly ports: readonly number[] };

export type Probe =
  | { readonly http: { readonly port: number; readonly path: string } }
  | { readonly exec: readonly string[] }
  | { readonly tcp: { readonly port: number } };

/**
 * Readiness asks "can it serve now" (and may depend on its dependencies); liveness only "is the process still
 * responsive", never the same check: a readiness failure caused by a dependency must not restart the process.
 */
export interface HealthChecks {
  readonly readiness: Probe;
  /** Absent where nothing cheaper than readiness tells a live process from a dead one (it exits when it fails). */
  readonly liveness?: Probe;
  /** Seconds the process may take to start before liveness counts (Loki's ring, Postgres init). */
  readonly startupSeconds: number;
}

/** A config file the component's process reads; shipped byte-identical to every runtime. */
export interface ConfigFile {
  /** File name inside `dir`. */
  readonly name: string;
  /** Directory the file appears in inside the container. */
  readonly dir: string;
  readonly content: string;
}

export interface Volume {
  readonly name: string;
  readonly mountPath: string;
  /**
   * `persistent`: survives restarts (PVC / named volume; a `stateful` component's claims come from its StatefulSet,
   * a `scheduled` one's is a PersistentVolumeClaim of its own, kept between runs). `scratch`: writable, lost on
   * restart (emptyDir).
   */
  readonly kind: 'persistent' | 'scratch';
  /** Size of a persistent volume (`5Gi`). */
  readonly size?: string;
}

export interface Dependency {
  readonly name: string;
  /** `healthy`: wait for its health check; `started`: it runs; `completed`: a one-shot step finished. */
  readonly condition: 'healthy' | 'started' | 'completed';
}

export interface ResolvedImage {
  readonly key: ImageKey;
  /** Full reference, registry and tag included. */
  readonly ref: string;
  readonly facts: CatalogImage;
}

/** A value Kubernetes fills in from the pod itself (the downward API). */
export type PodField = 'nodeName' | 'hostIP' | 'podIP' | 'podName' | 'namespace';

/** One rule of a ClusterRole: the verbs allowed on some resources of an API group. */
export interface AccessRule {
  /** `''` is the core group. */
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly ('get' | 'list' | 'watch')[];
}

/**
 * What a component does only on Kubernetes, on top of what it does everywhere. Other renderers
 * ignore it, so shared config files stay byte-identical across runtimes.
 */
export interface KubernetesExtras {
  /** Further config files (e.g. a collector config overlay using the Kubernetes API). */
  readonly configFiles?: readonly ConfigFile[];
  /** Appended to `args`. */
  readonly args?: readonly string[];
  /** Environment variables from the pod's own fields. */
  readonly podFields?: Readonly<Record<string, PodField>>;
  /** Read access to the Kubernetes API, cluster-wide: a ServiceAccount, ClusterRole and binding of its own. */
  readonly clusterAccess?: readonly AccessRule[];
  /** Destinations outside the stack it connects to. */
  readonly egress?: readonly ExternalDestination[];
  /** Scheduling, pull secrets, extra pod labels and annotations (the spec's `pods`, resolved for its group). */
  readonly pod?: PodSettings;
}

export type Runtime = 'kubernetes' | 'compose';

/**
 * One process of the stack, described once and independent of where it runs.
 * Renderers (Kubernetes, compose) turn it into their objects without knowing which component it is.
 */
export interface Component {
  /** DNS label: the compose service name, the Kubernetes workload and Service name. */
  readonly name: string;
  /** What it is in the stack (`app.kubernetes.io/component`): metrics, logs, traces, ... */
  readonly role: string;
  readonly image: ResolvedImage;
  /**
   * `service`: long-running, stateless; `stateful`: long-running with persistent volumes; `job`: runs once to
   * completion; `per-node`: one instance on every node (a DaemonSet; Kubernetes only); `scheduled`: runs to
   * completion on its `schedule` (a CronJob; compose has no scheduler: a one-shot service in the compose profile
   * named after its `role`, run with `docker compose run --rm <name>`).
   */
  readonly kind: 'service' | 'stateful' | 'job' | 'per-node' | 'scheduled';
  /** When a `scheduled` component runs: a five-field cron expression (model/cron.ts). */
  readonly schedule?: string;
  /** Where it runs; default everywhere. */
  readonly runtimes?: readonly Runtime[];
  readonly replicas: number;
  /** Scaled out on load (Kubernetes): `replicas` up to `maxReplicas`, at this average CPU use of the requests. */
  readonly autoscaling?: { readonly maxReplicas: number; readonly targetCpuPercent: number };
  readonly command?: readonly string[];
  readonly args?: readonly (string | Template)[];
  readonly env?: Readonly<Record<string, Value>>;
  readonly ports: readonly Port[];
  readonly configFiles: readonly ConfigFile[];
  readonly volumes: readonly Volume[];
  /** Where the process serves its own Prometheus metrics, scraped by the collector. */
  readonly metrics?: { readonly port: number; readonly path: string };
  /** Absent only for jobs and scheduled components. */
  readonly health?: HealthChecks;
  readonly resources: Resources;
  /** False only where the image must write outside its declared volumes. */
  readonly readOnlyRootFilesystem: boolean;
  readonly secrets?: readonly SecretSpec[];
  readonly providedSecretFiles?: readonly ProvidedSecretFiles[];
  readonly externalSecrets?: readonly ExternalSecret[];
  readonly dependsOn?: readonly Dependency[];
  /** Every port of another component it connects to (checked against its config by test/unit/network-policies.test.ts). */
  readonly connectsTo?: readonly Connection[];
  /** Seconds to finish in-flight work and flush after SIGTERM. */
  readonly terminationGraceSeconds?: number;
  readonly kubernetes?: KubernetesExtras;
}

/** Whether a component runs on a runtime. */
export const runsOn = (component: Component, runtime: Runtime): boolean => !component.runtimes || component.runtimes.includes(runtime);

/**
 * The DNS name that resolves to every replica of a stateful component: its StatefulSet's governing headless
 * Service on Kubernetes, a network alias of each replica in compose. Replicas find their peers there (gossip,
 * rings) and the collector's gateway its samplers.
 */
export const peersHost = (component: string): string => `${component}-headless`;

/** The DNS name of one replica of a stateful component (its StatefulSet pod; compose gives that replica the alias). */
export const replicaHost = (component: string, index: number): string => `${component}-${index}.${peersHost(component)}`;

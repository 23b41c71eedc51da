import type { CatalogImage, ImageKey } from './catalog.js';
import type { Resources } from './spec.js';

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

export interface Port {
  /** IANA service name (at most 15 characters), used for Kubernetes port names. */
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
  /** Publish on the local machine in the compose bundle, on this host port (default: the same port). */
  readonly publish?: boolean | { readonly hostPort: number };
}

export type Probe =
  | { readonly http: { readonly port: number; readonly path: string } }
  | { readonly exec: readonly string[] }
  | { readonly tcp: { readonly port: number } };

export interface HealthChecks {
  readonly readiness: Probe;
  readonly liveness: Probe;
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
  /** `persistent`: survives restarts (PVC / named volume). `scratch`: writable, lost on restart (emptyDir). */
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
  /** `service`: long-running, stateless; `stateful`: long-running with persistent volumes; `job`: runs once to completion. */
  readonly kind: 'service' | 'stateful' | 'job';
  readonly replicas: number;
  readonly command?: readonly string[];
  readonly args?: readonly (string | Template)[];
  readonly env?: Readonly<Record<string, Value>>;
  readonly ports: readonly Port[];
  readonly configFiles: readonly ConfigFile[];
  readonly volumes: readonly Volume[];
  /** Where the process serves its own Prometheus metrics, scraped by the collector. */
  readonly metrics?: { readonly port: number; readonly path: string };
  /** Absent only for jobs. */
  readonly health?: HealthChecks;
  readonly resources: Resources;
  /** False only where the image must write outside its declared volumes. */
  readonly readOnlyRootFilesystem: boolean;
  readonly secrets?: readonly SecretSpec[];
  readonly dependsOn?: readonly Dependency[];
  /** Seconds to finish in-flight work and flush after SIGTERM. */
  readonly terminationGraceSeconds?: number;
}

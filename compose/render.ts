import { peersHost, replicaHost, runsOn, type Component, type Dependency, type Probe, type SecretRef, type Template, type Value } from '../model/component.js';
import { cpuMillis, memoryMiB } from '../model/quantity.js';
import { envVarOf } from '../model/secret-names.js';
import { secretsOf, type SecretValues } from '../model/secrets.js';
import type { StackSpec } from '../model/spec.js';
import { toYaml } from '../constructs/describe.js';

/** Files of the compose bundle, path relative to the bundle root → content. */
export type BundleFiles = Map<string, string>;

/**
 * Compose interpolates `$` in every string value; a literal one is written `$$`. (A function replacement:
 * in a replacement string `$$` itself means one `$`.)
 */
const literal = (text: string) => text.replaceAll('$', () => '$$');

/**
 * `${VAR:?message}`: compose refuses to start when `.env` lacks the variable instead of passing an empty password.
 * Synth generates the stack's own; a store's outside the stack (`externalSecrets`) only you have.
 */
const variable = (ref: SecretRef, external: ReadonlySet<string>) => {
  const name = envVarOf(ref);
  const remedy = external.has(ref.secret) ? `set it in .env (the ${ref.secret} credentials, docs/DISTRIBUTED.md)` : 'run observatory synth to create .env';
  return `\${${name}:?${name} is not set: ${remedy}}`;
};

function composeValue(value: Value, external: ReadonlySet<string>): string {
  if (typeof value === 'string') return literal(value);
  if ('secret' in value) return variable(value.secret, external);
  return fillTemplate(value, external);
}

function fillTemplate(value: Template, external: ReadonlySet<string>): string {
  let text = literal(value.template);
  for (const [placeholder, ref] of Object.entries(value.secrets)) text = text.replaceAll(`{${placeholder}}`, () => variable(ref, external));
  return text;
}

/** The compose health check for a probe, using only what the image ships (`undefined` when it ships nothing usable). */
function healthcheckTest(component: Component, probe: Probe): string[] | undefined {
  if ('exec' in probe) return ['CMD', ...probe.exec.map(literal)];
  if ('tcp' in probe) return undefined;
  const url = `http://127.0.0.1:${probe.http.port}${probe.http.path}`;
  switch (component.image.facts.httpCheckTool) {
    case 'wget':
      // No `-T`: the healthcheck's own timeout bounds it, and some busybox builds crash on it (Debian's 1.35 static).
      return ['CMD', 'wget', '-q', '-O', '/dev/null', url];
    case 'curl':
      return ['CMD', 'curl', '-fsS', '-o', '/dev/null', '--max-time', '5', url];
    case 'python':
      return ['CMD', 'python', '-c', `import urllib.request; urllib.request.urlopen("${url}", timeout=5)`];
    case 'self':
      return ['CMD', ...(component.image.facts.selfCheck ?? []).map((part) => part.replaceAll('{url}', url))];
    case 'none':
      return undefined;
  }
}

/** Where the user puts a credential file only they have (compose mounts it; synth never writes it). */
export const providedSecretPath = (secret: string, file: string) => `secrets/${secret}/${file}`;

/** Where a component's config directory lives inside the bundle. */
export const bundleConfigDir = (component: string, dir: string) => `config/${component}${dir}`;

/**
 * The user a service runs as. Named volumes start owned by whoever owns the mount path in the image;
 * where the image does not ship the path owned by its user, the service runs as root with every
 * capability dropped, which can write only what root owns: its own fresh volumes.
 */
function composeUser(component: Component): string {
  const { user, ownedPaths } = component.image.facts;
  const persistent = component.volumes.filter((v) => v.kind === 'persistent');
  const owned = persistent.every((v) => ownedPaths.some((p) => v.mountPath === p || v.mountPath.startsWith(`${p}/`)));
  return owned ? `${user.uid}:${user.gid}` : `0:${user.gid}`;
}

/**
 * How often compose probes: `start_interval` while a service starts, `interval` after. Engines before 25 (API 1.44;
 * Debian's docker.io 20.10) drop `start_interval` and probe first `interval` after the start, so every level of
 * `service_healthy` dependencies waits that long: 5 s, not 10, for start-up (a probe is one process in the
 * container, once per 5 s per service). Six failures in a row, 30 s as before, make a service unhealthy.
 */
const HEALTHCHECK_TIMING = { interval: '5s', timeout: '5s', retries: 6, start_interval: '2s' } as const;

const conditionOf: Record<Dependency['condition'], string> = {
  healthy: 'service_healthy',
  started: 'service_started',
  completed: 'service_completed_successfully',
};

/**
 * The compose services of a component: one per replica. The first keeps the component's name (it publishes the
 * host ports), the others are `<name>-<i>`. Each answers, as on Kubernetes, on the component's name, its peers
 * name and its own replica name (network aliases), so one config file serves both runtimes.
 */
export function replicaServices(component: Component): { service: string; index: number }[] {
  const count = component.kind === 'service' || component.kind === 'stateful' ? component.replicas : 1;
  return Array.from({ length: count }, (_, index) => ({ service: index === 0 ? component.name : `${component.name}-${index}`, index }));
}

/**
 * The names a replica answers on besides its service name, as the same pod would on Kubernetes: the component's
 * name (replicas after the first), its peers name (a stateful component's governing Service) and its own replica
 * name (a StatefulSet pod's).
 */
function networkAliases(component: Component, index: number, replicated: boolean): string[] {
  if (!replicated && component.kind !== 'stateful') return [];
  return [...(index > 0 ? [component.name] : []), peersHost(component.name), ...(replicated ? [replicaHost(component.name, index)] : [])];
}

export interface ComposeBundle {
  readonly files: BundleFiles;
  /** Variables the stack reads from `.env`. */
  readonly variables: readonly string[];
}

/** Renders components to `compose.yaml`, `config/…` and `.env.example`. */
export function renderCompose(spec: StackSpec, allComponents: readonly Component[]): ComposeBundle {
  const components = allComponents.filter((c) => runsOn(c, 'compose'));
  for (const c of components) {
    if (c.kind === 'per-node') throw new Error(`compose: ${c.name} runs once per node, which compose cannot express; mark it Kubernetes-only`);
  }
  const files: BundleFiles = new Map();
  const services: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  const hostPorts = new Map<number, string>();
  const healthChecked = new Set<string>();
  for (const c of components) if (c.health && healthcheckTest(c, c.health.readiness)) healthChecked.add(c.name);
  const present = new Set(components.map((c) => c.name));
  const externalSecrets = new Set(components.flatMap((c) => c.externalSecrets ?? []).map((e) => e.secret));
  const servicesOf = new Map(components.map((c) => [c.name, replicaServices(c).map((r) => r.service)]));

  for (const c of components) for (const { service, index } of replicaServices(c)) {
    const replicated = servicesOf.get(c.name)!.length > 1;
    const ports = index > 0 ? [] : c.ports.flatMap((p) => {
      if (!p.publish) return [];
      const hostPort = typeof p.publish === 'object' ? p.publish.hostPort : p.port;
      const taken = hostPorts.get(hostPort);
      if (taken) throw new Error(`compose: host port ${hostPort} is published by both ${taken} and ${c.name}`);
      hostPorts.set(hostPort, c.name);
      return [`${spec.compose.bindAddress}:${hostPort}:${p.port}${p.protocol === 'UDP' ? '/udp' : ''}`];
    });
    const mounts: Record<string, unknown>[] = [];
    for (const dir of new Set(c.configFiles.map((f) => f.dir))) {
      mounts.push({ type: 'bind', source: `./${bundleConfigDir(c.name, dir)}`, target: dir, read_only: true });
    }
    for (const file of c.configFiles) files.set(`${bundleConfigDir(c.name, file.dir)}/${file.name}`, file.content);
    for (const v of c.volumes.filter((v) => v.kind === 'persistent')) {
      const name = `${service}-${v.name}`;
      volumes[name] = {};
      mounts.push({ type: 'volume', source: name, target: v.mountPath });
    }
    const serviceSecrets: Record<string, unknown>[] = [];
    for (const provided of c.providedSecretFiles ?? []) {
      for (const file of Object.keys(provided.files)) {
        const source = `${provided.secret}-${file}`;
        secrets[source] = { file: `./${providedSecretPath(provided.secret, file)}` };
        serviceSecrets.push({ source, target: `${provided.dir}/${file}` });
      }
    }
    for (const external of c.externalSecrets ?? []) {
      for (const key of external.files?.keys ?? []) {
        // Made from the same .env variable the other keys are read from (Compose's `environment` secret source).
        const variable = envVarOf({ secret: external.secret, key });
        secrets[variable] = { environment: variable };
        serviceSecrets.push({ source: variable, target: `${external.files!.dir}/${key}` });
      }
    }
    // A tmpfs takes the mode of the image's folder it covers but belongs to root: owned by the container's user (as
    // Kubernetes makes an emptyDir writable), or a user without root cannot write where the image let it (Loki's /loki).
    const [uid, gid] = composeUser(c).split(':');
    const tmpfs = c.volumes.filter((v) => v.kind === 'scratch').map((v) => `${v.mountPath}:uid=${uid},gid=${gid}`);
    const test = c.health ? healthcheckTest(c, c.health.readiness) : undefined;
    const dependsOn = Object.fromEntries(
      (c.dependsOn ?? [])
        .filter((d) => present.has(d.name))
        .flatMap((d) => {
          // A dependency without a usable health check can only be waited for until it starts.
          const condition = d.condition === 'healthy' && !healthChecked.has(d.name) ? 'started' : d.condition;
          return servicesOf.get(d.name)!.map((name) => [name, { condition: conditionOf[condition] }] as const);
        }),
    );
    const aliases = networkAliases(c, index, replicated);
    services[service] = {
      image: c.image.ref,
      // Compose has no scheduler: a scheduled component is a one-shot service that `up` leaves out (its profile
      // is not enabled) and `docker compose run --rm <name>` runs, by hand or from the host's cron.
      ...(c.kind === 'scheduled' ? { profiles: [c.role] } : {}),
      ...(c.command ? { entrypoint: c.command.map(literal) } : {}),
      ...(c.args ? { command: c.args.map((a) => (typeof a === 'string' ? literal(a) : fillTemplate(a, externalSecrets))) } : {}),
      user: composeUser(c),
      ...(c.env ? { environment: Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, composeValue(v, externalSecrets)])) } : {}),
      ...(ports.length ? { ports } : {}),
      ...(mounts.length ? { volumes: mounts } : {}),
      read_only: c.readOnlyRootFilesystem,
      ...(tmpfs.length ? { tmpfs } : {}),
      ...(serviceSecrets.length ? { secrets: serviceSecrets } : {}),
      ...(test && c.health ? { healthcheck: { test, ...HEALTHCHECK_TIMING, start_period: `${c.health.startupSeconds}s` } } : {}),
      ...(Object.keys(dependsOn).length ? { depends_on: dependsOn } : {}),
      ...(aliases.length ? { networks: { default: { aliases } } } : {}),
      restart: c.kind === 'job' || c.kind === 'scheduled' ? 'no' : 'unless-stopped',
      security_opt: ['no-new-privileges:true'],
      cap_drop: ['ALL'],
      cpus: cpuMillis(c.resources.limits.cpu) / 1000,
      mem_limit: `${memoryMiB(c.resources.limits.memory)}m`,
      mem_reservation: `${memoryMiB(c.resources.requests.memory)}m`,
      stop_grace_period: `${c.terminationGraceSeconds ?? 30}s`,
      labels: { 'org.observatory.component': c.role, 'org.observatory.stack': spec.name },
    };
  }

  const variables = secretsOf(components).flatMap((s) => Object.keys(s.keys).map((key) => envVarOf({ secret: s.name, key })));
  const external = [...new Set(components.flatMap((c) => c.externalSecrets ?? []).flatMap((e) => Object.keys(e.keys).map((key) => envVarOf({ secret: e.secret, key }))))];
  files.set(
    'compose.yaml',
    toYaml({ name: spec.name, services, ...(Object.keys(volumes).length ? { volumes } : {}), ...(Object.keys(secrets).length ? { secrets } : {}) }),
  );
  files.set(
    '.env.example',
    [
      '# Credentials of the local stack. `observatory synth` writes .env with random values when it is missing',
      '# and never overwrites it; copy this file to .env only to set values yourself.',
      ...variables.map((v) => `${v}=`),
      ...(external.length > 0
        ? ['', '# Credentials of stores outside the stack (docs/DISTRIBUTED.md): never generated, set them in .env yourself.', ...external.map((v) => `${v}=`)]
        : []),
      '',
    ].join('\n'),
  );
  return { files, variables };
}

/** A generated value for every `.env` variable of the stack, in a stable order. */
export function envAssignments(components: readonly Component[], generated: SecretValues): Map<string, string> {
  const assignments = new Map<string, string>();
  for (const secret of secretsOf(components)) {
    for (const key of Object.keys(secret.keys)) assignments.set(envVarOf({ secret: secret.name, key }), generated[secret.name]![key]!);
  }
  return assignments;
}

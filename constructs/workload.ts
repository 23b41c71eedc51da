// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import kplus = require('cdk8s-plus-28');
import constructs = require('constructs');
import ApiObject = cdk8s.ApiObject;
import Cron = cdk8s.Cron;
import Duration = cdk8s.Duration;
import JsonPatch = cdk8s.JsonPatch;
import Size = cdk8s.Size;
import Construct = constructs.Construct;
import { peersHost, type AccessRule, type Component, type ConfigFile, type PodField, type Probe, type Template, type Value } from '../model/component.js';
import { cronFields } from '../model/cron.js';
import { cpuMillis, memoryMiB } from '../model/quantity.js';
import { envVarOf } from '../model/secret-names.js';
import type { PodSettings, StackSpec } from '../model/spec.js';
import { ReplicaAvailability } from './availability.js';
import { componentLabels, selectorLabels } from './labels.js';
import { assertChartNamespace } from './namespace-guards.js';

/**
 * Node disk a container may use for its logs and scratch volumes (emptyDir): a runaway writer is evicted before
 * it fills the node. Patched in, since cdk8s-plus only writes whole gibibytes.
 */
const EPHEMERAL_STORAGE = { request: '64Mi', limit: '2Gi' } as const;

/**
 * kube-score wants UIDs and GIDs above 10000, outside the range host accounts use. Our own images run as
 * 10001+; the upstream images of Postgres (70), Valkey (999), Grafana (472), Umami (1001) and GlitchTip own
 * their files and data directories as their built-in user, and Postgres' initdb refuses a UID it cannot
 * look up in the image's /etc/passwd. Those keep their UID: the containers still run non-root, without
 * privilege escalation or capabilities, on a read-only root filesystem, so a shared UID grants nothing on the
 * host. The annotation records the exception on exactly those workloads.
 */
const HOST_UID_RANGE_END = 10_000;
const UPSTREAM_UID_CHECK = 'container-security-context-user-group-id';
/**
 * kube-score wants `imagePullPolicy: Always` (tags can move). The cluster presets use it; a spec that chose
 * another policy (the local preset: images built or loaded on the machine, e.g. into kind) says so on purpose.
 */
const PULL_POLICY_CHECK = 'container-image-pull-policy';

/** The kube-score checks a workload is exempt from, with the reasons above; undefined when none. */
function kubeScoreIgnores(uid: number, spec: StackSpec): Record<string, string> | undefined {
  const checks = [...(uid < HOST_UID_RANGE_END ? [UPSTREAM_UID_CHECK] : []), ...(spec.images.pullPolicy !== 'Always' ? [PULL_POLICY_CHECK] : [])];
  return checks.length > 0 ? { 'kube-score/ignore': checks.join(',') } : undefined;
}

/** Config files grouped by the directory they appear in: one ConfigMap, one volume each. */
export function configDirectories(files: readonly ConfigFile[]): Map<string, ConfigFile[]> {
  const dirs = new Map<string, ConfigFile[]>();
  for (const file of files) dirs.set(file.dir, [...(dirs.get(file.dir) ?? []), file]);
  return dirs;
}

/** `grafana` + `/etc/grafana/provisioning/datasources` → `grafana-grafana-provisioning-datasources`. */
export function configMapName(component: string, dir: string): string {
  const slug = dir.replace(/^\/(etc|var\/lib)\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  return `${component}-${slug}`.slice(0, 253).replace(/-$/, '');
}

function kubeProbe(probe: Probe, options: kplus.ProbeOptions): kplus.Probe {
  if ('http' in probe) return kplus.Probe.fromHttpGet(probe.http.path, { ...options, port: probe.http.port });
  if ('exec' in probe) return kplus.Probe.fromCommand([...probe.exec], options);
  return kplus.Probe.fromTcpSocket({ ...options, port: probe.tcp.port });
}

const isTemplate = (value: Value): value is Template => typeof value === 'object' && 'template' in value;

/**
 * Environment of a container. Secret keys used inside templates become variables of their own,
 * declared first, so that Kubernetes expands `$(NAME)` in the templated value.
 */
function kubeEnv(scope: Construct, env: Readonly<Record<string, Value>>): Record<string, kplus.EnvValue> {
  const secrets = new Map<string, kplus.ISecret>();
  const secretNamed = (name: string) => {
    if (!secrets.has(name)) secrets.set(name, kplus.Secret.fromSecretName(scope, `secret-${name}`, name));
    return secrets.get(name)!;
  };
  const fromSecret = (secret: string, key: string) => kplus.EnvValue.fromSecretValue({ secret: secretNamed(secret), key });
  const secretVars: Record<string, kplus.EnvValue> = {};
  const plain: Record<string, kplus.EnvValue> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') plain[name] = kplus.EnvValue.fromValue(value);
    else if (isTemplate(value)) {
      let text = value.template;
      for (const [placeholder, ref] of Object.entries(value.secrets)) {
        const variable = envVarOf(ref);
        secretVars[variable] = fromSecret(ref.secret, ref.key);
        text = text.replaceAll(`{${placeholder}}`, `$(${variable})`);
      }
      plain[name] = kplus.EnvValue.fromValue(text);
    } else plain[name] = fromSecret(value.secret.secret, value.secret.key);
  }
  return { ...secretVars, ...plain };
}

const podFieldPaths: Record<PodField, kplus.EnvFieldPaths> = {
  nodeName: kplus.EnvFieldPaths.NODE_NAME,
  hostIP: kplus.EnvFieldPaths.NODE_IP,
  podIP: kplus.EnvFieldPaths.POD_IP,
  podName: kplus.EnvFieldPaths.POD_NAME,
  namespace: kplus.EnvFieldPaths.POD_NAMESPACE,
};

/** A ServiceAccount bound to a ClusterRole of exactly these rules, named after the component (and namespace: cluster-wide names). */
function clusterAccess(scope: Construct, component: Component, spec: StackSpec, rules: readonly AccessRule[]): kplus.ServiceAccount {
  const labels = componentLabels(spec, component);
  const account = new kplus.ServiceAccount(scope, 'service-account', { metadata: { name: component.name, labels }, automountToken: true });
  const role = new kplus.ClusterRole(scope, 'cluster-role', { metadata: { name: `${spec.namespace}-${component.name}`, labels } });
  const binding = new kplus.ClusterRoleBinding(scope, 'cluster-role-binding', { metadata: { name: `${spec.namespace}-${component.name}`, labels }, role });
  binding.addSubjects(account);
  // The rules as given, one per API group and verbs (cdk8s-plus's own would be one per resource), and no
  // namespace on cluster-scoped objects.
  ApiObject.of(role).addJsonPatch(
    JsonPatch.add('/rules', rules.map((r) => ({ apiGroups: [r.apiGroup], resources: [...r.resources], verbs: [...r.verbs] }))),
  );
  for (const clusterScoped of [role, binding]) ApiObject.of(clusterScoped).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return account;
}

/** Renders one runtime-neutral component as Kubernetes objects (workload, Service, ConfigMaps, API access). */
export class ComponentWorkload extends Construct {
  readonly workload: kplus.Deployment | kplus.StatefulSet | kplus.Job | kplus.DaemonSet | kplus.CronJob;
  readonly service?: kplus.Service;

  constructor(scope: Construct, id: string, component: Component, spec: StackSpec) {
    super(scope, id);
    const extras = component.kubernetes ?? {};
    const configFiles = [...component.configFiles, ...(extras.configFiles ?? [])];
    // A secret inside an argument: an environment variable from the Secret, which Kubernetes expands as `$(NAME)`.
    const argSecrets: Record<string, Value> = {};
    const kubeArg = (arg: string | Template) => {
      if (typeof arg === 'string') return arg;
      let text = arg.template;
      for (const [placeholder, ref] of Object.entries(arg.secrets)) {
        argSecrets[envVarOf(ref)] = { secret: ref };
        text = text.replaceAll(`{${placeholder}}`, `$(${envVarOf(ref)})`);
      }
      return text;
    };
    const args = [...(component.args ?? []).map(kubeArg), ...(extras.args ?? [])];
    const podFieldEnv = Object.fromEntries(
      Object.entries(extras.podFields ?? {}).map(([name, field]) => [name, kplus.EnvValue.fromFieldRef(podFieldPaths[field])]),
    );
    const serviceAccount = extras.clusterAccess?.length ? clusterAccess(this, component, spec, extras.clusterAccess) : undefined;
    const labels = componentLabels(spec, component);
    const { uid, gid } = component.image.facts.user;

    const ports = component.ports.map((p) => ({
      name: p.name,
      number: p.port,
      protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP,
    }));
    const probeTiming = { periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 3 };
    const health = component.health;
    const container: kplus.ContainerProps = {
      name: component.name,
      image: component.image.ref,
      imagePullPolicy: spec.images.pullPolicy as kplus.ImagePullPolicy,
      ...(component.command ? { command: [...component.command] } : {}),
      ...(args.length > 0 ? { args } : {}),
      ports,
      envVariables: { ...kubeEnv(this, { ...argSecrets, ...(component.env ?? {}) }), ...podFieldEnv },
      resources: {
        cpu: { request: kplus.Cpu.millis(cpuMillis(component.resources.requests.cpu)), limit: kplus.Cpu.millis(cpuMillis(component.resources.limits.cpu)) },
        memory: { request: Size.mebibytes(memoryMiB(component.resources.requests.memory)), limit: Size.mebibytes(memoryMiB(component.resources.limits.memory)) },
      },
      securityContext: {
        user: uid,
        group: gid,
        ensureNonRoot: true,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: component.readOnlyRootFilesystem,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      ...(health
        ? {
            readiness: kubeProbe(health.readiness, probeTiming),
            ...(health.liveness ? { liveness: kubeProbe(health.liveness, { ...probeTiming, periodSeconds: Duration.seconds(20) }) } : {}),
            startup: kubeProbe(health.liveness ?? health.readiness, { ...probeTiming, periodSeconds: Duration.seconds(5), failureThreshold: Math.max(1, Math.ceil(health.startupSeconds / 5)) }),
          }
        : {}),
    };

    const annotations = kubeScoreIgnores(uid, spec);
    const podProps = {
      metadata: { name: component.name, labels, ...(annotations ? { annotations } : {}) },
      podMetadata: { labels },
      select: false,
      containers: [container],
      // Only components that read the Kubernetes API get a token, for their own ServiceAccount.
      automountServiceAccountToken: serviceAccount !== undefined,
      ...(serviceAccount ? { serviceAccount } : {}),
      securityContext: {
        ensureNonRoot: true,
        user: uid,
        group: gid,
        fsGroup: gid,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      terminationGracePeriod: Duration.seconds(component.terminationGraceSeconds ?? 30),
    };

    if (component.ports.length > 0 && component.kind !== 'job' && component.kind !== 'per-node' && component.kind !== 'scheduled') {
      this.service = new kplus.Service(this, 'service', {
        metadata: { name: component.name, labels },
        ports: component.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: p.port,
          protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP,
        })),
      });
    }

    if (component.kind === 'job') {
      this.workload = new kplus.Job(this, 'job', { ...podProps, backoffLimit: 6 });
    } else if (component.kind === 'stateful') {
      // The StatefulSet's governing Service is headless (stable per-pod DNS names); clients keep the
      // load-balanced Service named after the component.
      const governing = new kplus.Service(this, 'headless-service', {
        metadata: { name: peersHost(component.name), labels },
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        ports: component.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP })),
      });
      governing.select(kplus.Pods.select(this, 'headless-pods', { labels: selectorLabels(spec, component) }));
      // Replicas start (and are replaced) all at once, as upstream's charts run Loki's targets and Alertmanager:
      // no component here needs its replicas started in order (peers find each other through the headless name,
      // which publishes not-ready addresses), and OrderedReady would hold replica N until N-1 is Ready: a slower
      // start, and a stuck scale-up while one replica cannot get Ready (a Loki writer waiting for its ring).
      this.workload = new kplus.StatefulSet(this, 'statefulset', {
        ...podProps,
        replicas: component.replicas,
        service: governing,
        podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      });
    } else if (component.kind === 'per-node') {
      this.workload = new kplus.DaemonSet(this, 'daemonset', podProps);
    } else if (component.kind === 'scheduled') {
      if (!component.schedule) throw new Error(`${component.name}: a scheduled component needs a schedule`);
      this.workload = new kplus.CronJob(this, 'cronjob', {
        ...podProps,
        schedule: new Cron(cronFields(component.schedule)),
        // UTC, not whatever zone the controller manager happens to run in.
        timeZone: 'Etc/UTC',
        // A run still going when the next is due (a large dump) is left alone, not joined by a second one.
        concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
        // Missed while the control plane was away: still started within the hour.
        startingDeadline: Duration.hours(1),
        successfulJobsRetained: 3,
        failedJobsRetained: 3,
        backoffLimit: 2,
      });
    } else {
      this.workload = new kplus.Deployment(this, 'deployment', { ...podProps, replicas: component.replicas });
    }
    const selector = selectorLabels(spec, component);
    for (const [key, value] of Object.entries(selector)) {
      this.workload.select(kplus.LabelSelector.of({ labels: { [key]: value } }));
    }
    this.service?.select(kplus.Pods.select(this, 'pods', { labels: selector }));

    const podSpecPath = component.kind === 'scheduled' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
    ApiObject.of(this.workload).addJsonPatch(
      // Quantities, not strings: the typed serializer after the patches drops what it does not recognise.
      JsonPatch.add(`${podSpecPath}/containers/0/resources/requests/ephemeral-storage`, kplus.k8s.Quantity.fromString(EPHEMERAL_STORAGE.request)),
      JsonPatch.add(`${podSpecPath}/containers/0/resources/limits/ephemeral-storage`, kplus.k8s.Quantity.fromString(EPHEMERAL_STORAGE.limit)),
    );
    applyPodSettings(this.workload, podSpecPath, component.kubernetes?.pod ?? {});

    const main = this.workload.containers[0]!;
    let mounted = 0;
    for (const [dir, files] of configDirectories(configFiles)) {
      const configMap = new kplus.ConfigMap(this, `config-${mounted}`, {
        metadata: { name: configMapName(component.name, dir), labels },
        data: Object.fromEntries(files.map((f) => [f.name, f.content])),
      });
      main.mount(dir, kplus.Volume.fromConfigMap(this, `config-volume-${mounted}`, configMap, { name: `config-${mounted}` }), { readOnly: true });
      mounted++;
    }
    for (const [index, provided] of (component.providedSecretFiles ?? []).entries()) {
      const secret = kplus.Secret.fromSecretName(this, `provided-secret-${index}`, provided.secret);
      main.mount(provided.dir, kplus.Volume.fromSecret(this, `provided-secret-volume-${index}`, secret, { name: `secret-${index}` }), { readOnly: true });
      mounted++;
    }
    for (const [index, external] of (component.externalSecrets ?? []).filter((e) => e.files).entries()) {
      // Only the keys read as files: the Secret's credentials stay out of the file system.
      const secret = kplus.Secret.fromSecretName(this, `external-secret-${index}`, external.secret);
      const items = Object.fromEntries(external.files!.keys.map((key) => [key, { path: key }]));
      main.mount(external.files!.dir, kplus.Volume.fromSecret(this, `external-secret-volume-${index}`, secret, { name: `external-${index}`, items }), { readOnly: true });
      mounted++;
    }
    for (const volume of component.volumes.filter((v) => v.kind === 'scratch')) {
      main.mount(volume.mountPath, kplus.Volume.fromEmptyDir(this, `scratch-${volume.name}`, volume.name));
      mounted++;
    }

    const persistent = component.volumes.filter((v) => v.kind === 'persistent');
    if (persistent.length > 0 && component.kind === 'scheduled') {
      // A CronJob has no claim templates: a claim of its own per volume, kept between runs.
      for (const v of persistent) {
        const claim = new kplus.k8s.KubePersistentVolumeClaim(this, `claim-${v.name}`, {
          metadata: { name: `${component.name}-${v.name}`, labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(spec.storageClass ? { storageClassName: spec.storageClass } : {}),
            resources: { requests: { storage: kplus.k8s.Quantity.fromString(v.size ?? '1Gi') } },
          },
        });
        const volume = kplus.Volume.fromPersistentVolumeClaim(
          this,
          `claim-volume-${v.name}`,
          kplus.PersistentVolumeClaim.fromClaimName(this, `claim-ref-${v.name}`, claim.name),
          { name: v.name },
        );
        main.mount(v.mountPath, volume);
      }
    } else if (persistent.length > 0) {
      if (component.kind !== 'stateful') throw new Error(`${component.name}: persistent volumes need kind "stateful" or "scheduled"`);
      const api = ApiObject.of(this.workload);
      const mounts = persistent.map((v) => ({ name: v.name, mountPath: v.mountPath }));
      if (mounted === 0) api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', mounts));
      else for (const m of mounts) api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', m));
      api.addJsonPatch(
        JsonPatch.add(
          '/spec/volumeClaimTemplates',
          persistent.map((v) => ({
            metadata: { name: v.name, labels: selectorLabels(spec, component) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(spec.storageClass ? { storageClassName: spec.storageClass } : {}),
              // A Quantity, not a string: the StatefulSet's typed serializer runs after the patch and keeps only
              // Quantity values in requests (a plain string would leave the claim without its size).
              resources: { requests: { storage: kplus.k8s.Quantity.fromString(v.size ?? '1Gi') } },
            },
          })),
        ),
      );
    }
  }
}

/** Renders a group of components (one upstream product, e.g. GlitchTip with its database). */
/** The spec's `pods` settings on a workload's pod template (the typed serializer keeps the pod-spec fields it knows). */
function applyPodSettings(workload: ComponentWorkload['workload'], podSpecPath: string, pod: PodSettings): void {
  for (const [key, value] of Object.entries(pod.labels ?? {})) workload.podMetadata.addLabel(key, value);
  for (const [key, value] of Object.entries(pod.annotations ?? {})) workload.podMetadata.addAnnotation(key, value);
  const fields: Record<string, unknown> = {
    nodeSelector: pod.nodeSelector,
    tolerations: pod.tolerations,
    affinity: pod.affinity,
    priorityClassName: pod.priorityClassName,
    imagePullSecrets: pod.imagePullSecrets?.map((name) => ({ name })),
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value !== undefined) ApiObject.of(workload).addJsonPatch(JsonPatch.add(`${podSpecPath}/${field}`, value));
  }
}

export class ComponentGroup extends Construct {
  readonly workloads: ComponentWorkload[];

  constructor(scope: Construct, id: string, readonly components: readonly Component[], spec: StackSpec) {
    super(scope, id);
    assertChartNamespace(this, spec.namespace);
    this.workloads = components.map((component) => new ComponentWorkload(this, component.name, component, spec));
    for (const [index, component] of components.entries()) {
      new ReplicaAvailability(this, `${component.name}-availability`, { spec, component, workload: this.workloads[index]!.workload });
    }
  }
}

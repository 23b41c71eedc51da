import type * as k8s from '@pulumi/kubernetes';
import type { AlertDefinition } from '../alerts/rule-model.js';
import { alertDeliveryGaps } from '../alerts/delivery-gaps.js';
import * as pulumi from '@pulumi/pulumi';
import { clusterEndpoints, type ClusterEndpoints } from '../constructs/cluster-endpoints.js';
import { COLLECTOR, GRAFANA } from '../constructs/addresses.js';
import { componentGroups, componentsOf } from '../constructs/components.js';
import type { DashboardFiles } from '../constructs/grafana.js';
import { defaultDashboardFiles } from '../dashboards/defaults.js';
import { defineStack } from '../model/define.js';
import { claimNamespace } from '../model/namespace-claims.js';
import { secretsOf } from '../model/secrets.js';
import type { Environment, StackInput, StackSpec } from '../model/spec.js';
import { publicHosts, stackEndpoints, type StackEndpoints } from './endpoints.js';
import { objectKey, resourceClassOf, stageOf, type Stage } from './objects.js';
import { renderChart } from './render.js';
import { generatedSecret, givenSecret, providedSecret, type DeployedSecret, type SecretPlacement } from './secrets.js';

export type { StackEndpoints } from './endpoints.js';
export type { ClusterEndpoints } from '../constructs/cluster-endpoints.js';

export interface ObservabilityStackArgs {
  /** The Kubernetes provider of the cluster to deploy into; every object of the stack uses it. */
  readonly provider: k8s.Provider;
  /**
   * The stack spec: a resolved spec (`defineStack()`) or a partial one, merged over the preset of its
   * `environment` (or of `environment` below) and validated. Default: the preset.
   */
  readonly spec?: StackInput;
  /** Environment preset for a spec that names none. Default `local`, like `defineStack()`. */
  readonly environment?: Environment;
  /** Dashboards Grafana provisions, file name → JSON. Default: the dashboards Observatory ships. */
  readonly dashboards?: DashboardFiles;
  /** Your own alerts in the typed rule model, loaded by vmalert from `custom.yml` (see the cdk8s construct's `alerts`). @default none */
  readonly alerts?: readonly AlertDefinition[];
  /** Create the namespace. Default true; false when the namespace is managed elsewhere and already exists. */
  readonly createNamespace?: boolean;
  /**
   * Values by Secret name and key (pass secret values, `config.requireSecret`): the credentials only you have,
   * for the Secrets the components' `providedSecretFiles` name (e.g. `alertmanager-receivers` → `<receiver>-url`),
   * the credentials of the stores a distributed stack keeps outside it (`components[].externalSecrets`, e.g.
   * `loki-object-storage` → `access-key-id`...), and optionally values of your own for Secrets otherwise generated (e.g. `grafana-admin` → `password`), each
   * with every key. A Secret given here is not generated: with all of them given, no `random` resource is made.
   */
  readonly providedSecrets?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
  /** Secrets that already exist in the namespace, made outside this component: neither generated nor required. */
  readonly existingSecrets?: readonly string[];
  /** What the Ingress objects wait for: the ingress controller and the certificate issuer, when this program installs them. */
  readonly ingressDependencies?: readonly pulumi.Resource[];
}

/**
 * The whole observability stack on a Kubernetes cluster, for Pulumi programs: the objects of the cdk8s
 * `ObservabilityStack` chart, each applied once as a typed Kubernetes resource named `<name>:Kind/namespace/name`,
 * plus the Secrets the chart only references (random values or values you give, and your credentials).
 * Order: namespace; Secrets; config, services, RBAC, volumes and network policies; workloads; Ingresses.
 */
export class ObservabilityStack extends pulumi.ComponentResource {
  static readonly type = 'observatory:index:ObservabilityStack';

  /** The resolved spec the objects were rendered from. */
  readonly spec: StackSpec;
  readonly namespace: string;
  /** Every rendered object's resource, by `Kind/namespace/name`. */
  readonly objects: Readonly<Record<string, pulumi.CustomResource>>;
  /** The Secrets this component wrote, by name. */
  readonly secrets: Readonly<Record<string, k8s.core.v1.Secret>>;
  /** Public URLs (through the ingress), when the stack is public. */
  readonly endpoints: StackEndpoints;
  /** Where workloads in any namespace of the cluster reach the stack: OTLP endpoints, query URLs, the ingest token's Secret. */
  readonly clusterEndpoints: ClusterEndpoints;
  /** Hosts of the rendered Ingresses (for DNS records). */
  readonly publicHosts: readonly string[];
  /** Grafana's `admin` password, when this component generated it. */
  readonly grafanaAdminPassword: pulumi.Output<string> | undefined;
  /** The bearer token OTLP senders outside the cluster present, when the ingress publishes OTLP. */
  readonly otlpIngestToken: pulumi.Output<string> | undefined;

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ObservabilityStack.type, name, {}, opts);
    const spec = defineStack(args.spec ?? {}, args.environment ? { environment: args.environment } : {});
    claimNamespace(args.provider, spec.namespace, `ObservabilityStack "${name}"`);
    this.clusterEndpoints = clusterEndpoints(spec);
    // In `pulumi up`'s diagnostics: a stack whose alerts reach nobody deploys, but its operator should know.
    for (const gap of alertDeliveryGaps(spec)) void pulumi.log.warn(`alert delivery: ${gap}`, this);
    const createNamespace = args.createNamespace ?? true;
    // One component list for the chart's objects and the Secrets they reference.
    const groups = componentGroups({ spec, dashboards: args.dashboards ?? defaultDashboardFiles(spec), ...(args.alerts ? { alerts: args.alerts } : {}) });
    const components = componentsOf(groups);
    const objects = renderChart(spec, groups, { createNamespace });
    const childOpts = (dependsOn: readonly pulumi.Resource[]): pulumi.CustomResourceOptions => ({
      parent: this,
      provider: args.provider,
      ...(dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}),
    });

    // The component's own dependencies (e.g. a namespace made elsewhere) hold back every child.
    const outer = plainResources(opts?.dependsOn);
    const byStage = (stage: Stage) => objects.filter((o) => stageOf(o) === stage);
    const keys = new Set<string>();
    const apply = (stage: Stage, dependsOn: readonly pulumi.Resource[]) =>
      byStage(stage).map((object) => {
        const key = objectKey(object);
        if (keys.has(key)) throw new Error(`${key}: rendered twice`);
        keys.add(key);
        const ResourceClass = resourceClassOf(object);
        return [key, new ResourceClass(`${name}:${key}`, object, childOpts(dependsOn))] as const;
      });

    const namespaces = apply('namespace', outer);
    const namespaceResources = [...outer, ...namespaces.map(([, resource]) => resource)];
    const placement: SecretPlacement = {
      prefix: name,
      namespace: spec.namespace,
      labels: { 'app.kubernetes.io/part-of': 'observatory', 'app.kubernetes.io/instance': spec.name, 'app.kubernetes.io/managed-by': 'pulumi' },
      opts: childOpts(namespaceResources),
    };
    const existing = new Set(args.existingSecrets ?? []);
    const deployed = new Map<string, DeployedSecret>();
    const given = args.providedSecrets ?? {};
    const generated = secretsOf(components);
    const credentials = components.flatMap((c) => c.providedSecretFiles ?? []);
    // Credentials of stores outside the stack (object storage, OpenSearch), one Secret each however many read it.
    const external = [...new Map(components.flatMap((c) => c.externalSecrets ?? []).map((e) => [e.secret, e])).values()];
    const known = new Set([...generated.map((s) => s.name), ...credentials.map((p) => p.secret), ...external.map((e) => e.secret)]);
    const strays = Object.keys(given).filter((secretName) => !known.has(secretName) || existing.has(secretName));
    if (strays.length > 0) {
      throw new Error(
        `providedSecrets: ${strays.map((s) => (existing.has(s) ? `${s} (in existingSecrets)` : s)).join(', ')}: no Secret of this stack to write ` +
          `(it writes ${[...known].filter((s) => !existing.has(s)).sort().join(', ') || 'none'})`,
      );
    }
    for (const secret of generated.filter((s) => !existing.has(s.name))) {
      const values = given[secret.name];
      deployed.set(secret.name, values ? givenSecret(secret, values, placement) : generatedSecret(secret, placement));
    }
    for (const provided of credentials.filter((p) => !existing.has(p.secret))) {
      if (deployed.has(provided.secret)) throw new Error(`Secret ${provided.secret}: both generated and provided`);
      deployed.set(provided.secret, providedSecret(provided, given[provided.secret], placement));
    }
    for (const store of external.filter((e) => !existing.has(e.secret))) {
      if (deployed.has(store.secret)) throw new Error(`Secret ${store.secret}: both generated and a store's credentials`);
      deployed.set(store.secret, providedSecret({ secret: store.secret, dir: '', files: store.keys }, given[store.secret], placement));
    }
    const secretResources = [...deployed.values()].map((d) => d.secret);

    const supporting = apply('config', namespaceResources);
    const configResources = supporting.map(([, resource]) => resource);
    const workloads = apply('workload', [...namespaceResources, ...secretResources, ...configResources]);
    const exposure = apply('exposure', [...namespaceResources, ...configResources, ...(args.ingressDependencies ?? [])]);

    this.spec = spec;
    this.namespace = spec.namespace;
    this.objects = Object.fromEntries([...namespaces, ...supporting, ...workloads, ...exposure]);
    this.secrets = Object.fromEntries([...deployed].map(([secretName, d]) => [secretName, d.secret]));
    this.endpoints = stackEndpoints(objects);
    this.publicHosts = publicHosts(objects);
    this.grafanaAdminPassword = deployed.get(GRAFANA.adminSecret)?.values['password'];
    const otlpIsPublic = this.endpoints.otlpEndpoint !== undefined && this.publicHosts.includes(new URL(this.endpoints.otlpEndpoint).hostname);
    this.otlpIngestToken = otlpIsPublic ? deployed.get(COLLECTOR.ingestSecret)?.values['token'] : undefined;
    this.registerOutputs({
      namespace: this.namespace,
      ...this.endpoints,
      objectCount: Object.keys(this.objects).length,
      secretNames: Object.keys(this.secrets),
    });
  }
}

/** Resources named in `dependsOn`; an Output of them cannot be passed on to the children synchronously. */
function plainResources(dependsOn: pulumi.ComponentResourceOptions['dependsOn']): pulumi.Resource[] {
  if (dependsOn === undefined) return [];
  const list = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  return list.map((item) => {
    if (!pulumi.Resource.isInstance(item)) throw new Error('ObservabilityStack: pass dependsOn as resources, not as Outputs');
    return item;
  });
}

// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import kplus = require('cdk8s-plus-28');
import type { ChartProps } from 'cdk8s';
import ApiObject = cdk8s.ApiObject;
import Chart = cdk8s.Chart;
import JsonPatch = cdk8s.JsonPatch;
import type { Construct } from 'constructs';
import type { AlertDefinition } from '../alerts/rule-model.js';
import type { Component } from '../model/component.js';
import { defineStack } from '../model/define.js';
import { claimNamespace } from '../model/namespace-claims.js';
import type { StackInput, StackSpec } from '../model/spec.js';
import { defaultDashboardFiles } from '../dashboards/defaults.js';
import { componentGroups, componentsOf, type ComponentGroups } from './components.js';
import type { DashboardFiles } from './grafana.js';
import { StackIngresses } from './ingress.js';
import { clusterEndpoints, type ClusterEndpoints } from './cluster-endpoints.js';
import { StackNetworkPolicies, TelemetrySenderPolicy } from './network-policies.js';
import { ComponentGroup } from './workload.js';

/** A Chart's props but `namespace`: the stack's namespace is `spec.namespace`, which its addresses are rendered for. */
export interface ObservabilityStackProps extends Omit<ChartProps, 'namespace'> {
  /**
   * The stack spec: a resolved one (`defineStack()`, `loadSpecFile()`) or a partial one, typed, merged over the
   * preset of its `environment` and validated like `defineStack()` does.
   * @default the `local` preset
   */
  readonly spec?: StackInput;
  /**
   * Dashboards Grafana provisions, file name → JSON. To add yours or drop some of ours, pass a list built from
   * ours: `dashboardFiles([...defaultDashboards(spec).filter((d) => d.uid !== 'nodejs-runtime'), mine])`.
   * @default the dashboards Observatory ships (`defaultDashboards(spec)`), like `observatory synth` and the Pulumi component
   */
  readonly dashboards?: DashboardFiles;
  /**
   * Your own alerts, in the typed rule model (`AlertDefinition`: variants with severity and `service` label, a
   * runbook). vmalert loads them from `custom.yml`; `runbookFiles(spec, alerts)` renders their runbooks, which
   * their `runbook_url` points to. A name already taken is refused.
   * @default none
   */
  readonly alerts?: readonly AlertDefinition[];
  /**
   * The components to render, by product group, when you build them yourself with `componentGroups({ spec, dashboards,
   * alerts })` to hand the same list to another renderer too (`renderCompose`): the chart renders exactly these.
   * Build them from this stack's resolved `spec`; the dashboards and alerts are in them, so `dashboards` and `alerts`
   * cannot be passed beside them.
   * @default `componentGroups({ spec, dashboards, alerts })`
   */
  readonly componentGroups?: ComponentGroups;
  /** Create the Namespace object. Default true; false when the namespace is managed elsewhere. */
  readonly createNamespace?: boolean;
}

/**
 * The whole observability stack as a cdk8s chart: one construct per product, every object in the
 * spec's namespace. Credentials are referenced by Secret name; the Secrets themselves are created
 * by whoever deploys (synth --generate-secrets, or the Pulumi component with random values).
 */
export class ObservabilityStack extends Chart {
  /** The resolved spec the objects were rendered from. */
  readonly spec: StackSpec;
  readonly groups: Record<string, ComponentGroup>;
  readonly components: readonly Component[];
  /** Where workloads in any namespace reach the stack: OTLP endpoints, query URLs, the ingest token's Secret. */
  readonly clusterEndpoints: ClusterEndpoints;
  private readonly networkPolicies: StackNetworkPolicies;
  private readonly ownsNamespace: boolean;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    const spec = defineStack(props.spec ?? {});
    const ignoredNamespace = (props as ChartProps).namespace;
    if (ignoredNamespace !== undefined && ignoredNamespace !== spec.namespace) {
      throw new Error(
        `ObservabilityStack "${id}": props.namespace "${ignoredNamespace}" cannot take effect: the stack renders into spec.namespace ("${spec.namespace}"); set spec.namespace instead`,
      );
    }
    for (const part of ['dashboards', 'alerts'] as const) {
      if (props.componentGroups && props[part] !== undefined) {
        throw new Error(`ObservabilityStack "${id}": props.${part} cannot take effect beside props.componentGroups, which already holds them; pass them to componentGroups() instead`);
      }
    }
    super(scope, id, {
      ...props,
      namespace: spec.namespace,
      labels: { 'app.kubernetes.io/part-of': 'observatory', 'app.kubernetes.io/instance': spec.name, ...props.labels },
    });
    this.spec = spec;
    claimNamespace(this.node.root, spec.namespace, `ObservabilityStack "${this.node.path}"`);
    if (props.createNamespace ?? true) {
      const namespace = new kplus.Namespace(this, 'namespace', {
        metadata: {
          name: spec.namespace,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'v1.28',
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
          },
        },
      });
      // A Namespace is cluster-scoped: the chart's namespace does not apply to it.
      ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    const groups = props.componentGroups ?? componentGroups({ spec, dashboards: props.dashboards ?? defaultDashboardFiles(spec), ...(props.alerts ? { alerts: props.alerts } : {}) });
    this.groups = Object.fromEntries(
      Object.entries(groups)
        .filter(([, components]) => components.length > 0)
        .map(([name, components]) => [name, new ComponentGroup(this, name, components, spec)]),
    );
    this.components = componentsOf(groups);
    this.clusterEndpoints = clusterEndpoints(spec);
    this.ownsNamespace = props.createNamespace ?? true;
    this.networkPolicies = new StackNetworkPolicies(this, 'network-policies', { spec, components: this.components, ownsNamespace: props.createNamespace ?? true });
    new StackIngresses(this, 'ingresses', { spec, components: this.components });
  }

  /**
   * Lets a workload send telemetry to the stack. A workload in another namespace needs nothing from the stack (the
   * collector admits OTLP from every namespace), so nothing is added. In the stack's own namespace the default deny
   * covers every pod (a namespace the stack owns is its security boundary, and an unknown pod there stays cut off),
   * so this adds an egress policy for the workload's pods: DNS and the telemetry intake ports, nothing else. With
   * `createNamespace: false` the default deny covers only the stack's pods, and a policy selecting the workload
   * would restrict it, so nothing is added either.
   */
  allowTelemetryFrom(workload: kplus.Workload): void {
    const namespace = workload.metadata.namespace;
    if (namespace === undefined) {
      throw new Error(`allowTelemetryFrom(${workload.node.path}): its chart has no namespace, so where its pods run is not known; give the chart a namespace`);
    }
    if (namespace !== this.spec.namespace || !this.ownsNamespace) return;
    new TelemetrySenderPolicy(this.networkPolicies, `telemetry-from-${workload.name}`, {
      spec: this.spec,
      components: this.components,
      workloadName: workload.name,
      podLabels: workload.matchLabels,
    });
  }
}

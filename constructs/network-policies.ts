// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import k8s = require('cdk8s-plus-28/lib/imports/k8s.js');
import constructs = require('constructs');
import type { NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s.js';
import IntOrString = k8s.IntOrString;
import KubeNetworkPolicy = k8s.KubeNetworkPolicy;
import Construct = constructs.Construct;
import { KUBELET_PORT, runsOn, type Component, type ExternalDestination } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { componentLabels, selectorLabels } from './labels.js';

/** Every address: the Kubernetes API server, the kubelets and services outside the cluster have no pod labels to select. */
const ANYWHERE: NetworkPolicyPeer = { ipBlock: { cidr: '0.0.0.0/0' } };
const EVERY_POD: NetworkPolicyPeer = { namespaceSelector: {}, podSelector: {} };
/** The API server answers on 443 (managed control planes such as DOKS) or 6443 (kubeadm). */
const KUBERNETES_API_PORTS = [443, 6443];

const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });

const DNS_EGRESS: NetworkPolicyEgressRule = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: IntOrString.fromNumber(53) }, tcp(53)],
};

function externalEgress(destination: ExternalDestination): NetworkPolicyEgressRule {
  switch (destination.kind) {
    case 'kubelet':
      return { to: [ANYWHERE], ports: [tcp(KUBELET_PORT)] };
    case 'any-pod':
      return { to: [EVERY_POD] };
    case 'internet':
      return { to: [ANYWHERE], ports: destination.ports.map(tcp) };
    case 'anywhere':
      return { to: [EVERY_POD, ANYWHERE], ports: destination.ports.map(tcp) };
  }
}

export interface StackNetworkPoliciesProps {
  readonly spec: StackSpec;
  readonly components: readonly Component[];
  /**
   * The stack owns its namespace: the default deny covers every pod in it. Otherwise it covers only the
   * stack's own pods, leaving the namespace owner's other workloads alone.
   */
  readonly ownsNamespace: boolean;
}

/**
 * Network policies: nothing in or out by default, then exactly the flows the components declare —
 * their connections to each other (`connectsTo`), telemetry intake from the whole cluster (ports with
 * `clients: 'cluster'`), the ingress controller to the public ports, the API server for components that
 * read it, their external destinations, and DNS for everyone.
 */
export class StackNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: StackNetworkPoliciesProps) {
    super(scope, id);
    const { spec } = props;
    const components = props.components.filter((c) => runsOn(c, 'kubernetes'));
    const byName = new Map(components.map((c) => [c.name, c]));
    const stackPods = { matchLabels: { 'app.kubernetes.io/instance': spec.name } };
    const labels = { 'app.kubernetes.io/instance': spec.name, 'app.kubernetes.io/part-of': 'observatory', 'app.kubernetes.io/managed-by': 'observatory' };

    new KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: `${spec.name}-default-deny`, labels },
      spec: { podSelector: props.ownsNamespace ? {} : stackPods, policyTypes: ['Ingress', 'Egress'] },
    });
    new KubeNetworkPolicy(this, 'dns', {
      metadata: { name: `${spec.name}-allow-dns`, labels },
      spec: { podSelector: stackPods, policyTypes: ['Egress'], egress: [DNS_EGRESS] },
    });

    for (const component of components) {
      for (const connection of component.connectsTo ?? []) {
        const target = byName.get(connection.component);
        if (!target) throw new Error(`${component.name} connects to "${connection.component}", which is not part of the stack`);
        if (!target.ports.some((p) => p.port === connection.port)) {
          throw new Error(`${component.name} connects to ${connection.component}:${connection.port}, a port ${connection.component} does not serve`);
        }
      }
    }

    const podsOf = (c: Component): NetworkPolicyPeer => ({ podSelector: { matchLabels: selectorLabels(spec, c) } });
    const controller: NetworkPolicyPeer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': spec.ingress.controllerNamespace } } };

    for (const component of components) {
      const ingress: NetworkPolicyIngressRule[] = component.ports.flatMap((port) => {
        const clients = components.filter((c) => c.connectsTo?.some((t) => t.component === component.name && t.port === port.port));
        const from: NetworkPolicyPeer[] = [
          ...clients.map(podsOf),
          ...(port.clients === 'cluster' ? [EVERY_POD] : []),
          ...(port.ingress && spec.ingress.enabled ? [controller] : []),
        ];
        return from.length > 0 ? [{ from, ports: [{ protocol: port.protocol ?? 'TCP', port: IntOrString.fromNumber(port.port) }] }] : [];
      });
      const egress: NetworkPolicyEgressRule[] = [
        ...[...new Set((component.connectsTo ?? []).map((t) => t.component))].map((name) => ({
          to: [podsOf(byName.get(name)!)],
          // Every protocol the target serves on that port (a gossip port takes TCP and UDP).
          ports: [...new Set((component.connectsTo ?? []).filter((t) => t.component === name).map((t) => t.port))].flatMap((port) =>
            byName.get(name)!.ports.filter((p) => p.port === port).map((p) => ({ protocol: p.protocol ?? 'TCP', port: IntOrString.fromNumber(port) })),
          ),
        })),
        ...(component.kubernetes?.clusterAccess?.length ? [{ to: [ANYWHERE], ports: KUBERNETES_API_PORTS.map(tcp) }] : []),
        ...(component.kubernetes?.egress ?? []).map(externalEgress),
      ];
      new KubeNetworkPolicy(this, component.name, {
        metadata: { name: component.name, labels: componentLabels(spec, component) },
        spec: {
          podSelector: { matchLabels: selectorLabels(spec, component) },
          policyTypes: ['Ingress', 'Egress'],
          ...(ingress.length > 0 ? { ingress } : {}),
          ...(egress.length > 0 ? { egress } : {}),
        },
      });
    }
  }
}

export interface TelemetrySenderPolicyProps {
  readonly spec: StackSpec;
  readonly components: readonly Component[];
  /** Resource name of the sending workload: part of the policy's name. */
  readonly workloadName: string;
  /** Labels that select the sending workload's pods (in the stack's namespace). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * Egress for a workload of the stack's namespace that sends telemetry: DNS, and the ports open to the whole
 * cluster (`clients: 'cluster'`, the telemetry intake) of the components serving them, nothing else. Their
 * ingress side already admits every pod.
 */
export class TelemetrySenderPolicy extends Construct {
  constructor(scope: Construct, id: string, props: TelemetrySenderPolicyProps) {
    super(scope, id);
    const { spec } = props;
    const intake: NetworkPolicyEgressRule[] = props.components
      .filter((c) => runsOn(c, 'kubernetes') && c.ports.some((p) => p.clients === 'cluster'))
      .map((c) => ({
        to: [{ podSelector: { matchLabels: selectorLabels(spec, c) } }],
        ports: c.ports.filter((p) => p.clients === 'cluster').map((p) => ({ protocol: p.protocol ?? 'TCP', port: IntOrString.fromNumber(p.port) })),
      }));
    new KubeNetworkPolicy(this, 'policy', {
      metadata: { name: `${spec.name}-telemetry-from-${props.workloadName}`, labels: { 'app.kubernetes.io/instance': spec.name, 'app.kubernetes.io/part-of': 'observatory' } },
      spec: { podSelector: { matchLabels: { ...props.podLabels } }, policyTypes: ['Egress'], egress: [DNS_EGRESS, ...intake] },
    });
  }
}

import type { KubeObject } from '../../constructs/schema-check.js';

/**
 * A small model of Kubernetes NetworkPolicy semantics, enough to ask "may A open a TCP/UDP connection to B on
 * port P" of rendered manifests: a pod selected by any policy of a direction is isolated in that direction and
 * admits only what some selecting policy's rule allows; a connection needs the source's egress and the
 * destination's ingress. Addresses outside the cluster match only ipBlock peers; pods never do (as with Cilium,
 * which DOKS runs).
 */
export interface Endpoint {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** An address outside the cluster (the API server, a kubelet, the internet). */
  readonly external?: boolean;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

const matches = (selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean => {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not modelled');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
};

const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

export class NetworkPolicyModel {
  private readonly policies: { namespace: string; spec: PolicySpec }[];

  constructor(objects: readonly KubeObject[]) {
    this.policies = objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => ({ namespace: o.metadata.namespace!, spec: o['spec'] as PolicySpec }));
  }

  private selecting(pod: Endpoint, direction: 'Ingress' | 'Egress') {
    if (pod.external) return [];
    return this.policies.filter(
      (p) => p.namespace === pod.namespace && (p.spec.policyTypes ?? ['Ingress']).includes(direction) && matches(p.spec.podSelector, pod.labels ?? {}),
    );
  }

  private peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
    if (peer.ipBlock) return other.external === true;
    if (other.external) return false;
    const namespaceOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(other.namespace!)) : other.namespace === policyNamespace;
    return namespaceOk && matches(peer.podSelector, other.labels ?? {});
  }

  private ruleAllows(rule: Rule, peers: Peer[] | undefined, policyNamespace: string, other: Endpoint, port: number, protocol: string): boolean {
    const portOk =
      !rule.ports?.length ||
      rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || (port >= p.port && port <= (p.endPort ?? p.port))));
    const peerOk = !peers?.length || peers.some((peer) => this.peerMatches(peer, policyNamespace, other));
    return portOk && peerOk;
  }

  private admits(pod: Endpoint, direction: 'Ingress' | 'Egress', other: Endpoint, port: number, protocol: string): boolean {
    const policies = this.selecting(pod, direction);
    if (policies.length === 0) return true;
    return policies.some((p) =>
      (direction === 'Ingress' ? p.spec.ingress : p.spec.egress)?.some((rule) =>
        this.ruleAllows(rule, direction === 'Ingress' ? rule.from : rule.to, p.namespace, other, port, protocol),
      ),
    );
  }

  /** Whether `from` may connect to `to` on `port`. */
  allows(from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): boolean {
    return this.admits(from, 'Egress', to, port, protocol) && this.admits(to, 'Ingress', from, port, protocol);
  }
}

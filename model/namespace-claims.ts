/** Per owner (a cdk8s app's root construct, a Pulumi Kubernetes provider): which stack renders into which namespace. */
const claims = new WeakMap<object, Map<string, string>>();

/**
 * Refuses a second stack in a namespace where another stack of the same owner already renders: their objects carry
 * the same names (`loki`, `grafana`, the `<namespace>-otel-agent` ClusterRole...), so one would silently replace
 * the other's. `claimant` and the holder are named in the message.
 */
export function claimNamespace(owner: object, namespace: string, claimant: string): void {
  const taken = claims.get(owner) ?? new Map<string, string>();
  claims.set(owner, taken);
  const holder = taken.get(namespace);
  if (holder !== undefined) {
    throw new Error(`${claimant}: namespace "${namespace}" is already rendered into by ${holder}; their objects would share names. Give one of them another spec.namespace`);
  }
  taken.set(namespace, claimant);
}

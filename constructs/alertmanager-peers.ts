import { replicaHost } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { ALERTMANAGER } from './addresses.js';

/** Alertmanager's gossip port (`--cluster.listen-address`). */
export const ALERTMANAGER_CLUSTER_PORT = 9094;

/** How many Alertmanagers run: a gossip cluster when distributed, one otherwise. */
export const alertmanagerReplicas = (spec: StackSpec): number => (spec.scale === 'distributed' ? spec.distributed.alertmanager.replicas : 1);

/**
 * The URLs vmalert notifies: every member of a cluster by its own name (Alertmanager deduplicates what several
 * members receive; one behind a load-balanced Service would not be told every alert), or the single one.
 */
export function alertmanagerPeers(spec: StackSpec): string[] {
  const replicas = alertmanagerReplicas(spec);
  if (replicas === 1) return [ALERTMANAGER.url];
  return Array.from({ length: replicas }, (_, i) => `http://${replicaHost(ALERTMANAGER.name, i)}:${ALERTMANAGER.port}`);
}
